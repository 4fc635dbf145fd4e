"""Weekly zips under any `s3://bucket/prefix` (a mirror), read with the standard AWS credential chain.

Listing is ListObjectsV2 through a paginator. When the listing is refused (403), each requested Sunday's key
`<prefix><file name>` is probed with HEAD instead, so a bucket that allows GET but not LIST still works.
Downloads use boto3's managed transfer (multipart, ranged GETs, threads), the same machinery as
`download_file`, so staging is measured against that.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO

from oa_spark import s3io
from oa_spark.sources import Entry, HashingWriter, OnBytes, Source, SourceError, log, one_per_week
from oa_spark.weeks import file_name, week_from_name

if TYPE_CHECKING:
    from boto3.s3.transfer import TransferConfig

    from oa_spark.config import Config

REFUSED = frozenset({"AccessDenied", "403", "AllAccessDisabled"})
ABSENT = frozenset({"404", "NoSuchKey", "NotFound", "403", "AccessDenied", "Forbidden"})
PROBE_THREADS = 8


class ListingRefused(SourceError):
    """ListObjectsV2 answered 403: the bucket may still allow GET and HEAD of single keys."""


def _etag(value: str | None) -> str | None:
    return value.strip('"') if value else None


class S3Source(Source):
    """Keys anywhere under `prefix` whose name is `bdr_oa_bulkdata_weekly_YYYY-MM-DD.zip`."""

    name = "s3"

    def __init__(
        self,
        bucket: str,
        prefix: str,
        *,
        anonymous: bool = False,
        max_attempts: int = 5,
        timeout_s: float = 60.0,
        transfer: TransferConfig | None = None,
        pool: int = 10,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.anonymous = anonymous
        self.transfer = transfer
        self.client = s3io.client(max_attempts, anonymous, timeout_s, max_pool_connections=pool)

    @classmethod
    def from_config(cls, cfg: Config) -> S3Source:
        from oa_spark.config import ConfigError

        if not cfg.source.url:
            raise ConfigError("config key source.url must be set to s3://bucket/prefix for source.name = s3")
        bucket, prefix = s3io.parse_s3_url(cfg.source.url)
        return cls(bucket, prefix, **client_options(cfg))

    def describe(self) -> str:
        return f"{self.name} s3://{self.bucket}/{self.prefix}" + (" (anonymous)" if self.anonymous else "")

    # -- listing -------------------------------------------------------------------------------------------
    def list(self, weeks: Sequence[date]) -> list[Entry]:
        try:
            return self.list_objects(weeks)
        except ListingRefused as exc:
            log.warning("%s: listing refused (%s); probing each week's key with HEAD", self.describe(), exc)
            return self.probe(weeks)

    def list_objects(self, weeks: Sequence[date]) -> builtins.list[Entry]:
        """ListObjectsV2 under the prefix; ListingRefused on 403."""
        from botocore.exceptions import BotoCoreError, ClientError

        found: list[Entry] = []
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix
            )
            for page in pages:
                for obj in page.get("Contents", []):
                    week = week_from_name(obj["Key"])
                    if week is not None:
                        found.append(self._entry(week, obj["Key"], obj["Size"], obj.get("ETag")))
        except ClientError as exc:
            code = s3io.error_code(exc)
            kind = ListingRefused if code in REFUSED else SourceError
            raise kind(f"cannot list s3://{self.bucket}/{self.prefix}: {code}") from exc
        except BotoCoreError as exc:
            raise SourceError(f"cannot list s3://{self.bucket}/{self.prefix}: {exc}") from exc
        return one_per_week(found, weeks)

    def probe(self, weeks: Sequence[date]) -> builtins.list[Entry]:
        """HEAD `<prefix><file name>` for each Sunday; 404 or 403 means no file that week."""
        with ThreadPoolExecutor(min(PROBE_THREADS, max(1, len(weeks)))) as pool:
            found = pool.map(self._head, weeks)
        return [e for e in found if e is not None]

    def _head(self, week: date) -> Entry | None:
        from botocore.exceptions import BotoCoreError, ClientError

        key = self.prefix + file_name(week)
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if s3io.error_code(exc) in ABSENT:
                return None
            raise SourceError(f"cannot HEAD s3://{self.bucket}/{key}: {s3io.error_code(exc)}") from exc
        except BotoCoreError as exc:
            raise SourceError(f"cannot HEAD s3://{self.bucket}/{key}: {exc}") from exc
        return self._entry(week, key, head["ContentLength"], head.get("ETag"))

    def _entry(self, week: date, key: str, size: int, etag: str | None) -> Entry:
        return Entry(week, key.rsplit("/", 1)[-1], int(size), _etag(etag), f"s3://{self.bucket}/{key}")

    # -- reading -------------------------------------------------------------------------------------------
    def _key(self, entry: Entry) -> str:
        return entry.url.removeprefix(f"s3://{self.bucket}/")

    def open(self, entry: Entry) -> BinaryIO:
        return self.client.get_object(Bucket=self.bucket, Key=self._key(entry))["Body"]

    def download(self, entry: Entry, fileobj: BinaryIO, progress: OnBytes | None = None) -> str | None:
        """boto3's managed transfer into `fileobj`, hashed on the way when the bytes came in order."""
        writer = HashingWriter(fileobj)
        self.client.download_fileobj(
            self.bucket, self._key(entry), writer, Config=self.transfer, Callback=progress
        )
        return writer.hexdigest()


def client_options(cfg: Config) -> dict[str, Any]:
    """Retries, timeouts, the managed-transfer settings and a connection pool for all their threads."""
    return {
        "max_attempts": cfg.source.max_attempts,
        "timeout_s": cfg.source.timeout_s,
        "transfer": s3io.transfer_config(cfg.staging),
        "pool": s3io.pool_size(cfg.staging),
    }
