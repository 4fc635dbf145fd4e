"""One weekly zip → office_actions Arrow batches for the ingest job (runs inside a Spark Python worker).

Memory stays flat whatever the week's size: records stream from the zip through the normalizer into a
spool file on local disk (Arrow IPC) while the deduper keeps only small per-record tuples; once the whole
file has been read and verified, the spool is replayed in bounded batches and only the winning versions
are emitted. The week's counts and quarantined records go to the driver in one extra output row (see
`explode_tasks`), and a file that cannot be read raises `WeekFailed`, which aborts the write job before its
commit: the ingest job then commits the other weeks without it.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any, BinaryIO

import orjson
import pyarrow as pa

from oa_spark.reader import records
from oa_spark.reader.zipsafe import WeekFileError, WeekZip

TASK_ERROR = "task_error"
RECONCILE = "records_do_not_reconcile"
# the staged zip is not the size the manifest recorded: replaced or cut since staging
STAGED_CHANGED = "staged_file_changed"
BATCH_BYTES = 16 * 1024 * 1024  # rows per Arrow batch are bounded by bytes: bodies vary from 2 KB to 120 KB

Report = Callable[[date, dict[str, Any]], None]


@dataclass(frozen=True)
class Limits:
    """Zip-bomb guards for reading a week (inflated size, ratio) and the local dir for its spool file."""

    max_inflated_bytes: int
    max_ratio: float
    spool_dir: str | None = None


class WeekFailed(RuntimeError):
    """A week whose file cannot be ingested. The marker in the message survives the trip through Spark's
    exception chain, so the driver can name the week and its reason."""

    def __init__(self, week: date, reason: str, message: str) -> None:
        super().__init__(f"OA_WEEK_FAILED[{week.isoformat()}|{reason}|{message.replace(']', ')')}]")
        self.week, self.reason, self.message = week, reason, message


_MARKER = re.compile(r"OA_WEEK_FAILED\[(\d{4}-\d{2}-\d{2})\|([^|\]]*)\|([^\]]*)\]")


def failures_in(text: str) -> dict[date, tuple[str, str]]:
    """The weeks named by `WeekFailed` markers in an exception's text: week → (reason, message)."""
    return {date.fromisoformat(w): (reason, message) for w, reason, message in _MARKER.findall(text)}


def spool_dir(configured: str | None) -> str | None:
    """`ingest.spool_dir` when set; else one of Spark's local dirs for this worker (Spark puts them in
    SPARK_LOCAL_DIRS for every Python worker: the executor's scratch disks, removed with it); else the
    system temp dir (a plain Python run)."""
    if configured:
        return configured
    dirs = [d for d in os.environ.get("SPARK_LOCAL_DIRS", "").split(",") if d]
    return random.choice(dirs) if dirs else None


def open_binary(uri: str) -> BinaryIO:
    """A seekable binary stream for a local path or an s3:// / s3a:// object (ranged GETs)."""
    if uri.startswith(("s3://", "s3a://")):
        from smart_open import open as smart_open

        return smart_open("s3://" + uri.split("://", 1)[1], "rb")
    return open(uri.removeprefix("file://"), "rb")


def _spool(
    wz: WeekZip,
    writer: pa.ipc.RecordBatchStreamWriter,
    row_schema: pa.Schema,
    base: dict[str, Any],
    deduper: records.Deduper,
    quarantine: list[dict[str, Any]],
) -> int:
    """Normalize every record into the spool; returns records_in. Exact duplicate lines are never spooled."""
    records_in, seq, buffered = 0, 0, 0
    buffer: list[dict[str, Any]] = []
    for line_number, raw in records.iter_records(wz.chunks()):
        records_in += 1
        result = raw if isinstance(raw, records.Quarantine) else records.normalize(raw, line_number)
        if isinstance(result, records.Quarantine):
            quarantine.append({**base, **result.as_dict()})
            continue
        if not deduper.offer_row(seq, result):
            continue
        result.update(base, line_number=line_number)
        buffer.append(result)
        buffered += len(result["body_text"] or "")
        seq += 1
        if buffered >= BATCH_BYTES:
            writer.write_batch(pa.RecordBatch.from_pylist(buffer, schema=row_schema))
            buffer, buffered = [], 0
    if buffer:
        writer.write_batch(pa.RecordBatch.from_pylist(buffer, schema=row_schema))
    return records_in


def _check_size(fh: BinaryIO, size: int | None, file_name: str) -> None:
    """Raise WeekFileError(STAGED_CHANGED) when the open file is not `size` bytes long (None: not known)."""
    if size is None:
        return
    actual = fh.seek(0, os.SEEK_END)
    fh.seek(0)
    if actual != size:
        raise WeekFileError(
            STAGED_CHANGED,
            f"{file_name}: {actual} bytes, but the manifest (staged_files) recorded {size}: the staged file"
            " was replaced or cut since it was staged (a staging area shared by two lakes?); stage the week"
            " again with `oa-spark stage --force --weeks <week>`",
        )


def explode_file(
    week: date,
    path: str,
    file_name: str,
    limits: Limits,
    row_schema: pa.Schema,
    report: Report,
    ingested_at: datetime | None = None,
    size: int | None = None,
) -> Iterator[pa.RecordBatch]:
    """The winning office_actions rows of one zip; its counts and quarantine rows go to `report`. `size`:
    the bytes the manifest recorded for it (checked first, so a file replaced since staging is not read as
    if it were the one `runs` will name by its sha256)."""
    base = {"week": week, "source_file": file_name}
    quarantine: list[dict[str, Any]] = []
    deduper = records.Deduper()
    fd, spool_path = tempfile.mkstemp(prefix="oa-ingest-", suffix=".arrows", dir=spool_dir(limits.spool_dir))
    os.close(fd)
    try:
        try:
            with open_binary(path) as fh:
                _check_size(fh, size, file_name)
                with (
                    WeekZip(
                        fh,
                        name=file_name,
                        max_inflated_bytes=limits.max_inflated_bytes,
                        max_ratio=limits.max_ratio,
                    ) as wz,
                    pa.OSFile(spool_path, "wb") as sink,
                    pa.ipc.new_stream(sink, row_schema) as writer,
                ):
                    records_in = _spool(wz, writer, row_schema, base, deduper, quarantine)
        except WeekFileError as exc:
            raise WeekFailed(week, exc.reason, exc.message) from exc
        except Exception as exc:  # a task-level fault fails this week alone, with the exception's last line
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            raise WeekFailed(week, TASK_ERROR, f"{file_name}: {detail}") from exc
        keep = deduper.kept()
        records_out, seq = 0, 0
        # Read the spool back as ordinary buffers (not memory-mapped: mapped pages would count as the
        # worker's resident memory and grow with the week).
        with pa.OSFile(spool_path, "rb") as source, pa.ipc.open_stream(source) as reader:
            for batch in reader:
                mask = pa.array([(seq + i) in keep for i in range(batch.num_rows)], pa.bool_())
                seq += batch.num_rows
                winners = batch.filter(mask)
                if ingested_at is not None:
                    stamp = pa.array([ingested_at] * winners.num_rows, row_schema.field("ingested_at").type)
                    winners = winners.set_column(
                        row_schema.get_field_index("ingested_at"), "ingested_at", stamp
                    )
                records_out += winners.num_rows
                if winners.num_rows:
                    yield winners
    finally:
        os.unlink(spool_path)
    counts = {
        "records_in": records_in,
        "records_out": records_out,
        "duplicates": deduper.duplicates,
        "quarantined": len(quarantine),
    }
    if counts["records_in"] != counts["records_out"] + counts["duplicates"] + counts["quarantined"]:
        raise WeekFailed(week, RECONCILE, f"{file_name}: {counts}")
    report(week, {**counts, "quarantine": quarantine})


REPORT = "_report"  # the output column that carries a week's report row beside its data rows


def with_report_column(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A data batch with a null `_report` column, as the ingest task's output schema has it."""
    return batch.append_column(pa.field(REPORT, pa.string()), pa.nulls(batch.num_rows, pa.string()))


def report_batch(out_schema: pa.Schema, text: str) -> pa.RecordBatch:
    """The one output row that carries a report: every data column null, `_report` = `text`."""
    return pa.RecordBatch.from_pylist([{REPORT: text}], schema=out_schema)


def encode_report(week: date, report: dict[str, Any]) -> str:
    return orjson.dumps({"week": week, **report}).decode()


def decode_report(text: str) -> tuple[date, dict[str, Any]]:
    """(week, its counts and quarantine rows) from `encode_report`'s text, dates restored."""
    report = orjson.loads(text)
    week = date.fromisoformat(report.pop("week"))
    report["quarantine"] = [{**q, "week": week} for q in report.get("quarantine", [])]
    return week, report


def explode_tasks(
    batches: Iterable[pa.RecordBatch],
    tasks: Sequence[tuple[date, str, str, int | None]],
    limits: Limits,
    out_schema: pa.Schema,
    ingested_at: datetime | None = None,
) -> Iterator[pa.RecordBatch]:
    """The `mapInArrow` body of ingest: input rows carry `id`, an index into `tasks` (week, path, file
    name, size or None); out go each zip's winning rows and then one report row (counts and quarantine) for
    its week.

    Reports travel in the data rather than in an accumulator, so the same code runs on Spark Connect; the
    driver reads them through an `Observation` of the write job, which counts each partition once.
    """
    row_schema = pa.schema([f for f in out_schema if f.name != REPORT])
    for batch in batches:
        for index in batch.column("id").to_pylist():
            week, path, file_name, size = tasks[index]
            reports: list[str] = []
            report = partial(_keep_report, reports)
            for rows in explode_file(week, path, file_name, limits, row_schema, report, ingested_at, size):
                yield with_report_column(rows)
            for text in reports:
                yield report_batch(out_schema, text)


def _keep_report(into: list[str], week: date, report: dict[str, Any]) -> None:
    into.append(encode_report(week, report))
