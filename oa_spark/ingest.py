"""Ingest job: staged weekly zips → `office_actions` and `quarantine`, one atomic commit per batch of weeks.

One Spark task per zip streams its records through the pure reader/normalizer (`oa_spark.weekfile`) inside
`mapInArrow`, and the rows go straight into one `replaceWhere` commit for the batch's weeks (one pass over
the data, nothing cached). Each task reports its week's counts and quarantined records in one extra
output row (read back through an `Observation`, so no accumulator: the same code runs on Spark Connect) and
checks `records_in = records_out + duplicates + quarantined`; a task whose file fails raises,
which aborts the job before its commit, and the batch is written again without that week — so a failed
week keeps its previous version and the others commit. `runs` gets one row per week.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from oa_spark import __version__, logs
from oa_spark.config import Config
from oa_spark.ledger import Ledger, RunRow, StagedFiles, new_run_id
from oa_spark.weekfile import Limits

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger("oa_spark.ingest")

# Bump when the rows ingest produces change for the same input bytes: weeks done by older code are redone.
INGEST_VERSION = f"ingest-{__version__}"
COUNTS = ("records_in", "records_out", "duplicates", "quarantined")


@dataclass(frozen=True)
class WeekTask:
    week: date
    path: str
    file_name: str
    sha256: str | None


@dataclass
class WeekOutcome:
    week: date
    status: str  # done | failed
    counts: dict[str, int]
    message: str | None = None


def plan(lake: Lake, weeks: list[date] | None, force: bool) -> tuple[list[WeekTask], list[date], list[date]]:
    """(tasks to run, weeks already done with the same bytes and code, requested weeks never staged)."""
    staged = StagedFiles(lake).current()
    wanted = sorted(staged) if weeks is None else sorted(weeks)
    done = Ledger(lake).latest("ingest")
    tasks, skipped, missing = [], [], []
    for week in wanted:
        row = staged.get(week)
        if row is None:
            missing.append(week)
            continue
        last = done.get(week)
        if (
            not force
            and last is not None
            and last["status"] == "done"
            and last["input_sha256"] == row["sha256"]
            and last["code_version"] == INGEST_VERSION
        ):
            skipped.append(week)
            continue
        tasks.append(WeekTask(week, row["staged_path"], row["file_name"], row["sha256"]))
    return tasks, skipped, missing


def task_frame(spark: SparkSession, count: int) -> DataFrame:
    """`id` 0..count-1 in `count` partitions: one task per zip (its own retry unit), built without an RDD."""
    return spark.range(0, count, 1, max(1, count))


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
    from oa_spark.schemas import INGEST_TASK_OUTPUT, OFFICE_ACTIONS, arrow_schema, names
    from oa_spark.weekfile import REPORT, decode_report, explode_tasks

    limits, out_schema, stamp = limits_of(cfg), arrow_schema(INGEST_TASK_OUTPUT), utcnow()
    work = [(t.week, t.path, t.file_name) for t in tasks]

    def run(batches):
        yield from explode_tasks(batches, work, limits, out_schema, stamp)

    observed = Observation(f"ingest_reports_{new_run_id()}")
    out = task_frame(spark, len(tasks)).mapInArrow(run, INGEST_TASK_OUTPUT)
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
    from oa_spark.weekfile import TASK_ERROR, failures_in

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
    spark: SparkSession, cfg: Config, lake: Lake, tasks: list[WeekTask], run_id: str
) -> list[WeekOutcome]:
    """Run one batch of weeks and commit the good ones; returns each week's outcome."""
    from oa_spark.ledger import utcnow
    from oa_spark.schemas import QUARANTINE

    ledger = Ledger(lake)
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
    weeks = [t.week for t in tasks]
    if rows or lake.has_rows("quarantine", weeks):
        lake.replace_weeks("quarantine", spark.createDataFrame(rows, QUARANTINE), weeks)
    else:  # nothing to add and nothing to remove: no commit, but readers still find the table
        lake.ensure("quarantine")

    results = []
    for task in tasks:
        if task.week in reports:
            counts = {k: reports[task.week][k] for k in COUNTS}
            results.append(WeekOutcome(task.week, "done", counts))
        else:
            reason, message = failed[task.week]
            results.append(WeekOutcome(task.week, "failed", {}, f"{reason}: {message}"))
    ledger.record(started[o.week].finish(o.status, message=o.message, **o.counts) for o in results)
    for o in results:
        level = logging.INFO if o.status == "done" else logging.ERROR
        extra = {"message": o.message} if o.message else {}
        logs.event(log, "week_ingested", level, week=o.week, status=o.status, **o.counts, **extra)
    return results


def main(
    cfg: Config, weeks: list[date] | None = None, force: bool = False, spark: SparkSession | None = None
) -> int:
    """Ingest the requested (or all pending) staged weeks. Exit 1 names every failed week."""
    from oa_spark.session import get_spark
    from oa_spark.tables import Lake

    spark = spark or get_spark(cfg)
    lake = Lake(spark, cfg.lake)
    tasks, skipped, missing = plan(lake, weeks, force)
    if missing:
        logs.event(log, "weeks_not_staged", logging.WARNING, weeks=",".join(w.isoformat() for w in missing))
    if skipped:
        logs.event(log, "weeks_up_to_date", weeks=len(skipped))
    run_id = new_run_id()
    failed: list[WeekOutcome] = []
    for batch in logs.in_batches(tasks, cfg.run.batch_weeks, "ingest"):
        results = ingest_weeks(spark, cfg, lake, batch, run_id)
        failed += [o for o in results if o.status == "failed"]
    logs.event(log, "ingest_done", run_id=run_id, weeks=len(tasks), failed=len(failed), skipped=len(skipped))
    for o in failed:
        print(f"ingest: week {o.week.isoformat()} failed: {o.message}")
    return 1 if failed else 0
