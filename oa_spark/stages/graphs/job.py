"""`oa-spark graphs`: one build (and an optional export), recorded as one `runs` row."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from oa_spark import logs
from oa_spark.config import Config, ConfigError
from oa_spark.ledger import Ledger, RunRow, new_run_id
from oa_spark.stages.graphs.build import MODES, build
from oa_spark.stages.graphs.export import EXPORT_FORMATS, export

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


log = logging.getLogger("oa_spark.graphs")  # one logger for the job, whatever module logs


JOB = "graphs"


def main(
    cfg: Config,
    mode: str | None = None,
    export_dir: str | None = None,
    export_format: str = "parquet",
    spark: SparkSession | None = None,
) -> int:
    """Run the graphs job; 0 when done (or nothing to do), 1 when the build failed (`runs` says why).

    mode None: incremental when a previous build exists, else full. Bad arguments raise ConfigError.
    """
    from oa_spark.session import get_spark
    from oa_spark.tables import Lake

    if mode not in (None, *MODES):
        raise ConfigError(f"graphs mode must be one of {list(MODES)}, got {mode!r}")
    if export_format not in EXPORT_FORMATS:
        raise ConfigError(
            f"graphs export format must be one of {list(EXPORT_FORMATS)}, got {export_format!r}"
        )
    lake = Lake(spark or get_spark(cfg), cfg.lake)
    ledger = Ledger(lake)
    running = RunRow(run_id=new_run_id(), job=JOB, week=None, status="running")
    ledger.record([running])
    try:
        report = build(lake, cfg.graphs, mode, build_id=running.run_id)
        if export_dir:  # after a skipped build too: the tables are current
            export(lake, export_dir, export_format)
    except Exception as exc:  # the ledger must say why; the CLI turns 1 into "failed"
        log.exception("graphs build=%s failed: %s", running.run_id, exc)
        message = f"{type(exc).__name__}: {exc}"
        ledger.record([running.finish("failed", message=message[:2000])])
        # on stdout, beside ingest's and extract's failed weeks
        print(f"graphs: build {running.run_id} failed: {message}")
        return 1
    ledger.record(
        [
            running.finish(
                report.status,
                records_in=report.applications_seen,
                records_out=report.applications,
                message=report.message(cfg.graphs.min_series),
            )
        ]
    )
    logs.event(
        log,
        "graphs_done",
        build=running.run_id,
        status=report.status,
        summary=report.message(cfg.graphs.min_series),
    )
    return 0
