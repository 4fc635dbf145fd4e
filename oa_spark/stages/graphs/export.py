"""`oa-spark graphs --export`: the citation graph as node and edge files for NetworkX, igraph or Neo4j."""

from __future__ import annotations

import logging
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from oa_spark import logs, storage
from oa_spark.config import ConfigError
from oa_spark.stages.graphs.state import GraphsError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger("oa_spark.graphs")  # one logger for the job, whatever module logs


EXPORT_FORMATS = ("parquet", "csv")


def export_frames(lake: Lake, fmt: str) -> tuple[DataFrame, DataFrame]:
    """Node and edge lists. Edges are citations (`CITES`) and same-as links from a cited document to the
    application it belongs to (`PUBLISHED_AS`, application → its own patent or publication). For CSV the
    headers follow Neo4j's bulk-import conventions (`:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`,
    typed properties; arrays joined by `;`)."""
    from pyspark.sql import functions as F

    nodes, edges = lake.read("citation_nodes"), lake.read("citation_edges")
    cites = edges.select(
        F.col("application_number").alias("source"),
        F.col("cited_key").alias("target"),
        F.lit("CITES").alias("type"),
        "cited_kind",
        "first_mail_date",
        "last_mail_date",
        "actions",
        "relied_upon_actions",
        "statutes",
    )
    same_as = (
        edges.where(
            F.col("cited_application").isNotNull() & (F.col("cited_application") != F.col("cited_key"))
        )
        .select(F.col("cited_application").alias("source"), F.col("cited_key").alias("target"))
        .distinct()
        .withColumn("type", F.lit("PUBLISHED_AS"))
    )
    links = cites.unionByName(same_as, allowMissingColumns=True)
    if fmt == "parquet":
        return nodes, links
    label = F.concat(F.upper(F.substring("node_type", 1, 1)), F.substring("node_type", 2, 100))
    node_csv = nodes.select(
        F.col("node_id").alias("node_id:ID"),
        label.alias(":LABEL"),
        "node_type",
        F.col("in_degree").alias("in_degree:long"),
        F.col("out_degree").alias("out_degree:long"),
        F.col("first_seen").alias("first_seen:date"),
        "component_id",
        "application_number",
    )
    edge_csv = links.select(
        F.col("source").alias(":START_ID"),
        F.col("target").alias(":END_ID"),
        F.col("type").alias(":TYPE"),
        "cited_kind",
        F.col("first_mail_date").alias("first_mail_date:date"),
        F.col("last_mail_date").alias("last_mail_date:date"),
        F.col("actions").alias("actions:long"),
        F.col("relied_upon_actions").alias("relied_upon_actions:long"),
        F.array_join("statutes", ";").alias("statutes:string[]"),
    )
    return node_csv, edge_csv


def _single_file(spark: SparkSession, df: DataFrame, out_dir: str, name: str, fmt: str) -> str:
    """Write `df` as exactly one file `out_dir/name` (through a temporary folder; the driver moves the part
    file with pyarrow's file systems, so local paths and S3 alike work on any kind of session)."""
    target = f"{out_dir.rstrip('/')}/{name}"
    tmp = f"{target}._tmp"
    writer = df.coalesce(1).write.mode("overwrite")
    if fmt == "csv":
        writer.option("header", True).option("escape", '"').option("nullValue", "").csv(tmp)
    else:
        writer.parquet(tmp)
    try:
        return storage.single_file(tmp, target)
    except FileNotFoundError as exc:
        raise GraphsError(str(exc)) from exc


def export(lake: Lake, out_dir: str, fmt: str = "parquet") -> list[str]:
    """Write `nodes.<fmt>` and `edges.<fmt>` under `out_dir` (for NetworkX, igraph, Neo4j); the paths."""
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"graphs export format must be one of {list(EXPORT_FORMATS)}, got {fmt!r}")
    nodes, edges = export_frames(lake, fmt)
    paths = [
        _single_file(lake.spark, nodes, out_dir, f"nodes.{fmt}", fmt),
        _single_file(lake.spark, edges, out_dir, f"edges.{fmt}", fmt),
    ]
    for path in paths:
        logs.event(log, "graph_exported", file=PurePosixPath(path).name, format=fmt)
    return paths
