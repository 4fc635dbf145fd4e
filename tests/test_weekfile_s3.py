"""An ingest task reads a zip staged on S3 (ranged reads through smart_open) exactly as a local one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support.moto_server import S3Env, moto_server, s3  # noqa: F401

from oa_spark.reader.weekfile import Limits, WeekFailed, explode_file
from oa_spark.schemas import OFFICE_ACTIONS, arrow_schema
from oa_spark.synth import generate

WEEK = date(2022, 1, 2)
LIMITS = Limits(max_inflated_bytes=1 << 30, max_ratio=200.0)


def _explode(uri: str, name: str, size: int | None = None) -> tuple[list[dict], dict]:
    reports: dict = {}
    schema = arrow_schema(OFFICE_ACTIONS)
    rows = [
        row
        for batch in explode_file(WEEK, uri, name, LIMITS, schema, reports.__setitem__, size=size)
        for row in batch.to_pylist()
    ]
    return rows, reports[WEEK]


@pytest.fixture(scope="module")
def week_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("s3week")
    generate(out, weeks=1, records=60, seed=21)
    return next(out.glob("*.zip"))


def test_a_zip_staged_on_s3_gives_the_same_rows_and_counts_as_on_disk(s3: S3Env, week_zip: Path) -> None:  # noqa: F811
    s3.client.create_bucket(Bucket="staging")
    s3.put("staging", f"area/week={WEEK}/{week_zip.name}", week_zip.read_bytes())
    local_rows, local_counts = _explode(str(week_zip), week_zip.name)
    s3_rows, s3_counts = _explode(f"s3://staging/area/week={WEEK}/{week_zip.name}", week_zip.name)
    assert s3_rows == local_rows
    assert s3_counts == local_counts
    assert local_counts["records_out"] == len(local_rows) > 0


def test_a_truncated_zip_on_s3_fails_its_week_with_a_file_reason(s3: S3Env, week_zip: Path) -> None:  # noqa: F811
    s3.client.create_bucket(Bucket="staging")
    data = week_zip.read_bytes()
    s3.put("staging", "cut.zip", data[: len(data) // 2])
    with pytest.raises(WeekFailed) as caught:
        _explode("s3a://staging/cut.zip", week_zip.name)
    assert caught.value.reason == "zip_truncated"


def test_a_zip_on_s3_not_the_size_the_manifest_recorded_fails_its_week_naming_the_fix(
    s3: S3Env,  # noqa: F811
    week_zip: Path,
) -> None:
    s3.client.create_bucket(Bucket="staging")
    data = week_zip.read_bytes()
    s3.put("staging", "w.zip", data)
    rows, _ = _explode("s3a://staging/w.zip", week_zip.name, size=len(data))
    assert rows
    with pytest.raises(WeekFailed) as caught:
        _explode("s3a://staging/w.zip", week_zip.name, size=len(data) + 1)
    assert caught.value.reason == "staged_file_changed"
    assert "stage --force" in caught.value.message
