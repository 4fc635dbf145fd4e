"""Where weekly zips come from (README, `source.name`): list a range of weeks, then copy one file's bytes.

Every source answers the same two questions, so staging never knows which one it talks to:
- `list(weeks)`: the files of those Sundays, at most one per week, with size and a version tag when the
  source gives one (an ETag, a last-modified time) so an unchanged file can be skipped without reading it;
- `download(entry, fileobj, progress)`: write the file's bytes into an open, empty, seekable binary file.
  S3 sources use boto3's managed transfer (multipart, ranged, threaded); the others stream `open(entry)`.
"""

from __future__ import annotations

import hashlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, BinaryIO

from oa_spark.config import ConfigError

if TYPE_CHECKING:
    from oa_spark.config import Config

log = logging.getLogger("oa_spark.sources")

OnBytes = Callable[[int], None]  # told how many more bytes have arrived
CHUNK = 1024 * 1024


class SourceError(RuntimeError):
    """The source could not be listed or read (network, permissions, a malformed answer)."""


class SourceAuthError(SourceError):
    """The source refused our credentials; retrying will not help."""


@dataclass(frozen=True)
class Entry:
    """One weekly file as the source lists it. `url` is where it is read from and what the manifest records
    (never a secret: API keys travel in headers, signed URLs are not kept)."""

    week: date
    file_name: str
    size: int | None
    version_tag: str | None
    url: str


class Source(ABC):
    """A place holding weekly zips."""

    name: str = ""

    @abstractmethod
    def describe(self) -> str:
        """Where this source reads from, for messages (no secrets)."""

    @abstractmethod
    def list(self, weeks: Sequence[date]) -> list[Entry]:
        """The files of these Sundays, at most one per week; a week with no file is simply absent."""

    @abstractmethod
    def open(self, entry: Entry) -> BinaryIO:
        """A readable binary stream of the file (the caller closes it)."""

    def download(self, entry: Entry, fileobj: BinaryIO, progress: OnBytes | None = None) -> str | None:
        """Copy the file into `fileobj`; returns its sha256 when computed on the way (None: caller hashes)."""
        with self.open(entry) as stream:
            return copy_hashing(iter(lambda: stream.read(CHUNK), b""), fileobj, progress)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()}>"


def copy_hashing(chunks: Iterable[bytes], dst: BinaryIO, progress: OnBytes | None = None) -> str:
    """Write `chunks` into `dst`, hashing on the way (one pass over the bytes); returns the sha256."""
    digest = hashlib.sha256()
    for chunk in chunks:
        dst.write(chunk)
        digest.update(chunk)
        if progress is not None:
            progress(len(chunk))
    return digest.hexdigest()


class HashingWriter:
    """A seekable writer around an open file, hashing the bytes written in order from offset 0.

    boto3's managed transfer writes with `seek(offset)` + `write(data)`: one GET arrives in order, so its
    digest costs no second read of the file. Ranged parts landing out of order, or a retry rewriting from an
    earlier offset, make `hexdigest()` None, and the caller reads the file once more instead."""

    def __init__(self, fileobj: BinaryIO) -> None:
        self._file = fileobj
        self._digest = hashlib.sha256()
        self._hashed = 0
        self._in_order = True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def write(self, data: bytes) -> int:
        if self._in_order and self._file.tell() == self._hashed:
            self._digest.update(data)
            self._hashed += len(data)
        else:
            self._in_order = False
        return self._file.write(data)

    def hexdigest(self) -> str | None:
        return self._digest.hexdigest() if self._in_order else None


def one_per_week(entries: Iterable[Entry], weeks: Sequence[date]) -> list[Entry]:
    """Keep the requested weeks only; when a source holds two files for one week, keep the last one listed
    and say so: a mirror with duplicates is worth knowing about."""
    wanted = set(weeks)
    chosen: dict[date, Entry] = {}
    for entry in entries:
        if entry.week not in wanted:
            continue
        if entry.week in chosen:
            log.warning(
                "two files for week %s: %s and %s; using the latter",
                entry.week,
                chosen[entry.week].url,
                entry.url,
            )
        chosen[entry.week] = entry
    return [chosen[w] for w in sorted(chosen)]


def default_weeks(cfg: Config) -> list[date]:
    """Without --from/--to the sample source runs its own weeks; real sources need a range."""
    if cfg.source.name == "sample":
        from oa_spark.sources.sample import sample_weeks

        return sample_weeks(cfg.sample)
    raise ConfigError(f"source.name={cfg.source.name} needs a range: give --from DATE --to DATE or --weeks")


def make_source(cfg: Config) -> Source:
    """The source named by `source.name`, configured from the `source` (and `sample`, `staging`) sections."""
    name = cfg.source.name
    if name == "legacy":
        from oa_spark.sources.legacy import LegacySource

        return LegacySource.from_config(cfg)
    if name == "odp":
        from oa_spark.sources.odp import OdpSource

        return OdpSource.from_config(cfg)
    if name == "s3":
        from oa_spark.sources.s3 import S3Source

        return S3Source.from_config(cfg)
    if name == "local":
        from oa_spark.sources.local import LocalSource

        return LocalSource.from_config(cfg)
    if name == "sample":
        from oa_spark.sources.sample import SampleSource

        return SampleSource.from_config(cfg)
    raise ConfigError(f"config key source.name must be one of legacy, odp, s3, local, sample; got {name!r}")


__all__ = [
    "Entry",
    "HashingWriter",
    "Source",
    "SourceAuthError",
    "SourceError",
    "copy_hashing",
    "make_source",
    "one_per_week",
]
