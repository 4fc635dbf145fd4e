"""`read_week`: a weekly zip end to end, in line order, with counts that reconcile."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest

from oa_spark import reasons
from oa_spark.records import Quarantine, WeekFileError, dedupe, read_week

NAME = "bdr_oa_bulkdata_weekly_2022-01-09.zip"


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


@pytest.fixture
def week_path(tmp_path: Path) -> Path:
    path = tmp_path / NAME
    path.write_bytes(zip_of(WEEK_LINES))
    return path


def test_results_come_in_line_order_with_line_numbers(week_path: Path) -> None:
    assert [number for number, _ in read_week(week_path)] == [1, 2, 3, 4, 6, 7, 8]


def test_good_lines_become_rows(week_path: Path) -> None:
    results = dict(read_week(week_path))
    assert results[4]["document_id"] == "KZQ1R7MPPXXIFW4"  # type: ignore[index]


def test_bad_lines_become_quarantines_with_their_reasons(week_path: Path) -> None:
    quarantined = {n: r.reason for n, r in read_week(week_path) if isinstance(r, Quarantine)}
    assert quarantined == {6: reasons.BAD_DATE, 7: reasons.INVALID_JSON}


def test_quarantine_carries_its_line_number(week_path: Path) -> None:
    quarantines = [r for _, r in read_week(week_path) if isinstance(r, Quarantine)]
    assert [q.line_number for q in quarantines] == [6, 7]


def test_counts_records_in_and_quarantined(week_path: Path) -> None:
    week = read_week(week_path)
    for _ in week:
        pass
    assert (week.counts.records_in, week.counts.quarantined, week.counts.normalized) == (7, 2, 5)


def test_counts_reconcile_with_dedupe(week_path: Path) -> None:
    week = read_week(week_path)
    rows = [r for _, r in week if not isinstance(r, Quarantine)]
    kept, duplicates = dedupe(rows)
    assert week.counts.records_in == len(kept) + duplicates + week.counts.quarantined
    assert (len(kept), duplicates) == (2, 3)


def test_dedupe_keeps_the_updated_version(week_path: Path) -> None:
    rows = [r for _, r in read_week(week_path) if not isinstance(r, Quarantine)]
    kept, _ = dedupe(rows)
    first = next(r for r in kept if r["document_id"] == "J8080VPBRXEAPX5")
    assert first["record_hash"] == next(r for r in rows if r["last_modified"].day == 6)["record_hash"]


def test_week_is_read_from_a_file_object() -> None:
    week = read_week(io.BytesIO(zip_of(WEEK_LINES)), name=NAME)
    assert len(list(week)) == 7


def test_week_with_a_bom_reads_its_first_line() -> None:
    [(number, row)] = list(read_week(io.BytesIO(zip_of([SECOND], prefix=b"\xef\xbb\xbf"))))
    assert (number, row["document_id"]) == (1, "KZQ1R7MPPXXIFW4")  # type: ignore[index]


def test_week_as_a_json_array_is_read() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("oa.json", b"[" + b",\n".join([FIRST, SECOND]) + b"]")
    documents = [r["document_id"] for _, r in read_week(buffer)]  # type: ignore[index]
    assert documents == ["J8080VPBRXEAPX5", "KZQ1R7MPPXXIFW4"]


def test_bad_zip_raises_week_file_error_naming_the_file() -> None:
    with pytest.raises(WeekFileError) as caught:
        list(read_week(io.BytesIO(b"<html>not found</html>"), name=NAME))
    assert (caught.value.reason, NAME in caught.value.message) == (reasons.ZIP_CORRUPT, True)


def test_zip_bomb_limits_are_passed_through() -> None:
    with pytest.raises(WeekFileError) as caught:
        list(read_week(io.BytesIO(zip_of(WEEK_LINES)), max_inflated_bytes=100))
    assert caught.value.reason == reasons.ZIP_BOMB


def test_line_limit_is_passed_through() -> None:
    results = list(read_week(io.BytesIO(zip_of([FIRST, SECOND])), max_line_bytes=len(FIRST) - 1))
    assert all(isinstance(r, Quarantine) for _, r in results)


def test_reading_again_counts_afresh(week_path: Path) -> None:
    week = read_week(week_path)
    list(week)
    list(week)
    assert week.counts.records_in == 7
