"""Graphs benchmark (docs/design.md §8): full rebuilds over N and 2N weeks, and one incremental week at each
size.

What is measured is the graphs job alone, so its upstream tables (office_actions, citations, rejections and
the `extract` rows of `runs`) are synthesized directly with Spark SQL rather than staged, ingested and
extracted: `records` actions per week over a pool of applications (series 10-17, so a quarter fall below
min_series), 5-15 cited documents per action drawn with a skew from a shared pool (patents, publications,
foreign documents, the pool applications' own patents and publications, co-pending applications), 1-3
grounds per CTNF/CTFR. Randomness is a hash of the row's ids, so the data is the same on every run.

One lake grows: N weeks, full rebuild; one more week, incremental; weeks up to 2N, full rebuild; one more
week, incremental. Each figure is the best of two runs after a warm-up build (a repeated incremental run
re-processes the same week, as after a re-extraction). `graphs_full_2n_vs_n` should stay near 2 (≤ 2.2:
linear in history); `graphs_incremental_vs_full` should fall as history grows (both sizes are printed).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from oa_spark.bench import BenchContext, BenchResult
from oa_spark.bench.common import BENCH_START, REALISTIC_RECORDS, best_of, wall_time

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

    from oa_spark.config import Config
    from oa_spark.tables import Lake

DEFAULT_WEEKS = 4  # N: full rebuilds over 4 and 8 weeks of realistic size
REPEATS = 2


def _u(salt: int, *cols: Column | str) -> Column:
    """A uniform number in [0, 1) from a hash of the columns: deterministic, allowed inside lambdas."""
    from pyspark.sql import functions as F

    return F.pmod(F.xxhash64(F.lit(salt), *cols), F.lit(1_000_003)) / F.lit(1_000_003.0)


def _pick(values: list[str], u: Column) -> Column:
    from pyspark.sql import functions as F

    return F.element_at(F.array(*[F.lit(v) for v in values]), (u * len(values)).cast("int") + 1)


def _app_number(i: Column) -> Column:
    from pyspark.sql import functions as F

    return F.format_string("%02d%06d", F.pmod(i, F.lit(8)) + 10, i)


def synthesize_week(
    spark: SparkSession, week: date, index: int, records: int, seed: int
) -> tuple[DataFrame, DataFrame, DataFrame]:
    """office_actions, citations and rejections rows of one week (only the columns the graphs job reads)."""
    from pyspark.sql import functions as F

    applications, pool = records * 3, records * 8
    docs = (
        spark.range(records)
        .select(
            F.lit(week).alias("week"),
            F.concat(F.lit(f"B{seed}-{index}-"), F.col("id").cast("string")).alias("document_id"),
            (_u(seed + 1, F.lit(index), "id") * applications).cast("long").alias("app"),
            _pick(
                ["CTNF", "CTNF", "CTNF", "CTFR", "CTFR", "NOA", "CTRS", "CTAV"],
                _u(seed + 2, F.lit(index), "id"),
            ).alias("document_code"),
            F.date_sub(F.lit(week), (_u(seed + 3, F.lit(index), "id") * 7).cast("int")).alias("mail_date"),
        )
        .withColumn("application_number", _app_number(F.col("app")))
    )
    actions = docs.select(
        "week",
        "document_id",
        "application_number",
        F.substring("application_number", 1, 2).cast("int").alias("application_series"),
        "document_code",
        "mail_date",
        (F.col("app") % 900 + 1600).cast("string").alias("art_unit"),
        F.concat(((F.col("app") % 900 + 1600) / 100).cast("int").cast("string"), F.lit("00")).alias(
            "tech_center"
        ),
        F.concat(F.lit("E"), (F.col("app") % 3000).cast("string")).alias("examiner_id"),
        F.sha2("document_id", 256).alias("record_hash"),
        F.col("week").cast("timestamp").alias("last_modified"),
        F.when(F.col("document_code") == "NOA", (F.col("app") + 9000000).cast("string")).alias(
            "patent_number"
        ),
        F.when(
            F.col("app") % 3 == 0, F.format_string("US%d%07dA1", F.col("app") % 5 + 2015, F.col("app"))
        ).alias("publication_number"),
    )
    slot = F.col("n")
    pick = (F.pow(_u(seed + 5, "document_id", slot), 2.5) * pool).cast("long")
    owner = pick % applications
    kind = _pick(
        ["us_patent"] * 5 + ["us_publication", "own_publication", "foreign", "own_patent", "us_application"],
        _u(seed + 6, "document_id", slot),
    )
    cited_id = (
        F.when(kind == "us_patent", F.format_string("US-%d-B2", pick + 7000000))
        .when(kind == "us_publication", F.format_string("US-2014%07d-A1", pick))
        .when(kind == "own_publication", F.format_string("US-%d%07d-A1", owner % 5 + 2015, owner))
        .when(kind == "foreign", F.format_string("EP-%d-A1", pick + 1000000))
        .when(kind == "own_patent", F.format_string("US-%d-B2", owner + 9000000))
        .otherwise(_app_number(owner))
    )
    relied = _u(seed + 7, "document_id", slot) < 0.4
    citations = (
        docs.withColumn(
            "n", F.explode(F.sequence(F.lit(1), 5 + (_u(seed + 4, "document_id") * 11).cast("int")))
        )
        .select(
            "week",
            "document_id",
            "application_number",
            "mail_date",
            cited_id.alias("cited_id"),
            F.regexp_extract(cited_id, "^([A-Z]{2}-[^-]+)", 1).alias("prefix"),
            F.regexp_replace(kind, "^own_", "us_").alias("cited_kind"),
            relied.alias("relied_upon"),
            F.when(relied, F.array(F.lit("103")))
            .otherwise(F.array().cast("array<string>"))
            .alias("statutes"),
        )
        .withColumn("cited_key", F.when(F.col("prefix") == "", F.col("cited_id")).otherwise(F.col("prefix")))
        .drop("prefix")
        .dropDuplicates(["week", "document_id", "cited_key"])
    )
    statute = _pick(["101", "102", "103", "103", "103", "112", "dp"], _u(seed + 9, "document_id", "ground"))
    first_claim = (_u(seed + 10, "document_id", "ground") * 15).cast("int") + 1
    references = F.transform(
        F.sequence(F.lit(1), (_u(seed + 11, "document_id", "ground") * 3).cast("int") + 1),
        lambda i: F.format_string(
            "US-%d-B2",
            (F.pow(_u(seed + 12, F.col("document_id"), F.col("ground"), i), 2.5) * pool).cast("long")
            + 7000000,
        ),
    )
    rejections = (
        docs.where(F.col("document_code").isin("CTNF", "CTFR"))
        .withColumn(
            "ground", F.explode(F.sequence(F.lit(1), (_u(seed + 8, "document_id") * 3).cast("int") + 1))
        )
        .withColumn("statute", statute)
        .select(
            "week",
            "document_id",
            "application_number",
            "mail_date",
            "ground",
            "statute",
            F.when(F.col("statute") == "102", F.lit("102(a)(1)"))
            .when(F.col("statute") == "112", F.lit("112(b)"))
            .otherwise(F.col("statute"))
            .alias("label"),
            F.sequence(first_claim, first_claim + 3).alias("claims"),
            F.when(F.col("statute").isin("101", "112"), F.array().cast("array<string>"))
            .otherwise(references)
            .alias("references"),
        )
    )
    return actions, citations, rejections


def conform(df: DataFrame, table: str) -> DataFrame:
    """`df` with exactly the table's columns and types (absent ones null)."""
    from pyspark.sql import functions as F

    from oa_spark.schemas import TABLES

    schema = TABLES[table][0]
    return df.select(
        *[
            (F.col(f.name) if f.name in df.columns else F.lit(None)).cast(f.dataType).alias(f.name)
            for f in schema.fields
        ]
    )


def write_week(lake: Lake, week: date, index: int, records: int, seed: int) -> None:
    """One synthesized week in the upstream tables, plus its `extract` done row in `runs`."""
    frames = synthesize_week(lake.spark, week, index, records, seed)
    for table, df in zip(("office_actions", "citations", "rejections"), frames, strict=True):
        lake.replace_weeks(table, conform(df, table), [week])
    mark_extracted(lake, week)


def mark_extracted(lake: Lake, week: date) -> None:
    """An `extract` done row for the week: the graphs job takes the week as new (again)."""
    from oa_spark.ledger import Ledger, RunRow, new_run_id

    Ledger(lake).record(
        [RunRow(run_id=new_run_id(), job="extract", week=week, status="running").finish("done")]
    )


def _timed_build(cfg: Config, spark: SparkSession, mode: str | None) -> float:
    from oa_spark.stages.graphs import main

    def once() -> None:
        if main(cfg, mode=mode, spark=spark) != 0:
            raise RuntimeError("graphs build failed during the benchmark (see the runs table)")

    return wall_time(once)


def run(ctx: BenchContext) -> BenchResult:
    from oa_spark import config
    from oa_spark.session import get_spark
    from oa_spark.tables import Lake

    n = ctx.weeks or DEFAULT_WEEKS
    records = ctx.records or REALISTIC_RECORDS
    cfg = config.load(overrides=["spark.master=local[2]", f"lake.path={ctx.workdir / 'lake'}"])
    spark = get_spark(cfg)
    lake = Lake(spark, cfg.lake)
    weeks = [BENCH_START + timedelta(weeks=i) for i in range(2 * n + 1)]

    def grow_to(count: int) -> None:
        for i, week in enumerate(weeks[:count]):
            if not lake.exists("office_actions") or lake.read("office_actions", [week]).limit(1).count() == 0:
                write_week(lake, week, i, records, ctx.seed)

    repeats = ctx.repeats or REPEATS
    figures: dict[int, tuple[float, float]] = {}
    for size in (n, 2 * n):
        grow_to(size)
        if size == n:
            _timed_build(cfg, spark, "full")  # warm-up: a fresh JVM is slower on its first build
        (full_s,) = best_of(repeats, lambda: _timed_build(cfg, spark, "full"))
        write_week(lake, weeks[size], size, records, ctx.seed)

        def incremental(week: date = weeks[size]) -> float:
            mark_extracted(lake, week)  # the first run takes the new week, the next one the same week again
            return _timed_build(cfg, spark, None)

        (incremental_s,) = best_of(repeats, incremental)
        figures[size] = (full_s, incremental_s)

    (full_n, inc_n), (full_2n, inc_2n) = figures[n], figures[2 * n]
    result = BenchResult("graphs")
    result.add("records per week", f"{records}")
    for size, (full_s, inc_s) in figures.items():
        result.add(f"{size} weeks: full rebuild s / one incremental week s", f"{full_s:.1f} / {inc_s:.1f}")
        result.add(f"{size} weeks: incremental ÷ full", inc_s / full_s)
    result.add("graphs_full_2n_vs_n", full_2n / full_n, "≤ 2.2", key="graphs_full_2n_vs_n")
    result.add(
        "graphs_incremental_vs_full",
        inc_2n / full_2n,
        f"falls as history grows (at {n} weeks: {inc_n / full_n:.3g})",
        key="graphs_incremental_vs_full",
    )
    return result
