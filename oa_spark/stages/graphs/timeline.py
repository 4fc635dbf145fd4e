"""`application_timeline`: one row per application, its actions in order and its own patent keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame


def application_timeline(docs: DataFrame) -> DataFrame:
    """One row per application. `rounds` counts completed non-final → final cycles: final rejections (CTFR)
    whose previous rejection (CTNF or CTFR, by mail date then document id) was a non-final one. `own_keys`
    are the application's patent and publication keys (what `cited_application` is derived from)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from oa_spark.schemas import APPLICATION_TIMELINE, names

    code = F.col("document_code")

    def count_code(*codes: str) -> Column:
        return F.count(F.when(code.isin(*codes), True))

    order = Window.partitionBy("application_number").orderBy(
        F.col("mail_date").asc_nulls_last(), "document_id"
    )
    rounds = (
        docs.where(code.isin("CTNF", "CTFR"))
        .withColumn("previous", F.lag("document_code").over(order))
        .groupBy("application_number")
        .agg(F.count(F.when((code == "CTFR") & (F.col("previous") == "CTNF"), True)).alias("rounds"))
    )
    patents = F.array_distinct(F.collect_list("patent_key"))
    own = F.array_sort(
        F.array_distinct(F.concat(F.collect_list("patent_key"), F.collect_list("publication_key")))
    )
    per_app = docs.groupBy("application_number").agg(
        F.max("application_series").alias("application_series"),
        F.count("*").alias("actions"),
        F.min("mail_date").alias("first_action_date"),
        F.max("mail_date").alias("last_action_date"),
        count_code("CTNF").alias("non_final_actions"),
        count_code("CTFR").alias("final_actions"),
        count_code("CTRS").alias("restrictions"),
        count_code("CTAV").alias("advisory_actions"),
        F.min(F.when(code == "NOA", F.col("mail_date"))).alias("allowance_date"),
        F.when(F.size(patents) == 1, patents[0]).alias("patent_key"),
        own.alias("own_keys"),
    )
    return (
        per_app.join(rounds, "application_number", "left")
        .withColumn("rounds", F.coalesce("rounds", F.lit(0)).cast("long"))
        .withColumn("has_restriction", F.col("restrictions") > 0)
        .select(*names(APPLICATION_TIMELINE))
    )
