"""Shared pieces of the benchmarks: generated weeks, the bare inflate+parse baseline, timing."""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import orjson

REALISTIC_RECORDS = 15_000  # docs/design.md §8: ~15k records, ~0.5 GB of JSON per week
BENCH_START = date(2022, 1, 2)


def generated_weeks(out: Path, weeks: int, records: int, seed: int = 7) -> list[Path]:
    """Weekly zips from the sample generator (cached in `out`: generation is not what is measured)."""
    from oa_spark.synth import generate

    zips = sorted(out.glob("bdr_oa_bulkdata_weekly_*.zip"))
    if len(zips) < weeks:
        generate(out, weeks=weeks, start=BENCH_START, records=records, seed=seed)
        zips = sorted(out.glob("bdr_oa_bulkdata_weekly_*.zip"))
    return zips[:weeks]


def inflated_bytes(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist())


def bare_inflate_parse(path: Path) -> int:
    """The single-core limit: inflate the member and parse every line with orjson, nothing else."""
    count, rest = 0, b""
    with zipfile.ZipFile(path) as zf, zf.open(zf.infolist()[0]) as member:
        rest = member.read(3).removeprefix(b"\xef\xbb\xbf")  # a UTF-8 BOM may open the member
        while chunk := member.read(1 << 20):
            parts = (rest + chunk).split(b"\n")
            rest = parts.pop()
            for line in parts:
                if line.strip():
                    orjson.loads(line)
                    count += 1
    if rest.strip():
        orjson.loads(rest)
        count += 1
    return count


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children) from /proc, or None if gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return int(fields[1]), ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int) -> tuple[float, float] | None:
    """CPU seconds so far of process `root` and of all its descendants (Linux /proc; None elsewhere).

    Used on the Spark JVM: its own time is the JVM's, its descendants are PySpark's Python workers.
    """
    if not os.path.isdir("/proc"):
        return None
    stats = {int(p): _proc_stat(int(p)) for p in os.listdir("/proc") if p.isdigit()}
    children: dict[int, list[int]] = {}
    for pid, stat in stats.items():
        if stat is not None:
            children.setdefault(stat[0], []).append(pid)
    own = stats.get(root)
    if own is None:
        return None
    below, todo = 0.0, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        below += stats[pid][1]  # type: ignore[index]
        todo += children.get(pid, [])
    return own[1], below


def cpu_time(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def wall_time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_of(repeats: int, *fns: Callable[[], float]) -> list[float]:
    """Interleave the measurements (a, b, a, b, ...) and keep each one's best: noise hits both alike."""
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], fn())
    return best
