"""The whole pipeline under Spark Connect gives the same tables and `runs` as a classic session, on generated
weeks with faults; incrementally built graphs under Connect equal a full build under classic. The CLI runs
are clients of one Connect server process with Delta (`--set spark.remote=sc://…`, as a user's server);
the run notebook starts its own local server (`spark.remote=local[2]`, the way pyspark does)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest
from support.connect_server import connect_server
from support.e2e import check_truth, cli, newest_runs, sample_weeks, snapshot, truth

from oa_spark import config
from oa_spark.stages import pipeline
from oa_spark.synth.generator import generate

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1800)]


class Server(NamedTuple):
    url: str  # sc://127.0.0.1:port
    log: Path  # the server's own stdout and stderr


@pytest.fixture(scope="module")
def delta_server(tmp_path_factory):
    """A Spark Connect server with Delta, as a user starts one (`sc://`): the settings of a local session."""
    from oa_spark.session import local_conf, packages

    cfg = config.load(overrides=["spark.driver_memory=1g", "spark.shuffle_partitions=4"], environ={})
    log = tmp_path_factory.mktemp("connect-delta") / "server.log"
    with connect_server(log, "local[2]", local_conf(cfg), ",".join(packages(cfg))) as url:
        yield Server(url, log)


@pytest.fixture(scope="module")
def legs(spark, delta_server, tmp_path_factory):
    """The same sample through Connect (in two runs, then a rerun, each a client of the one server) and
    through the shared classic session."""
    connect_sets = (f"spark.remote={delta_server.url}",)
    root = tmp_path_factory.mktemp("connect")
    sample = root / "sample"
    generate(sample, weeks=3, records=25, seed=21, faults=True, bomb_bytes=8 * 1024 * 1024)
    weeks = sample_weeks(sample)
    first, rest = ",".join(weeks[:2]), ",".join(weeks[2:])
    connect = root / "connect"
    runs = [
        cli(sys.executable, connect, sample, "run", "--weeks", first, sets=connect_sets),
        cli(sys.executable, connect, sample, "run", "--weeks", rest, sets=connect_sets),
    ]
    before_rerun = snapshot(spark, connect / "lake"), newest_runs(spark, connect / "lake")
    runs.append(cli(sys.executable, connect, sample, "run", "--weeks", ",".join(weeks), sets=connect_sets))
    classic = root / "classic"
    cfg = config.load(
        overrides=[
            f"lake.path={classic / 'lake'}",
            f"staging.path={classic / 'staging'}",
            "source.name=local",
            f"source.url={sample}",
            "spark.master=local[2]",
        ],
        environ={},
    )
    code = pipeline.main(cfg, [date.fromisoformat(w) for w in weeks], spark=spark)
    return sample, connect, classic, runs, code, before_rerun


def test_every_connect_run_says_its_session_is_connect_and_names_the_bad_weeks(legs) -> None:
    sample, _, _, runs, code, _ = legs
    assert code == 1  # the classic leg: the broken files fail their weeks
    for result, expected in zip(runs, (0, 1, 1), strict=True):  # the first run has only good weeks
        assert result.returncode == expected, result.stderr[-3000:]
        assert "session=connect" in result.stderr
        assert "event=executors_ready" in result.stderr  # the preflight ran on the server's workers
        assert "Traceback" not in result.stderr
    lines = (runs[1].stdout + runs[1].stderr).splitlines()
    bad = [w["week"] for w in truth(sample) if w["kind"] == "week" and w["status"] != "ok"]
    for week in bad:  # each failed week is named, whether staging or ingest caught its file
        assert any(week in line and "fail" in line for line in lines), week


def test_a_connect_run_asks_the_server_for_no_path_that_is_missing(delta_server, legs) -> None:
    """Neither a table's existence (read from its Delta log on the driver) nor the Delta check (which loads
    Delta's catalog) asks the server for a missing path: each such request would log an ERROR with a stack
    trace there, for every table of a new lake and for every command."""
    server_log = delta_server.log.read_text()
    assert "SparkConnectServer: Starting Spark session" in server_log  # the log is the server's own
    assert "Path does not exist" not in server_log


def test_connect_tables_equal_the_truth(spark, legs) -> None:
    sample, connect, *_ = legs
    check_truth(spark, connect / "lake", sample)


def test_connect_gives_the_same_tables_as_classic(spark, legs) -> None:
    _, connect, classic, *_ = legs
    got, want = snapshot(spark, connect / "lake"), snapshot(spark, classic / "lake")
    for table in want:
        assert got[table] == want[table], table


def test_connect_gives_the_same_runs_as_classic(spark, legs) -> None:
    _, _, classic, _, _, (_, runs_before_rerun) = legs
    assert runs_before_rerun == newest_runs(spark, classic / "lake")


def test_a_rerun_under_connect_changes_no_table(spark, legs) -> None:
    _, connect, _, _, _, (before, _) = legs
    after = snapshot(spark, connect / "lake")
    assert [table for table in before if after.get(table) != before[table]] == []


def test_graphs_under_connect_were_built_incrementally(spark, legs) -> None:
    _, connect, *_ = legs
    summary = spark.read.format("delta").load(str(connect / "lake" / "graph_summary"))
    modes = [r["mode"] for r in summary.collect()]
    assert "incremental" in modes, modes


@pytest.fixture(scope="module")
def server_without_delta(tmp_path_factory):
    """A Spark Connect server started by spark-submit with no Delta jar (a user's server set up wrong)."""
    log = tmp_path_factory.mktemp("connect-server") / "server.log"
    with connect_server(log, "local[1]", {"spark.driver.memory": "512m"}) as url:
        yield url


def test_a_connect_server_without_delta_exits_2_naming_the_fix(server_without_delta, tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    generate(sample, weeks=1, records=3, seed=1)
    result = cli(
        sys.executable, tmp_path / "nodelta", sample, "ingest", sets=(f"spark.remote={server_without_delta}",)
    )
    assert result.returncode == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "no Delta Lake jar" in result.stderr
    assert "--packages io.delta:delta-spark_" in result.stderr
    assert "--properties-file conf/spark/" in result.stderr


def python_without_the_package(folder: Path) -> str:
    """A Python with every dependency of the tasks but not oa_spark: a venv that sees this venv's
    site-packages as a plain path (so the editable install's import hook there never runs)."""
    import site

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    (target,) = (folder / "lib").glob("python3*/site-packages")
    (target / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return str(folder / "bin" / "python")


@pytest.fixture(scope="module")
def server_without_the_package(tmp_path_factory):
    """A Spark Connect server with Delta whose Python workers lack oa_spark (its admin never installed it)."""
    from oa_spark.session import local_conf, packages

    cfg = config.load(overrides=["spark.driver_memory=512m", "spark.shuffle_partitions=2"], environ={})
    root = tmp_path_factory.mktemp("connect-nopackage")
    python = python_without_the_package(root / "worker-python")
    with connect_server(
        root / "server.log", "local[1]", local_conf(cfg), ",".join(packages(cfg)), python
    ) as url:
        yield url


def test_a_connect_server_whose_workers_lack_the_package_exits_2_naming_the_fix(
    server_without_the_package, tmp_path: Path
) -> None:
    sample = tmp_path / "sample"
    generate(sample, weeks=1, records=3, seed=1)
    result = cli(
        sys.executable,
        tmp_path / "nopackage",
        sample,
        "run",
        "--weeks",
        ",".join(sample_weeks(sample)),
        sets=(f"spark.remote={server_without_the_package}",),
    )
    assert result.returncode == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "executors cannot import oa_spark" in result.stderr
    assert "Spark Connect server's Python workers" in result.stderr
    assert "pip install" in result.stderr
    assert not (tmp_path / "nopackage" / "lake" / "office_actions").exists()


def test_the_run_notebook_works_on_a_connect_session(spark, tmp_path: Path) -> None:
    """`notebooks/01_run_pipeline.py` as a plain script whose session is Spark Connect (serverless-like)."""
    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "01_run_pipeline.py"
    env = {
        **os.environ,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "OA_SPARK__SPARK__REMOTE": "local[2]",
        "OA_SPARK__SPARK__DRIVER_MEMORY": "1g",
        "OA_SPARK__LAKE__PATH": str(tmp_path / "lake"),
        "OA_SPARK__STAGING__PATH": str(tmp_path / "staging"),
        "OA_SPARK__SAMPLE__WEEKS": "1",
        "OA_SPARK__SAMPLE__RECORDS": "10",
        "OA_REPORT_DIR": str(tmp_path / "report"),
    }
    result = subprocess.run(
        [sys.executable, str(notebook)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1500
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "pipeline exit code: 0" in result.stdout
    # the local server runs in the notebook's JVM: its log of the errors it returns would be printed here
    assert "ErrorUtils" not in result.stderr
    assert "\tat org.apache" not in result.stderr
    assert spark.read.format("delta").load(str(tmp_path / "lake" / "office_actions")).count() == 10
