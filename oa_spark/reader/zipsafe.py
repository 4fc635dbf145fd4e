"""Streaming the single member of a weekly zip, with every file fault mapped to one exception.

A weekly zip is ~67 MB and inflates to ~0.5 GB, so the member is only ever streamed in chunks. The archive
comes from the internet: it may be truncated, corrupt, empty, hold several members or be a zip bomb, and each
of those fails its week alone with a file reason code of `oa_spark.reasons` and a message naming the file.
Member names are read only to be reported; they are never used as paths. `zipfile` reads the central
directory and any member; a deflated member (every real week) is inflated by ISA-L (`isal`), which does the
same work in about half the time, with the same checks and reason codes.
"""

from __future__ import annotations

import io
import lzma
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import IO, BinaryIO

from oa_spark import reasons

_isal: ModuleType | None
try:  # ISA-L inflates the same deflate streams about twice as fast as zlib: it is most of a week's read time
    from isal import isal_zlib as _isal
except ImportError:  # pragma: no cover - isal is a dependency; zipfile's zlib reads every member anyway
    _isal = None

MAX_INFLATED_BYTES = 4 * 1024**3  # a real week inflates to ~0.6 GB at most
MAX_RATIO = 200.0  # real weeks compress ~8:1; deflate cannot exceed ~1032:1, which bombs use
RATIO_FLOOR_BYTES = 1024**2  # members smaller than this are never bombs by ratio (tiny repetitive test weeks)
CHUNK_BYTES = 1024**2

_LOCAL_HEADER_MAGIC = b"PK\x03\x04"
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # magic, then (skipped fields), name length, extra field length
_ENCRYPTED_FLAG = 0x1
_UTF8_NAME_FLAG = 0x800
_READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})

WeekSource = str | os.PathLike[str] | BinaryIO


class WeekFileError(Exception):
    """A weekly file that cannot be read at all; `reason` is a file reason code (`reasons.FILE_REASONS`) or
    one of `weekfile`'s own (a staged file that changed since staging), `message` names the file.

    The arguments are kept in `args` so that the error pickles (it crosses Spark worker boundaries).
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason, message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


@dataclass(frozen=True)
class MemberInfo:
    """What the archive declares about its one member (declared sizes may lie; streaming re-checks them)."""

    archive: str  # the file name used in messages
    member: str  # the member's stored name, for messages only
    archive_bytes: int
    compressed_bytes: int
    inflated_bytes: int


class InflateGuard:
    """Counts inflated bytes as they stream out and stops the stream once it outgrows the caps.

    Declared sizes are checked before reading, but a crafted header can understate them, so the bytes that
    actually come out are bounded too: by the absolute cap and by `max_ratio` times the compressed bytes.
    """

    def __init__(
        self, archive: str, compressed_bytes: int, max_inflated_bytes: int, max_ratio: float
    ) -> None:
        self.archive = archive
        self.inflated = 0
        self._max_inflated = max_inflated_bytes
        self._max_by_ratio = max(max_ratio * max(compressed_bytes, 1), RATIO_FLOOR_BYTES)
        self._max_ratio = max_ratio

    def add(self, count: int) -> None:
        """Account for `count` more inflated bytes; raise `zip_bomb` when a cap is passed."""
        self.inflated += count
        if self.inflated > self._max_inflated:
            raise WeekFileError(
                reasons.ZIP_BOMB,
                f"{self.archive}: member inflates past the cap of {self._max_inflated} bytes",
            )
        if self.inflated > self._max_by_ratio:
            raise WeekFileError(
                reasons.ZIP_BOMB,
                f"{self.archive}: member inflates past {self._max_ratio:g} times its compressed size",
            )


class WeekZip:
    """One weekly zip, opened and checked, whose single member can be streamed with `chunks()`.

    `source` is a local path or any seekable binary file object (e.g. an S3 object opened by smart_open);
    a file object is left open for its owner to close. Every fault of the archive raises `WeekFileError`.
    """

    def __init__(
        self,
        source: WeekSource,
        *,
        name: str | None = None,
        max_inflated_bytes: int = MAX_INFLATED_BYTES,
        max_ratio: float = MAX_RATIO,
    ) -> None:
        self.name = name or _name_of(source)
        self._max_inflated = max_inflated_bytes
        self._max_ratio = max_ratio
        self._owned: BinaryIO | None = None
        fileobj: BinaryIO
        if isinstance(source, str | os.PathLike):
            self._owned = fileobj = open(source, "rb")  # noqa: SIM115 - closed by close()
        else:
            fileobj = source
        self._fileobj = fileobj
        try:
            archive_bytes = _size_of(fileobj)
            if archive_bytes == 0:
                raise WeekFileError(reasons.ZIP_EMPTY, f"{self.name}: the file is empty (0 bytes)")
            self._zip = _open_archive(fileobj, self.name)
            self._entry = _single_member(self._zip, self.name, archive_bytes)
            self.info = MemberInfo(
                archive=self.name,
                member=self._entry.filename,
                archive_bytes=archive_bytes,
                compressed_bytes=self._entry.compress_size,
                inflated_bytes=self._entry.file_size,
            )
            _check_declared(self.info, max_inflated_bytes, max_ratio)
        except BaseException:
            self._close_owned()
            raise

    def chunks(self, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        """The member's inflated bytes in chunks of up to `size`, CRC-checked and bounded by the caps."""
        # The compressed bytes cannot exceed the archive, whatever the header claims.
        compressed = min(self.info.compressed_bytes, self.info.archive_bytes)
        guard = InflateGuard(self.name, compressed, self._max_inflated, self._max_ratio)
        if self._entry.compress_type == zipfile.ZIP_DEFLATED and _isal is not None:
            stream = _inflate_deflated(_isal, self._fileobj, self._entry, compressed, size, self.name)
        else:
            stream = _zipfile_chunks(self._zip, self._entry, size, self.name)
        for chunk in stream:
            guard.add(len(chunk))
            yield chunk
        if guard.inflated != self.info.inflated_bytes:
            raise WeekFileError(
                reasons.ZIP_CORRUPT,
                f"{self.name}: member {self.info.member!r} inflated to {guard.inflated} bytes "
                f"but its header says {self.info.inflated_bytes}",
            )

    def close(self) -> None:
        self._zip.close()
        self._close_owned()

    def __enter__(self) -> WeekZip:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _close_owned(self) -> None:
        if self._owned is not None:
            self._owned.close()
            self._owned = None


def verify_zip(
    source: WeekSource,
    *,
    name: str | None = None,
    max_inflated_bytes: int = MAX_INFLATED_BYTES,
    max_ratio: float = MAX_RATIO,
) -> MemberInfo:
    """Stream the whole member once (CRC, sizes, caps) without keeping it; raise `WeekFileError` on a fault.

    For staging, which must prove a copy readable before it counts as staged.
    """
    with WeekZip(source, name=name, max_inflated_bytes=max_inflated_bytes, max_ratio=max_ratio) as week:
        for _ in week.chunks():
            pass
        return week.info


def _name_of(source: WeekSource) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", None) or "<file object>")


def _size_of(fileobj: BinaryIO) -> int:
    """The archive's size in bytes, leaving the position where it was."""
    position = fileobj.tell()
    size = fileobj.seek(0, io.SEEK_END)
    fileobj.seek(position)
    return size


def _starts_like_zip(fileobj: BinaryIO) -> bool:
    fileobj.seek(0)
    return fileobj.read(len(_LOCAL_HEADER_MAGIC)) == _LOCAL_HEADER_MAGIC


def _open_archive(fileobj: BinaryIO, name: str) -> zipfile.ZipFile:
    """Read the central directory: a zip that starts well but lost its end is truncated, else corrupt."""
    try:
        return zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, ValueError, NotImplementedError) as exc:
        if "runcated" in str(exc) or _starts_like_zip(fileobj):
            raise WeekFileError(reasons.ZIP_TRUNCATED, f"{name}: truncated zip ({exc})") from exc
        raise WeekFileError(reasons.ZIP_CORRUPT, f"{name}: not a readable zip ({exc})") from exc


def _single_member(archive: zipfile.ZipFile, name: str, archive_bytes: int) -> zipfile.ZipInfo:
    """The one file entry (directory entries are skipped); none, several or unreadable ones are faults."""
    files = [entry for entry in archive.infolist() if not entry.is_dir()]
    if not files:
        raise WeekFileError(reasons.ZIP_EMPTY, f"{name}: the zip holds no member file")
    if len(files) > 1:
        shown = ", ".join(repr(entry.filename) for entry in files[:5])
        raise WeekFileError(
            reasons.ZIP_MULTI_MEMBER, f"{name}: expected one member file, found {len(files)} ({shown})"
        )
    entry = files[0]
    if entry.file_size == 0:
        raise WeekFileError(reasons.ZIP_EMPTY, f"{name}: member {entry.filename!r} is empty (0 bytes)")
    if not 0 <= entry.header_offset < archive_bytes:
        raise WeekFileError(
            reasons.ZIP_CORRUPT,
            f"{name}: member {entry.filename!r} starts at offset {entry.header_offset}, outside the file",
        )
    if entry.flag_bits & _ENCRYPTED_FLAG:
        raise WeekFileError(reasons.ZIP_CORRUPT, f"{name}: member {entry.filename!r} is encrypted")
    if entry.compress_type not in _READABLE_METHODS:
        raise WeekFileError(
            reasons.ZIP_CORRUPT,
            f"{name}: member {entry.filename!r} uses unsupported compression method {entry.compress_type}",
        )
    return entry


def _check_declared(info: MemberInfo, max_inflated_bytes: int, max_ratio: float) -> None:
    """Refuse a bomb from its declared sizes before inflating a single byte."""
    if info.inflated_bytes > max_inflated_bytes:
        raise WeekFileError(
            reasons.ZIP_BOMB,
            f"{info.archive}: member {info.member!r} declares {info.inflated_bytes} bytes, "
            f"over the cap of {max_inflated_bytes}",
        )
    compressed = max(min(info.compressed_bytes, info.archive_bytes), 1)
    if info.inflated_bytes > RATIO_FLOOR_BYTES and info.inflated_bytes > max_ratio * compressed:
        raise WeekFileError(
            reasons.ZIP_BOMB,
            f"{info.archive}: member {info.member!r} declares a compression ratio of "
            f"{info.inflated_bytes / compressed:.0f}:1, over the cap of {max_ratio:g}:1",
        )


def _zipfile_chunks(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, size: int, name: str
) -> Iterator[bytes]:
    member = _open_member(archive, entry, name)
    try:
        while chunk := _read(member, entry, size, name):
            yield chunk
    finally:
        member.close()


def _inflate_deflated(
    isal: ModuleType, fileobj: BinaryIO, entry: zipfile.ZipInfo, compressed: int, size: int, name: str
) -> Iterator[bytes]:
    """A deflated member inflated by ISA-L, with the checks zipfile makes: the local header (magic, name),
    a stream that ends early (truncated), a broken stream or a CRC that does not match (corrupt)."""
    fileobj.seek(entry.header_offset)
    header = fileobj.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        raise WeekFileError(reasons.ZIP_TRUNCATED, f"{name}: member data ends early (in its local header)")
    magic, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    stored = fileobj.read(name_length)
    encoding = "utf-8" if entry.flag_bits & _UTF8_NAME_FLAG else "cp437"
    if magic != _LOCAL_HEADER_MAGIC or stored.decode(encoding, "replace") != entry.orig_filename:
        raise WeekFileError(
            reasons.ZIP_CORRUPT, f"{name}: member {entry.filename!r} has a bad local file header"
        )
    fileobj.seek(extra_length, io.SEEK_CUR)
    inflater = isal.decompressobj(-15)
    crc, left, pending, cut = 0, compressed, b"", False
    try:
        while not inflater.eof:
            if not pending and left > 0:
                pending = fileobj.read(min(CHUNK_BYTES, left))
                cut = not pending  # the file ends before the member's declared compressed size
                left = 0 if cut else left - len(pending)
            chunk = inflater.decompress(pending, size)
            pending = inflater.unconsumed_tail
            if chunk:
                crc = zlib.crc32(chunk, crc)
                yield chunk
            elif not pending and left == 0:
                break  # no input left and nothing more came out
    except isal.error as exc:
        raise _stream_fault(exc, name) from exc
    if cut:
        raise WeekFileError(reasons.ZIP_TRUNCATED, f"{name}: member data ends early (the file is cut)")
    if not inflater.eof:  # the header's compressed size ends the stream before its end marker
        raise WeekFileError(
            reasons.ZIP_CORRUPT, f"{name}: member cannot be inflated (deflate stream has no end marker)"
        )
    if crc != entry.CRC:
        raise WeekFileError(reasons.ZIP_CORRUPT, f"{name}: member cannot be inflated (Bad CRC-32)")


def _open_member(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str) -> IO[bytes]:
    try:
        return archive.open(entry)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _stream_fault(exc, name) from exc


def _is_bz2_data_error(exc: OSError, entry: zipfile.ZipInfo) -> bool:
    """bz2 reports bad data as a bare OSError; others (a network error from S3) must not look corrupt."""
    return entry.compress_type == zipfile.ZIP_BZIP2 and type(exc) is OSError and exc.errno is None


def _read(member: IO[bytes], entry: zipfile.ZipInfo, size: int, name: str) -> bytes:
    """One chunk of inflated bytes; decompression and CRC faults become `WeekFileError`."""
    try:
        return member.read(size)
    except (zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError) as exc:
        raise _stream_fault(exc, name) from exc
    except OSError as exc:
        if _is_bz2_data_error(exc, entry):
            raise _stream_fault(exc, name) from exc
        raise


def _stream_fault(exc: BaseException, name: str) -> WeekFileError:
    """Data that ends early is a truncation; a bad CRC, bad header or broken deflate stream is corruption."""
    if isinstance(exc, EOFError) or "runcated" in str(exc):
        return WeekFileError(reasons.ZIP_TRUNCATED, f"{name}: member data ends early ({exc or 'EOF'})")
    return WeekFileError(reasons.ZIP_CORRUPT, f"{name}: member cannot be inflated ({exc})")
