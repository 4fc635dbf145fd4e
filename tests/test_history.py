"""The full history's shape, small: a backfill of 60 tiny weeks in one run equals one in batches of 8, and the
weekly increment after it reads no older week of office_actions and its graphs equal a full rebuild."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from pyspark.sql import functions as F

from oa_spark import config, status
from oa_spark.stages import graphs, pipeline
from oa_spark.synth import generate
from oa_spark.tables import Lake
from oa_spark.weeks import consecutive

pytestmark = [pytest.mark.spark, pytest.mark.timeout(1800)]  # two 60-week backfills

START = date(2022, 1, 2)
WEEKS = consecutive(START, 61)
HISTORY, NEW = WEEKS[:60], WEEKS[60]
VOLATILE = {"ingested_at", "quarantined_at", "staged_at", "built_at", "started_at", "finished_at"}
WEEK_TABLES = ("office_actions", "quarantine")
DERIVED = ("rejections", "citations", "action_summary")
GRAPHS = ("citation_edges", "citation_nodes", "rejection_edges", "application_timeline", "rejection_stats")


def lake_config(root: Path, zips: Path, *more: str) -> config.Config:
    return config.load(
        overrides=[
            "spark.master=local[2]",
            "source.name=local",
            f"source.url={zips}",
            f"lake.path={root / 'lake'}",
            f"staging.path={root / 'staging'}",
            *more,
        ],
        environ={},
    )


@pytest.fixture(scope="module")
def zips(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zips")
    generate(out, weeks=61, start=START, records=4, seed=16)
    return out


@pytest.fixture(scope="module")
def one_batch(spark, zips, tmp_path_factory) -> tuple[config.Config, Lake]:
    cfg = lake_config(tmp_path_factory.mktemp("one-batch"), zips)
    assert pipeline.main(cfg, HISTORY, spark=spark) == 0
    return cfg, Lake(spark, cfg.lake)


@pytest.fixture(scope="module")
def batches_of_8(spark, zips, tmp_path_factory) -> tuple[config.Config, Lake]:
    cfg = lake_config(tmp_path_factory.mktemp("batches-of-8"), zips, "run.batch_weeks=8")
    assert pipeline.main(cfg, HISTORY, spark=spark) == 0
    return cfg, Lake(spark, cfg.lake)


def rows(lake: Lake, table: str) -> list[tuple]:
    from oa_spark.latest import only_latest

    df = lake.read(table)
    if table in DERIVED:  # stale rows of re-shipped documents differ by batching; readers never see them
        df = only_latest(lake, df)
    columns = sorted(c for c in df.columns if c not in VOLATILE)
    return sorted(tuple(map(str, r)) for r in df.select(*columns).collect())


def writes(lake: Lake, table: str) -> int:
    return lake.history(table).where("operation = 'WRITE'").count()


def test_a_backfill_of_tiny_weeks_runs_as_one_batch(one_batch, batches_of_8) -> None:
    assert writes(one_batch[1], "office_actions") == 1
    assert writes(batches_of_8[1], "office_actions") == 8


@pytest.mark.parametrize("table", WEEK_TABLES + DERIVED + GRAPHS)
def test_one_batch_gives_the_same_tables_as_batches_of_8(one_batch, batches_of_8, table: str) -> None:
    assert rows(one_batch[1], table) == rows(batches_of_8[1], table)


def test_every_week_of_the_backfill_is_done_in_every_stage(one_batch) -> None:
    cfg, lake = one_batch
    stages, _ = status.collect(cfg, lake.spark, None)
    for stage in stages:
        assert stage.done == HISTORY, stage.job


@pytest.fixture(scope="module")
def increment(one_batch, tmp_path_factory):
    """One more week run on the 60-week lake while every older week's `office_actions` files are moved
    away: reading any of them would fail the run."""
    cfg, lake = one_batch
    table = Path(lake.location("office_actions"))
    hidden = tmp_path_factory.mktemp("hidden")
    parts = sorted(table.glob("week=*"))
    assert len(parts) == 60
    for part in parts:
        shutil.move(part, hidden / part.name)
    try:
        report = pipeline.run(cfg, [NEW], spark=lake.spark)
    finally:
        for part in sorted(hidden.iterdir()):
            shutil.move(part, table / part.name)
    return report


def test_the_increment_reads_no_older_week_of_office_actions(one_batch, increment) -> None:
    cfg, lake = one_batch
    assert increment.code == 0
    assert lake.read("office_actions", [NEW]).count() > 0
    stages, _ = status.collect(cfg, lake.spark, [NEW])
    assert all(s.done == [NEW] for s in stages)


def test_the_increment_s_graphs_equal_a_full_rebuild(one_batch, increment) -> None:
    cfg, lake = one_batch
    newest = lake.read("graph_summary").orderBy(F.col("built_at").desc()).first()
    assert newest["mode"] == "incremental"
    incremental = {table: rows(lake, table) for table in GRAPHS}
    assert graphs.main(cfg, mode="full", spark=lake.spark) == 0
    assert {table: rows(lake, table) for table in GRAPHS} == incremental


KILLED_IN_EXTRACT = """
import os, signal, sys
from datetime import date
from oa_spark import config
from oa_spark.stages import graphs, pipeline
from oa_spark.stages import extract as job

def die(*args, **kwargs):  # extraction's `running` rows are committed, its tables not yet written
    os.kill(os.getpid(), signal.SIGKILL)

job.actions = die
weeks = [date.fromisoformat(w) for w in sys.argv[1].split(",")]
pipeline.main(config.load(overrides=sys.argv[2:], environ={}), weeks)
"""


def test_a_run_killed_in_extraction_shows_it_interrupted_and_the_next_run_finishes(
    spark, zips, tmp_path: Path
) -> None:
    import subprocess
    import sys

    weeks = HISTORY[:3]
    cfg = lake_config(tmp_path, zips)
    overrides = [
        "spark.master=local[1]",
        "spark.driver_memory=1g",
        "source.name=local",
        f"source.url={zips}",
        f"lake.path={tmp_path / 'lake'}",
        f"staging.path={tmp_path / 'staging'}",
    ]
    args = [",".join(w.isoformat() for w in weeks), *overrides]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_IN_EXTRACT, *args], capture_output=True, timeout=540
    )
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]

    stages = {s.job: s for s in status.collect(cfg, spark, weeks)[0]}
    assert stages["stage"].done == weeks
    assert stages["ingest"].done == weeks  # its outcome rows went out with extraction's `running` rows
    assert stages["extract"].interrupted == weeks

    assert pipeline.main(cfg, weeks, spark=spark) == 0
    assert all(s.done == weeks for s in status.collect(cfg, spark, weeks)[0])
