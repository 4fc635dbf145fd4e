"""Injected faults: bad lines inside good weeks, and whole weekly files that must fail.

Every fault is tagged with the reason code (oa_spark/reasons.py) a correct reader must give it. A faulty
record has exactly one defect, so its reason is never a matter of precedence.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import orjson

from oa_spark import reasons

ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_BAD_UTF8 = "@@INVALID-UTF8@@"


@dataclass(frozen=True)
class BadLine:
    """A line that a correct reader quarantines with `reason`."""

    data: bytes
    reason: str
    document_id: str | None


def plain_record(rng: random.Random, week: date, doc_id: str) -> dict[str, object]:
    """A small valid weekly-form record: the base that each record fault breaks in one place."""
    number = f"{rng.choice((16, 17))}{rng.randrange(0, 1_000_000):06d}"
    return {
        "id": f"{rng.getrandbits(224):056x}",
        "obsoleteDocumentIdentifier": doc_id,
        "patentApplicationNumber": number,
        "legacyDocumentCodeIdentifier": "CTNF",
        "submissionDate": week.replace(day=max(1, week.day - 3)).isoformat(),
        "bodyText": "DETAILED ACTION\nClaims 1-3 are pending. This record exists to be broken.",
        "groupArtUnitNumber": 2128,
        "examinerEmployeeNumber": "70775 ",
        "lastModifiedTimestamp": datetime(week.year, week.month, week.day).strftime("%Y-%m-%dT%H:%M:%S"),
    }


def _dumps(record: dict[str, object]) -> bytes:
    return orjson.dumps(record)


def _invalid_json(rng: random.Random, rec: dict[str, object], variant: int) -> BadLine:
    if variant % 3 == 0:  # a line cut in the middle of the body
        data = _dumps(rec)
        cut = data.index(b'"bodyText":"') + 20 + rng.randrange(0, 20)
        return BadLine(data[:cut], reasons.INVALID_JSON, None)
    if variant % 3 == 1:
        return BadLine(_dumps(rec)[:-1] + b",}", reasons.INVALID_JSON, None)
    return BadLine(b"{'id': 'single quotes are not JSON'}", reasons.INVALID_JSON, None)


def _not_object(rng: random.Random, rec: dict[str, object], variant: int) -> BadLine:
    return BadLine((b"[1,2]", b'"text"', b"42", b"null")[variant % 4], reasons.NOT_OBJECT, None)


def _missing_document_id(rng: random.Random, rec: dict[str, object], variant: int) -> BadLine:
    rec = dict(rec)
    if variant % 3 == 0:
        del rec["obsoleteDocumentIdentifier"]
    else:
        rec["obsoleteDocumentIdentifier"] = (" ", "null")[variant % 2]
    return BadLine(_dumps(rec), reasons.MISSING_DOCUMENT_ID, None)


def _missing_application_number(rng: random.Random, rec: dict[str, object], variant: int) -> BadLine:
    rec = dict(rec)
    if variant % 2 == 0:
        del rec["patentApplicationNumber"]
    else:
        rec["patentApplicationNumber"] = ""
    return BadLine(_dumps(rec), reasons.MISSING_APPLICATION_NUMBER, str(rec["obsoleteDocumentIdentifier"]))


def _bad_application_number(rng: random.Random, rec: dict[str, object], variant: int) -> BadLine:
    rec = dict(rec, patentApplicationNumber=("16/12A,456", "123456789", "PCT/US2019/012345")[variant % 3])
    return BadLine(_dumps(rec), reasons.BAD_APPLICATION_NUMBER, str(rec["obsoleteDocumentIdentifier"]))


def _bad_date(rng: random.Random, rec: dict[str, object], variant: int) -> BadLine:
    rec = dict(rec, submissionDate=("2021-02-30", "garbage", "2021-13-01")[variant % 3])
    return BadLine(_dumps(rec), reasons.BAD_DATE, str(rec["obsoleteDocumentIdentifier"]))


def _bad_body(rng: random.Random, rec: dict[str, object], variant: int) -> BadLine:
    rec = dict(rec, bodyText=(12, 12.5)[variant % 2])
    return BadLine(_dumps(rec), reasons.BAD_BODY, str(rec["obsoleteDocumentIdentifier"]))


def _invalid_utf8(rng: random.Random, rec: dict[str, object], variant: int) -> BadLine:
    rec = dict(rec, bodyText=f"Claims 1-3 are pending. {_BAD_UTF8} Stray bytes.")
    data = _dumps(rec).replace(_BAD_UTF8.encode(), b"\xff\xfe\xc3(")
    return BadLine(data, reasons.INVALID_UTF8, None)


RECORD_FAULTS: dict[str, Callable[[random.Random, dict[str, object], int], BadLine]] = {
    reasons.INVALID_JSON: _invalid_json,
    reasons.NOT_OBJECT: _not_object,
    reasons.MISSING_DOCUMENT_ID: _missing_document_id,
    reasons.MISSING_APPLICATION_NUMBER: _missing_application_number,
    reasons.BAD_APPLICATION_NUMBER: _bad_application_number,
    reasons.BAD_DATE: _bad_date,
    reasons.BAD_BODY: _bad_body,
    reasons.INVALID_UTF8: _invalid_utf8,
}


def bad_line(reason: str, rng: random.Random, week: date, doc_id: str, variant: int) -> BadLine:
    """One line with exactly the defect `reason` names."""
    return RECORD_FAULTS[reason](rng, plain_record(rng, week, doc_id), variant)


# ---------------------------------------------------------------- whole-file faults


def zip_info(name: str, level: int = 6) -> zipfile.ZipInfo:
    """A member header with fixed metadata, so that the same content always gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    try:
        info.compress_level = level  # type: ignore[attr-defined]  # Python 3.13+
    except AttributeError:
        info._compresslevel = level  # type: ignore[attr-defined]  # Python 3.11-3.12: no public name
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members:
            zf.writestr(zip_info(name), data)
    return buffer.getvalue()


def write_truncated(path: Path, member: str, data: bytes) -> None:
    """A zip cut short (an interrupted download): no central directory."""
    whole = zip_bytes([(member, data)])
    path.write_bytes(whole[: max(64, len(whole) * 11 // 20)])


def write_empty(path: Path) -> None:
    """A well-formed zip with no member at all."""
    path.write_bytes(zip_bytes([]))


def write_multi_member(path: Path, members: list[tuple[str, bytes]]) -> None:
    path.write_bytes(zip_bytes(members))


def write_corrupt(path: Path, member: str, data: bytes) -> None:
    """A zip whose compressed bytes were damaged: reading the member fails (bad CRC or bad deflate data)."""
    whole = bytearray(zip_bytes([(member, data)]))
    name_len, extra_len = struct.unpack_from("<HH", whole, 26)
    start = 30 + name_len + extra_len
    size = struct.unpack_from("<I", whole, 18)[0]
    for offset in range(size // 2, size - 8):
        damaged = bytearray(whole)
        for i in range(offset, offset + 8):
            damaged[start + i] ^= 0x5A
        if _unreadable(bytes(damaged)):
            path.write_bytes(bytes(damaged))
            return
    raise RuntimeError("could not damage the member so that it fails to read")  # never seen


def _unreadable(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                zf.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return True
    return False


def write_bomb(path: Path, member: str, inflated: int) -> None:
    """One member of `inflated` zero bytes in about a thousandth of that on disk (ratio ~1000).

    Written by hand: after a full flush, deflate's output for each identical 1 MiB block is identical, so
    the compressed stream is one block repeated; only the CRC needs a pass over the (virtual) data.
    """
    chunk = bytes(1 << 20)
    blocks = max(1, inflated // len(chunk))
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    repeat = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    stream = block + repeat * (blocks - 1) + comp.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(chunk, crc)
    size = blocks * len(chunk)
    name = member.encode()
    dos_time, dos_date = 0, (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, dos_time, dos_date, crc, len(stream), size, len(name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50, 0x031E, 20, 0, 8, dos_time, dos_date, crc, len(stream), size, len(name), 0, 0, 0, 0,
        0o644 << 16, 0,
    )  # fmt: skip
    cd_offset = len(local) + len(name) + len(stream)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central) + len(name), cd_offset, 0)
    path.write_bytes(local + name + stream + central + name + end)
