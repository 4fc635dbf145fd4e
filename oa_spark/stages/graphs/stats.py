"""`rejection_stats`: additive totals per (dimension, value, statute) group, then rates.

Totals, not rates, are stored so that an incremental build can add the touched actions' new contribution
and subtract their old one instead of recounting the history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oa_spark.extract.statutes import STATUTES
from oa_spark.stages.graphs.merge import null_safe_on

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame


STATS_KEYS = ("dimension", "value", "statute")

STATS_TOTALS = ("actions", "rejection_actions", "actions_with_statute", "grounds")

# the action's own columns a group is named by; with `all` and `mail_year` (the year of `mail_date`) these
# are the dimensions of `rejection_stats` (the touched-rows floor of `bench history` counts groups by them)
COLUMN_DIMENSIONS = ("art_unit", "tech_center", "examiner_id")
DIMENSIONS = ("all", *COLUMN_DIMENSIONS, "mail_year")


def stats_totals(docs: DataFrame, sign: int = 1) -> DataFrame:
    """What these actions add to each (dimension, value, statute) group, times `sign`: one row per action ×
    dimension × statute with `actions`, `rejection_actions`, `actions_with_statute`, `grounds` and
    `grounds_by_references` (distinct references → grounds). Totals of disjoint sets of actions add up, so an
    incremental build adds the touched applications' new actions and subtracts their old ones.

    Dimensions: `all` (value `all`), `art_unit`, `tech_center`, `examiner_id`, `mail_year`; every group gets
    a row for each of the five statutes, even one that never occurs."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, IntegerType, LongType, MapType

    from oa_spark.schemas import GROUND

    dims = F.array(
        *[
            F.named_struct(F.lit("dimension"), F.lit(name), F.lit("value"), value.cast("string"))
            for name, value in (
                ("all", F.lit("all")),
                *((column, F.col(column)) for column in COLUMN_DIMENSIONS),
                ("mail_year", F.year("mail_date")),
            )
        ]
    )
    grounds = F.coalesce(F.col("grounds"), F.array().cast(ArrayType(GROUND)))
    no_refs = F.array().cast("array<string>")

    def refs_of(statute: str) -> Column:  # distinct references of each ground under the statute
        return F.transform(
            F.filter(grounds, lambda g: g["statute"] == statute),
            lambda g: F.size(F.array_distinct(F.coalesce(g["references"], no_refs))),
        )

    # named_struct, not struct(…alias): Spark 4.0 loses aliases of a struct built around a lambda (col1, col2)
    by_statute = F.array(
        *[F.named_struct(F.lit("statute"), F.lit(s), F.lit("refs"), refs_of(s)) for s in STATUTES]
    )
    rows = docs.select(
        F.explode(dims).alias("d"), (F.size(grounds) > 0).alias("rejected"), by_statute.alias("by_statute")
    ).select("d", "rejected", F.explode("by_statute").alias("s"))
    refs = F.col("s.refs")
    histogram = F.map_from_entries(
        F.transform(
            F.array_distinct(refs),
            lambda k: F.struct(
                k.alias("key"), (F.size(F.filter(refs, lambda x: x == k)) * sign).cast("long")
            ),
        )
    )
    one = F.lit(sign).cast("long")
    zero = F.lit(0).cast("long")
    return rows.select(
        F.col("d.dimension").alias("dimension"),
        F.col("d.value").alias("value"),
        F.col("s.statute").alias("statute"),
        one.alias("actions"),
        F.when(F.col("rejected"), one).otherwise(zero).alias("rejection_actions"),
        F.when(F.size(refs) > 0, one).otherwise(zero).alias("actions_with_statute"),
        (F.size(refs) * sign).cast("long").alias("grounds"),
        histogram.cast(MapType(IntegerType(), LongType())).alias("grounds_by_references"),
    )


def sum_totals(totals: DataFrame) -> DataFrame:
    """Totals rows added up per group (histograms entry by entry; entries that reach zero dropped)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import IntegerType, LongType, MapType

    keys = list(STATS_KEYS)
    counts = totals.groupBy(*keys).agg(*[F.sum(c).cast("long").alias(c) for c in STATS_TOTALS])
    entries = (
        totals.select(*keys, F.explode("grounds_by_references").alias("k", "v"))
        .groupBy(*keys, "k")
        .agg(F.sum("v").cast("long").alias("v"))
        .where("v != 0")
        .groupBy(*keys)
        .agg(F.map_from_entries(F.collect_list(F.struct("k", "v"))).alias("grounds_by_references"))
    )
    empty = F.create_map().cast(MapType(IntegerType(), LongType()))
    return (
        counts.alias("c")
        .join(entries.alias("e"), null_safe_on("c", "e", keys), "left")
        .select(
            *[F.col(f"c.{k}").alias(k) for k in keys],
            *[F.col(f"c.{c}").alias(c) for c in STATS_TOTALS],
            F.coalesce(F.col("e.grounds_by_references"), empty).alias("grounds_by_references"),
        )
    )


def stats_rows(totals: DataFrame) -> DataFrame:
    """`rejection_stats` rows from summed totals; a group left without actions has no rows.

    `share` = actions_with_statute ÷ actions, `share_of_rejections` ÷ rejection_actions; references_mean
    and _max describe the distinct references per ground of the statute (the 103 rows give references per
    103 ground)."""
    from pyspark.sql import functions as F

    from oa_spark.schemas import REJECTION_STATS

    hist = F.col("grounds_by_references")
    refs_total = F.aggregate(
        F.map_entries(hist), F.lit(0).cast("long"), lambda acc, e: acc + e["key"] * e["value"]
    )
    with_statute = F.col("actions_with_statute")
    return (
        totals.where(F.col("actions") > 0)
        .withColumn("share", with_statute / F.col("actions"))
        .withColumn(
            "share_of_rejections",
            F.when(F.col("rejection_actions") > 0, with_statute / F.col("rejection_actions")),
        )
        .withColumn("references_mean", F.when(F.col("grounds") > 0, refs_total / F.col("grounds")))
        .withColumn("references_max", F.array_max(F.map_keys(hist)))
        .select(*[F.col(f.name).cast(f.dataType) for f in REJECTION_STATS.fields])
    )


def rejection_stats(docs: DataFrame) -> DataFrame:
    """Long table: one row per (dimension, value, statute) over these actions (see `stats_totals`)."""
    return stats_rows(sum_totals(stats_totals(docs)))
