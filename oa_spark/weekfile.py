"""One weekly zip → tagged Arrow batches for the ingest job (runs inside a Spark Python worker).

Memory stays flat whatever the week's size: records stream from the zip through the normalizer into a
spool file on local disk (Arrow IPC) while the deduper keeps only small per-record tuples; once the whole
file has been read and verified, the spool is replayed and only the winning versions are emitted. A file
that fails (corrupt, truncated, bomb...) emits no rows at all, only a stats row saying why, so the week
fails alone and its previous version stays in the table.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

import pyarrow as pa

from oa_spark import records
from oa_spark.zipsafe import WeekFileError, WeekZip

TASK_ERROR = "task_error"


@dataclass(frozen=True)
class Limits:
    max_inflated_bytes: int
    max_ratio: float
    batch_rows: int = 2000
    spool_dir: str | None = None


def open_binary(uri: str) -> BinaryIO:
    """A seekable binary stream for a local path or an s3:// / s3a:// object (ranged GETs)."""
    if uri.startswith(("s3://", "s3a://")):
        from smart_open import open as smart_open

        return smart_open("s3://" + uri.split("://", 1)[1], "rb")
    return open(uri.removeprefix("file://"), "rb")


class _Tagger:
    """Builds output batches of the task schema from office_actions batches or plain dict rows."""

    def __init__(self, out_schema: pa.Schema) -> None:
        self.schema = out_schema

    def rows(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        n = batch.num_rows
        cols = []
        for field in self.schema:
            if field.name == "kind":
                cols.append(pa.array(["row"] * n, pa.string()))
            elif field.name in batch.schema.names:
                cols.append(batch.column(field.name))
            else:
                cols.append(pa.nulls(n, field.type))
        return pa.RecordBatch.from_arrays(cols, schema=self.schema)

    def dicts(self, kind: str, items: list[dict[str, Any]]) -> pa.RecordBatch:
        return pa.RecordBatch.from_pylist([{**item, "kind": kind} for item in items], schema=self.schema)


def _sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open_binary(path) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def explode_file(
    week: date, path: str, file_name: str, limits: Limits, out_schema: pa.Schema, row_schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    """Every output batch of one zip: winners, quarantine rows, then exactly one stats row."""
    tag = _Tagger(out_schema)
    base = {"week": week, "source_file": file_name}
    stats: dict[str, Any] = {**base, "records_in": 0, "records_out": 0, "duplicates": 0, "quarantined": 0}
    quarantine: list[dict[str, Any]] = []
    deduper = records.Deduper()
    fd, spool_path = tempfile.mkstemp(prefix="oa-ingest-", suffix=".arrows", dir=limits.spool_dir)
    os.close(fd)
    try:
        with (
            open_binary(path) as fh,
            WeekZip(
                fh, name=file_name, max_inflated_bytes=limits.max_inflated_bytes, max_ratio=limits.max_ratio
            ) as wz,pa.OSFile(spool_path, "wb") as sink, pa.ipc.new_stream(sink, row_schema) as writer
        ):
            buffer: list[dict[str, Any]] = []
            seq = 0
            for line_number, raw in records.iter_records(wz.chunks()):
                stats["records_in"] += 1
                result = (
                    raw if isinstance(raw, records.Quarantine) else records.normalize(raw, line_number)
                )
                if isinstance(result, records.Quarantine):
                    quarantine.append({**base, **result.as_dict()})
                    continue
                if not deduper.offer_row(seq, result):
                    continue  # an exact duplicate line: never spooled
                result.update(base, line_number=line_number)
                buffer.append(result)
                seq += 1
                if len(buffer) >= limits.batch_rows:
                    writer.write_batch(pa.RecordBatch.from_pylist(buffer, schema=row_schema))
                    buffer = []
            if buffer:
                writer.write_batch(pa.RecordBatch.from_pylist(buffer, schema=row_schema))
        keep = deduper.kept()
        stats["duplicates"] = deduper.duplicates
        stats["quarantined"] = len(quarantine)
        stats["input_sha256"] = _sha256_file(path)
        seq = 0
        with pa.memory_map(spool_path) as source, pa.ipc.open_stream(source) as reader:
            for batch in reader:
                mask = pa.array([(seq + i) in keep for i in range(batch.num_rows)], pa.bool_())
                seq += batch.num_rows
                winners = batch.filter(mask)
                stats["records_out"] += winners.num_rows
                if winners.num_rows:
                    yield tag.rows(winners)
        if quarantine:
            yield tag.dicts("quarantine", quarantine)
    except WeekFileError as exc:
        stats.update(reason=exc.reason, message=exc.message, records_out=0)
        yield tag.dicts("quarantine", [{**base, "reason": exc.reason, "message": exc.message}])
    except Exception as exc:  # a task-level fault fails this week alone, with the traceback's last line
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        stats.update(reason=TASK_ERROR, message=f"{file_name}: {detail}", records_out=0)
        yield tag.dicts("quarantine", [{**base, "reason": TASK_ERROR, "message": stats["message"]}])
    finally:
        os.unlink(spool_path)
    yield tag.dicts("stats", [stats])


def explode_batches(
    batches: Iterable[pa.RecordBatch], limits: Limits, out_schema: pa.Schema, row_schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    """The `mapInArrow` body: input rows are (week, path, file_name, sha256)."""
    for batch in batches:
        for task in batch.to_pylist():
            yield from explode_file(
                task["week"], task["path"], task["file_name"], limits, out_schema, row_schema
            )
