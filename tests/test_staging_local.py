"""Staging from a local directory and from the ODP stub into a local staging area; planning, dry runs, missing
weeks, exit codes."""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from support.uspto_stubs import OdpStub
from support.zips import weekly_zip

from oa_spark import config
from oa_spark.ledger import StagedFiles
from oa_spark.sources import Entry
from oa_spark.stages.staging import (
    PLANNED,
    StagedWeek,
    StageReport,
    main,
    plan,
    print_plan,
    stage,
    staged_relpath,
)
from oa_spark.tables import Lake
from oa_spark.weeks import file_name

W1, W2, W3 = date(2022, 1, 2), date(2022, 1, 9), date(2022, 1, 16)
WEEKS = [W1, W2, W3]


def local_cfg(tmp_path: Path) -> config.Config:
    return config.load(
        overrides=[
            "source.name=local",
            f"source.url={tmp_path / 'source'}",
            f"lake.path={tmp_path / 'lake'}",
            f"staging.path={tmp_path / 'staging'}",
        ]
    )


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    for week in (W1, W3):
        (folder / file_name(week)).write_bytes(weekly_zip(week))
    return folder


def entry(week: date, tag: str = "t1", size: int = 10) -> Entry:
    return Entry(week, file_name(week), size, tag, f"file:///{file_name(week)}")


# -- no JVM --------------------------------------------------------------------------------------------------
def test_staged_paths_put_later_versions_in_their_own_folder() -> None:
    assert staged_relpath(W1, "f.zip", 1) == "week=2022-01-02/f.zip"
    assert staged_relpath(W1, "f.zip", 3) == "week=2022-01-02/v3/f.zip"


def test_plan_skips_unchanged_weeks_and_numbers_new_versions_above_every_old_one() -> None:
    row = {"version": 2, "version_tag": "t1", "size_bytes": 10, "sha256": "abc", "staged_path": "p"}
    jobs, skipped = plan(
        [entry(W1), entry(W2, tag="t2"), entry(W3)], {W1: row, W2: row}, {W1: 2, W2: 5}, False
    )
    assert [o.week for o in skipped] == [W1]
    assert [(j.entry.week, j.version, j.staged_sha256) for j in jobs] == [(W2, 6, "abc"), (W3, 1, None)]


def test_plan_with_force_copies_everything_even_identical_bytes() -> None:
    row = {"version": 1, "version_tag": "t1", "size_bytes": 10, "sha256": "abc", "staged_path": "p"}
    jobs, skipped = plan([entry(W1)], {W1: row}, {W1: 1}, True)
    assert skipped == [] and [(j.version, j.staged_sha256) for j in jobs] == [(2, None)]


def test_plan_copies_again_a_week_whose_staged_file_is_gone_or_not_the_recorded_size() -> None:
    rows = {
        w: {"version": 1, "version_tag": "t1", "size_bytes": 10, "sha256": "abc", "staged_path": f"p{i}"}
        for i, w in enumerate(WEEKS)
    }
    on_disk = {"p0": None, "p1": 7, "p2": 10}
    jobs, skipped = plan([entry(w) for w in WEEKS], rows, {w: 1 for w in WEEKS}, False, on_disk)
    assert [o.week for o in skipped] == [W3]
    assert [(j.entry.week, j.version, j.staged_sha256) for j in jobs] == [(W1, 2, None), (W2, 2, None)]
    assert "p0 is gone" in jobs[0].why and "is 7 bytes, the manifest says 10" in jobs[1].why


def test_plan_skips_a_week_whose_staged_file_was_not_checked() -> None:
    row = {"version": 1, "version_tag": "t1", "size_bytes": 10, "sha256": "abc", "staged_path": "p"}
    assert plan([entry(W1)], {W1: row}, {W1: 1}, False, {})[0] == []
    assert plan([entry(W1)], {W1: row}, {W1: 1}, False, None)[0] == []


def test_a_plan_printed_without_the_manifest_says_staged_weeks_show_as_copies() -> None:
    jobs, _ = plan([entry(W1)], {}, {}, False)
    report = StageReport("r", "local:/zips", [W1], dry_run=True)
    report.outcomes[W1] = StagedWeek(W1, PLANNED, jobs[0].entry, jobs[0].version)
    out = io.StringIO()
    print_plan(report, jobs, out, manifest_read=False)
    assert f"{W1}  copy" in out.getvalue()
    assert "manifest (staged_files) was not read" in out.getvalue()
    out = io.StringIO()
    print_plan(report, jobs, out)
    assert "not read" not in out.getvalue()


def test_a_range_with_no_file_exits_1_naming_the_source_and_range(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "source").mkdir()
    assert main(local_cfg(tmp_path), WEEKS) == 1
    failure = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert failure.fields == {"source": f"local {tmp_path / 'source'}", "range": f"{W1}..{W3}"}
    assert not (tmp_path / "lake").exists()


def test_an_unreadable_source_exits_1(tmp_path: Path) -> None:
    assert main(local_cfg(tmp_path), WEEKS) == 1  # the source directory does not exist


# -- with Spark ----------------------------------------------------------------------------------------------
@pytest.mark.spark
def test_local_source_stages_into_a_local_directory(spark, source_dir: Path, tmp_path: Path) -> None:
    cfg = local_cfg(tmp_path)
    assert main(cfg, WEEKS, spark=spark) == 0
    for week in (W1, W3):
        assert (tmp_path / "staging" / f"week={week}" / file_name(week)).read_bytes() == weekly_zip(week)
    rows = Lake(spark, cfg.lake).read("staged_files").collect()
    assert sorted((r["week"], r["source"], r["status"]) for r in rows) == [
        (W1, "local", "staged"),
        (W3, "local", "staged"),
    ]


@pytest.mark.spark
def test_a_staged_file_deleted_since_is_staged_again_on_the_next_run(
    spark, source_dir: Path, tmp_path: Path
) -> None:
    cfg = local_cfg(tmp_path)
    stage(cfg, WEEKS, spark=spark)
    gone = tmp_path / "staging" / f"week={W1}" / file_name(W1)
    gone.unlink()
    report = stage(cfg, WEEKS, spark=spark)
    assert [(o.week, o.version) for o in report.with_status("staged")] == [(W1, 2)]
    assert "is gone" in report.outcomes[W1].message
    assert [o.week for o in report.with_status("skipped")] == [W3]
    current = StagedFiles(Lake(spark, cfg.lake)).current()
    assert Path(current[W1]["staged_path"]).read_bytes() == weekly_zip(W1)


@pytest.mark.spark
def test_missing_weeks_are_a_warning_listing_them_not_an_error(
    spark,
    source_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    report = stage(local_cfg(tmp_path), WEEKS, spark=spark)
    assert report.exit_code == 0
    warning = next(r for r in caplog.records if r.getMessage() == "weeks_missing")
    assert warning.levelno == logging.WARNING and warning.fields["weeks"] == W2.isoformat()


@pytest.mark.spark
def test_each_week_logs_one_structured_line(
    spark,
    source_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="oa_spark.staging")
    stage(local_cfg(tmp_path), WEEKS, spark=spark)
    lines = [r for r in caplog.records if r.name == "oa_spark.staging" and r.getMessage().startswith("week_")]
    assert sorted((r.getMessage(), r.fields["week"], r.fields["bytes"]) for r in lines) == [
        ("week_staged", "2022-01-02", len(weekly_zip(W1))),
        ("week_staged", "2022-01-16", len(weekly_zip(W3))),
    ]


@pytest.mark.spark
def test_a_rewritten_file_with_the_same_bytes_is_not_a_new_version(
    spark, source_dir: Path, tmp_path: Path
) -> None:
    cfg = local_cfg(tmp_path)
    stage(cfg, WEEKS, spark=spark)
    path = source_dir / file_name(W1)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # a new version tag
    report = stage(cfg, [W1], spark=spark)

    assert report.outcomes[W1].status == "skipped" and report.outcomes[W1].attempts == 1
    assert Lake(spark, cfg.lake).read("staged_files").count() == 2
    assert not (tmp_path / "staging" / f"week={W1}" / "v2").exists()
    new_tag = report.outcomes[W1].entry.version_tag
    assert StagedFiles(Lake(spark, cfg.lake)).current()[W1]["version_tag"] == new_tag  # not downloaded again


@pytest.mark.spark
def test_dry_run_prints_the_plan_and_copies_nothing(
    spark,
    source_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = local_cfg(tmp_path)
    stage(cfg, [W1], spark=spark)
    commits = Lake(spark, cfg.lake).version("staged_files"), Lake(spark, cfg.lake).version("runs")
    capsys.readouterr()

    assert main(cfg, WEEKS, dry_run=True, spark=spark) == 0
    out = capsys.readouterr().out
    size = len(weekly_zip(W3)) / 1024 / 1024
    assert f"3 weeks, 1 files to copy, {size:,.1f} MB; 1 unchanged, 1 missing" in out
    assert f"{W1}  skip" in out and f"{W2}  missing" in out and f"{W3}  copy  {file_name(W3)}" in out
    assert not (tmp_path / "staging" / f"week={W3}").exists()
    assert (Lake(spark, cfg.lake).version("staged_files"), Lake(spark, cfg.lake).version("runs")) == commits


@pytest.fixture
def odp() -> Iterator[OdpStub]:
    stub = OdpStub("k-123", max_limit=1)
    for week in (W1, W2):
        stub.add(week, weekly_zip(week))
    yield stub
    stub.stop()


@pytest.mark.spark
def test_odp_files_are_staged_through_the_signed_url_redirect(
    spark,
    odp: OdpStub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USPTO_API_KEY", "k-123")
    cfg = config.load(
        overrides=[
            "source.name=odp",
            f"source.odp_url={odp.url}",
            f"lake.path={tmp_path / 'lake'}",
            f"staging.path={tmp_path / 'staging'}",
        ]
    )
    report = stage(cfg, WEEKS, spark=spark)

    assert [o.week for o in report.with_status("staged")] == [W1, W2]
    assert report.outcomes[W1].sha256 == hashlib.sha256(weekly_zip(W1)).hexdigest()
    row = next(r for r in Lake(spark, cfg.lake).read("staged_files").collect() if r["week"] == W1)
    assert (row["source"], row["version_tag"]) == ("odp", "2022-01-10T09:00:00")
    assert row["source_url"].endswith(f"/files/OACT/{file_name(W1)}")
