"""Table maintenance for scheduled runs: OPTIMIZE (compaction) of a week range, VACUUM with a safe retention,
and the lake's table properties on tables created by an older version.

Weekly rewrites leave small files and removed versions behind. OPTIMIZE compacts the given weeks' files
(readers are unaffected: it is a normal Delta commit), and the graph tables an incremental build reads by
key back into ranges of that key (`schemas.CLUSTERED_BY`; Z-order rewrites every file, so they are not
compacted by default); VACUUM deletes files no version younger than the retention needs — never below
Delta's 7-day safety window, so time travel and running readers keep working — and the checkpoint folders
of graph builds that were killed before they could delete their own.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from oa_spark import logs
from oa_spark.config import Config, ConfigError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger("oa_spark.maintenance")
MIN_RETENTION_HOURS = 168

# what a weekly `maintain` compacts by default: the tables every run adds files to. graph_summary gains a
# file per build (40 weekly runs in a row: 41 files, and `runs` 337) and every build reads it whole.
WEEKLY_TABLES = (
    "office_actions",
    "quarantine",
    "rejections",
    "citations",
    "action_summary",
    "runs",
    "staged_files",
    "graph_actions",
    "graph_summary",
)


def main(
    cfg: Config,
    weeks: list[date] | None,
    tables: list[str],
    vacuum: bool = False,
    spark: SparkSession | None = None,
) -> int:
    from oa_spark.schemas import CLUSTERED_BY, TABLES
    from oa_spark.session import get_spark
    from oa_spark.tables import Lake

    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise ConfigError(f"--tables: unknown table(s) {', '.join(unknown)}; known: {', '.join(TABLES)}")
    hours = cfg.run.maintenance_retention_hours
    if vacuum and hours < MIN_RETENTION_HOURS:
        raise ConfigError(
            f"run.maintenance_retention_hours={hours} is below the safe minimum {MIN_RETENTION_HOURS}"
        )
    spark = spark or get_spark(cfg)
    lake = Lake(spark, cfg.lake)
    for table in tables:
        if not lake.exists(table):
            continue
        changed = lake.align_properties(table)
        if changed:
            logs.event(log, "properties_set", table=table, keys=",".join(changed))
        weekly = "week" in TABLES[table][1]
        metrics = lake.optimize(table, weeks if weekly else None, CLUSTERED_BY.get(table))
        logs.event(
            log,
            "optimized",
            table=table,
            files_added=metrics["numFilesAdded"],
            files_removed=metrics["numFilesRemoved"],
        )
        if vacuum:
            lake.vacuum(table, hours)
            logs.event(log, "vacuumed", table=table, retention_hours=hours)
    if vacuum:
        remove_stale_checkpoints(cfg, lake, hours)
    return 0


def remove_stale_checkpoints(cfg: Config, lake: Lake, hours: int) -> list[str]:
    """Delete graph builds' checkpoint folders untouched for `hours`: a build deletes its own when it ends,
    but a killed one cannot, and a full build's rounds are history-sized. A running build writes into its
    folder every round, so it is never this old."""
    from oa_spark.stages.graphs.build import checkpoint_dir
    from oa_spark.storage import remove_tree, stale_folders

    where = checkpoint_dir(lake, cfg.graphs)
    if not where:
        return []
    try:
        stale = stale_folders(where, datetime.now(UTC) - timedelta(hours=hours))
        for folder in stale:
            remove_tree(folder)
    except (OSError, ValueError, NotImplementedError) as exc:  # a store pyarrow cannot reach (dbfs:)
        logs.event(log, "checkpoints_unchecked", level=logging.WARNING, where=where, error=str(exc)[:200])
        return []
    logs.event(log, "checkpoints_removed", folders=len(stale), where=where, older_than_hours=hours)
    return stale
