"""spark-submit of jobs/*.py against the built wheel (not the source tree), on generated weeks, under a
local[2] master: the driver imports the wheel. Two stages are submitted here (staging, then ingest of what it
staged); `jobs/run.py`, every stage in one submit, runs in tests/test_cluster.py from the packed environment
on executors with nothing installed. Every job file is one call of the CLI: each is checked, from the
wheel, to reach its own command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from oa_spark.package import build_wheel, check_wheel

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1200)]  # two spark-submits
ROOT = Path(__file__).resolve().parents[1]
SPARK_SUBMIT = Path(sys.executable).parent / "spark-submit"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("dist"))


def test_the_wheel_holds_oa_spark_and_no_pyspark(wheel: Path) -> None:
    names = check_wheel(wheel)
    assert "oa_spark/cli.py" in names
    assert not any(n.startswith("pyspark") for n in names)


def _submit(wheel: Path, job: str, workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }
    cmd = [
        str(SPARK_SUBMIT),
        "--master",
        "local[2]",
        "--properties-file",
        str(ROOT / "conf/spark/local.conf"),
        "--conf",
        "spark.driver.memory=1g",
        "--py-files",
        str(wheel),
        str(ROOT / "jobs" / f"{job}.py"),
        "--conf",
        str(ROOT / "conf/local.toml"),
        "--set",
        f"lake.path={workdir / 'lake'}",
        "--set",
        f"staging.path={workdir / 'staging'}",
        "--set",
        "sample.weeks=2",
        "--set",
        "sample.records=30",
        *args,
    ]
    # Run outside the source tree so nothing but the wheel can provide oa_spark to the driver and workers.
    return subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_staging_and_ingest_run_under_spark_submit_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    weeks = ["--from", "2022-01-02", "--to", "2022-01-09"]
    for job, args in (("stage", weeks), ("ingest", ())):
        result = _submit(wheel, job, tmp_path, *args)
        assert result.returncode == 0, f"{job}: {result.stderr[-3000:]}"
        # spark-submit's Python runner merges the driver's stderr (our log lines) into its stdout.
        output = result.stdout + result.stderr
        start = next((x for x in output.splitlines() if "event=start" in x), "")
        assert f"code={wheel}" in start, f"{job} did not run from the wheel: {start}"
    for table in ("staged_files", "office_actions", "quarantine", "runs"):
        assert (tmp_path / "lake" / table / "_delta_log").is_dir(), table


def _from_wheel(wheel: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(wheel)}  # the wheel first on sys.path, the source tree absent
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_help_check_imports_oa_spark_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    result = _from_wheel(wheel, tmp_path, "-c", "import oa_spark; print(oa_spark.__file__)")
    assert result.stdout.strip().startswith(str(wheel)), result.stdout + result.stderr


@pytest.mark.parametrize("job", ["stage", "ingest", "extract", "graphs", "run"])
def test_each_job_file_reaches_its_own_command(wheel: Path, tmp_path: Path, job: str) -> None:
    result = _from_wheel(wheel, tmp_path, str(ROOT / "jobs" / f"{job}.py"), "--help")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith(f"usage: oa-spark {job} "), result.stdout[:300]
