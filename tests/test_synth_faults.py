"""Injected faults: each bad line has exactly its one defect; each broken file breaks the way it is named."""

from __future__ import annotations

import json
import random
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest

from oa_spark import reasons
from oa_spark.synth import faults

WEEK = date(2022, 1, 2)


def _defects(line: bytes) -> set[str]:
    """Every contract defect the line has (a well-made fault has exactly one)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return {reasons.INVALID_UTF8}
    try:
        record = json.loads(text)
    except json.JSONDecodeError:
        return {reasons.INVALID_JSON}
    if not isinstance(record, dict):
        return {reasons.NOT_OBJECT}
    found = set()
    doc_id = record.get("obsoleteDocumentIdentifier")
    if not isinstance(doc_id, str) or doc_id.strip().lower() in ("", "null"):
        found.add(reasons.MISSING_DOCUMENT_ID)
    number = record.get("patentApplicationNumber")
    if not isinstance(number, str) or not number.strip():
        found.add(reasons.MISSING_APPLICATION_NUMBER)
    elif not (digits := number.strip().replace("/", "").replace(",", "")).isdigit() or len(digits) > 8:
        found.add(reasons.BAD_APPLICATION_NUMBER)
    try:
        date.fromisoformat(record["submissionDate"])
    except ValueError:
        found.add(reasons.BAD_DATE)
    if not isinstance(record.get("bodyText"), str):
        found.add(reasons.BAD_BODY)
    return found


@pytest.mark.parametrize("reason", sorted(faults.RECORD_FAULTS))
@pytest.mark.parametrize("variant", range(6))
def test_each_bad_line_has_exactly_its_defect(reason: str, variant: int) -> None:
    bad = faults.bad_line(reason, random.Random(variant), WEEK, "J8080VPBRXEAPX5", variant)
    assert bad.reason == reason
    assert _defects(bad.data) == {reason}
    assert b"\n" not in bad.data
    parsed_id = reason not in (
        reasons.INVALID_UTF8,
        reasons.INVALID_JSON,
        reasons.NOT_OBJECT,
        reasons.MISSING_DOCUMENT_ID,
    )
    assert (bad.document_id == "J8080VPBRXEAPX5") == parsed_id


def test_the_base_record_is_good() -> None:
    record = faults.plain_record(random.Random(1), WEEK, "J8080VPBRXEAPX5")
    assert _defects(json.dumps(record).encode()) == set()


def test_corrupt_zip_fails_on_read_but_lists_its_member(tmp_path: Path) -> None:
    path = tmp_path / "c.zip"
    faults.write_corrupt(path, "m.json", b'{"a": 1}\n' * 500)
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == ["m.json"]
        with pytest.raises((zipfile.BadZipFile, zlib.error)):
            zf.read("m.json")


def test_bomb_is_small_and_inflates_far_past_the_ratio(tmp_path: Path) -> None:
    path = tmp_path / "b.zip"
    faults.write_bomb(path, "m.json", 64 << 20)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("m.json")
        assert info.file_size == 64 << 20
        assert info.file_size / path.stat().st_size > 200
        assert zf.read("m.json") == bytes(64 << 20)  # CRC and sizes are right: a reader must cap, not crash


def test_truncated_and_empty_zips(tmp_path: Path) -> None:
    faults.write_truncated(tmp_path / "t.zip", "m.json", b'{"a": 1}\n' * 500)
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(tmp_path / "t.zip")
    faults.write_empty(tmp_path / "e.zip")
    with zipfile.ZipFile(tmp_path / "e.zip") as zf:
        assert zf.infolist() == []
