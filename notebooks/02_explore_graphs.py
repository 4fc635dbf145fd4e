# Databricks notebook source
# MAGIC %md
# MAGIC # oa-spark: explore the citation and rejection graphs
# MAGIC
# MAGIC A few queries over the tables `oa-spark graphs` builds: `graph_summary` (one row per build),
# MAGIC `citation_nodes` / `citation_edges` (applications → cited documents) and `rejection_edges`
# MAGIC (application × action × ground × claim × reference). Tables are read through `oa_spark.tables.Lake`,
# MAGIC so the same cells work on Unity Catalog (the `catalog` and `schema` widgets, which the bundle's
# MAGIC `oa_spark_notebooks` job fills per target; no default, so never prod by accident) and on a local lake
# MAGIC (`python notebooks/02_explore_graphs.py` with `OA_SPARK__LAKE__PATH=...`).

# COMMAND ----------

from pyspark.sql import functions as F

from oa_spark.config import load
from oa_spark.session import get_spark
from oa_spark.tables import Lake

dbutils = globals().get("dbutils")  # only defined on Databricks
if dbutils is not None:
    dbutils.widgets.text("catalog", "", "Unity Catalog catalog")
    dbutils.widgets.text("schema", "", "Schema of the tables")
    catalog, schema = dbutils.widgets.get("catalog").strip(), dbutils.widgets.get("schema").strip()
    if not (catalog and schema):
        raise ValueError("set the catalog and schema widgets (the bundle's notebooks job sets them)")
    cfg = load(["../conf/databricks.toml"], [f"lake.catalog={catalog}", f"lake.schema={schema}"])
else:  # plain Python: the local profile and OA_SPARK__SECTION__KEY environment overrides
    cfg = load()

# Databricks defines `spark`; elsewhere get_spark takes the active session or builds a local one
spark = globals().get("spark") or get_spark(cfg)
lake = Lake(spark, cfg.lake)
show = globals().get("display") or (lambda df: df.show(20, truncate=False))

# COMMAND ----------

# MAGIC %md
# MAGIC ## The latest build

# COMMAND ----------

summary = lake.read("graph_summary").orderBy(F.col("built_at").desc()).limit(1)
show(
    summary.select(
        "built_at",
        "mode",
        "nodes",
        "edges",
        "components",
        "largest_component",
        "weeks",
        "first_week",
        "last_week",
    )
)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Most cited documents
# MAGIC In-degree = number of applications citing the document.

# COMMAND ----------

nodes = lake.read("citation_nodes")
most_cited = nodes.where(F.col("node_type") != "application").orderBy(F.col("in_degree").desc(), "node_id")
show(most_cited.select("node_id", "node_type", "in_degree", "first_seen", "component_id").limit(20))

# COMMAND ----------

# MAGIC %md
# MAGIC ## Largest connected components

# COMMAND ----------

components = nodes.groupBy("component_id").agg(
    F.count(F.lit(1)).alias("nodes"),
    F.sum(F.when(F.col("node_type") == "application", 1).otherwise(0)).alias("applications"),
)
show(components.orderBy(F.col("nodes").desc()).limit(10))

# COMMAND ----------

# MAGIC %md
# MAGIC ## Citations relied upon in a rejection, by kind of document

# COMMAND ----------

edges = lake.read("citation_edges")
by_kind = edges.groupBy("cited_kind").agg(
    F.count(F.lit(1)).alias("edges"),
    F.sum("actions").alias("citing_actions"),
    F.round(F.sum("relied_upon_actions") / F.sum("actions"), 3).alias("relied_upon_share"),
)
show(by_kind.orderBy(F.col("edges").desc()))

# COMMAND ----------

# MAGIC %md
# MAGIC ## Claims rejected per statute, and the references most used against claims under § 103

# COMMAND ----------

rejections = lake.read("rejection_edges")
show(
    rejections.groupBy("statute")
    .agg(
        F.countDistinct("application_number", "document_id").alias("actions"),
        F.count(F.lit(1)).alias("claim_rejections"),
    )
    .orderBy("statute")
)
show(
    rejections.where((F.col("statute") == "103") & F.col("reference_key").isNotNull())
    .groupBy("reference_key")
    .agg(F.countDistinct("application_number", "claim").alias("claims"))
    .orderBy(F.col("claims").desc(), "reference_key")
    .limit(20)
)
