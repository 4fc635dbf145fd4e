"""`oa-spark bench`: run the named benchmarks, print one table, write the fixed figures as JSON/markdown."""

from __future__ import annotations

import importlib
import json
import platform
import tempfile
from collections.abc import Sequence
from pathlib import Path

from oa_spark.bench import BenchContext, BenchResult
from oa_spark.config import ConfigError

# run when none is named (docs/design.md §8); `schedule` only by name: it adds ~13 minutes and no §8 key
DEFAULT_NAMES = ("staging", "records", "ingest", "extract", "graphs", "history")
NAMES = (*DEFAULT_NAMES, "schedule")


def machine() -> str:
    import os

    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            mem = f", {int(fh.readline().split()[1]) // 1024 // 1024} GB RAM"
    except OSError:
        pass
    cores = os.cpu_count()
    return f"{platform.system()} {platform.machine()}, {cores} cores{mem}, Python {platform.python_version()}"


def markdown(results: list[BenchResult]) -> str:
    lines = [f"Machine: {machine()}", "", "| benchmark | metric | value | target |", "|---|---|---|---|"]
    for result in results:
        for metric, value, target in result.rows:
            lines.append(f"| {result.name} | {metric} | {value} | {target} |")
    return "\n".join(lines) + "\n"


def main(
    names: Sequence[str],
    weeks: int | None = None,
    records: int | None = None,
    repeats: int | None = None,
    json_path: str | None = None,
    markdown_path: str | None = None,
    workdir: str | None = None,
) -> int:
    chosen = list(names) or list(DEFAULT_NAMES)
    if repeats is not None and repeats < 1:
        raise ConfigError(f"--repeats must be 1 or more, got {repeats}")
    unknown = [n for n in chosen if n not in NAMES]
    if unknown:
        raise ConfigError(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    results: list[BenchResult] = []
    if workdir:
        Path(workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="oa-bench-", dir=workdir) as tmp:
        for name in chosen:
            ctx = BenchContext(workdir=Path(tmp) / name, weeks=weeks, records=records, repeats=repeats)
            ctx.workdir.mkdir(parents=True, exist_ok=True)
            module = importlib.import_module(f"oa_spark.bench.{name}")
            result = module.run(ctx)
            results.append(result)
            print(markdown([result]).split("\n", 2)[2], flush=True)
    table = markdown(results)
    print(table)
    if markdown_path:
        Path(markdown_path).write_text(table)
    if json_path:
        figures = {k: v for r in results for k, v in r.figures.items()}
        Path(json_path).write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    return 0
