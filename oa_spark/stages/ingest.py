"""Ingest job: staged weekly zips → `office_actions` and `quarantine`, one atomic commit per batch of weeks.

One Spark task per zip (small zips several to a task, `task_slices`) streams its records through the pure
reader/normalizer (`oa_spark.reader.weekfile`) inside `mapInArrow`, and the rows go straight into one
`replaceWhere` commit for the batch's weeks (one pass over the data, nothing cached). Each task reports its
week's counts and quarantined records in one extra output row (read back through an `Observation`, so no
accumulator: the same code runs on Spark Connect) and checks `records_in = records_out + duplicates +
quarantined`; a task whose file fails raises,
which aborts the job before its commit, and the batch is written again without that week — so a failed
week keeps its previous version and the others commit. `runs` gets one row per week.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from oa_spark import __version__, logs
from oa_spark.config import Config
from oa_spark.ledger import RunRow, RunState, new_run_id, up_to_date
from oa_spark.reader.weekfile import Limits

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger("oa_spark.ingest")

# Bump when the rows ingest produces change for the same input bytes: weeks done by older code are redone.
INGEST_VERSION = f"ingest-{__version__}"
COUNTS = ("records_in", "records_out", "duplicates", "quarantined")
MB = 1024 * 1024
TASK_MB = 64  # zipped MB one ingest task takes before another task is worth its fixed cost


@dataclass(frozen=True)
class WeekTask:
    """One week's staged zip to ingest: where it is, its digest (what `runs` records) and its size."""

    week: date
    path: str
    file_name: str
    sha256: str | None
    size_bytes: int | None = None  # of the staged zip: what batches are sized by


@dataclass
class IngestedWeek:
    """What ingest did with one week: done or failed, its record counts, and why it failed."""

    week: date
    status: str  # done | failed
    counts: dict[str, int]
    message: str | None = None


def plan(
    state: RunState, weeks: list[date] | None, force: bool
) -> tuple[list[WeekTask], list[date], list[date]]:
    """(tasks to run, weeks already done with the same bytes and code, requested weeks never staged)."""
    staged = state.manifest.current(weeks)
    wanted = sorted(staged) if weeks is None else sorted(weeks)
    done = state.ledger.latest("ingest", wanted)
    tasks, skipped, missing = [], [], []
    for week in wanted:
        row = staged.get(week)
        if row is None:
            missing.append(week)
            continue
        if not force and up_to_date(done.get(week), INGEST_VERSION, row["sha256"]):
            skipped.append(week)
            continue
        tasks.append(WeekTask(week, row["staged_path"], row["file_name"], row["sha256"], row["size_bytes"]))
    return tasks, skipped, missing


def task_frame(spark: SparkSession, count: int, slices: int | None = None) -> DataFrame:
    """`id` 0..count-1 (an index into the batch's zips) in `slices` partitions of consecutive ids (default:
    one per zip), built without an RDD: each partition is one task."""
    return spark.range(0, count, 1, max(1, slices or count))


def task_slices(tasks: Sequence[WeekTask], min_tasks: int) -> int:
    """How many Spark tasks read a batch's zips: one per TASK_MB of zips (a realistic week is a task of its
    own), never fewer than `min_tasks` (every core busy) nor more than one per zip. A task has a fixed cost
    whatever its zip (a Python worker's turn, a Delta file writer, ~0.1-0.5 s measured on 2 cores), so a
    backfill of small weeks runs them several to a task rather than paying that per week."""
    total = sum(TASK_MB * MB if t.size_bytes is None else t.size_bytes for t in tasks)
    return max(1, min(len(tasks), max(min_tasks, -(-total // (TASK_MB * MB)))))


def session_slots(spark: SparkSession) -> int:
    """The session's `spark.sql.shuffle.partitions`: a parallelism figure every kind of session has."""
    value = str(spark.conf.get("spark.sql.shuffle.partitions", "200"))
    return int(value) if value.isdigit() else 200


def limits_of(cfg: Config) -> Limits:
    return Limits(
        max_inflated_bytes=cfg.ingest.max_inflated_mb * 1024 * 1024,
        max_ratio=cfg.ingest.max_ratio,
        spool_dir=cfg.ingest.spool_dir or None,
    )


def write_weeks(
    spark: SparkSession, cfg: Config, lake: Lake, tasks: list[WeekTask]
) -> dict[date, dict[str, Any]]:
    """One Spark job: every task's zip → `office_actions`, committed with one `replaceWhere` over the
    tasks' weeks. Returns each week's report; raises when any task fails (then nothing is committed).

    Each task emits its rows and then one report row; an `Observation` collects the report rows as the
    write runs (a result stage counts each partition once, so retried tasks do not double-count) and only
    the data rows are written.
    """
    from pyspark.sql import Observation
    from pyspark.sql import functions as F

    from oa_spark.ledger import utcnow
    from oa_spark.reader.weekfile import REPORT, decode_report, explode_tasks
    from oa_spark.schemas import INGEST_TASK_OUTPUT, OFFICE_ACTIONS, arrow_schema, names

    limits, out_schema, stamp = limits_of(cfg), arrow_schema(INGEST_TASK_OUTPUT), utcnow()
    work = [(t.week, t.path, t.file_name, t.size_bytes) for t in tasks]

    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        yield from explode_tasks(batches, work, limits, out_schema, stamp)

    observed = Observation(f"ingest_reports_{new_run_id()}")
    slices = task_slices(tasks, session_slots(spark))
    out = task_frame(spark, len(tasks), slices).mapInArrow(run, INGEST_TASK_OUTPUT)
    # One string (JSON lines) rather than an array: Spark 4.0's Observation cannot hand back arrays.
    out = out.observe(observed, F.concat_ws("\n", F.collect_list(REPORT)).alias("reports"))
    rows = out.where(F.col(REPORT).isNull()).select(*names(OFFICE_ACTIONS))
    lake.replace_weeks("office_actions", rows, [t.week for t in tasks])
    return dict(decode_report(text) for text in observed.get["reports"].splitlines())


def commit_good(
    spark: SparkSession, cfg: Config, lake: Lake, tasks: list[WeekTask]
) -> tuple[dict[date, dict[str, Any]], dict[date, tuple[str, str]]]:
    """Commit every week that can be read; returns (reports of committed weeks, failures by week).

    The common case is one job for the batch. When a task fails, the failing weeks are taken out (the
    failure names them) and the rest is written again; a failure that names no week (a lost executor) falls
    back to one job per week, so each good week still commits.
    """
    from oa_spark.reader.weekfile import TASK_ERROR, failures_in

    failed: dict[date, tuple[str, str]] = {}
    pending = list(tasks)
    while pending:
        try:
            return write_weeks(spark, cfg, lake, pending), failed
        except Exception as exc:
            weeks = {t.week for t in pending}
            named = {w: f for w, f in failures_in(str(exc)).items() if w in weeks}
            if named:
                failed.update(named)
                pending = [t for t in pending if t.week not in named]
                continue
            if len(pending) == 1:
                text = str(exc).strip()
                failed[pending[0].week] = (
                    TASK_ERROR,
                    text.splitlines()[0][:500] if text else type(exc).__name__,
                )
                return {}, failed
            reports: dict[date, dict[str, Any]] = {}
            for task in pending:
                got, more = commit_good(spark, cfg, lake, [task])
                reports.update(got)
                failed.update(more)
            return reports, failed
    return {}, failed


def ingest_weeks(
    spark: SparkSession, cfg: Config, state: RunState, tasks: list[WeekTask], run_id: str
) -> list[IngestedWeek]:
    """Run one batch of weeks and commit the good ones; returns each week's outcome. The `running` rows are
    committed first (with whatever the ledger deferred); the outcome rows are deferred to the next commit."""
    from oa_spark.ledger import utcnow
    from oa_spark.schemas import QUARANTINE

    lake, ledger = state.lake, state.ledger
    weeks = [t.week for t in tasks]
    # Quarantine rows of a week are only ever written after its ingest `running` row: a week with no ingest
    # row at all has none to remove, so a batch of new weeks needs no look at the table.
    tried_before = bool(ledger.latest("ingest", weeks))
    started = {t.week: RunRow(run_id, "ingest", t.week, "running", t.sha256, INGEST_VERSION) for t in tasks}
    ledger.record(started.values())
    reports, failed = commit_good(spark, cfg, lake, tasks)

    # Quarantine: the records of every committed week; for a failed week, one file-level row saying why.
    now = utcnow()
    names = {t.week: t.file_name for t in tasks}
    rows = [{**q, "quarantined_at": now} for r in reports.values() for q in r["quarantine"]]
    rows += [
        {"week": w, "source_file": names[w], "reason": reason, "message": message, "quarantined_at": now}
        for w, (reason, message) in failed.items()
    ]
    if rows or (tried_before and lake.has_rows("quarantine", weeks)):
        lake.replace_weeks("quarantine", spark.createDataFrame(rows, QUARANTINE), weeks)
    else:  # nothing to add and nothing to remove: no commit, but readers still find the table
        lake.ensure("quarantine")

    results = []
    for task in tasks:
        if task.week in reports:
            counts = {k: reports[task.week][k] for k in COUNTS}
            results.append(IngestedWeek(task.week, "done", counts))
        else:
            reason, message = failed[task.week]
            results.append(IngestedWeek(task.week, "failed", {}, f"{reason}: {message}"))
    ledger.defer(started[o.week].finish(o.status, message=o.message, **o.counts) for o in results)
    for o in results:
        level = logging.INFO if o.status == "done" else logging.ERROR
        extra = {"message": o.message} if o.message else {}
        logs.event(log, "week_ingested", level, week=o.week, status=o.status, **o.counts, **extra)
    return results


def main(
    cfg: Config,
    weeks: list[date] | None = None,
    force: bool = False,
    spark: SparkSession | None = None,
    state: RunState | None = None,
) -> int:
    """Ingest the requested (or all pending) staged weeks, in batches sized by `oa_spark.batches`. Exit 1
    names every failed week. `run` passes its state (and flushes the ledger itself)."""
    from oa_spark import batches
    from oa_spark.session import get_spark
    from oa_spark.tables import Lake

    owned = state is None
    if state is None:
        state = RunState.open(Lake(spark or get_spark(cfg), cfg.lake))
    spark = state.lake.spark
    tasks, skipped, missing = plan(state, weeks, force)
    if missing:
        logs.event(log, "weeks_not_staged", logging.WARNING, weeks=",".join(w.isoformat() for w in missing))
    if skipped:
        logs.event(log, "weeks_up_to_date", weeks=len(skipped))
    run_id = new_run_id()
    failed: list[IngestedWeek] = []
    planned = batches.by_size(tasks, lambda t: t.size_bytes, cfg.run.batch_mb, cfg.run.batch_weeks)
    try:
        for batch in logs.in_batches(planned, "ingest"):
            results = ingest_weeks(spark, cfg, state, batch, run_id)
            failed += [o for o in results if o.status == "failed"]
    finally:
        if owned:
            state.ledger.flush()
    logs.event(log, "ingest_done", run_id=run_id, weeks=len(tasks), failed=len(failed), skipped=len(skipped))
    for o in failed:
        print(f"ingest: week {o.week.isoformat()} failed: {o.message}")
    return 1 if failed else 0
