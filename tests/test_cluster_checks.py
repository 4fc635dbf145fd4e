"""What guards a cluster run before and inside its tasks: shared storage under a cluster master or a Spark
Connect server on another host, the executor preflight, and spool files under Spark's local dirs. (The
cluster itself: tests/test_cluster.py.)"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import re
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from oa_spark import config, executors
from oa_spark.reader.weekfile import Limits, explode_file, spool_dir
from oa_spark.schemas import OFFICE_ACTIONS, arrow_schema
from oa_spark.synth import generate

CLUSTER = "spark://10.0.0.5:7077"


def _cfg(**keys: str) -> config.Config:
    defaults = {"staging.path": "s3://b/staging", "lake.path": "s3a://b/lake"}
    return config.load(overrides=[f"{k}={v}" for k, v in {**defaults, **keys}.items()], environ={})


@pytest.fixture(autouse=True)
def _not_databricks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABRICKS_RUNTIME_VERSION", raising=False)


@pytest.mark.parametrize("key", ["staging.path", "lake.path", "graphs.checkpoint_dir"])
@pytest.mark.parametrize("path", ["./area", "/data/area", "file:///data/area"])
def test_a_driver_local_path_under_a_cluster_master_is_refused_naming_the_key(key: str, path: str) -> None:
    with pytest.raises(
        config.ConfigError, match=rf"^{re.escape(key)} is '{re.escape(path)}'.*shared storage"
    ):
        config.check_shared_storage(_cfg(**{key: path}), CLUSTER)


@pytest.mark.parametrize(
    "path", ["s3://b/p", "s3a://b/p", "hdfs://nn/p", "abfss://c@a.dfs.core.windows.net/p"]
)
def test_shared_storage_passes_under_a_cluster_master(path: str) -> None:
    config.check_shared_storage(_cfg(**{"lake.path": path}), "yarn")


def test_a_volume_off_databricks_is_a_folder_of_the_driver_s_disk_under_a_cluster_master() -> None:
    with pytest.raises(
        config.ConfigError, match=r"^lake\.path is '/Volumes/c/s/v/p'.*only on Databricks nodes"
    ):
        config.check_shared_storage(_cfg(**{"lake.path": "/Volumes/c/s/v/p"}), "yarn")


def test_a_volume_is_shared_on_a_databricks_node(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not config.is_shared("/Volumes/c/s/v/p")
    monkeypatch.setenv("DATABRICKS_RUNTIME_VERSION", "17.3")
    assert config.is_shared("/Volumes/c/s/v/p")


def test_local_masters_keep_local_paths() -> None:
    config.check_shared_storage(_cfg(**{"staging.path": "./staging", "lake.path": "./lake"}), "local[2]")


def test_databricks_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABRICKS_RUNTIME_VERSION", "17.3")
    config.check_shared_storage(_cfg(**{"staging.path": "/tmp/staging"}), CLUSTER)


def test_a_catalog_lake_needs_no_lake_path() -> None:
    cfg = _cfg(**{"lake.path": "./lake", "lake.catalog": "main", "lake.schema": "oa"})
    config.check_shared_storage(cfg, CLUSTER)


REMOTE_SERVER = "sc://connect.example.com:15002/;token=abc"


def test_the_connect_host_is_read_from_a_url_with_parameters() -> None:
    assert config.connect_host(REMOTE_SERVER) == "connect.example.com"
    assert config.connect_host("sc://127.0.0.1:15002") == "127.0.0.1"


@pytest.mark.parametrize("key", ["staging.path", "lake.path", "graphs.checkpoint_dir"])
def test_a_local_path_with_a_connect_server_on_another_host_is_refused_naming_the_key(key: str) -> None:
    with pytest.raises(
        config.ConfigError, match=rf"^{re.escape(key)} is '/data/area'.*'connect\.example\.com'"
    ):
        config.check_connect_storage(_cfg(**{key: "/data/area"}), REMOTE_SERVER)


@pytest.mark.parametrize(
    "remote", ["local[2]", "sc://localhost:15002", "sc://127.0.0.1:15002/;token=abc", "sc://[::1]:15002"]
)
def test_a_connect_server_on_this_machine_keeps_local_paths(remote: str) -> None:
    config.check_connect_storage(_cfg(**{"staging.path": "./staging", "lake.path": "./lake"}), remote)


def test_a_connect_server_named_by_this_machine_s_hostname_keeps_local_paths() -> None:
    remote = f"sc://{socket.gethostname()}:15002"
    config.check_connect_storage(_cfg(**{"staging.path": "./staging", "lake.path": "./lake"}), remote)


def test_shared_storage_passes_with_a_connect_server_on_another_host() -> None:
    config.check_connect_storage(_cfg(**{"lake.path": "s3a://b/lake"}), REMOTE_SERVER)


@pytest.mark.parametrize("key", ["staging.path", "lake.path", "graphs.checkpoint_dir"])
def test_a_volume_from_a_connect_client_off_databricks_is_refused_naming_where_it_works(key: str) -> None:
    """Databricks Connect from a laptop: staging would write the zips to the laptop's /Volumes folder."""
    with pytest.raises(config.ConfigError) as refused:
        config.check_connect_storage(_cfg(**{key: "/Volumes/c/s/v/area"}), REMOTE_SERVER)
    message = str(refused.value)
    assert message.startswith(f"{key} is '/Volumes/c/s/v/area'")
    assert "mounted only on Databricks nodes" in message
    assert "run oa-spark on Databricks" in message


@pytest.mark.parametrize(
    ("location", "host", "sees"),
    [
        ("/Volumes/c/s/v/lake/runs", "connect.example.com", False),  # a volume, seen from a laptop
        ("s3a://bucket/lake/runs", "connect.example.com", True),
        ("/tmp/lake/runs", "localhost", True),
        ("/tmp/lake/runs", socket.gethostname(), True),
    ],
)
def test_the_driver_sees_a_table_path_as_the_connect_server_does_only_on_shared_storage(
    location: str, host: str, sees: bool
) -> None:
    assert config.driver_sees(location, host) is sees


def test_the_cli_exits_2_before_connecting_to_a_remote_server_with_a_local_lake(tmp_path: Path) -> None:
    sets = [f"spark.remote={REMOTE_SERVER}", "staging.path=s3://b/staging", "lake.path=./lake"]
    cmd = [sys.executable, "-m", "oa_spark.cli", *[a for s in sets for a in ("--set", s)]]
    result = subprocess.run(
        [*cmd, "run", "--weeks", "2022-01-02"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2, result.stderr
    assert "lake.path is './lake'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "lake").exists()


def test_the_preflight_probes_every_runtime_dependency_of_the_wheel() -> None:
    requirements = importlib.metadata.requires("oa-spark") or []
    wanted = {
        re.split(r"[\[<>=;! ]", r, maxsplit=1)[0].lower().replace("-", "_")
        for r in requirements
        if "extra ==" not in r or 'extra == "cluster"' in r
    }
    assert wanted <= set(executors.MODULES)


def test_the_probe_reports_this_interpreter_and_what_it_cannot_import() -> None:
    report = json.loads(executors.make_probe(("json", "no_such_module_here"))(0))
    assert report["prefix"] == sys.prefix
    assert list(report["missing"]) == ["no_such_module_here"]


def test_a_missing_module_becomes_a_message_naming_it_and_the_fix() -> None:
    reports = [{"python": "/w/environment/bin/python", "prefix": "/w/environment", "missing": {}}] * 2
    assert executors.missing_message(reports) is None
    reports[1] = {**reports[1], "missing": {"isal": "ModuleNotFoundError: No module named 'isal'"}}
    message = executors.missing_message(reports)
    assert message is not None
    assert message.startswith("executors cannot import isal")
    assert "--archives dist/oa_spark_env.tar.gz#environment" in message


def test_a_failed_probe_job_is_told_by_the_tasks_own_error() -> None:
    text = (
        "An error occurred while calling o75.collectToPython.\n"
        ": org.apache.spark.SparkException: Job aborted due to stage failure: Task 0 in stage 0.0 failed 4 "
        "times, most recent failure: Lost task 0.3 in stage 0.0 (TID 5) (127.0.0.1 executor 1): "
        'java.io.IOException: Cannot run program "./environment/bin/python": error=2, No such file\n'
        "\tat java.base/java.lang.ProcessBuilder.start(ProcessBuilder.java:1143)"
    )
    assert executors.task_failure(text) == (
        'java.io.IOException: Cannot run program "./environment/bin/python": error=2, No such file'
    )
    assert executors.task_failure("An error occurred while calling o1.x.\nboom\n") == "boom"


def test_workers_that_cannot_start_python_stop_the_job_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(spark):
        raise RuntimeError('Cannot run program "./environment/bin/python": error=2, No such file')

    monkeypatch.setattr(executors, "probe_executors", fail)
    with pytest.raises(config.ConfigError, match=r"could not run Python \(Cannot run program.*--archives"):
        executors.preflight(object())


@pytest.mark.spark
def test_the_preflight_passes_on_workers_with_every_module(spark) -> None:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("oa_spark.executors")
    logger.addHandler(handler)
    level, logger.level = logger.level, logging.INFO
    try:
        executors.preflight(spark)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    (record,) = [r for r in records if r.getMessage() == "executors_ready"]
    assert record.fields["python_prefix"] == sys.prefix


@pytest.mark.spark
def test_spark_tells_each_python_worker_its_local_dirs(spark) -> None:
    from pyspark.sql import functions as F

    def local_dirs(_: int) -> str:
        import os

        return os.environ.get("SPARK_LOCAL_DIRS", "")

    probe = F.udf(local_dirs, "string", useArrow=False)
    (row,) = spark.range(1).select(probe("id").alias("dirs")).collect()
    assert row["dirs"] and all(Path(d).is_dir() for d in row["dirs"].split(","))


def test_the_spool_dir_is_the_configured_one_else_a_spark_local_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPARK_LOCAL_DIRS", "/disk1/spark,/disk2/spark")
    assert spool_dir("/fast/spool") == "/fast/spool"
    assert spool_dir(None) in {"/disk1/spark", "/disk2/spark"}
    monkeypatch.delenv("SPARK_LOCAL_DIRS")
    assert spool_dir(None) is None  # the system temp dir


def test_a_task_spools_under_spark_local_dirs_and_removes_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path / "zips", weeks=1, records=20, seed=8)
    (zip_path,) = (tmp_path / "zips").glob("*.zip")
    local = tmp_path / "spark-local"
    local.mkdir()
    monkeypatch.setenv("SPARK_LOCAL_DIRS", str(local))
    limits = Limits(max_inflated_bytes=1 << 30, max_ratio=200.0)
    batches = explode_file(
        date(2022, 1, 2),
        str(zip_path),
        zip_path.name,
        limits,
        arrow_schema(OFFICE_ACTIONS),
        lambda w, r: None,
    )
    next(batches)
    assert [p.name.startswith("oa-ingest-") for p in local.iterdir()] == [True]
    for _ in batches:
        pass
    assert list(local.iterdir()) == []
