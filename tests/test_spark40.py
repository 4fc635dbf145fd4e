"""The Spark 4.0 leg (Databricks 17.3 LTS runs Spark 4.0): the package, installed from its wheel into a
venv with pyspark 4.0.1 and Delta's build for Spark 4.0 (`io.delta:delta-spark_4.0_2.13:4.4.0`), runs
stage → ingest → extract → graphs on generated weeks with faults, and the tables equal the truth.

The venv is built once (`.venv-spark40`, kept between runs); pip's cache makes later builds quick.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.e2e import check_truth, cli, sample_weeks

from oa_spark.synth.generator import generate

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1800)]
ROOT = Path(__file__).resolve().parents[1]
SPARK40 = "4.0.1"
VENV = ROOT / ".venv-spark40"


def _pip(*args: str) -> None:
    subprocess.run([str(VENV / "bin/python"), "-m", "pip", "install", "-q", *args], check=True, timeout=1200)


@pytest.fixture(scope="module")
def python40(tmp_path_factory) -> str:
    """A venv with pyspark 4.0 and this package installed from a freshly built wheel (not the source tree)."""
    stamp = VENV / f".pyspark-{SPARK40}"
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        _pip(f"pyspark=={SPARK40}", "pandas<3")
        stamp.touch()
    dist = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        timeout=600,
    )
    (wheel,) = dist.glob("oa_spark-*.whl")
    _pip("--force-reinstall", "--no-deps", str(wheel))
    _pip(str(wheel))  # its runtime dependencies
    return str(VENV / "bin/python")


@pytest.fixture(scope="module")
def leg(python40, tmp_path_factory):
    root = tmp_path_factory.mktemp("spark40")
    sample = root / "sample"
    generate(sample, weeks=3, records=25, seed=33, faults=True, bomb_bytes=8 * 1024 * 1024)
    weeks = sample_weeks(sample)
    runs = [
        cli(python40, root / "run", sample, "run", "--weeks", ",".join(weeks[:2])),
        cli(python40, root / "run", sample, "run", "--weeks", ",".join(weeks[2:])),
    ]
    return sample, root / "run" / "lake", runs


def test_it_runs_on_spark_40_from_the_wheel(python40, leg) -> None:
    _, _, runs = leg
    # the first run has only good weeks; the second holds the broken files, which fail their weeks alone
    for result, code in zip(runs, (0, 1), strict=True):
        assert result.returncode == code, result.stderr[-3000:]
        assert f"spark={SPARK40}" in result.stderr
        start = next(line for line in result.stderr.splitlines() if "event=start" in line)
        assert "site-packages" in start, start  # oa_spark came from the installed wheel
        assert "Traceback" not in result.stderr
        done = [x for x in result.stderr.splitlines() if "event=graphs_done" in x and "status=done" in x]
        assert done, result.stderr[-3000:]


def test_spark_40_tables_equal_the_truth(spark, leg) -> None:
    sample, lake, _ = leg
    check_truth(spark, lake, sample)


def test_spark_40_builds_the_graphs_incrementally(spark, leg) -> None:
    _, lake, _ = leg
    modes = [r["mode"] for r in spark.read.format("delta").load(str(lake / "graph_summary")).collect()]
    assert modes.count("incremental") == 1 and modes.count("full") == 1, modes
    assert spark.read.format("delta").load(str(lake / "citation_edges")).count() > 0
