"""A local session's jars: resolved by Ivy once, then named by file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oa_spark.jars import SHIPPED_WITH_SPARK, excludes, jar_conf, record_jars, recorded_jars

DELTA = ["io.delta:delta-spark_4.2_2.13:4.4.0"]
LEFT_OUT = excludes()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "oa-spark" / "jars.json"


@pytest.fixture
def two_jars(tmp_path: Path) -> list[str]:
    files = [
        tmp_path / "io.delta_delta-spark_4.2_2.13-4.4.0.jar",
        tmp_path / "io.delta_delta-storage-4.4.0.jar",
    ]
    for f in files:
        f.write_bytes(b"PK")
    return [f"file://{f}" for f in files]


def test_no_record_means_the_packages_are_resolved(cache: Path) -> None:
    assert recorded_jars(DELTA, LEFT_OUT) is None
    assert jar_conf(DELTA, {}) == {"spark.jars.packages": DELTA[0], "spark.jars.excludes": ",".join(LEFT_OUT)}


def test_recorded_files_are_passed_as_spark_jars(cache: Path, two_jars: list[str]) -> None:
    record_jars(DELTA, LEFT_OUT, two_jars)
    assert cache.is_file()
    assert recorded_jars(DELTA, LEFT_OUT) == two_jars
    assert jar_conf(DELTA, {}) == {"spark.jars": ",".join(two_jars)}


def test_jars_of_other_packages_are_not_recorded(cache: Path, two_jars: list[str]) -> None:
    record_jars(
        ["io.delta:delta-spark_4.0_2.13:4.4.0"], LEFT_OUT, two_jars
    )  # a session started with another Delta
    assert not cache.exists()


def test_a_record_is_per_package_list(cache: Path, two_jars: list[str]) -> None:
    record_jars(DELTA, LEFT_OUT, two_jars)
    assert recorded_jars([*DELTA, "org.apache.hadoop:hadoop-aws:3.5.0"], LEFT_OUT) is None


def test_a_record_with_a_file_gone_is_resolved_again(cache: Path, two_jars: list[str]) -> None:
    record_jars(DELTA, LEFT_OUT, two_jars)
    os.remove(two_jars[1].removeprefix("file://"))
    assert recorded_jars(DELTA, LEFT_OUT) is None
    assert "spark.jars.packages" in jar_conf(DELTA, {})


def test_a_configuration_with_its_own_jar_settings_resolves_the_packages(
    cache: Path, two_jars: list[str]
) -> None:
    record_jars(DELTA, LEFT_OUT, two_jars)
    assert "spark.jars.packages" in jar_conf(DELTA, {"spark.jars.repositories": "https://mirror.example"})
    assert "spark.jars.packages" in jar_conf(DELTA, {}, resolve=True)


def test_an_unreadable_record_is_ignored_and_replaced(cache: Path, two_jars: list[str]) -> None:
    cache.parent.mkdir(parents=True)
    cache.write_text("{not json")
    assert recorded_jars(DELTA, LEFT_OUT) is None
    record_jars(DELTA, LEFT_OUT, two_jars)
    assert list(json.loads(cache.read_text()).values()) == [two_jars]


@pytest.mark.spark
@pytest.mark.slow
def test_the_second_local_session_starts_without_ivy_and_still_has_delta(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "SPARK_LOCAL_IP": "127.0.0.1"}
    command = [sys.executable, "-m", "oa_spark.cli", "status", "--set", f"lake.path={tmp_path / 'lake'}"]
    command += ["--set", f"staging.path={tmp_path / 'staging'}", "--set", "spark.master=local[1]"]

    def status() -> str:
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "no run has written to this lake yet" in result.stdout  # Delta was there to ask
        return result.stderr

    assert ":: resolving dependencies ::" in status()  # Ivy, once
    record = tmp_path / "cache" / "oa-spark" / "jars.json"
    (files,) = json.loads(record.read_text()).values()
    names = [Path(f).name for f in files]
    assert any(n.startswith("io.delta_delta-spark") for n in names)
    assert not [n for n in names if "parquet-" in n or "hadoop-client" in n]  # Spark's own copies serve
    assert ":: resolving dependencies ::" not in status()


def test_make_jars_records_the_package_lists_of_a_local_and_an_s3_lake(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`make install` resolves both lists, so the first `make run` (a local lake) starts without Ivy too."""
    from oa_spark import jars
    from oa_spark.config import load
    from oa_spark.session import packages

    asked: list[str] = []
    monkeypatch.setattr(jars.subprocess, "run", lambda cmd, check: asked.append(cmd[-1]))
    assert jars.main([]) == 0
    lists = [packages(load(overrides=[f"lake.path={lake}"], environ={})) for lake in asked]
    assert lists == [DELTA, [*DELTA, "org.apache.hadoop:hadoop-aws:3.5.0"]]


def test_only_modules_the_running_spark_ships_are_left_out(tmp_path: Path) -> None:
    (tmp_path / "parquet-column-1.17.0.jar").write_bytes(b"PK")
    (tmp_path / "jackson-core-asl-1.9.13.jar").write_bytes(b"PK")  # another artifact, named alike
    assert excludes(tmp_path) == ["org.apache.parquet:parquet-column"]


def test_this_spark_ships_every_module_left_out() -> None:
    """The list is Delta 4.4.0's and hadoop-aws 3.5.0's closure met with Spark 4.x's jars: on this pyspark,
    all of them (a module it lacked would be fetched from Maven, not left out)."""
    assert excludes() == list(SHIPPED_WITH_SPARK)


def test_a_configuration_with_its_own_jar_settings_keeps_its_own_exclusions() -> None:
    assert jar_conf(DELTA, {"spark.jars.excludes": "org.slf4j:slf4j-api"}) == {
        "spark.jars.packages": DELTA[0]
    }


@pytest.mark.parametrize("name", ["cluster.conf", "local.conf"])
def test_the_spark_submit_properties_files_leave_out_the_same_modules(name: str) -> None:
    text = (Path(__file__).parents[1] / "conf" / "spark" / name).read_text()
    (line,) = [x for x in text.splitlines() if x.startswith("spark.jars.excludes ")]
    assert line.split()[1].split(",") == list(SHIPPED_WITH_SPARK)
