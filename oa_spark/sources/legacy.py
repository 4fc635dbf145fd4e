"""The legacy Developer Hub bucket: `s3://developer-hub/bdr-oa-bulkdata/weekly/`, read anonymously.

Anonymous ListObjectsV2 was never documented (assume 403), so a refused listing falls back to HEAD on each
Sunday's key (inherited from `S3Source`). When `source.index_url` is set, the Developer Hub JSON file index
(`searchWeeklyArchiveData?fromDate=MM-DD-YYYY&toDate=MM-DD-YYYY`) lists the files instead; a download URL
that points into the bucket is still read through S3 (managed transfer), any other over plain HTTP.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urlsplit

from oa_spark.sources import Entry, OnBytes, SourceError, one_per_week
from oa_spark.sources._http import Http, safe_url
from oa_spark.sources.s3 import S3Source, client_options
from oa_spark.weeks import week_from_name

if TYPE_CHECKING:
    from oa_spark.config import Config


class LegacySource(S3Source):
    """The retired Developer Hub bucket, listed anonymously or through its JSON file index."""

    name = "legacy"

    def __init__(self, bucket: str, prefix: str, *, index_url: str = "", **options: Any) -> None:
        super().__init__(bucket, prefix, anonymous=True, **options)
        self.index_url = safe_url(index_url) if index_url else ""  # our own fromDate/toDate replace any query
        self.http = Http(
            timeout_s=options.get("timeout_s", 60.0), max_attempts=options.get("max_attempts", 5)
        )

    @classmethod
    def from_config(cls, cfg: Config) -> LegacySource:
        prefix = cfg.source.legacy_prefix.lstrip("/")
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        return cls(cfg.source.legacy_bucket, prefix, index_url=cfg.source.index_url, **client_options(cfg))

    def describe(self) -> str:
        index = f" via index {self.index_url}" if self.index_url else ""
        return super().describe() + index

    def list(self, weeks: Sequence[date]) -> list[Entry]:
        return self.list_index(weeks) if self.index_url else super().list(weeks)

    def list_index(self, weeks: Sequence[date]) -> builtins.list[Entry]:
        """The Developer Hub file index for the range: a JSON array of {archiveFileName, fileSize, ...}."""
        params = {
            "fromDate": (min(weeks) - timedelta(days=6)).strftime("%m-%d-%Y"),
            "toDate": max(weeks).strftime("%m-%d-%Y"),
        }
        answer = self.http.json(self.index_url, params)
        if not isinstance(answer, list):
            raise SourceError(f"{self.index_url} did not answer a JSON array")
        entries = (self._index_entry(item) for item in answer if isinstance(item, dict))
        return one_per_week((e for e in entries if e is not None), weeks)

    def _index_entry(self, item: dict[str, Any]) -> Entry | None:
        name, url = item.get("archiveFileName"), item.get("archiveDownloadURL")
        week = week_from_name(str(name or ""))
        if week is None or not url:
            return None
        key = self.bucket_key(url)
        size = item.get("fileSize")
        return Entry(
            week,
            str(name),
            int(size) if size is not None else None,
            str(item["createDateTime"]) if item.get("createDateTime") else None,
            f"s3://{self.bucket}/{key}" if key else url,
        )

    def bucket_key(self, url: str) -> str | None:
        """The key when `url` addresses an object of this bucket (s3://, virtual-host or path style)."""
        parts = urlsplit(url)
        host, path = (parts.hostname or "").lower(), parts.path.lstrip("/")
        if parts.scheme == "s3":
            return path if host == self.bucket and path else None
        if not host.endswith(".amazonaws.com"):
            return None
        if host.startswith(f"{self.bucket}.s3"):
            return path or None
        if host.startswith("s3") and path.startswith(f"{self.bucket}/"):
            return path[len(self.bucket) + 1 :] or None
        return None

    def open(self, entry: Entry) -> BinaryIO:
        if entry.url.startswith("s3://"):
            return super().open(entry)
        return self.http.open(entry.url)

    def download(self, entry: Entry, fileobj: BinaryIO, progress: OnBytes | None = None) -> str | None:
        if entry.url.startswith("s3://"):
            return super().download(entry, fileobj, progress)
        return self.http.download(entry.url, fileobj, progress)
