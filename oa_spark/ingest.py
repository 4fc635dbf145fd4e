"""Ingest job: staged weekly zips → `office_actions` and `quarantine`, one atomic commit per batch of weeks.

One Spark task per zip streams its records through the pure reader/normalizer (`oa_spark.weekfile`) inside
`mapInArrow`, emitting office_actions rows, quarantine rows and one stats row per file. The driver then
commits the weeks that reconcile (`records_in = records_out + duplicates + quarantined`) with `replaceWhere`
in one commit per table, and records every week in `runs`; a week whose file fails stays as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from oa_spark import __version__, logs
from oa_spark.config import Config
from oa_spark.ledger import Ledger, RunRow, StagedFiles, new_run_id

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger("oa_spark.ingest")

# Bump when the rows ingest produces change for the same input bytes: weeks done by older code are redone.
INGEST_VERSION = f"ingest-{__version__}"


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


def _task_frame(spark: SparkSession, tasks: list[WeekTask]) -> DataFrame:
    """One partition per zip, so each file is one task (its own retry unit)."""
    from oa_spark.schemas import INGEST_TASK_INPUT

    rows = [(t.week, t.path, t.file_name, t.sha256) for t in tasks]
    rdd = spark.sparkContext.parallelize(rows, numSlices=max(1, len(rows)))
    return spark.createDataFrame(rdd, INGEST_TASK_INPUT)


def explode(spark: SparkSession, cfg: Config, tasks: list[WeekTask]) -> DataFrame:
    """The tagged rows of every task's zip (lazy): kind = row | quarantine | stats."""
    from oa_spark.schemas import INGEST_TASK_OUTPUT, OFFICE_ACTIONS, arrow_schema
    from oa_spark.weekfile import Limits, explode_batches

    limits = Limits(
        max_inflated_bytes=cfg.ingest.max_inflated_mb * 1024 * 1024,
        max_ratio=cfg.ingest.max_ratio,
        batch_rows=cfg.ingest.batch_rows,
        spool_dir=cfg.ingest.spool_dir or None,
    )
    out_schema = arrow_schema(INGEST_TASK_OUTPUT)
    row_schema = arrow_schema(OFFICE_ACTIONS)

    def run(batches):
        yield from explode_batches(batches, limits, out_schema, row_schema)

    return _task_frame(spark, tasks).mapInArrow(run, INGEST_TASK_OUTPUT)


def outcomes(stats: list[dict[str, Any]], tasks: list[WeekTask]) -> list[WeekOutcome]:
    """Per week: done when its file read whole and reconciles, else failed with the reason."""
    by_week = {s["week"]: s for s in stats}
    result = []
    for task in tasks:
        s = by_week.get(task.week)
        if s is None:
            result.append(WeekOutcome(task.week, "failed", {}, "the task produced no stats row"))
            continue
        counts = {k: int(s[k] or 0) for k in ("records_in", "records_out", "duplicates", "quarantined")}
        if s["reason"]:
            result.append(WeekOutcome(task.week, "failed", counts, f"{s['reason']}: {s['message']}"))
        elif counts["records_in"] != counts["records_out"] + counts["duplicates"] + counts["quarantined"]:
            result.append(WeekOutcome(task.week, "failed", counts, f"records do not reconcile: {counts}"))
        else:
            result.append(WeekOutcome(task.week, "done", counts))
    return result


def ingest_weeks(
    spark: SparkSession, cfg: Config, lake: Lake, tasks: list[WeekTask], run_id: str
) -> list[WeekOutcome]:
    """Run one batch of weeks and commit the good ones; returns each week's outcome."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from oa_spark.schemas import OFFICE_ACTIONS, QUARANTINE, names

    ledger = Ledger(lake)
    started = {t.week: RunRow(run_id, "ingest", t.week, "running", t.sha256, INGEST_VERSION) for t in tasks}
    ledger.record(started.values())

    tagged = explode(spark, cfg, tasks).persist(StorageLevel.DISK_ONLY)
    try:
        stats = [r.asDict() for r in tagged.where(F.col("kind") == "stats").collect()]
        results = outcomes(stats, tasks)
        good = [o.week for o in results if o.status == "done"]
        now = F.current_timestamp()
        if good:
            in_good = F.col("week").isin(good)
            rows = tagged.where((F.col("kind") == "row") & in_good).withColumn("ingested_at", now)
            lake.replace_weeks("office_actions", rows.select(*names(OFFICE_ACTIONS)), good)
        # Quarantine: every record of a committed week; for a failed week, the file-level row saying why.
        quarantined = tagged.where(F.col("kind") == "quarantine").withColumn("quarantined_at", now)
        attempted = [t.week for t in tasks]
        failed_rows = quarantined.where(~F.col("week").isin(good) & F.col("line_number").isNull())
        good_rows = quarantined.where(F.col("week").isin(good))
        lake.replace_weeks(
            "quarantine", good_rows.unionByName(failed_rows).select(*names(QUARANTINE)), attempted
        )
    finally:
        tagged.unpersist()

    ledger.record(started[o.week].finish(o.status, message=o.message, **o.counts) for o in results)
    for o in results:
        level = logging.INFO if o.status == "done" else logging.ERROR
        logs.event(
            log,
            "week_ingested",
            level,
            week=o.week,
            status=o.status,
            **o.counts,
            **({"message": o.message} if o.message else {}),
        )
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
    size = max(1, cfg.run.batch_weeks)
    progress = logs.Progress("ingest", len(tasks))
    for i in range(0, len(tasks), size):
        batch = tasks[i : i + size]
        results = ingest_weeks(spark, cfg, lake, batch, run_id)
        failed += [o for o in results if o.status == "failed"]
        progress.advance(len(batch))
    progress.close()
    logs.event(log, "ingest_done", run_id=run_id, weeks=len(tasks), failed=len(failed), skipped=len(skipped))
    for o in failed:
        print(f"ingest: week {o.week.isoformat()} failed: {o.message}")
    return 1 if failed else 0
