"""Spark job `extract`: latest office actions of the requested weeks → rejections, citations, action_summary.

The pure extractor (`oa_spark.extract.extract`) runs inside `mapInArrow`; each week's three tables are
replaced with `replaceWhere` (one commit per table per batch of weeks) and every row carries
`extractor_version`, so `--stale` finds the weeks an older extractor produced.

Only the newest version of each document is extracted (the latest view restricted to the week): when a
document reappears in a later week, its rows move to that week once it is extracted, and readers of the
derived tables keep only rows whose (application_number, document_id, week) is the latest
(`latest.only_latest`).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from oa_spark import logs
from oa_spark.config import Config
from oa_spark.ledger import RunRow, RunState, new_run_id, up_to_date

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger("oa_spark.extract")
TABLES = ("rejections", "citations", "action_summary")


def rows_for(action: dict[str, Any], version: str) -> dict[str, list[dict[str, Any]]]:
    """The rows of the three tables for one action (pure: no Spark)."""
    from oa_spark.extract import extract

    key = {k: action[k] for k in ("week", "document_id", "application_number", "mail_date")}
    result = extract(action["body_text"] or "", action["document_code"])
    rejections = [
        {
            **key,
            "ground": g["ground"],
            "statute": g["statute"],
            "label": g["label"],
            "claims": g["claims"],
            "references": g["references"],
            "extractor_version": version,
        }
        for g in result.rejections
    ]
    citations = [
        {
            **key,
            "cited_id": c["id"],
            "cited_key": c["key"],
            "cited_raw": c["raw"],
            "cited_kind": c["kind"],
            "country": c["country"],
            "relied_upon": c["relied_upon"],
            "statutes": c["statutes"],
            "extractor_version": version,
        }
        for c in result.citations
    ]
    summary = {
        **key,
        **{k: action[k] for k in ("document_code", "art_unit", "tech_center", "examiner_id")},
        **result.summary,
        "grounds": len(rejections),
        "citations": len(citations),
        "extractor_version": version,
    }
    return {"rejection": rejections, "citation": citations, "summary": [summary]}


def extract_batches(
    batches: Iterator[pa.RecordBatch], out_schema: pa.Schema, version: str
) -> Iterator[pa.RecordBatch]:
    """The `mapInArrow` body: every input action → tagged rows of the three tables."""
    import pyarrow as pa

    names = set(out_schema.names)
    for batch in batches:
        out: list[dict[str, Any]] = []
        for action in batch.to_pylist():
            for kind, rows in rows_for(action, version).items():
                out.extend({**{k: v for k, v in row.items() if k in names}, "kind": kind} for row in rows)
        if out:
            yield pa.RecordBatch.from_pylist(out, schema=out_schema)


def actions(lake: Lake, weeks: list[date]) -> DataFrame:
    """The newest version of every document whose newest version is in `weeks`.

    A document's newest version is in the latest week that holds it, so for documents of `weeks` only
    weeks from the first of them on can hold a newer one: older partitions are never read (a weekly run
    reads its own week, not the history)."""
    from pyspark.sql import functions as F

    from oa_spark.latest import newest_per_document
    from oa_spark.schemas import EXTRACT_TASK_INPUT, names

    since = lake.read("office_actions").where(F.col("week") >= F.lit(min(weeks)))
    keys = newest_per_document(
        since.select("week", "application_number", "document_id", "last_modified", "record_hash")
    ).where(F.col("week").isin(weeks))
    rows = lake.read("office_actions", weeks)
    latest = rows.join(
        keys.select("week", "application_number", "document_id", "record_hash"),
        ["week", "application_number", "document_id", "record_hash"],
        "left_semi",
    )
    return latest.select(*names(EXTRACT_TASK_INPUT))


def plan(state: RunState, weeks: list[date] | None, force: bool, stale: bool) -> list[date]:
    """Weeks ingested (done) and not yet extracted from the same input by this extractor version."""
    from oa_spark.extract import EXTRACTOR_VERSION

    ingested = state.ledger.latest("ingest", weeks)
    ingested = {w: r for w, r in ingested.items() if r["status"] == "done"}
    extracted = state.ledger.latest("extract", weeks)
    todo = []
    for week in sorted(ingested if weeks is None else [w for w in weeks if w in ingested]):
        last = extracted.get(week)
        if stale:  # done, but by an older extractor
            if last is not None and last["status"] == "done" and not up_to_date(last, EXTRACTOR_VERSION):
                todo.append(week)
        elif force or not up_to_date(last, EXTRACTOR_VERSION, ingested[week]["input_sha256"]):
            todo.append(week)
    return todo


def extract_partitions(spark: SparkSession, configured: int) -> int:
    """Tasks for a batch's extraction: `extract.partitions` when set, else the session's shuffle
    partitions (a figure every kind of session has; `defaultParallelism` needs a SparkContext)."""
    if configured > 0:
        return configured
    value = str(spark.conf.get("spark.sql.shuffle.partitions", "200"))
    return int(value) if value.isdigit() else 200


def extract_weeks(
    spark: SparkSession, state: RunState, weeks: list[date], run_id: str, partitions: int = 0
) -> None:
    """Extract one batch of weeks and commit the three tables (one replaceWhere commit each). The `running`
    rows go out first (with whatever the ledger deferred); the outcome rows are deferred."""
    from concurrent.futures import ThreadPoolExecutor

    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from oa_spark.extract import EXTRACTOR_VERSION
    from oa_spark.schemas import (
        ACTION_SUMMARY,
        CITATIONS,
        EXTRACT_TASK_OUTPUT,
        REJECTIONS,
        arrow_schema,
        names,
    )

    lake, ledger = state.lake, state.ledger
    ingested = ledger.latest("ingest", weeks)
    started = {
        w: RunRow(run_id, "extract", w, "running", ingested[w]["input_sha256"], EXTRACTOR_VERSION)
        for w in weeks
    }
    ledger.record(started.values())
    out_schema = arrow_schema(EXTRACT_TASK_OUTPUT)
    source = actions(lake, weeks)
    tasks = extract_partitions(spark, partitions)
    if len(weeks) < tasks:
        # Spread actions over tasks: extraction is CPU-bound and a week (one file) is ~15k independent
        # letters. A batch of at least as many weeks as tasks is already spread by its files.
        source = source.repartition(tasks)
    tagged = source.mapInArrow(
        lambda b: extract_batches(b, out_schema, EXTRACTOR_VERSION), EXTRACT_TASK_OUTPUT
    )
    # Each week's rows in one task, so every table gets one file per week (not one per task and week).
    tagged = tagged.repartition("week").persist(StorageLevel.DISK_ONLY)
    try:
        # Counting first computes the extraction once, into the cache; the three commits then only read it,
        # and go out side by side: each is mostly Delta's fixed cost (log, listing, commit), not data.
        counts = {
            r["week"]: r["count"]
            for r in tagged.where(F.col("kind") == "summary").groupBy("week").count().collect()
        }
        outputs = [
            (table, tagged.where(F.col("kind") == kind).select(*names(schema)))
            for table, kind, schema in (
                ("rejections", "rejection", REJECTIONS),
                ("citations", "citation", CITATIONS),
                ("action_summary", "summary", ACTION_SUMMARY),
            )
        ]
        with ThreadPoolExecutor(len(outputs), thread_name_prefix="extract-commit") as pool:
            for done in [pool.submit(lake.replace_weeks, table, df, weeks) for table, df in outputs]:
                done.result()
    finally:
        tagged.unpersist()
    ledger.defer(
        started[w].finish("done", records_in=counts.get(w, 0), records_out=counts.get(w, 0)) for w in weeks
    )
    for w in weeks:
        logs.event(
            log, "week_extracted", week=w, actions=counts.get(w, 0), extractor_version=EXTRACTOR_VERSION
        )


def main(
    cfg: Config,
    weeks: list[date] | None = None,
    force: bool = False,
    stale: bool = False,
    spark: SparkSession | None = None,
    state: RunState | None = None,
) -> int:
    """Extract pending (or --stale, or --force) weeks in batches sized by `oa_spark.batches` (the staged
    zips' bytes); exit 1 if one failed. `run` passes its state (and flushes the ledger itself)."""
    from oa_spark import batches
    from oa_spark.session import get_spark
    from oa_spark.tables import Lake

    owned = state is None
    if state is None:
        state = RunState.open(Lake(spark or get_spark(cfg), cfg.lake))
    spark = state.lake.spark
    todo = plan(state, weeks, force, stale)
    sizes = {w: r["size_bytes"] for w, r in state.manifest.current(todo).items()} if todo else {}
    run_id = new_run_id()
    failed: list[tuple[list[date], str]] = []
    planned = batches.by_size(todo, sizes.get, cfg.run.batch_mb, cfg.run.batch_weeks)
    try:
        for batch in logs.in_batches(planned, "extract"):
            try:
                extract_weeks(spark, state, batch, run_id, cfg.extract.partitions)
            except Exception as exc:  # a failed batch leaves the tables at their last commit
                message = str(exc).splitlines()[0][:500]
                state.ledger.record(
                    RunRow(run_id, "extract", w, "failed", message=message).finish("failed", message=message)
                    for w in batch
                )
                failed.append((batch, message))
    finally:
        if owned:
            state.ledger.flush()
    logs.event(log, "extract_done", run_id=run_id, weeks=len(todo), failed=sum(len(b) for b, _ in failed))
    for batch, message in failed:
        print(f"extract: weeks {', '.join(w.isoformat() for w in batch)} failed: {message}")
    return 1 if failed else 0
