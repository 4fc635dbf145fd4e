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
@pytest.mark.parametrize("delta_sql", [False, True], ids=["bare", "delta-settings-without-jar"])
def test_spark_submit_without_delta_exits_2_naming_both_fixes(tmp_path: Path, delta_sql: bool) -> None:
    """With Delta's SQL settings but not its jar (a properties file without `--packages`) the check loads
    Delta's catalog; with neither, it looks Delta up as a data source. Both name the same fixes."""
    from oa_spark.session import DELTA_SQL

    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable}
    settings = {"spark.driver.memory": "512m", **(DELTA_SQL if delta_sql else {})}
    cmd = [
        str(Path(sys.executable).parent / "spark-submit"),
        "--master",
        "local[1]",
        *[arg for key, value in settings.items() for arg in ("--conf", f"{key}={value}")],
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


@pytest.mark.parametrize("command", [False, True])
def test_only_the_command_takes_over_ctrl_c_on_a_session_it_builds(
    monkeypatch: pytest.MonkeyPatch, command: bool
) -> None:
    """A notebook that lets `get_spark` build its session keeps pyspark's Ctrl-C; the `oa-spark` command
    (`session.COMMAND`) installs its quiet one."""
    import signal

    from pyspark.sql import SparkSession

    from oa_spark import session

    class Built:  # a classic session as far as `kind` can tell
        version = "4.2.0"

    for name in ("PYSPARK_GATEWAY_PORT", "DATABRICKS_RUNTIME_VERSION", "SPARK_REMOTE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(SparkSession, "getActiveSession", classmethod(lambda cls: None))
    monkeypatch.setattr(session, "build_local", lambda cfg: Built())
    monkeypatch.setattr(session, "require_delta", lambda spark, what: None)
    monkeypatch.setattr(session, "check_cluster", lambda cfg, spark, what: None)
    monkeypatch.setattr(session, "COMMAND", command)
    monkeypatch.setattr(session, "_BUILT", [])
    before = signal.getsignal(signal.SIGINT)
    try:
        session.get_spark(config.load(overrides=["spark.master=local[1]"], environ={}))
        handler = signal.getsignal(signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, before)
    assert (handler is not before) == command
