"""`oa_spark.reader.zipsafe`: one member streamed from a path or a file object; each file fault has one
reason."""

from __future__ import annotations

import io
import pickle
import struct
import zipfile
from pathlib import Path

import pytest

from oa_spark import reasons
from oa_spark.reader import zipsafe
from oa_spark.reader.zipsafe import InflateGuard, WeekFileError, WeekZip, verify_zip

LINES = b'{"obsoleteDocumentIdentifier": "J8080VPBRXEAPX5", "patentApplicationNumber": "14485382"}\n' * 3
NAME = "bdr_oa_bulkdata_weekly_2022-01-09.zip"


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / NAME
    path.write_bytes(data)
    return path


def read_all(source: Path | io.BytesIO, **limits: float) -> bytes:
    with WeekZip(source, name=NAME, **limits) as week:  # type: ignore[arg-type]
        return b"".join(week.chunks())


def reason_of(source: Path | io.BytesIO, **limits: float) -> str:
    with pytest.raises(WeekFileError) as caught:
        read_all(source, **limits)
    return caught.value.reason


def patch_central_directory(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite one field of the (only) central directory header: how a lying or corrupt header is made."""
    at = data.rindex(b"PK\x01\x02") + offset
    return data[:at] + struct.pack(fmt, value) + data[at + struct.calcsize(fmt) :]


# -- reading -------------------------------------------------------------------------------------------------


def test_member_is_read_from_a_path(tmp_path: Path) -> None:
    assert read_all(write(tmp_path, zip_bytes({"oa.jsonl": LINES}))) == LINES


def test_member_is_read_from_a_file_object() -> None:
    assert read_all(io.BytesIO(zip_bytes({"oa.jsonl": LINES}))) == LINES


def test_file_object_is_left_open_for_its_owner() -> None:
    fileobj = io.BytesIO(zip_bytes({"oa.jsonl": LINES}))
    read_all(fileobj)
    assert not fileobj.closed


def test_member_in_small_chunks_is_complete() -> None:
    with WeekZip(io.BytesIO(zip_bytes({"oa.jsonl": LINES}))) as week:
        assert b"".join(week.chunks(size=7)) == LINES


def test_stored_member_is_read() -> None:
    assert read_all(io.BytesIO(zip_bytes({"oa.jsonl": LINES}, zipfile.ZIP_STORED))) == LINES


def test_directory_entries_are_skipped() -> None:
    data = zip_bytes({"weekly/": b"", "weekly/oa.jsonl": LINES})
    assert read_all(io.BytesIO(data)) == LINES


def test_member_name_is_not_fixed() -> None:
    with WeekZip(io.BytesIO(zip_bytes({"anything at all.txt": LINES}))) as week:
        assert week.info.member == "anything at all.txt"


def test_member_name_is_never_used_as_a_path(tmp_path: Path) -> None:
    source = write(tmp_path, zip_bytes({"../../escaped.jsonl": LINES}))
    assert read_all(source) == LINES
    assert not (tmp_path.parent.parent / "escaped.jsonl").exists()


def test_file_name_defaults_to_the_path(tmp_path: Path) -> None:
    path = write(tmp_path, zip_bytes({"oa.jsonl": LINES}))
    with WeekZip(path) as week:
        assert week.name == str(path)


def test_verify_zip_reports_the_member() -> None:
    info = verify_zip(io.BytesIO(zip_bytes({"oa.jsonl": LINES})), name=NAME)
    assert (info.archive, info.member, info.inflated_bytes) == (NAME, "oa.jsonl", len(LINES))


# -- empty, several members ----------------------------------------------------------------------------------


def test_zero_length_file_is_zip_empty(tmp_path: Path) -> None:
    assert reason_of(write(tmp_path, b"")) == reasons.ZIP_EMPTY


def test_zip_without_members_is_zip_empty() -> None:
    assert reason_of(io.BytesIO(zip_bytes({}))) == reasons.ZIP_EMPTY


def test_zip_with_only_a_directory_is_zip_empty() -> None:
    assert reason_of(io.BytesIO(zip_bytes({"weekly/": b""}))) == reasons.ZIP_EMPTY


def test_zero_length_member_is_zip_empty() -> None:
    assert reason_of(io.BytesIO(zip_bytes({"oa.jsonl": b""}))) == reasons.ZIP_EMPTY


def test_two_members_is_zip_multi_member() -> None:
    assert reason_of(io.BytesIO(zip_bytes({"a.jsonl": LINES, "b.jsonl": LINES}))) == reasons.ZIP_MULTI_MEMBER


# -- truncated, corrupt --------------------------------------------------------------------------------------


def test_zip_cut_in_half_is_zip_truncated() -> None:
    data = zip_bytes({"oa.jsonl": LINES * 100})
    assert reason_of(io.BytesIO(data[: len(data) // 2])) == reasons.ZIP_TRUNCATED


def test_zip_cut_inside_its_end_record_is_zip_truncated() -> None:
    data = zip_bytes({"oa.jsonl": LINES})
    assert reason_of(io.BytesIO(data[:-5])) == reasons.ZIP_TRUNCATED


def test_bytes_that_are_not_a_zip_are_zip_corrupt() -> None:
    assert reason_of(io.BytesIO(b"<html>403 Forbidden</html>" * 10)) == reasons.ZIP_CORRUPT


def test_crc_mismatch_found_while_streaming_is_zip_corrupt() -> None:
    data = bytearray(zip_bytes({"oa.jsonl": LINES}, zipfile.ZIP_STORED))
    data[data.index(b"J8080")] ^= 0x01  # the stored data changes, its CRC does not
    week = WeekZip(io.BytesIO(bytes(data)), name=NAME)  # opening succeeds: the fault is in the data
    with pytest.raises(WeekFileError) as caught:
        b"".join(week.chunks())
    assert caught.value.reason == reasons.ZIP_CORRUPT


def test_encrypted_member_is_zip_corrupt() -> None:
    data = patch_central_directory(zip_bytes({"oa.jsonl": LINES}), 8, "<H", 0x1)
    assert reason_of(io.BytesIO(data)) == reasons.ZIP_CORRUPT


def test_member_offset_outside_the_file_is_zip_corrupt() -> None:
    data = patch_central_directory(zip_bytes({"oa.jsonl": LINES}), 42, "<I", 0x7FFFFFFF)
    assert reason_of(io.BytesIO(data)) == reasons.ZIP_CORRUPT


def test_header_understating_the_size_fails_instead_of_truncating_silently() -> None:
    data = patch_central_directory(zip_bytes({"oa.jsonl": LINES}), 24, "<I", 10)  # uncompressed size
    assert reason_of(io.BytesIO(data)) == reasons.ZIP_CORRUPT


# -- zip bombs -----------------------------------------------------------------------------------------------


def test_declared_size_over_the_cap_is_zip_bomb() -> None:
    data = zip_bytes({"oa.jsonl": LINES})
    assert reason_of(io.BytesIO(data), max_inflated_bytes=len(LINES) - 1) == reasons.ZIP_BOMB


def test_declared_ratio_over_the_cap_is_zip_bomb() -> None:
    data = zip_bytes({"oa.jsonl": b" " * (4 * 1024**2)})  # deflates about 1000:1
    assert reason_of(io.BytesIO(data)) == reasons.ZIP_BOMB


def test_bomb_is_refused_before_a_byte_is_inflated() -> None:
    with pytest.raises(WeekFileError):
        WeekZip(io.BytesIO(zip_bytes({"oa.jsonl": b" " * (4 * 1024**2)})), name=NAME)


def test_small_repetitive_member_is_not_a_bomb_by_ratio() -> None:
    member = b"\n" * (zipsafe.RATIO_FLOOR_BYTES - 1)
    assert read_all(io.BytesIO(zip_bytes({"oa.jsonl": member}))) == member


def test_stream_is_capped_even_when_the_declared_check_is_fooled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipsafe, "_check_declared", lambda *args: None)  # as if the headers had lied
    data = zip_bytes({"oa.jsonl": LINES * 10})
    assert reason_of(io.BytesIO(data), max_inflated_bytes=len(LINES)) == reasons.ZIP_BOMB


def test_guard_stops_past_the_inflated_cap() -> None:
    guard = InflateGuard(NAME, compressed_bytes=10**6, max_inflated_bytes=100, max_ratio=200)
    guard.add(100)
    with pytest.raises(WeekFileError) as caught:
        guard.add(1)
    assert caught.value.reason == reasons.ZIP_BOMB


def test_guard_stops_past_the_ratio_cap() -> None:
    guard = InflateGuard(NAME, compressed_bytes=10_000, max_inflated_bytes=10**12, max_ratio=200)
    guard.add(2_000_000)
    with pytest.raises(WeekFileError) as caught:
        guard.add(1)
    assert caught.value.reason == reasons.ZIP_BOMB


# -- the error itself ----------------------------------------------------------------------------------------


def test_error_message_names_the_file() -> None:
    with pytest.raises(WeekFileError) as caught:
        read_all(io.BytesIO(b"not a zip"))
    assert NAME in caught.value.message


def test_error_reason_is_a_file_reason_code() -> None:
    with pytest.raises(WeekFileError) as caught:
        read_all(io.BytesIO(b"not a zip"))
    assert caught.value.reason in reasons.FILE_REASONS


def test_error_survives_pickling_between_spark_processes() -> None:
    error = pickle.loads(pickle.dumps(WeekFileError(reasons.ZIP_BOMB, f"{NAME}: too big")))
    assert (error.reason, error.message) == (reasons.ZIP_BOMB, f"{NAME}: too big")


# -- both inflaters: ISA-L (the fast path for deflated members) and zipfile's zlib -----------------------


@pytest.fixture(params=["isal", "zlib"])
def inflater(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "zlib":
        monkeypatch.setattr(zipsafe, "_isal", None)
    else:
        assert zipsafe._isal is not None, "isal is a dependency and must be importable"
    return request.param


def test_deflated_member_reads_whole_in_any_chunk_size(inflater: str) -> None:
    member = LINES * 500
    for size in (7, 4096, 1 << 20):
        with WeekZip(io.BytesIO(zip_bytes({"oa.jsonl": member}))) as week:
            assert b"".join(week.chunks(size=size)) == member


def test_compressed_size_ending_the_stream_before_its_end_marker_is_zip_corrupt(inflater: str) -> None:
    data = zip_bytes({"oa.jsonl": bytes(range(256)) * 400})
    compressed = struct.unpack("<I", data[data.rindex(b"PK\x01\x02") + 20 :][:4])[0]
    lying = patch_central_directory(data, 20, "<I", compressed // 2)  # the stream stops mid-way
    assert reason_of(io.BytesIO(lying)) == reasons.ZIP_CORRUPT


def test_file_ending_inside_the_member_data_is_zip_truncated(inflater: str) -> None:
    data = zip_bytes({"oa.jsonl": bytes(range(256)) * 400})

    directory = data.rindex(b"PK\x01\x02")
    cut = 100  # bytes into the member's data

    class Cut(io.BytesIO):
        """The archive's directory is intact but its member data stops, as a broken ranged read would."""

        def read(self, n: int | None = -1) -> bytes:
            at = self.tell()
            if cut <= at < directory:
                return b""
            if at < cut and (n is None or n < 0 or at + n > cut):
                n = cut - at
            return super().read(n)

    assert reason_of(Cut(data)) == reasons.ZIP_TRUNCATED


def test_crc_mismatch_of_a_deflated_member_is_zip_corrupt(inflater: str) -> None:
    data = zip_bytes({"oa.jsonl": LINES * 50})
    assert reason_of(io.BytesIO(patch_central_directory(data, 16, "<I", 0xDEADBEEF))) == reasons.ZIP_CORRUPT


def test_bad_local_header_is_zip_corrupt(inflater: str) -> None:
    data = b"PK\x03\x05" + zip_bytes({"oa.jsonl": LINES * 50})[4:]
    assert reason_of(io.BytesIO(data)) == reasons.ZIP_CORRUPT


def test_broken_deflate_stream_is_zip_corrupt(inflater: str) -> None:
    data = bytearray(zip_bytes({"oa.jsonl": LINES * 50}))
    start = 30 + len("oa.jsonl")  # right after the local file header
    data[start : start + 8] = b"\xff" * 8
    assert reason_of(io.BytesIO(bytes(data))) == reasons.ZIP_CORRUPT
