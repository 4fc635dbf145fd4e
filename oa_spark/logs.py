"""Structured logging: one `key=value` (or JSON) line per event, and progress on a terminal.

Jobs call `event(log, "week_done", week=..., records_out=...)`. Secrets never reach here: callers pass
counts, names and paths, never credentials.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any, TextIO, TypeVar

import orjson

T = TypeVar("T")


def _value(v: Any) -> str:
    text = str(v)
    return f'"{text}"' if (" " in text or "=" in text or not text) else text


class _KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None) or {}
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))
        level = record.levelname.lower()
        head = f"ts={stamp} level={level} logger={record.name} event={_value(record.getMessage())}"
        return " ".join([head, *(f"{k}={_value(v)}" for k, v in fields.items())])


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None) or {}
        doc = {
            "ts": record.created,
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            **fields,
        }
        return orjson.dumps(doc, default=str).decode()


def setup(level: str = "INFO", fmt: str = "kv", stream: TextIO | None = None) -> None:
    """Configure the `oa_spark` logger tree once per process (idempotent)."""
    root = logging.getLogger("oa_spark")
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_JsonFormatter() if fmt == "json" else _KeyValueFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    for noisy in ("botocore", "boto3", "urllib3", "s3transfer"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # py4j logs each failed or cut JVM call (connection errors, with a traceback) and then raises it to the
    # caller, which reports it: its own records repeat what the command says, as noise after Ctrl-C
    logging.getLogger("py4j").setLevel(logging.CRITICAL)
    top = logging.getLogger()
    if not any(isinstance(f, InterruptedCall) for f in top.filters):
        top.addFilter(InterruptedCall())


class InterruptedCall(logging.Filter):
    """Drops py4j's record of a JVM call cut by Ctrl-C or SIGTERM. py4j logs it on the root logger with
    its traceback and then raises the interrupt, which the command reports in its one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        kind = record.exc_info[0] if record.exc_info else None
        cut = kind is not None and issubclass(kind, KeyboardInterrupt)
        return not (cut and "py4j" in record.pathname)


def event(log: logging.Logger, name: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one structured event."""
    log.log(level, name, extra={"fields": fields})


class Progress:
    """A one-line progress display on a terminal; silent otherwise (the per-week log lines suffice)."""

    def __init__(self, label: str, total: int, unit: str = "weeks", stream: TextIO | None = None) -> None:
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.done = 0
        self.start = time.monotonic()

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.done += n
        if self.enabled:
            elapsed = time.monotonic() - self.start
            self.stream.write(
                f"\r{self.label}: {self.done}/{self.total} {self.unit} {detail} [{elapsed:.0f}s]\x1b[K"
            )
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def in_batches(batches: Sequence[list[T]], label: str, stream: TextIO | None = None) -> Iterator[list[T]]:
    """Each batch in turn (see `oa_spark.batches`), with a progress display advanced by its items after it.

    Every job that works through weeks (stage, ingest, extract, run) goes batch by batch: a batch is one
    Spark job and one commit per table.
    """
    progress = Progress(label, sum(len(b) for b in batches), stream=stream)
    for batch in batches:
        yield batch
        progress.advance(len(batch))
    progress.close()
