"""File-system work the driver does outside Spark, through pyarrow's file systems (local paths, Volumes,
`s3://` and `s3a://`, HDFS): the same on every kind of session, since Spark Connect exposes no Hadoop
FileSystem to the client.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyarrow.fs import FileSystem


def filesystem(uri: str) -> tuple[FileSystem, str]:
    """(file system, path inside it) for a local path or an `s3://` / `s3a://` / `hdfs://` URI.

    S3 honours `AWS_ENDPOINT_URL_S3` (a moto or MinIO stand-in) like boto3 does, and the standard AWS chain.
    """
    from pyarrow import fs

    if uri.startswith(("s3://", "s3a://")):
        bucket_path = uri.split("://", 1)[1]
        endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        options: dict[str, object] = {}
        if endpoint:
            scheme, _, host = endpoint.partition("://")
            options = {"endpoint_override": host.rstrip("/"), "scheme": scheme}
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        if region:
            options["region"] = region
        return fs.S3FileSystem(**options), bucket_path.rstrip("/")
    if "://" in uri and not uri.startswith("file://"):
        return fs.FileSystem.from_uri(uri)
    return fs.LocalFileSystem(), os.path.abspath(uri.removeprefix("file://"))


def _log_names(table_location: str) -> list[str] | None:
    """The file names in the table's `_delta_log`; None when there is no such folder."""
    from pyarrow import fs

    filesys, path = filesystem(table_location)
    log_dir = f"{path}/_delta_log"
    if filesys.get_file_info(log_dir).type != fs.FileType.Directory:
        return None
    return [info.base_name for info in filesys.get_file_info(fs.FileSelector(log_dir))]


def _has_commit(names: list[str]) -> bool:
    """A commit file or a checkpoint (single- or multi-part, Parquet or JSON) of some version."""
    return any(n[:1].isdigit() and n.endswith((".json", ".parquet")) for n in names)


def committed(table_location: str) -> bool | None:
    """Whether a path holds a Delta table with at least one commit, asked of the storage, not of Spark;
    None when the driver cannot tell (DBFS, a file system pyarrow cannot open, no credentials here)."""
    if table_location.startswith("dbfs:"):
        return None
    try:
        names = _log_names(table_location)
    except Exception:  # any failure only means: ask Spark instead
        return None
    return names is not None and _has_commit(names)


def drop_uncommitted_log(table_location: str) -> bool:
    """Remove a `_delta_log` that holds no commit: what a job killed while creating the table leaves.

    Delta refuses to create a table over it, so every rerun would fail. With no commit there is no table
    version anyone can read, so nothing is lost. Returns whether a log was removed.
    """
    if table_location.startswith("dbfs:"):
        return False  # DBFS has no pyarrow file system; Databricks lakes are catalog tables or Volumes
    names = _log_names(table_location)
    if names is None or _has_commit(names):
        return False
    filesys, path = filesystem(table_location)
    filesys.delete_dir(f"{path}/_delta_log")
    return True


def remove_tree(uri: str) -> None:
    """Delete a folder and everything under it; a missing folder is fine."""
    from pyarrow import fs

    filesys, path = filesystem(uri)
    if filesys.get_file_info(path).type == fs.FileType.Directory:
        filesys.delete_dir(path)


def stale_folders(uri: str, older_than: datetime) -> list[str]:
    """The sub-folders of `uri` in which nothing was written since `older_than` (an aware UTC time): the
    newest time under each decides (object stores keep times of files only). A missing `uri` has none."""
    from pyarrow import fs

    filesys, path = filesystem(uri)
    if filesys.get_file_info(path).type != fs.FileType.Directory:
        return []
    newest: dict[str, datetime | None] = {}
    for info in filesys.get_file_info(fs.FileSelector(path, recursive=True)):
        top = info.path[len(path) :].strip("/").split("/", 1)[0]
        newest.setdefault(top, None)
        if info.mtime is not None:
            seen = newest[top]
            mtime = info.mtime if info.mtime.tzinfo else info.mtime.replace(tzinfo=UTC)
            newest[top] = mtime if seen is None or mtime > seen else seen
    prefix = uri.rstrip("/")
    return [f"{prefix}/{top}" for top, at in sorted(newest.items()) if at is None or at < older_than]


def single_file(folder: str, target: str) -> str:
    """Move the one `part-*` file Spark wrote under `folder` to `target`, then delete `folder`."""
    from pyarrow import fs

    filesys, path = filesystem(folder)
    _, target_path = filesystem(target)
    parts = [
        info.path
        for info in filesys.get_file_info(fs.FileSelector(path))
        if info.base_name.startswith("part-")
    ]
    if len(parts) != 1:
        raise FileNotFoundError(f"expected one part file in {folder}, found {len(parts)}")
    if filesys.get_file_info(target_path).type != fs.FileType.NotFound:
        filesys.delete_file(target_path)
    filesys.move(parts[0], target_path)
    filesys.delete_dir(path)
    return target
