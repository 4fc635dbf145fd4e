"""The claim-level rejection graph: application × action × ground × claim × reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oa_spark.stages.graphs.keys import without_kind

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def rejection_edges(docs: DataFrame) -> DataFrame:
    """One row per application × action × ground × claim × reference; a ground without references (101,
    112) or without claims still gives its rows, with null reference_key or claim."""
    from pyspark.sql import functions as F

    from oa_spark.schemas import REJECTION_EDGES, names

    base = ["application_number", "document_id", "mail_date"]
    grounds = docs.select(*base, F.explode("grounds").alias("g")).select(*base, "g.*")
    claims = grounds.select(
        *base, "ground", "statute", "label", "references", F.explode_outer("claims").alias("claim")
    )
    refs = claims.select(
        *base, "ground", "statute", "label", "claim", F.explode_outer("references").alias("ref")
    )
    return (
        refs.withColumn("reference_key", without_kind(F.col("ref")))
        .select(*names(REJECTION_EDGES))
        .distinct()
    )
