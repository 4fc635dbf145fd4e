"""Shared S3 helpers: one way to build clients, transfer settings and to split `s3://bucket/prefix`.

Clients honour `AWS_ENDPOINT_URL_S3` by themselves (boto3 reads it), which is how tests point them at a
local moto server; nothing here special-cases an endpoint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from oa_spark.config import ConfigError

if TYPE_CHECKING:
    from boto3.s3.transfer import TransferConfig
    from botocore.client import BaseClient

    from oa_spark.config import StagingConfig

MB = 1024 * 1024


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` → (`bucket`, `some/prefix/`); the prefix is empty or ends with `/`."""
    parsed = urlparse(url)
    if parsed.scheme not in ("s3", "s3a") or not parsed.netloc:
        raise ConfigError(f"not an s3:// URL: {url!r}")
    prefix = parsed.path.lstrip("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return parsed.netloc, prefix


def client(
    max_attempts: int = 5,
    anonymous: bool = False,
    timeout_s: float = 60.0,
    max_pool_connections: int = 10,
) -> BaseClient:
    """An S3 client with boto3's standard retry mode; `anonymous` signs nothing (public buckets)."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    config = Config(
        retries={"mode": "standard", "max_attempts": max_attempts},
        connect_timeout=timeout_s,
        read_timeout=timeout_s,
        max_pool_connections=max_pool_connections,
        signature_version=UNSIGNED if anonymous else None,
    )
    # A session per client: boto3's default session is not safe to share between threads while creating.
    return boto3.session.Session().client("s3", config=config)


def transfer_config(staging: StagingConfig) -> TransferConfig:
    """Managed-transfer settings (multipart, ranged, threaded) from the staging section."""
    from boto3.s3.transfer import TransferConfig

    return TransferConfig(
        multipart_threshold=staging.multipart_threshold_mb * MB,
        multipart_chunksize=staging.multipart_chunksize_mb * MB,
        max_concurrency=staging.threads,
        use_threads=True,
    )


def pool_size(staging: StagingConfig) -> int:
    """Connections for `staging.threads` files at once, each moved by as many part threads."""
    return max(10, staging.threads * staging.threads)


def error_code(exc: BaseException) -> str:
    """The S3 error code of a botocore ClientError (`AccessDenied`, `404`, ...), else ''."""
    response = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code or (str(status) if status else "")


__all__ = ["MB", "client", "error_code", "parse_s3_url", "pool_size", "transfer_config"]
