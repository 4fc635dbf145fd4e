"""A directory of weekly zips (`source.url`): its own files named `bdr_oa_bulkdata_weekly_YYYY-MM-DD.zip`.

Only the directory itself is listed, not sub-folders, so pointing it at a tree (a staging area with its
`v2/` versions, say) never picks up a file twice. The version tag is the file's size and mtime: an edited or
replaced file is read again, and if its bytes did not change staging still recognises it by sha256.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from oa_spark.config import ConfigError
from oa_spark.sources import Entry, Source, SourceError, one_per_week
from oa_spark.weeks import week_from_name

if TYPE_CHECKING:
    from oa_spark.config import Config


class LocalSource(Source):
    """Weekly zips in one local directory (not its sub-folders); also what the built-in sample serves."""

    name = "local"

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory).expanduser().resolve()

    @classmethod
    def from_config(cls, cfg: Config) -> LocalSource:
        url = cfg.source.url.removeprefix("file://")
        if not url:
            raise ConfigError(
                "config key source.url must name a directory of weekly zips for source.name = local"
            )
        return cls(url)

    def describe(self) -> str:
        return f"{self.name} {self.directory}"

    def list(self, weeks: Sequence[date]) -> list[Entry]:
        try:
            items = list(os.scandir(self.directory))
        except OSError as exc:
            raise SourceError(f"cannot list {self.directory}: {exc.strerror or exc}") from exc
        found = []
        for item in sorted(items, key=lambda i: i.name):
            week = week_from_name(item.name)
            if week is None or not item.is_file():
                continue
            stat = item.stat()
            tag = f"{stat.st_size}-{stat.st_mtime_ns}"
            found.append(Entry(week, item.name, stat.st_size, tag, Path(item.path).as_uri()))
        return one_per_week(found, weeks)

    def path(self, entry: Entry) -> Path:
        return self.directory / entry.file_name

    def open(self, entry: Entry) -> BinaryIO:
        return self.path(entry).open("rb")
