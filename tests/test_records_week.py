"""A weekly zip end to end through the ingest task's reader (`weekfile.explode_file`): the winning rows in
line order, quarantine rows with their reasons, and counts that reconcile."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from oa_spark import reasons
from oa_spark.reader.weekfile import Limits, WeekFailed, explode_file
from oa_spark.schemas import OFFICE_ACTIONS, arrow_schema

NAME = "bdr_oa_bulkdata_weekly_2022-01-09.zip"
WEEK = date(2022, 1, 9)
LIMITS = Limits(max_inflated_bytes=1 << 30, max_ratio=200.0)


def record(document_id: str, application_number: str, last_modified: str, **more: Any) -> bytes:
    return orjson.dumps(
        {
            "obsoleteDocumentIdentifier": document_id,
            "patentApplicationNumber": application_number,
            "legacyDocumentCodeIdentifier": "CTNF",
            "submissionDate": "2022-01-04",
            "lastModifiedTimestamp": last_modified,
            "bodyText": f"DETAILED ACTION\nClaims 1-20 are rejected under 35 U.S.C. 101 ({document_id}).",
            **more,
        }
    )


FIRST = record("J8080VPBRXEAPX5", "14485382", "2022-01-05T10:00:00")
FIRST_UPDATED = record("J8080VPBRXEAPX5", "14485382", "2022-01-06T03:12:45")
SECOND = record("KZQ1R7MPPXXIFW4", "16123456", "2022-01-05T11:00:00")
BAD_DATE = record("LQ2W9MPPXXIFW41", "15987654", "2022-01-05T12:00:00", submissionDate="2021-02-30")

# A week as data-format.md §2 describes it: exact duplicate lines, a later version, bad records, a blank.
WEEK_LINES = [FIRST, FIRST, FIRST, SECOND, b"", BAD_DATE, b"{not json", FIRST_UPDATED]


def zip_of(lines: list[bytes], prefix: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("oa_weekly.jsonl", prefix + b"\n".join(lines) + b"\n")
    return buffer.getvalue()


def explode(data: bytes, tmp_path: Path, limits: Limits = LIMITS) -> tuple[list[dict], dict[str, Any]]:
    """The rows and the week's report of one zip, as the ingest task produces them."""
    path = tmp_path / NAME
    path.write_bytes(data)
    reports: dict[date, dict[str, Any]] = {}
    batches = explode_file(WEEK, str(path), NAME, limits, arrow_schema(OFFICE_ACTIONS), reports.__setitem__)
    rows = [row for batch in batches for row in batch.to_pylist()]
    return rows, reports[WEEK]


@pytest.fixture
def week(tmp_path: Path) -> tuple[list[dict], dict[str, Any]]:
    return explode(zip_of(WEEK_LINES), tmp_path)


def test_winning_rows_come_in_line_order_with_their_line_numbers(week: tuple[list[dict], dict]) -> None:
    rows, _ = week
    assert [(r["line_number"], r["document_id"]) for r in rows] == [
        (4, "KZQ1R7MPPXXIFW4"),
        (8, "J8080VPBRXEAPX5"),
    ]


def test_bad_lines_become_quarantines_with_their_reasons_and_line_numbers(
    week: tuple[list[dict], dict],
) -> None:
    _, report = week
    quarantined = {q["line_number"]: q["reason"] for q in report["quarantine"]}
    assert quarantined == {6: reasons.BAD_DATE, 7: reasons.INVALID_JSON}


def test_counts_reconcile(week: tuple[list[dict], dict]) -> None:
    rows, report = week
    counts = {k: report[k] for k in ("records_in", "records_out", "duplicates", "quarantined")}
    assert counts == {"records_in": 7, "records_out": 2, "duplicates": 3, "quarantined": 2}
    assert len(rows) == report["records_out"]


def test_dedupe_keeps_the_updated_version(week: tuple[list[dict], dict]) -> None:
    rows, _ = week
    first = next(r for r in rows if r["document_id"] == "J8080VPBRXEAPX5")
    assert first["last_modified"].day == 6


def test_week_with_a_bom_reads_its_first_line(tmp_path: Path) -> None:
    rows, _ = explode(zip_of([SECOND], prefix=b"\xef\xbb\xbf"), tmp_path)
    assert [(r["line_number"], r["document_id"]) for r in rows] == [(1, "KZQ1R7MPPXXIFW4")]


def test_week_as_a_json_array_is_read(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("oa.json", b"[" + b",\n".join([FIRST, SECOND]) + b"]")
    rows, _ = explode(buffer.getvalue(), tmp_path)
    assert [r["document_id"] for r in rows] == ["J8080VPBRXEAPX5", "KZQ1R7MPPXXIFW4"]


def test_bad_zip_fails_the_week_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(WeekFailed) as caught:
        explode(b"<html>not found</html>", tmp_path)
    assert (caught.value.reason, NAME in caught.value.message) == (reasons.ZIP_CORRUPT, True)


def test_zip_bomb_limits_are_passed_through(tmp_path: Path) -> None:
    with pytest.raises(WeekFailed) as caught:
        explode(zip_of(WEEK_LINES), tmp_path, Limits(max_inflated_bytes=100, max_ratio=200.0))
    assert caught.value.reason == reasons.ZIP_BOMB


def test_a_zip_not_the_size_the_manifest_recorded_fails_its_week_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(zip_of(WEEK_LINES))
    size = path.stat().st_size
    schema, reports = arrow_schema(OFFICE_ACTIONS), {}
    kept = list(explode_file(WEEK, str(path), NAME, LIMITS, schema, reports.__setitem__, size=size))
    assert kept and WEEK in reports
    with pytest.raises(WeekFailed) as caught:
        list(explode_file(WEEK, str(path), NAME, LIMITS, schema, {}.__setitem__, size=size - 1))
    assert caught.value.reason == "staged_file_changed"
    assert f"{size} bytes, but the manifest (staged_files) recorded {size - 1}" in caught.value.message
