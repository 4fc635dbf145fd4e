"""Driver-side file work: which checkpoint folders are stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.files import aged_folder
from support.moto_server import S3Env, moto_server, s3  # noqa: F401

from oa_spark.storage import stale_folders


def test_a_folder_is_stale_when_nothing_under_it_is_newer_than_the_cutoff(tmp_path: Path) -> None:
    aged_folder(tmp_path, "old", file_days_old=10)
    aged_folder(tmp_path, "new", file_days_old=0)
    week_ago = datetime.now(UTC) - timedelta(days=7)
    assert stale_folders(str(tmp_path), week_ago) == [f"{tmp_path}/old"]


def test_a_recent_file_deep_inside_keeps_an_oldaged_folder(tmp_path: Path) -> None:
    aged_folder(tmp_path, "busy", file_days_old=0, folder_days_old=10)
    assert stale_folders(str(tmp_path), datetime.now(UTC) - timedelta(days=7)) == []


def test_a_missing_folder_has_no_stale_folders(tmp_path: Path) -> None:
    assert stale_folders(str(tmp_path / "never-written"), datetime.now(UTC)) == []


def test_on_s3_the_newest_object_under_each_prefix_decides(s3: S3Env) -> None:  # noqa: F811
    s3.client.create_bucket(Bucket="lake")
    for key in ("cp/a1/0/part-0.parquet", "cp/a1/1/part-0.parquet", "cp/b2/0/part-0.parquet", "other/x"):
        s3.put("lake", key, b"PAR1")
    written = datetime.now(UTC)
    assert stale_folders("s3://lake/cp", written - timedelta(hours=1)) == []
    later = written + timedelta(hours=1)
    assert stale_folders("s3a://lake/cp/", later) == ["s3a://lake/cp/a1", "s3a://lake/cp/b2"]
