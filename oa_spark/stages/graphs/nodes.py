"""`citation_nodes`: applications and cited documents with degrees, first_seen and components."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oa_spark.components import undirected
from oa_spark.extract import identifiers as kinds

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame


NODE_TYPES = {
    kinds.US_PATENT: "patent",
    kinds.US_PUBLICATION: "publication",
    kinds.US_REISSUE: "reissue",
    kinds.US_DESIGN: "design",
    kinds.US_PLANT: "plant",
    kinds.US_APPLICATION: "application",
    kinds.FOREIGN: "foreign",
}


def graph_pairs(edges: DataFrame) -> DataFrame:
    """Undirected pairs for components: citation edges plus same-as edges (cited_key — cited_application)."""
    from pyspark.sql import functions as F

    cites = edges.select(F.col("application_number").alias("a"), F.col("cited_key").alias("b"))
    same_as = edges.select(F.col("cited_key").alias("a"), F.col("cited_application").alias("b"))
    return undirected(cites.unionByName(same_as), "a", "b")


def node_type_of(kind: Column) -> Column:
    """`patent`, `publication`, ... from a cited_kind; `other` when unknown (a CASE: ANSI-safe with nulls)."""
    from pyspark.sql import functions as F

    (first_kind, first_type), *rest = NODE_TYPES.items()
    expr = F.when(kind == first_kind, F.lit(first_type))
    for cited_kind, node_type in rest:
        expr = expr.when(kind == cited_kind, F.lit(node_type))
    return expr.otherwise(F.lit("other"))


def node_table(edges: DataFrame, timeline: DataFrame, cited_edges: DataFrame | None = None) -> DataFrame:
    """Nodes without components: every application in the graph and every cited document.

    A node is an `application` when it is one in the data or is cited as a co-pending application; a cited
    document's type comes from its cited_kind (`other` when unknown). first_seen is the earliest mail date
    of an action where the node appears (its own, or one citing it). application_number is the node itself
    for applications, else the cited_application. Out-degrees come from `edges`, in-degrees from
    `cited_edges` (the same edges unless given): an incremental build passes the edges from and to the nodes
    it recomputes.
    """
    from pyspark.sql import functions as F

    from oa_spark.schemas import CITATION_NODES, names

    cited_edges = edges if cited_edges is None else cited_edges
    zero = F.lit(0).cast("long")
    apps = timeline.select(
        F.col("application_number").alias("node_id"),
        F.lit("application").alias("node_type"),
        zero.alias("in_degree"),
        zero.alias("out_degree"),
        F.col("first_action_date").alias("first_seen"),
        F.lit(None).cast("string").alias("cited_application"),
    )
    outs = edges.groupBy(F.col("application_number").alias("node_id")).agg(
        F.lit(None).cast("string").alias("node_type"),
        zero.alias("in_degree"),
        F.count("*").alias("out_degree"),
        F.min("first_mail_date").alias("first_seen"),
        F.lit(None).cast("string").alias("cited_application"),
    )
    ins = cited_edges.groupBy(F.col("cited_key").alias("node_id")).agg(
        F.max(node_type_of(F.col("cited_kind"))).alias("node_type"),
        F.count("*").alias("in_degree"),
        zero.alias("out_degree"),
        F.min("first_mail_date").alias("first_seen"),
        F.max("cited_application").alias("cited_application"),
    )
    node_type = F.when(F.max(F.col("node_type") == "application"), F.lit("application")).otherwise(
        F.max("node_type")
    )
    return (
        apps.unionByName(outs)
        .unionByName(ins)
        .groupBy("node_id")
        .agg(
            node_type.alias("node_type"),
            F.sum("in_degree").cast("long").alias("in_degree"),
            F.sum("out_degree").cast("long").alias("out_degree"),
            F.min("first_seen").alias("first_seen"),
            F.max("cited_application").alias("cited_application"),
        )
        .withColumn(
            "application_number",
            F.when(F.col("node_type") == "application", F.col("node_id")).otherwise(
                F.col("cited_application")
            ),
        )
        .withColumn("component_id", F.lit(None).cast("string"))
        .select(*names(CITATION_NODES))
    )


def with_components(nodes: DataFrame, labels: DataFrame) -> DataFrame:
    """Fill component_id from `(node, component)`; a node without edges is its own component."""
    from pyspark.sql import functions as F

    from oa_spark.schemas import CITATION_NODES, names

    found = labels.select(F.col("node").alias("node_id"), F.col("component").alias("_component"))
    return (
        nodes.join(found, "node_id", "left")
        .withColumn("component_id", F.coalesce("_component", "node_id"))
        .select(*names(CITATION_NODES))
    )
