"""Which session a command gets, and a session without Delta as a clear error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from oa_spark import config
from oa_spark.session import delta_package, remote_of

ROOT = Path(__file__).resolve().parents[1]


def test_delta_package_follows_the_spark_minor_version() -> None:
    assert delta_package("4.2.0") == "io.delta:delta-spark_4.2_2.13:4.4.0"
    assert delta_package("4.0.1") == "io.delta:delta-spark_4.0_2.13:4.4.0"


def test_spark_remote_key_wins_over_the_spark_remote_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPARK_REMOTE", "sc://from-env:15002")
    assert remote_of(config.load(environ={})) == "sc://from-env:15002"
    assert remote_of(config.load(overrides=["spark.remote=local[2]"], environ={})) == "local[2]"
    monkeypatch.delenv("SPARK_REMOTE")
    assert remote_of(config.load(environ={})) == ""


def test_the_connect_extra_is_installed_with_the_spark_extra() -> None:
    pytest.importorskip("pyspark")
    import grpc  # noqa: F401  (pyspark[connect] brings grpcio)
    from pyspark.sql.connect.session import SparkSession  # noqa: F401


@pytest.mark.spark
@pytest.mark.slow
def test_spark_submit_without_delta_exits_2_naming_both_fixes(tmp_path: Path) -> None:
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable}
    cmd = [
        str(Path(sys.executable).parent / "spark-submit"),
        "--master",
        "local[1]",
        "--conf",
        "spark.driver.memory=512m",
        str(ROOT / "jobs" / "ingest.py"),
        "--set",
        f"lake.path={tmp_path / 'lake'}",
    ]
    result = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert "Traceback" not in output
    assert "no Delta Lake jar" in output
    assert "--packages io.delta:delta-spark_4.2_2.13:4.4.0" in output
    assert "--properties-file conf/spark/cluster.conf" in output
