"""`oa-spark run`: stage → ingest → extract → graphs over a range of weeks, in batches, resumable.

Each stage skips weeks already done with the same input and code version, so a rerun after a failure or a
kill picks up where the last commit left off. Batches of `run.batch_weeks` bound the size of each Spark job.
"""

from __future__ import annotations

import logging
from datetime import date

from oa_spark import logs
from oa_spark.config import Config, ConfigError
from oa_spark.weeks import consecutive, parse_date

log = logging.getLogger("oa_spark.pipeline")

SUMMARY_TABLES = (
    "staged_files",
    "office_actions",
    "quarantine",
    "rejections",
    "citations",
    "action_summary",
    "citation_edges",
    "citation_nodes",
    "rejection_edges",
    "runs",
)


def default_weeks(cfg: Config) -> list[date]:
    """Without --from/--to the sample source runs its configured weeks; real sources need a range."""
    if cfg.source.name == "sample":
        return consecutive(parse_date(cfg.sample.start), cfg.sample.weeks)
    raise ConfigError(f"source.name={cfg.source.name} needs a range: give --from DATE --to DATE or --weeks")


def main(
    cfg: Config,
    weeks: list[date] | None,
    force: bool = False,
    reprocess: list[str] | None = None,
    spark=None,
) -> int:
    from oa_spark import graphs, ingest, staging
    from oa_spark.extract import job as extract_job
    from oa_spark.session import get_spark

    weeks = weeks or default_weeks(cfg)
    reprocess = reprocess or []
    spark = spark or get_spark(cfg)
    worst = 0
    size = max(1, cfg.run.batch_weeks)
    count = -(-len(weeks) // size)
    for i, batch in enumerate(logs.in_batches(weeks, size, "run"), 1):
        logs.event(log, "batch_start", batch=f"{i}/{count}", first=batch[0], last=batch[-1])
        worst = max(worst, staging.main(cfg, batch, force=force, spark=spark))
        worst = max(worst, ingest.main(cfg, batch, force=force, spark=spark))
        worst = max(worst, extract_job.main(cfg, batch, force=force or "extract" in reprocess, spark=spark))
    mode = "full" if "graphs" in reprocess else None
    worst = max(worst, graphs.main(cfg, mode=mode, spark=spark))
    print_summary(cfg, spark)
    return worst


def table_counts(cfg: Config, spark) -> list[tuple[str, str, int, int | None]]:
    """(table, location, rows, weeks) for every table that exists."""
    from oa_spark.tables import Lake

    lake = Lake(spark, cfg.lake)
    out = []
    for table in SUMMARY_TABLES:
        if not lake.exists(table):
            continue
        df = lake.read(table)
        weeks = df.select("week").distinct().count() if "week" in df.columns else None
        out.append((table, lake.location(table), df.count(), weeks))
    return out


def print_summary(cfg: Config, spark) -> None:
    rows = table_counts(cfg, spark)
    print(f"\nlake: {cfg.lake.path if not cfg.lake.catalog else cfg.lake.catalog + '.' + cfg.lake.schema}")
    print(f"{'table':<18} {'rows':>10} {'weeks':>6}  location")
    for table, loc, count, weeks in rows:
        print(f"{table:<18} {count:>10} {weeks if weeks is not None else '':>6}  {loc}")
