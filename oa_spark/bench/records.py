"""Records benchmark: normalizing a generated week on one core ÷ bare inflate + parse of the same zip."""

from __future__ import annotations

from pathlib import Path

from oa_spark.bench import BenchContext, BenchResult
from oa_spark.bench.common import (
    REALISTIC_RECORDS,
    bare_inflate_parse,
    best_of,
    cpu_time,
    generated_weeks,
    inflated_bytes,
)
from oa_spark.reader import records
from oa_spark.reader.zipsafe import WeekZip


def normalize_week(path: Path) -> int:
    """What an ingest task does per record: stream, normalize, dedupe (no Spark, no Arrow)."""
    deduper = records.Deduper()
    seq = 0
    with WeekZip(path) as wz:
        for line_number, raw in records.iter_records(wz.chunks()):
            row = raw if isinstance(raw, records.Quarantine) else records.normalize(raw, line_number)
            if not isinstance(row, records.Quarantine) and deduper.offer_row(seq, row):
                seq += 1
    return seq


def run(ctx: BenchContext) -> BenchResult:
    n = ctx.records or REALISTIC_RECORDS
    (path,) = generated_weeks(ctx.workdir, 1, n, ctx.seed)
    mb = inflated_bytes(path) / 1e6
    bare, ours = best_of(
        2, lambda: cpu_time(lambda: bare_inflate_parse(path)), lambda: cpu_time(lambda: normalize_week(path))
    )
    result = BenchResult("records")
    result.add("week (records, MB of JSON)", f"{n}, {mb:.0f} MB")
    result.add("bare inflate+parse MB/s (1 core)", mb / bare)
    result.add("normalize MB/s (1 core)", mb / ours)
    result.add("normalize records/s (1 core)", n / ours)
    result.add("records_vs_inflate_parse", bare / ours, "≥ 0.5", key="records_vs_inflate_parse")
    return result
