"""The graphs' own state, `graph_actions`: one row per document version and week, no body text.

Reading office_actions, citations and rejections once into this compact form is what lets an incremental
build read only the touched applications instead of the full history.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from oa_spark.stages.graphs.keys import patent_key, publication_key

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from oa_spark.tables import Lake


STATE = "graph_actions"

OUTPUTS = ("citation_edges", "citation_nodes", "rejection_edges", "application_timeline", "rejection_stats")

GRAPH_TABLES = (*OUTPUTS, STATE)

# office_actions columns that may carry the application's own publication number (first present wins)
PUBLICATION_COLUMNS = ("publication_number", "earliest_publication_number", "pre_grant_publication_number")

ACTION_COLUMNS = (
    "week",
    "application_number",
    "application_series",
    "document_id",
    "record_hash",
    "last_modified",
    "document_code",
    "mail_date",
    "art_unit",
    "tech_center",
    "examiner_id",
    "patent_number",
)


class GraphsError(RuntimeError):
    """The graphs job cannot run (e.g. no office_actions table yet)."""


def action_rows(actions: DataFrame, citations: DataFrame, rejections: DataFrame) -> DataFrame:
    """`graph_actions` rows: each office_actions row with its citations and grounds from the same week."""
    from pyspark.sql import functions as F

    from oa_spark.schemas import GRAPH_ACTIONS, names

    keys = ["week", "application_number", "document_id"]
    cited = (
        citations.where(F.col("cited_key").isNotNull())
        .groupBy(*keys)
        .agg(
            F.collect_list(F.struct("cited_key", "cited_kind", "relied_upon", "statutes")).alias("citations")
        )
    )
    grounds = rejections.groupBy(*keys).agg(
        F.collect_list(F.struct("ground", "statute", "label", "claims", "references")).alias("grounds")
    )
    publication = next((c for c in PUBLICATION_COLUMNS if c in actions.columns), None)
    series = F.coalesce(F.col("application_series"), F.substring("application_number", 1, 2).try_cast("int"))
    rows = actions.select(
        *[c for c in ACTION_COLUMNS if c not in ("application_series", "patent_number")],
        series.alias("application_series"),
        patent_key(F.col("patent_number")).alias("patent_key"),
        (publication_key(F.col(publication)) if publication else F.lit(None).cast("string")).alias(
            "publication_key"
        ),
    )
    return rows.join(cited, keys, "left").join(grounds, keys, "left").select(*names(GRAPH_ACTIONS))


def included(docs: DataFrame, min_series: int) -> DataFrame:
    from pyspark.sql import functions as F

    return docs.where(F.col("application_series") >= min_series)


def upstream_rows(lake: Lake, weeks: list[date] | None) -> DataFrame:
    """State rows built from office_actions, citations and rejections (all weeks, or only `weeks`: those
    partitions alone are read)."""
    if not lake.exists("office_actions"):
        raise GraphsError("no office_actions table in the lake: run ingest and extract first")
    actions = lake.read("office_actions", weeks)
    columns = [c for c in (*ACTION_COLUMNS, *PUBLICATION_COLUMNS) if c in actions.columns]
    citations, rejections = (
        lake.read(t, weeks) if lake.exists(t) else lake.read_or_empty(t) for t in ("citations", "rejections")
    )
    return action_rows(actions.select(*columns), citations, rejections)
