"""Shared fixtures: one local[2] Spark session with Delta for the whole run; per-test lakes in tmp dirs."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from oa_spark import config

os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
os.environ["PYSPARK_PYTHON"] = sys.executable


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """The one Spark session of a test run (session start costs seconds; share it)."""
    pytest.importorskip("pyspark", reason="the `spark` extra is not installed")
    from oa_spark.session import build_local

    cfg = config.load(
        overrides=["spark.master=local[2]", "spark.shuffle_partitions=4", "spark.driver_memory=2g"]
    )
    session = build_local(cfg)
    yield session
    session.stop()


@pytest.fixture
def lake_cfg(tmp_path: Path) -> config.Config:
    """A config whose lake and staging live in this test's temporary directory."""
    return config.load(
        overrides=[
            f"lake.path={tmp_path / 'lake'}",
            f"staging.path={tmp_path / 'staging'}",
            "spark.master=local[2]",
        ]
    )


@pytest.fixture
def lake(spark, lake_cfg):
    from oa_spark.tables import Lake

    return Lake(spark, lake_cfg.lake)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses the Spark session (directly or through a fixture) is a `spark` test, so
    `make test-fast` (-m "not spark") never starts a JVM."""
    for item in items:
        if "spark" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.spark)
