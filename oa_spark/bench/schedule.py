"""`oa-spark bench schedule`: weekly runs one after another, as a schedule makes them; do they slow down?

`bench history` compares one increment on lakes of different sizes. A schedule also piles up what each run
leaves behind: commits in every table's log, a `runs` row set per stage, a `graph_summary` file per build,
small files between `maintain`s. Here, on weeks from the sample generator (default 25 records): a run over
8 weeks, then `--weeks` (default 20) one-week `run`s in a row on that lake with no `maintain` between, each
timed. The first runs warm the JVM and are left out; on the rest, the slope of a least-squares line through
the runs' seconds (seconds per week of schedule) and the median of the last five ÷ the first five. No
docs/design.md §8 key: these are rows of the table only.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from oa_spark.bench import BenchContext, BenchResult
from oa_spark.bench.common import BENCH_START, generated_weeks
from oa_spark.bench.history import DEFAULT_RECORDS, SMALL_LAKE_WEEKS, lake_config, steps, timed_run
from oa_spark.weeks import consecutive

if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT_RUNS = 20
WARM_UP_RUNS = 2  # left out of the fit: the JVM is still compiling
ENDS = 5  # runs in each end's median


def slope(seconds: Sequence[float]) -> float:
    """Least-squares slope of seconds against the run's index: seconds added per week of schedule."""
    return statistics.linear_regression(range(len(seconds)), seconds).slope


def ends_ratio(seconds: Sequence[float], ends: int = ENDS) -> float:
    """Median of the last `ends` runs ÷ median of the first `ends` (fewer when there are few runs)."""
    n = max(1, min(ends, len(seconds) // 2))
    return statistics.median(seconds[-n:]) / statistics.median(seconds[:n])


def run(ctx: BenchContext) -> BenchResult:
    from oa_spark.config import ConfigError
    from oa_spark.session import get_spark

    runs = ctx.weeks or DEFAULT_RUNS
    if runs < 3:
        raise ConfigError("bench schedule needs --weeks 3 or more (weekly runs in a row)")
    warm_up = min(WARM_UP_RUNS, runs - 2)
    records = ctx.records or DEFAULT_RECORDS
    zips = ctx.workdir / "zips"
    generated_weeks(zips, SMALL_LAKE_WEEKS + runs, records, ctx.seed)
    weeks = consecutive(BENCH_START, SMALL_LAKE_WEEKS + runs)
    cfg = lake_config(ctx.workdir / "lake", zips)
    spark = get_spark(cfg)
    timed_run(cfg, weeks[:SMALL_LAKE_WEEKS], spark)
    seconds, reports = [], []
    for week in weeks[SMALL_LAKE_WEEKS:]:
        t, report = timed_run(cfg, [week], spark)
        seconds.append(t)
        reports.append(report)
    fitted = seconds[warm_up:]

    result = BenchResult("schedule")
    result.add(
        f"weekly runs in a row on a {SMALL_LAKE_WEEKS}-week lake, {records} records each, no maintain",
        f"{runs} ({warm_up} warm-up left out)",
    )
    result.add("seconds of each run", " ".join(f"{s:.1f}" for s in seconds))
    result.add(f"first fitted run, s ({steps(reports[warm_up])})", fitted[0])
    result.add(f"last run, s ({steps(reports[-1])})", fitted[-1])
    result.add("slope: seconds added per week of schedule", slope(fitted), "≈ 0 (fixed costs do not grow)")
    result.add(f"median of the last {ENDS} runs ÷ the first {ENDS}", ends_ratio(fitted), "≈ 1")
    return result
