"""`office_actions_latest`: one row per (application_number, document_id) across all weeks, newest version.

A document can reappear in later weeks with updated application-level fields; extraction and graphs read
this view so each action counts once. It is a view over `office_actions` (no copy to keep in sync).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from oa_spark.tables import Lake

VIEW = "office_actions_latest"


def newest_per_document(df: DataFrame) -> DataFrame:
    """Keep the newest row per document: latest week, then latest last_modified, then largest hash."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = Window.partitionBy("application_number", "document_id").orderBy(
        F.col("week").desc(), F.col("last_modified").desc_nulls_last(), F.col("record_hash").desc()
    )
    return df.withColumn("_rank", F.row_number().over(order)).where("_rank = 1").drop("_rank")


def office_actions_latest(lake: Lake, columns: list[str] | None = None) -> DataFrame:
    """The current view as a DataFrame, also registered as the temp view `office_actions_latest`."""
    df = lake.read("office_actions")
    if columns is not None:
        keep = list(
            dict.fromkeys(
                ["week", "application_number", "document_id", "last_modified", "record_hash", *columns]
            )
        )
        df = df.select(*keep)
    latest = newest_per_document(df)
    latest.createOrReplaceTempView(VIEW)
    return latest


def only_latest(lake: Lake, derived: DataFrame) -> DataFrame:
    """Rows of a derived table (rejections, citations, action_summary) of each document's newest version.

    A document re-shipped in a later week is extracted again there; its rows in the older week are stale
    until that week is re-extracted, so readers keep only rows whose week holds the document's newest version.
    """
    keys = newest_per_document(
        lake.read("office_actions").select(
            "week", "application_number", "document_id", "last_modified", "record_hash"
        )
    ).select("week", "application_number", "document_id")
    return derived.join(keys, ["week", "application_number", "document_id"], "left_semi")
