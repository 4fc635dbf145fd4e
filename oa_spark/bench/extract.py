"""Extraction benchmark: MB of body text per second on one core, the slowest 1% of letters, and the time of
1 MB adversarial bodies built to make regular expressions backtrack (each must finish in under a second)."""

from __future__ import annotations

import time
from pathlib import Path

from oa_spark.bench import BenchContext, BenchResult
from oa_spark.bench.common import generated_weeks
from oa_spark.reader import records
from oa_spark.reader.zipsafe import WeekZip

ONE_MB = 1_000_000


def adversarial_bodies() -> dict[str, str]:
    """Inputs shaped like the patterns the extractor looks for, repeated to 1 MB without ever completing."""

    def fill(unit: str) -> str:
        return (unit * (ONE_MB // len(unit) + 1))[:ONE_MB]

    return {
        "claim lists": "Claims " + fill("1, 2-3, and "),
        "digits and separators": fill("US 1 2 3 4 5 6 7 8 9 0 , / - "),
        "in view of chains": "rejected under 35 U.S.C. 103 as being unpatentable over "
        + fill("A in view of "),
        "spaces": "Claims 1-3 are rejected under" + " " * ONE_MB + "35 U.S.C. 102",
        "page markers": fill("US number='12'2014/00189"),
        "open parentheses": fill("Smith et al. (US ("),
    }


def bodies_of(path: Path) -> list[str]:
    out = []
    with WeekZip(path) as wz:
        for line_number, raw in records.iter_records(wz.chunks()):
            if isinstance(raw, records.Quarantine):
                continue
            row = records.normalize(raw, line_number)
            if not isinstance(row, records.Quarantine) and row["body_text"]:
                out.append(row["body_text"])
    return out


def run(ctx: BenchContext) -> BenchResult:
    from oa_spark.extract import extract

    n = ctx.records or 5_000
    (path,) = generated_weeks(ctx.workdir, 1, n, ctx.seed)
    bodies = bodies_of(path)
    timings = []
    for body in bodies:
        start = time.process_time()
        extract(body)
        timings.append((time.process_time() - start, len(body.encode("utf-8"))))
    total_s = sum(t for t, _ in timings)
    total_mb = sum(b for _, b in timings) / 1e6
    slowest = sorted(timings, reverse=True)[: max(1, len(timings) // 100)]
    adversarial = {}
    for name, body in adversarial_bodies().items():
        start = time.perf_counter()
        extract(body)
        adversarial[name] = time.perf_counter() - start
    worst_name = max(adversarial, key=lambda name: adversarial[name])

    result = BenchResult("extract")
    result.add("letters, MB of body text", f"{len(bodies)}, {total_mb:.0f} MB")
    result.add("extract_mb_s_per_core", total_mb / total_s, "≥ 20", key="extract_mb_s_per_core")
    result.add(
        "slowest 1%: letters, max s, mean KB",
        f"{len(slowest)}, {slowest[0][0]:.3f} s, {sum(b for _, b in slowest) / len(slowest) / 1e3:.0f} KB",
    )
    result.add(
        f"extract_adversarial_s (worst: {worst_name})",
        adversarial[worst_name],
        "< 1",
        key="extract_adversarial_s",
    )
    return result
