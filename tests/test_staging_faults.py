"""Staging through a misbehaving S3 (a proxy in front of moto): resets, 500s, truncation, corruption, and a
run killed mid-copy. Whatever happens, a file is staged once, complete, or not at all."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from support.fault_proxy import FaultProxy
from support.moto_server import LEGACY_BUCKET, LEGACY_PREFIX, S3Env, moto_server, point_at, s3  # noqa: F401
from support.zips import weekly_zip

from oa_spark import config
from oa_spark.stages.staging import stage
from oa_spark.tables import Lake
from oa_spark.weeks import file_name

pytestmark = pytest.mark.spark

WEEK = date(2022, 1, 2)
NAME = file_name(WEEK)
BODY = weekly_zip(WEEK)
ROOT = Path(__file__).resolve().parents[1]


def overrides(tmp_path: Path) -> list[str]:
    return [
        "source.name=legacy",
        "source.max_attempts=4",
        "staging.checksum_retries=2",
        f"lake.path={tmp_path / 'lake'}",
        f"staging.path={tmp_path / 'staging'}",
    ]


@pytest.fixture
def proxy(s3: S3Env, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    s3.public_bucket()
    s3.put(LEGACY_BUCKET, LEGACY_PREFIX + NAME, BODY)
    p = FaultProxy(s3.endpoint)
    point_at(monkeypatch, p.url)
    yield p
    p.stop()


def staged_rows(spark, cfg: config.Config) -> list[tuple]:
    rows = Lake(spark, cfg.lake).read("staged_files").collect()
    return sorted((r["week"], r["version"], r["status"], r["sha256"]) for r in rows)


def assert_staged_once(spark, cfg: config.Config, tmp_path: Path) -> None:
    assert staged_rows(spark, cfg) == [(WEEK, 1, "staged", hashlib.sha256(BODY).hexdigest())]
    assert (tmp_path / "staging" / f"week={WEEK}" / NAME).read_bytes() == BODY
    assert not list((tmp_path / "staging").rglob("*.part"))


@pytest.mark.parametrize("fault", ["reset", "500", "truncate"])
def test_a_broken_transfer_is_retried_and_the_file_staged_once(
    spark, proxy, tmp_path: Path, fault: str
) -> None:
    cfg = config.load(overrides=overrides(tmp_path))
    proxy.fail(NAME, fault)
    report = stage(cfg, [WEEK], spark=spark)

    assert proxy.gets(NAME) == [fault, "ok"]
    assert report.exit_code == 0
    assert_staged_once(spark, cfg, tmp_path)


def test_corrupted_bytes_fail_verification_and_the_whole_file_is_fetched_again(
    spark, proxy, tmp_path: Path
) -> None:
    cfg = config.load(overrides=overrides(tmp_path))
    proxy.fail(NAME, "corrupt")
    report = stage(cfg, [WEEK], spark=spark)

    assert proxy.gets(NAME) == ["corrupt", "ok"]
    assert report.outcomes[WEEK].attempts == 2
    assert_staged_once(spark, cfg, tmp_path)


def test_corruption_on_every_attempt_fails_the_week_after_the_bounded_retries(
    spark, proxy, tmp_path: Path
) -> None:
    cfg = config.load(overrides=overrides(tmp_path))
    proxy.fail(NAME, "corrupt", "corrupt", "corrupt", "corrupt")
    report = stage(cfg, [WEEK], spark=spark)

    assert proxy.gets(NAME) == ["corrupt"] * 3  # one try plus staging.checksum_retries = 2
    assert report.exit_code == 1
    assert "zip_corrupt" in report.outcomes[WEEK].message and NAME in report.outcomes[WEEK].message
    assert not list((tmp_path / "staging").rglob("*.zip")) and not list(
        (tmp_path / "staging").rglob("*.part")
    )
    runs = Lake(spark, cfg.lake).read("runs").where("status != 'running'").collect()
    assert [(r["week"], r["status"]) for r in runs] == [(WEEK, "failed")]


def test_a_file_corrupt_at_the_source_stops_retrying_once_the_same_bytes_come_twice(
    spark,
    proxy,
    s3,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    s3.put(LEGACY_BUCKET, LEGACY_PREFIX + NAME, BODY[: len(BODY) // 2])  # truncated upstream
    cfg = config.load(overrides=overrides(tmp_path))
    report = stage(cfg, [WEEK], spark=spark)

    assert proxy.gets(NAME) == ["ok", "ok"]
    assert report.outcomes[WEEK].status == "failed"
    assert report.outcomes[WEEK].message.startswith("zip_truncated: " + NAME)


KILLABLE = """
import sys
from datetime import date
from oa_spark import config
from oa_spark.stages import staging
sys.exit(staging.main(config.load(overrides=sys.argv[2:]), [date.fromisoformat(sys.argv[1])]))
"""


def wait_for_part_file(staging: Path, process: subprocess.Popen, timeout_s: float = 120) -> Path:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        parts = [p for p in staging.rglob("*.part") if p.stat().st_size > 0] if staging.exists() else []
        if parts:
            return parts[0]
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"no partial copy appeared (exit code {process.poll()})")


def test_a_run_killed_mid_copy_leaves_no_file_under_its_name_and_the_next_run_completes_it(
    spark,
    proxy,
    s3,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    big = weekly_zip(WEEK, records=60, padding=8000)
    s3.put(LEGACY_BUCKET, LEGACY_PREFIX + NAME, big)
    proxy.slow_chunk, proxy.slow_delay_s = 4096, 0.05
    proxy.fail(NAME, "slow")
    log = (tmp_path / "killed.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", KILLABLE, WEEK.isoformat(), *overrides(tmp_path)],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the JVM it starts dies with it
    )
    try:
        part = wait_for_part_file(tmp_path / "staging", process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)
        log.close()
    final = tmp_path / "staging" / f"week={WEEK}" / NAME
    assert part.exists() and part.stat().st_size < len(big)
    assert not final.exists()

    cfg = config.load(overrides=overrides(tmp_path))
    report = stage(cfg, [WEEK], spark=spark)
    assert report.exit_code == 0
    assert final.read_bytes() == big
    assert not list((tmp_path / "staging").rglob("*.part"))
    assert staged_rows(spark, cfg) == [(WEEK, 1, "staged", hashlib.sha256(big).hexdigest())]
