"""Driver-side file work: which checkpoint folders are stale, whether a path holds a committed Delta table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.files import aged_folder
from support.moto_server import S3Env, moto_server, s3  # noqa: F401

from oa_spark.storage import committed, stale_folders


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


def test_a_path_with_a_commit_in_its_delta_log_is_a_committed_table(tmp_path: Path) -> None:
    log = tmp_path / "t" / "_delta_log"
    log.mkdir(parents=True)
    (log / "00000000000000000000.json").write_text("{}")
    assert committed(str(tmp_path / "t")) is True


def test_a_log_whose_older_commits_were_cleaned_up_behind_a_multi_part_checkpoint_is_a_table(
    tmp_path: Path,
) -> None:
    log = tmp_path / "t" / "_delta_log"
    log.mkdir(parents=True)
    (log / "00000000000000000010.checkpoint.0000000001.0000000002.parquet").write_bytes(b"PAR1")
    (log / "_last_checkpoint").write_text("{}")
    assert committed(str(tmp_path / "t")) is True


def test_a_delta_log_without_a_commit_is_no_table(tmp_path: Path) -> None:
    (tmp_path / "t" / "_delta_log" / "_tmp").mkdir(parents=True)  # what a job killed while creating it leaves
    assert committed(str(tmp_path / "t")) is False


def test_a_missing_path_is_no_table(tmp_path: Path) -> None:
    assert committed(str(tmp_path / "never-written")) is False


def test_the_driver_cannot_tell_for_dbfs() -> None:
    assert committed("dbfs:/lake/office_actions") is None


def test_on_s3_the_log_objects_decide(s3: S3Env) -> None:  # noqa: F811
    s3.client.create_bucket(Bucket="lake")
    s3.put("lake", "lake/runs/_delta_log/00000000000000000000.json", b"{}")
    assert committed("s3a://lake/lake/runs") is True
    assert committed("s3a://lake/lake/citations") is False


def test_the_driver_cannot_tell_where_it_cannot_open_the_file_system() -> None:
    assert committed("hdfs://127.0.0.1:1/lake/runs") is None  # no libhdfs here: Spark is asked instead
