"""Ingest benchmark (docs/design.md §8): throughput against the single-core inflate+parse limit and against
Spark's own JSON reader over the same records already unzipped, plus a Spark Python worker's peak RSS as
weeks grow.

Everything is measured in this one run on the same generated weeks, so the ratios hold on a noisy machine.
"""

from __future__ import annotations

import shutil
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from oa_spark.bench import BenchContext, BenchResult
from oa_spark.bench.common import (
    REALISTIC_RECORDS,
    bare_inflate_parse,
    cpu_time,
    generated_weeks,
    inflated_bytes,
    tree_cpu,
    wall_time,
)
from oa_spark.weeks import week_from_name

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import SparkSession

    from oa_spark.config import Config
    from oa_spark.ledger import RunState
    from oa_spark.stages.ingest import WeekTask

CLEAR_REFS = Path("/proc/self/clear_refs")  # Linux: writing "5" resets the process's peak RSS (VmHWM)


def _reset_peak_rss() -> None:
    CLEAR_REFS.write_text("5")


def _peak_rss() -> int:
    """This process's peak resident set since the last reset, in bytes (VmHWM of /proc/self/status)."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


def worker_peak_rss(spark: SparkSession, path: Path) -> int:
    """Peak RSS of the Spark Python worker that ingests one zip, in bytes.

    The worker resets its high-water mark as the task starts and reports it as the task ends (in the
    report row that the ingest task emits anyway, read back through an `Observation`), so what earlier
    tasks of a reused worker held does not count.
    """
    from pyspark.sql import Observation
    from pyspark.sql import functions as F

    from oa_spark.reader.weekfile import REPORT, Limits, explode_tasks, report_batch
    from oa_spark.schemas import INGEST_TASK_OUTPUT, arrow_schema
    from oa_spark.stages.ingest import task_frame

    limits, schema = Limits(8 << 30, 1000.0), arrow_schema(INGEST_TASK_OUTPUT)
    work = [(week_of_file(path), str(path), path.name, path.stat().st_size)]

    def task(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _reset_peak_rss()
        for batch in explode_tasks(batches, work, limits, schema):
            if batch.column(REPORT).null_count == batch.num_rows:
                yield batch
        yield report_batch(schema, str(_peak_rss()))

    peak = Observation("worker_peak_rss")
    out = task_frame(spark, 1).mapInArrow(task, INGEST_TASK_OUTPUT)
    out.observe(peak, F.max(F.col(REPORT).cast("long")).alias("peak")).write.format("noop").mode(
        "overwrite"
    ).save()
    return int(peak.get["peak"])


def week_of_file(path: Path) -> date:
    week = week_from_name(path.name)
    if week is None:
        raise ValueError(f"not a weekly file name: {path.name}")
    return week


def unzip_json(zips: list[Path], out: Path) -> list[tuple[date, Path]]:
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for path in zips:
        target = out / (path.stem + ".jsonl")
        with zipfile.ZipFile(path) as zf, zf.open(zf.infolist()[0]) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        files.append((week_of_file(path), target))
    return files


def spark_read_json(
    spark: SparkSession, lake_path: Path, files: list[tuple[date, Path]], compression: str
) -> None:
    """Baseline: spark.read.json (explicit schema) of the unzipped weeks, written to Delta by week with the
    lake's Parquet codec, as ingest writes."""
    from functools import reduce

    from pyspark.sql import functions as F

    from oa_spark.schemas import RAW_WEEKLY
    from oa_spark.tables import weeks_predicate

    frames = [spark.read.schema(RAW_WEEKLY).json(str(p)).withColumn("week", F.lit(w)) for w, p in files]
    df = reduce(lambda a, b: a.unionByName(b), frames)
    (
        df.write.format("delta")
        .option("compression", compression)
        .mode("overwrite")
        .partitionBy("week")
        .option("replaceWhere", weeks_predicate([w for w, _ in files]))
        .save(str(lake_path))
    )


class Measured:
    """The best (shortest) of several runs: its wall seconds and the CPU seconds of the Spark JVM and of
    its Python workers during it (None where /proc is not available)."""

    def __init__(self) -> None:
        self.seconds = float("inf")
        self.cpu: tuple[float, float] | None = None

    def run(self, jvm_pid: int, fn: Callable[[], object]) -> None:
        before = tree_cpu(jvm_pid)
        seconds = wall_time(fn)
        after = tree_cpu(jvm_pid)
        if seconds < self.seconds:
            self.seconds = seconds
            if before is not None and after is not None:
                self.cpu = (after[0] - before[0], after[1] - before[1])


def planned(spark: SparkSession, cfg: Config, zips: list[Path]) -> tuple[RunState, list[WeekTask]]:
    """What `ingest.main` has before its batches run: the run's state with the weeks' `runs` rows read (its
    one ledger read per run, in `plan`) and the tasks. Kept out of the timed ingest, as the old bench was."""
    from oa_spark.ledger import RunState
    from oa_spark.stages.ingest import WeekTask
    from oa_spark.tables import Lake

    tasks = [WeekTask(week_of_file(p), str(p), p.name, None) for p in zips]
    state = RunState.open(Lake(spark, cfg.lake))
    state.ledger.latest("ingest", [t.week for t in tasks])
    return state, tasks


def ingest_once(spark: SparkSession, cfg: Config, state: RunState, tasks: list[WeekTask]) -> None:
    """One batch of ingest as a run does it: write the weeks, the quarantine and the `runs` rows."""
    from oa_spark.ledger import new_run_id
    from oa_spark.stages.ingest import ingest_weeks

    outcomes = ingest_weeks(spark, cfg, state, tasks, new_run_id())
    state.ledger.flush()
    bad = [o for o in outcomes if o.status != "done"]
    if bad:
        raise RuntimeError(f"benchmark weeks failed to ingest: {bad}")


def run(ctx: BenchContext) -> BenchResult:
    from oa_spark import config
    from oa_spark.session import get_spark

    n = ctx.records or REALISTIC_RECORDS
    weeks = ctx.weeks or 2
    zips = generated_weeks(ctx.workdir / "weeks", weeks, n, ctx.seed)
    mb = sum(inflated_bytes(p) for p in zips) / 1e6
    cfg = config.load(
        overrides=["spark.master=local[2]", f"lake.path={ctx.workdir / 'lake'}", f"run.batch_weeks={weeks}"]
    )
    spark = get_spark(cfg)
    cores = spark.sparkContext.defaultParallelism
    json_files = unzip_json(zips, ctx.workdir / "json")

    limit = cpu_time(lambda: [bare_inflate_parse(p) for p in zips])
    jvm = int(spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid())  # type: ignore[union-attr]
    ingest, read_json = Measured(), Measured()
    baseline = ctx.workdir / "baseline"
    plan_s = float("inf")
    for _ in range(2):  # the first of each pays the JIT warm-up: keep each one's best run
        started = time.perf_counter()
        state, tasks = planned(spark, cfg, zips)
        plan_s = min(plan_s, time.perf_counter() - started)
        ingest.run(jvm, partial(ingest_once, spark, cfg, state, tasks))
        read_json.run(jvm, lambda: spark_read_json(spark, baseline, json_files, cfg.lake.compression))
    ingest_s, read_json_s = ingest.seconds, read_json.seconds

    big = generated_weeks(ctx.workdir / "double", 1, 2 * n, ctx.seed + 1)[0]
    rss = None
    if CLEAR_REFS.exists():  # Linux only; elsewhere the figure is left out
        rss = worker_peak_rss(spark, zips[0]), worker_peak_rss(spark, big)

    result = BenchResult("ingest")
    result.add("weeks × records, MB of JSON", f"{weeks} × {n}, {mb:.0f} MB")
    result.add("single-core inflate+parse MB/s", mb / limit)
    result.add(f"ingest MB/s per core ({cores} cores)", mb / ingest_s / cores)
    result.add(
        "ingest_vs_inflate_parse",
        (mb / ingest_s / cores) / (mb / limit),
        "≥ 0.5",
        key="ingest_vs_inflate_parse",
    )
    result.add("ingest s / spark.read.json s", f"{ingest_s:.1f} / {read_json_s:.1f}")
    result.add("run's plan (one ledger read, not in the ratios) s", plan_s)
    result.add("ingest_vs_spark_read_json", ingest_s / read_json_s, "≤ 1.0", key="ingest_vs_spark_read_json")
    gb = mb / 1000
    if ingest.cpu is not None and read_json.cpu is not None:
        # Where the CPU goes, per GB of JSON: the ratios above are bounded by these sums.
        result.add("CPU-s per GB: bare inflate+parse (one core)", limit / gb)
        workers, jvm_s = ingest.cpu[1] / gb, ingest.cpu[0] / gb
        result.add("CPU-s per GB: ingest Python workers / JVM", f"{workers:.2f} / {jvm_s:.2f}")
        result.add("CPU-s per GB: spark.read.json JVM", read_json.cpu[0] / gb)
    if rss is not None:
        week_mb = inflated_bytes(zips[0]) / 1e6, inflated_bytes(big) / 1e6
        result.add(
            f"Spark Python worker peak RSS, {week_mb[0]:.0f} / {week_mb[1]:.0f} MB week (MB)",
            f"{rss[0] / 1e6:.0f} / {rss[1] / 1e6:.0f}",
        )
        result.add("worker_rss_growth", rss[1] / rss[0], "≤ 1.1", key="worker_rss_growth")
    return result
