"""The graphs job: full-history citation and rejection graphs, timelines and statistics (design §4).

Inputs are `office_actions`, `citations` and `rejections`; every output covers applications whose series
is at least `graphs.min_series` (the others are counted, in `runs` and `graph_summary`, never dropped
silently). Outputs:

- `citation_edges`    application → cited document (`cited_key`), aggregated over the application's actions;
  `cited_application` is the application whose own patent or publication the cited document is, when
  office_actions says so (`patent_number`, a publication-number column if one exists) for exactly one
  application in the graph, or the cited co-pending application itself; null otherwise (never guessed).
- `citation_nodes`    applications and cited documents, degrees, first_seen, weakly connected component.
  A cited document with a `cited_application` is joined to that application's node for components by a
  "same-as" edge (cited_key — cited_application); same-as edges count in components, not in degrees.
- `rejection_edges`   application × action × ground × claim × reference.
- `rejection_stats`   long format, see `rejection_stats`.
- `application_timeline`  per application; `rounds` = completed non-final → final cycles.
- `graph_summary`     one row per build.

Every action counts once, in its newest version (the `office_actions_latest` rule). The job keeps its own
compact state, `graph_actions`: one row per document version and week (no body text) with its citations and
grounds. A full build recomputes everything from all weeks. An incremental build costs what the new weeks
touch, not what the history holds: it reads only the partitions of the weeks whose extraction finished since
the last build (`runs`, job `extract`, the rows newer than that build), the state rows of the applications
those weeks touch, and the graph rows of those applications and of the documents they cite; it MERGEs the
rows that change (rows that no longer exist are deleted in the same MERGE). Aggregates are updated, not
recounted: `rejection_stats` keeps additive totals per group (with a histogram of references per ground),
the summary keeps degree histograms, and both get the touched actions' new contribution minus the old one.
Components are merged through a contracted graph when the build only added links; when it removed any, they
are recomputed over the whole edge table. The state is written last, then the summary, which records each
table's Delta version: the next build is incremental only when the tables are exactly as this one left them
(compaction aside), so a build interrupted at any point is followed by a full one.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from oa_spark import logs, storage
from oa_spark.components import (
    Checkpointer,
    connected_components,
    merge_components,
    relabel,
    undirected,
)
from oa_spark.config import Config, ConfigError, GraphsConfig, uses_catalog
from oa_spark.extract.identifiers import (
    FOREIGN,
    US_APPLICATION,
    US_DESIGN,
    US_PATENT,
    US_PLANT,
    US_PUBLICATION,
    US_REISSUE,
)
from oa_spark.extract.statutes import STATUTES
from oa_spark.latest import newest_per_document
from oa_spark.ledger import Ledger, RunRow, new_run_id, utcnow

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger(__name__)

JOB = "graphs"
STATE = "graph_actions"
OUTPUTS = ("citation_edges", "citation_nodes", "rejection_edges", "application_timeline", "rejection_stats")
GRAPH_TABLES = (*OUTPUTS, STATE)
MODES = ("full", "incremental")
EXPORT_FORMATS = ("parquet", "csv")
NODE_TYPES = {
    US_PATENT: "patent",
    US_PUBLICATION: "publication",
    US_REISSUE: "reissue",
    US_DESIGN: "design",
    US_PLANT: "plant",
    US_APPLICATION: "application",
    FOREIGN: "foreign",
}
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
KEYS = {
    "citation_edges": ["application_number", "cited_key"],
    "rejection_edges": [
        "application_number",
        "document_id",
        "ground",
        "statute",
        "label",
        "claim",
        "reference_key",
    ],
    "application_timeline": ["application_number"],
}


class GraphsError(RuntimeError):
    """The graphs job cannot run (e.g. no office_actions table yet)."""


# -- identifiers ---------------------------------------------------------------------------------------------

_PATENT = r"^(RE|D|PP|H|T)?0*([1-9][0-9]{0,7})([A-Z][0-9]?)?$"
_PUBLICATION = r"^([12][0-9]{3})([0-9]{7})([A-Z][0-9]?)?$"


def _compact(col: Column) -> Column:
    """Upper case, only letters and digits, a leading `US` removed: `US 9,280,610 B2` → `9280610B2`."""
    from pyspark.sql import functions as F

    return F.regexp_replace(F.regexp_replace(F.upper(col), "[^A-Z0-9]", ""), "^US", "")


def patent_key(col: Column) -> Column:
    """A free-form US patent number as a cited_key (`US-9280610`, `US-RE38124`, `US-D456789`); null when it
    does not read as one. Leading zeros and a kind code are dropped; nothing else is "fixed"."""
    from pyspark.sql import functions as F

    s = _compact(col)
    return F.when(
        s.rlike(_PATENT),
        F.concat(F.lit("US-"), F.regexp_extract(s, _PATENT, 1), F.regexp_extract(s, _PATENT, 2)),
    )


def publication_key(col: Column) -> Column:
    """A US pre-grant publication number as a cited_key (`US-20140018950`); null unless year + 7 digits."""
    from pyspark.sql import functions as F

    s = _compact(col)
    return F.when(
        s.rlike(_PUBLICATION),
        F.concat(F.lit("US-"), F.regexp_extract(s, _PUBLICATION, 1), F.regexp_extract(s, _PUBLICATION, 2)),
    )


def without_kind(col: Column) -> Column:
    """A canonical id without its kind code (`US-9280610-B2` → `US-9280610`); application numbers as is."""
    from pyspark.sql import functions as F

    return F.when(
        col.rlike("^[A-Z]{2}-[^-]+-[^-]+$"), F.regexp_extract(col, "^([A-Z]{2}-[^-]+)-", 1)
    ).otherwise(col)


# -- the state: one row per document version -----------------------------------------------------------------


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


# -- derived tables (each a DataFrame → DataFrame transform over newest document versions) -------------------


def citation_edges(docs: DataFrame) -> DataFrame:
    """Application → cited document, aggregated over the application's actions (no `cited_application`)."""
    from pyspark.sql import functions as F

    c = docs.select("application_number", "document_id", "mail_date", F.explode("citations").alias("c"))
    statutes = F.coalesce(F.col("c.statutes"), F.array().cast("array<string>"))
    return c.groupBy("application_number", F.col("c.cited_key").alias("cited_key")).agg(
        F.max("c.cited_kind").alias("cited_kind"),
        F.min("mail_date").alias("first_mail_date"),
        F.max("mail_date").alias("last_mail_date"),
        F.countDistinct("document_id").alias("actions"),
        F.countDistinct(F.when(F.col("c.relied_upon"), F.col("document_id"))).alias("relied_upon_actions"),
        F.array_sort(F.array_distinct(F.flatten(F.collect_list(statutes)))).alias("statutes"),
    )


def claims(docs: DataFrame) -> DataFrame:
    """`(cited_key, application_number)`: the keys each application holds as its own — its patents, its
    publications and its own number (what a co-pending citation names)."""
    from pyspark.sql import functions as F

    app = F.col("application_number")
    return (
        docs.select(app, F.col("patent_key").alias("cited_key"))
        .unionByName(docs.select(app, F.col("publication_key").alias("cited_key")))
        .unionByName(docs.select(app, app.alias("cited_key")))
        .where(F.col("cited_key").isNotNull())
        .distinct()
    )


def timeline_claims(timeline: DataFrame) -> DataFrame:
    """The same claims, read back from application_timeline (`own_keys` and the number itself)."""
    from pyspark.sql import functions as F

    app = F.col("application_number")
    return timeline.select(app, F.explode("own_keys").alias("cited_key")).unionByName(
        timeline.select(app, app.alias("cited_key"))
    )


def owners(claimed: DataFrame) -> DataFrame:
    """`(cited_key, cited_application)` for the keys exactly one application claims: a key claimed by two
    applications is left out (never guess)."""
    from pyspark.sql import functions as F

    return (
        claimed.groupBy("cited_key")
        .agg(F.countDistinct("application_number").alias("n"), F.max("application_number").alias("owner"))
        .where("n = 1")
        .select("cited_key", F.col("owner").alias("cited_application"))
    )


def own_documents(docs: DataFrame) -> DataFrame:
    """`(cited_key, cited_application)`: keys known from the data to be one application's own patent or
    publication, or the application itself (a co-pending citation)."""
    return owners(claims(docs))


def with_cited_application(edges: DataFrame, own: DataFrame) -> DataFrame:
    from oa_spark.schemas import CITATION_EDGES, names

    return edges.join(own, "cited_key", "left").select(*names(CITATION_EDGES))


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


# -- rejection statistics: additive totals per group, then rates -------------------------------------------

STATS_KEYS = ("dimension", "value", "statute")
STATS_TOTALS = ("actions", "rejection_actions", "actions_with_statute", "grounds")


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
                ("art_unit", F.col("art_unit")),
                ("tech_center", F.col("tech_center")),
                ("examiner_id", F.col("examiner_id")),
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


def _null_safe_on(left: str, right: str, keys: tuple[str, ...] | list[str]) -> Column:
    from pyspark.sql import functions as F

    return reduce(lambda a, b: a & b, [F.col(f"{left}.{k}").eqNullSafe(F.col(f"{right}.{k}")) for k in keys])


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
        .join(entries.alias("e"), _null_safe_on("c", "e", keys), "left")
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


# -- nodes ---------------------------------------------------------------------------------------------------


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


# -- writing -------------------------------------------------------------------------------------------------


def replace_rows(lake: Lake, table: str, rows: DataFrame, scope: DataFrame, keys: list[str]) -> None:
    """One MERGE (SQL, so it runs on Spark Connect too): the table's rows matching a row of `scope` (on its
    columns, null-safe) become exactly their rows in `rows` — rows no longer there are deleted — and rows of
    `rows` outside the scope update their row in place. `keys` identify a row."""
    from pyspark.sql import functions as F

    from oa_spark.schemas import TABLES, names
    from oa_spark.tables import insert_clause, keys_match, set_clause

    lake.ensure(table)
    columns = names(TABLES[table][0])
    target = (
        lake.read(table)
        .alias("t")
        .join(scope.alias("sc"), _null_safe_on("t", "sc", scope.columns), "left_semi")
    )
    gone = target.alias("t").join(rows.alias("r"), _null_safe_on("t", "r", keys), "left_anti")
    source = (
        rows.select(*columns)
        .withColumn("_gone", F.lit(False))
        .unionByName(gone.select(*keys).withColumn("_gone", F.lit(True)), allowMissingColumns=True)
    )
    lake.merge(
        table,
        source,
        keys_match(keys),
        "WHEN MATCHED AND s._gone THEN DELETE",
        f"WHEN MATCHED THEN {set_clause(columns)}",
        f"WHEN NOT MATCHED AND NOT s._gone THEN {insert_clause(columns)}",
    )


def replace_applications(lake: Lake, table: str, rows: DataFrame, touched: DataFrame) -> None:
    """The touched applications' rows become exactly their rows in `rows`; other applications' rows in `rows`
    update in place."""
    replace_rows(lake, table, rows, touched.select("application_number"), KEYS[table])


def last_commits(lake: Lake, table: str, limit: int) -> list[dict[str, Any]]:
    """The newest `limit` commits of the table (DESCRIBE HISTORY reads only those)."""
    rows = lake.history(table, limit).select("version", "operation", "operationMetrics").collect()
    return [r.asDict() for r in rows]


def commit_metrics(lake: Lake, table: str) -> dict[str, Any]:
    """The table's last commit: version, operation and row counts (for the structured log line)."""
    last = last_commits(lake, table, 1)[0]
    metrics = last["operationMetrics"] or {}
    out: dict[str, Any] = {"version": last["version"], "operation": last["operation"]}
    names = {
        "numOutputRows": "rows",
        "numTargetRowsInserted": "inserted",
        "numTargetRowsUpdated": "updated",
        "numTargetRowsDeleted": "deleted",
    }
    out |= {short: int(metrics[name]) for name, short in names.items() if name in metrics}
    return out


def upgrade_schemas(lake: Lake) -> list[str]:
    """Add the columns a graph table written by an older version lacks (ALTER TABLE ADD COLUMNS); the
    tables upgraded. Only a full build calls it: it fills the new columns."""
    from oa_spark.schemas import TABLES

    upgraded = []
    for table in (*GRAPH_TABLES, "graph_summary"):
        if not lake.exists(table):
            continue
        have = set(lake.read(table).columns)
        missing = [f for f in TABLES[table][0].fields if f.name not in have]
        if missing:
            lake.add_columns(table, missing)
            upgraded.append(table)
    if upgraded:
        logs.event(log, "graph_tables_upgraded", tables=",".join(upgraded))
    return upgraded


# -- figures of a build (graph_summary) ----------------------------------------------------------------------


def node_tally(nodes: DataFrame, sign: int) -> DataFrame:
    """`(what, key, n)`: these nodes counted by type, in-degree, out-degree (degrees > 0), and those that
    are a document with a known application (a same-as link), each × `sign`."""
    from pyspark.sql import functions as F

    def item(what: str, key: Column) -> Column:
        return F.struct(F.lit(what).alias("what"), key.cast("string").alias("key"))

    same_as = F.col("application_number").isNotNull() & (F.col("application_number") != F.col("node_id"))
    items = F.array(
        item("node", F.lit("all")),
        item("type", F.col("node_type")),
        item("in", F.when(F.col("in_degree") > 0, F.col("in_degree"))),
        item("out", F.when(F.col("out_degree") > 0, F.col("out_degree"))),
        item("same_as", F.when(same_as, F.lit("all"))),
    )
    return (
        nodes.select(F.explode(items).alias("i"))
        .select("i.what", "i.key", F.lit(sign).cast("long").alias("n"))
        .where(F.col("key").isNotNull())
    )


def edge_tally(edges: DataFrame, sign: int) -> DataFrame:
    """`(what, key, n)`: citation edges by cited_kind (`other` when unknown), × `sign`."""
    from pyspark.sql import functions as F

    return edges.select(
        F.lit("kind").alias("what"),
        F.coalesce(F.col("cited_kind"), F.lit("other")).alias("key"),
        F.lit(sign).cast("long").alias("n"),
    )


def collect_tally(parts: list[DataFrame]) -> dict[str, Counter]:
    """The parts added up (one Spark job): what → key → count, zero counts dropped."""
    from pyspark.sql import functions as F

    union = reduce(lambda a, b: a.unionByName(b), parts)
    rows = union.groupBy("what", "key").agg(F.sum("n").alias("n")).collect()
    out: dict[str, Counter] = {}
    for r in rows:
        if r["n"]:
            out.setdefault(r["what"], Counter())[r["key"]] = int(r["n"])
    return out


def percentile(counts: dict[int, int], q: float) -> float | None:
    """The q-quantile of the values counted in `counts` (value → how often), linear interpolation between
    closest ranks (numpy's default): exact, and the same whether the counts were updated or recounted."""
    n = sum(counts.values())
    if n == 0:
        return None
    position = q * (n - 1)
    low = math.floor(position)

    def at(rank: int) -> int:
        seen = 0
        for value in sorted(counts):
            seen += counts[value]
            if rank < seen:
                return value
        raise AssertionError("rank beyond the counts")

    a, b = at(low), at(min(low + 1, n - 1))
    return a + (b - a) * (position - low)


@dataclass
class Figures:
    """The graph-wide figures of graph_summary, in a form an incremental build can update."""

    types: Counter
    kinds: Counter
    ins: Counter  # in-degree → nodes
    outs: Counter
    same_as: int
    components: int
    largest: int
    rejection_edges: int

    @classmethod
    def of_row(cls, row: dict[str, Any]) -> Figures:
        return cls(
            Counter(row["nodes_by_type"] or {}),
            Counter(row["edges_by_kind"] or {}),
            Counter({int(k): v for k, v in (row["in_degree_counts"] or {}).items()}),
            Counter({int(k): v for k, v in (row["out_degree_counts"] or {}).items()}),
            row["same_as_edges"] or 0,
            row["components"] or 0,
            row["largest_component"] or 0,
            row["rejection_edges"] or 0,
        )

    def plus(self, tally: dict[str, Counter]) -> Figures:
        """These figures with a tally of changes added (components and rejection edges set by the caller)."""

        def add(base: Counter, more: Counter, key=lambda k: k) -> Counter:
            out = Counter(base)
            for k, v in more.items():
                out[key(k)] += v
            return Counter({k: v for k, v in out.items() if v})

        return Figures(
            add(self.types, tally.get("type", Counter())),
            add(self.kinds, tally.get("kind", Counter())),
            add(self.ins, tally.get("in", Counter()), int),
            add(self.outs, tally.get("out", Counter()), int),
            self.same_as + tally.get("same_as", Counter())["all"],
            self.components,
            self.largest,
            self.rejection_edges,
        )

    def row(self) -> dict[str, Any]:
        nodes = sum(self.types.values())
        out: dict[str, Any] = {
            "nodes": nodes,
            "edges": sum(self.kinds.values()),
            "nodes_by_type": dict(sorted(self.types.items())),
            "edges_by_kind": dict(sorted(self.kinds.items())),
            "same_as_edges": self.same_as,
            "components": self.components,
            "largest_component": self.largest,
            "rejection_edges": self.rejection_edges,
            "in_degree_counts": dict(sorted(self.ins.items())),
            "out_degree_counts": dict(sorted(self.outs.items())),
        }
        for side, counts in (("in", self.ins), ("out", self.outs)):
            for q, name in ((0.5, "p50"), (0.9, "p90"), (0.99, "p99")):
                out[f"{side}_degree_{name}"] = percentile(counts, q)
            out[f"{side}_degree_max"] = max(counts) if counts else (0 if nodes else None)
        return out


def table_figures(lake: Lake) -> Figures:
    """The figures counted over the whole node, edge and rejection_edges tables (a full build)."""
    from pyspark.sql import functions as F

    nodes = lake.read("citation_nodes")
    sizes = (
        nodes.groupBy("component_id")
        .agg(F.count("*").alias("size"))
        .select(
            F.lit("component").alias("what"),
            F.col("size").cast("string").alias("key"),
            F.lit(1).cast("long").alias("n"),
        )
    )
    claim_rows = lake.read("rejection_edges").select(
        F.lit("rows").alias("what"), F.lit("rejection_edges").alias("key"), F.lit(1).cast("long").alias("n")
    )
    tally = collect_tally(
        [node_tally(nodes, 1), edge_tally(lake.read("citation_edges"), 1), sizes, claim_rows]
    )
    figures = Figures(Counter(), Counter(), Counter(), Counter(), 0, 0, 0, 0).plus(tally)
    components = tally.get("component", Counter())
    figures.components = sum(components.values())
    figures.largest = max((int(k) for k in components), default=0)
    figures.rejection_edges = tally.get("rows", Counter())["rejection_edges"]
    return figures


def week_figures(state: DataFrame) -> dict[str, Any]:
    from pyspark.sql import functions as F

    row = state.agg(
        F.min("week").alias("a"), F.max("week").alias("b"), F.countDistinct("week").alias("n")
    ).collect()
    return {"first_week": row[0]["a"], "last_week": row[0]["b"], "weeks": row[0]["n"]}


# -- the build -----------------------------------------------------------------------------------------------

# compaction and cleanup commits leave a table's rows as they were
NO_DATA_CHANGE = ("OPTIMIZE", "VACUUM START", "VACUUM END")


@dataclass
class PreviousBuild:
    """The last build, from its graph_summary row (the summary is written after every table)."""

    build_id: str
    started_at: datetime
    min_series: int
    summary: dict[str, Any]


@dataclass
class BuildReport:
    """What a build did; `status` is `done` or `skipped` (nothing to do)."""

    build_id: str
    mode: str
    status: str = "done"
    components_mode: str | None = None
    weeks_processed: list[date] = field(default_factory=list)
    touched_applications: int = 0
    applications_seen: int = 0
    applications: int = 0
    excluded_applications: int = 0
    components_rounds: int = 0
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)
    reason: str = ""

    def message(self, min_series: int) -> str:
        weeks = ",".join(w.isoformat() for w in self.weeks_processed[:20])
        more = f"+{len(self.weeks_processed) - 20}" if len(self.weeks_processed) > 20 else ""
        parts = [
            f"mode={self.mode}",
            f"weeks={len(self.weeks_processed)}[{weeks}{more}]",
            f"touched_applications={self.touched_applications}",
            f"excluded_applications={self.excluded_applications} (series<{min_series})",
            f"components={self.components_mode}/{self.components_rounds}rounds",
        ]
        parts += [f"{t}={m['rows']}" for t, m in self.tables.items() if "rows" in m]
        return " ".join(parts + ([self.reason] if self.reason else []))


def previous_build(lake: Lake) -> PreviousBuild | None:
    """The newest graph_summary row (one small file per build), or None."""
    from pyspark.sql import functions as F

    if not lake.exists("graph_summary"):
        return None
    rows = lake.read("graph_summary").orderBy(F.col("built_at").desc()).limit(1).collect()
    if not rows:
        return None
    row = rows[0].asDict()
    return PreviousBuild(row["build_id"], row["started_at"], row["min_series"], row)


def extracted_since(lake: Lake, since: datetime) -> list[date]:
    """Weeks whose extraction finished (status done) at or after `since`: the ledger's newest rows only
    (Delta skips the files whose finished_at is older)."""
    from pyspark.sql import functions as F

    if not lake.exists("runs"):
        return []
    runs = lake.read("runs").where(
        (F.col("job") == "extract")
        & (F.col("status") == "done")
        & (F.col("finished_at") >= F.lit(since))
        & F.col("week").isNotNull()
    )
    return sorted(r["week"] for r in runs.select("week").distinct().collect())


def changed_since(lake: Lake, versions: dict[str, int]) -> str | None:
    """The first graph table with a commit that changed its rows since the versions a build left, or None.
    Compaction (maintain's OPTIMIZE, VACUUM) does not count."""
    for table in GRAPH_TABLES:
        version = versions.get(table)
        if version is None:
            return table
        newest = last_commits(lake, table, 1)[0]["version"]
        if newest == version:
            continue
        if newest < version:
            return table
        since = last_commits(lake, table, newest - version + 1)
        if not any(c["version"] == version for c in since) or any(
            c["version"] > version and c["operation"] not in NO_DATA_CHANGE for c in since
        ):
            return table
    return None


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


def choose_mode(
    lake: Lake, cfg: GraphsConfig, mode: str | None
) -> tuple[str, PreviousBuild | None, list[date], str]:
    """full or incremental, the previous build, the weeks extracted since, and why (for the log). An
    incremental build needs the tables exactly as the previous build left them."""
    if mode not in (None, *MODES):
        raise ConfigError(f"graphs mode must be one of {list(MODES)}, got {mode!r}")
    if mode == "full":
        return "full", None, [], "full rebuild requested"
    previous = previous_build(lake)
    if previous is None:
        return "full", None, [], "no previous build"
    if previous.min_series != cfg.min_series:
        return "full", None, [], f"graphs.min_series changed from {previous.min_series}"
    if not all(lake.exists(t) for t in GRAPH_TABLES):
        return "full", None, [], "a graph table is missing"
    weeks = extracted_since(lake, previous.started_at)
    if not weeks:
        return "incremental", previous, [], "since the previous build"
    versions = previous.summary.get("table_versions")
    if not versions:
        return "full", None, [], "the previous build recorded no table versions (an older version)"
    changed = changed_since(lake, versions)
    if changed:
        return "full", None, [], f"{changed} changed since the previous build (an interrupted build?)"
    return "incremental", previous, weeks, "since the previous build"


def checkpoint_dir(lake: Lake, cfg: GraphsConfig) -> str | None:
    if cfg.checkpoint_dir:
        return cfg.checkpoint_dir
    if uses_catalog(lake.cfg):
        return None
    return f"{lake.cfg.path.rstrip('/')}/_graphs_checkpoints"


def build(lake: Lake, cfg: GraphsConfig, mode: str | None = None, build_id: str | None = None) -> BuildReport:
    """Build (full) or update (incremental) every graph table; see the module docstring."""
    started_at = utcnow()
    build_id = build_id or new_run_id()
    chosen, previous, weeks, reason = choose_mode(lake, cfg, mode)
    report = BuildReport(build_id=build_id, mode=chosen, weeks_processed=weeks, reason=reason)
    if previous is not None and not weeks:
        report.status, report.reason = "skipped", "no week extracted since the previous build"
        return report
    checkpoint = Checkpointer(lake.spark, checkpoint_dir(lake, cfg))
    try:
        _Build(lake, cfg, report, previous, checkpoint).run(started_at)
    finally:
        checkpoint.cleanup()
    return report


class _Build:
    """One build's steps, in the order that keeps an interrupted build redoable: derived tables first, the
    state last, then the summary (whose table versions tell the next build the tables are as this one left
    them; after an interruption they are not, and the next build is a full one)."""

    def __init__(
        self,
        lake: Lake,
        cfg: GraphsConfig,
        report: BuildReport,
        previous: PreviousBuild | None,
        cp: Checkpointer,
    ) -> None:
        self.lake, self.cfg, self.report, self.previous, self.checkpoint = lake, cfg, report, previous, cp
        self.spark: SparkSession = lake.spark
        self.cached: list[DataFrame] = []
        self.t0 = self.t_step = time.monotonic()

    def run(self, started_at: datetime) -> None:
        try:
            if self.previous is None:
                self._full(started_at)
            else:
                self._incremental(started_at, self.previous)
        finally:
            for df in self.cached:
                df.unpersist()

    # -- full --------------------------------------------------------------------------------------------

    def _full(self, started_at: datetime) -> None:
        lake, report, min_series = self.lake, self.report, self.cfg.min_series
        upgrade_schemas(lake)
        state = self._persist(upstream_rows(lake, None))
        report.weeks_processed = sorted(r["week"] for r in state.select("week").distinct().collect())
        everyone = self._persist(newest_per_document(state))
        docs = included(everyone, min_series)
        self._count_applications(everyone)
        self._step("state")
        own = self._persist(own_documents(docs))
        self._write("citation_edges", with_cited_application(citation_edges(docs), own))
        self._write("rejection_edges", rejection_edges(docs))
        self._write("application_timeline", application_timeline(docs))
        self._all_nodes()
        self._write("rejection_stats", rejection_stats(docs))
        lake.overwrite(STATE, state)
        self._logged(STATE)
        self._summary(started_at, table_figures(lake), week_figures(state))

    def _all_nodes(self) -> None:
        """Nodes, degrees and components over the whole edge table."""
        lake = self.lake
        edges = lake.read("citation_edges")
        nodes = node_table(edges, lake.read("application_timeline"))
        labels, rounds = connected_components(graph_pairs(edges), self.checkpoint, self.cfg.max_iterations)
        self.report.components_mode, self.report.components_rounds = "full", rounds
        self._write("citation_nodes", with_components(nodes, labels))

    def _count_applications(self, everyone: DataFrame) -> None:
        from pyspark.sql import functions as F

        inside = F.when(F.col("application_series") >= self.cfg.min_series, F.col("application_number"))
        row = everyone.agg(
            F.countDistinct("application_number").alias("seen"), F.countDistinct(inside).alias("included")
        ).collect()[0]
        report = self.report
        report.applications_seen, report.applications = row["seen"], row["included"]
        report.excluded_applications = report.applications_seen - report.applications
        report.touched_applications = report.applications

    # -- incremental ---------------------------------------------------------------------------------------

    def _incremental(self, started_at: datetime, previous: PreviousBuild) -> None:
        """Read the new weeks and the touched applications' state; replace their rows; update the rest from
        what changed (see the module docstring)."""
        from pyspark.sql import functions as F

        lake, report, min_series = self.lake, self.report, self.cfg.min_series
        weeks = report.weeks_processed
        new_state = self.checkpoint(upstream_rows(lake, weeks))
        seen = (
            new_state.select("application_number", "application_series", "week", F.lit(True).alias("new"))
            .unionByName(
                lake.read(STATE, weeks).select(
                    "application_number", "application_series", "week", F.lit(False).alias("new")
                )
            )
            .distinct()
            .collect()
        )
        everyone = sorted({r["application_number"] for r in seen})
        touched = sorted(
            {
                r["application_number"]
                for r in seen
                if r["application_series"] is not None and r["application_series"] >= min_series
            }
        )
        weeks_before = {r["week"] for r in seen if not r["new"]}
        weeks_after = {r["week"] for r in seen if r["new"]}
        before = self.checkpoint(lake.read(STATE).where(F.col("application_number").isin(everyone)))
        after = before.where(~F.col("week").isin(weeks)).unionByName(new_state)
        old_docs = self._persist(newest_per_document(before))
        new_docs = self._persist(newest_per_document(after))
        self._count_changed_applications(old_docs, new_docs, previous.summary, len(touched))
        self._step("state")

        old_g, new_g = included(old_docs, min_series), included(new_docs, min_series)
        apps = self._persist(self.spark.createDataFrame([(a,) for a in touched], "application_number string"))
        replaced, after_edges, changed_keys = self._edges(old_g, new_g, apps)
        replace_applications(lake, "rejection_edges", rejection_edges(new_g), apps)
        self._logged("rejection_edges")
        replace_applications(lake, "application_timeline", application_timeline(new_g), apps)
        self._logged("application_timeline")
        figures = self._changed_nodes(apps, replaced, after_edges, changed_keys, previous)
        self._changed_stats(old_g, new_g)
        lake.replace_weeks(STATE, new_state, weeks)
        self._logged(STATE)
        self._summary(started_at, figures, self._changed_weeks(previous.summary, weeks_before, weeks_after))

    def _count_changed_applications(
        self, old_docs: DataFrame, new_docs: DataFrame, summary: dict[str, Any], touched: int
    ) -> None:
        """Application counts: the previous build's, plus the touched applications after, minus before."""
        from pyspark.sql import functions as F

        inside = F.col("application_series") >= self.cfg.min_series
        sides = old_docs.select("application_number", inside.alias("inside"), F.lit(-1).alias("side"))
        sides = sides.unionByName(
            new_docs.select("application_number", inside.alias("inside"), F.lit(1).alias("side"))
        )

        def apps(side: int, only_inside: bool) -> Column:
            keep = (F.col("side") == side) & (F.col("inside") if only_inside else F.lit(True))
            return F.countDistinct(F.when(keep, F.col("application_number")))

        row = sides.agg(
            apps(-1, False).alias("seen_before"),
            apps(-1, True).alias("in_before"),
            apps(1, False).alias("seen_after"),
            apps(1, True).alias("in_after"),
        ).collect()[0]
        report = self.report
        report.applications = summary["applications"] + row["in_after"] - row["in_before"]
        report.excluded_applications = (
            summary["excluded_applications"]
            + (row["seen_after"] - row["in_after"])
            - (row["seen_before"] - row["in_before"])
        )
        report.applications_seen = report.applications + report.excluded_applications
        report.touched_applications = touched

    def _edges(
        self, old_g: DataFrame, new_g: DataFrame, apps: DataFrame
    ) -> tuple[DataFrame, DataFrame, DataFrame]:
        """MERGE the touched applications' citation edges; where the owner of a key changed (an application
        got or lost a patent or publication), re-map cited_application on other applications' edges too.
        Returns the replaced rows as they were, the MERGE's rows, and the keys whose claims changed (all
        materialized before the MERGE rewrites the table they come from)."""
        from pyspark.sql import functions as F

        from oa_spark.schemas import CITATION_EDGES, names

        lake = self.lake
        changed_keys = self._persist(claims(old_g).unionByName(claims(new_g)).select("cited_key").distinct())
        cited = new_g.select(F.explode("citations.cited_key").alias("cited_key"))
        wanted = changed_keys.unionByName(cited).distinct()
        others = lake.read("application_timeline").join(apps, "application_number", "left_anti")
        claimed = timeline_claims(others).unionByName(claims(new_g)).join(wanted, "cited_key", "left_semi")
        own = self.checkpoint(owners(claimed))

        current = lake.read("citation_edges")
        remap = (
            current.join(apps, "application_number", "left_anti")
            .join(changed_keys, "cited_key", "left_semi")
            .join(own.withColumnRenamed("cited_application", "mapped"), "cited_key", "left")
            .where(~F.col("cited_application").eqNullSafe(F.col("mapped")))
        )
        replaced = self.checkpoint(
            current.join(apps, "application_number", "left_semi")
            .withColumn("mapped", F.lit(None).cast("string"))
            .withColumn("remapped", F.lit(False))
            .unionByName(remap.withColumn("remapped", F.lit(True)))
        )
        columns = names(CITATION_EDGES)
        after = self.checkpoint(
            with_cited_application(citation_edges(new_g), own).unionByName(
                replaced.where("remapped").withColumn("cited_application", F.col("mapped")).select(*columns)
            )
        )
        self._step("edges computed")
        replace_applications(lake, "citation_edges", after, apps)
        self._logged("citation_edges")
        return replaced.select(*columns), after, changed_keys

    def _changed_nodes(
        self,
        apps: DataFrame,
        replaced: DataFrame,
        after: DataFrame,
        changed_keys: DataFrame,
        previous: PreviousBuild,
    ) -> Figures:
        """Recompute the nodes the replaced and new edges touch. Components: merged through the contracted
        graph when no link was removed (components only grow), else recomputed over the whole edge table.
        Returns the build's figures (updated from the previous build's with what changed)."""
        from pyspark.sql import functions as F

        lake = self.lake
        node = F.col("node_id")
        affected = self.checkpoint(
            apps.select(F.col("application_number").alias("node_id"))
            .unionByName(replaced.select(F.col("cited_key").alias("node_id")))
            .unionByName(after.select(F.col("cited_key").alias("node_id")))
            .distinct()
        )
        edges = lake.read("citation_edges")
        outs = edges.join(
            affected.withColumnRenamed("node_id", "application_number"), "application_number", "left_semi"
        )
        ins = edges.join(affected.withColumnRenamed("node_id", "cited_key"), "cited_key", "left_semi")
        timeline = lake.read("application_timeline").join(
            affected.withColumnRenamed("node_id", "application_number"), "application_number", "left_semi"
        )
        fresh = self.checkpoint(node_table(outs, timeline, ins).join(affected, "node_id", "left_semi"))

        before_pairs, after_pairs = graph_pairs(replaced), graph_pairs(after)
        removed = before_pairs.join(after_pairs, ["hi", "lo"], "left_anti").join(
            graph_pairs(outs.unionByName(ins)), ["hi", "lo"], "left_anti"
        )
        if not removed.isEmpty():
            self._step("nodes computed")
            self._all_nodes()
            figures = table_figures(lake)
            return figures
        added = self.checkpoint(after_pairs.join(before_pairs, ["hi", "lo"], "left_anti"))
        ends = added.select(F.col("hi").alias("node_id")).unionByName(
            added.select(F.col("lo").alias("node_id"))
        )
        nodes = lake.read("citation_nodes")
        old = self.checkpoint(nodes.join(affected.unionByName(ends).distinct(), "node_id", "left_semi"))
        old_labels = old.select(F.col("node_id").alias("node"), F.col("component_id").alias("component"))
        merged, rounds = merge_components(old_labels, added, self.checkpoint, self.cfg.max_iterations)
        merged = self.checkpoint(merged)
        self.report.components_mode, self.report.components_rounds = "merged", rounds
        # every node of a component that took part in a merge, as it is now (before the MERGE below)
        members = self.checkpoint(
            nodes.join(merged.select(F.col("node").alias("component_id")), "component_id", "left_semi")
        )
        sizes = members.groupBy("component_id").agg(F.count("*").alias("size"))
        merges = (
            merged.join(sizes.withColumnRenamed("component_id", "node"), "node", "left")
            .groupBy("component")
            .agg(F.count("*").alias("parts"), F.sum(F.coalesce("size", F.lit(1))).alias("size"))
            .collect()
        )
        moved = merged.where(F.col("node") != F.col("component")).select(
            F.col("node").alias("component_id"), F.col("component").alias("merged")
        )
        relabeled = (
            members.join(affected, "node_id", "left_anti")
            .join(moved, "component_id")
            .withColumn("component_id", F.col("merged"))
            .drop("merged")
        )
        labels = relabel(fresh.select(node.alias("node")), old_labels, merged)
        rows = with_components(fresh, labels).unionByName(relabeled.select(*fresh.columns))
        tally = collect_tally(
            [
                node_tally(fresh, 1),
                node_tally(old.join(affected, "node_id", "left_semi"), -1),
                edge_tally(after, 1),
                edge_tally(replaced, -1),
            ]
        )
        self._step("nodes computed")
        replace_rows(lake, "citation_nodes", rows, affected, ["node_id"])
        self._logged("citation_nodes")

        figures = Figures.of_row(previous.summary).plus(tally)
        nodes_delta = tally.get("node", Counter())["all"]
        figures.components = figures.components + nodes_delta - sum(r["parts"] - 1 for r in merges)
        figures.largest = max([figures.largest, *(r["size"] for r in merges)])
        if not figures.types:
            figures.largest = 0
        edges_metrics = self.report.tables["rejection_edges"]
        figures.rejection_edges += edges_metrics.get("inserted", 0) - edges_metrics.get("deleted", 0)
        return figures

    def _changed_stats(self, old_g: DataFrame, new_g: DataFrame) -> None:
        """rejection_stats: the groups the touched actions fall in, from their stored totals plus the new
        actions' totals minus the old ones'."""
        keys = list(STATS_KEYS)
        delta = self.checkpoint(stats_totals(new_g, 1).unionByName(stats_totals(old_g, -1)))
        groups = delta.select(*keys).distinct()
        stored = (
            self.lake.read("rejection_stats")
            .alias("t")
            .join(groups.alias("g"), _null_safe_on("t", "g", keys), "left_semi")
            .select(*keys, *STATS_TOTALS, "grounds_by_references")
        )
        rows = self.checkpoint(stats_rows(sum_totals(stored.unionByName(delta))))
        replace_rows(self.lake, "rejection_stats", rows, groups, keys)
        self._logged("rejection_stats")

    def _changed_weeks(
        self, summary: dict[str, Any], weeks_before: set[date], weeks_after: set[date]
    ) -> dict[str, Any]:
        """Weeks covered: the previous build's, with the new weeks; recounted from the state only when a
        re-extracted week lost every row."""
        if weeks_before - weeks_after:
            return week_figures(self.lake.read(STATE))
        first, last = summary["first_week"], summary["last_week"]
        if weeks_after:
            first = min(weeks_after) if first is None else min(first, min(weeks_after))
            last = max(weeks_after) if last is None else max(last, max(weeks_after))
        return {
            "first_week": first,
            "last_week": last,
            "weeks": (summary["weeks"] or 0) + len(weeks_after - weeks_before),
        }

    # -- shared ------------------------------------------------------------------------------------------

    def _persist(self, df: DataFrame) -> DataFrame:
        self.cached.append(df.persist())
        return df

    def _step(self, name: str) -> None:
        """Log how long the step since the last one took (the profile of a build)."""
        now = time.monotonic()
        self.report.steps[name] = round(now - self.t_step, 2)
        logs.event(
            log, "graph_step", build=self.report.build_id, step=name, seconds=round(now - self.t_step, 2)
        )
        self.t_step = now

    def _logged(self, table: str) -> None:
        self._step(f"{table} written")
        metrics = commit_metrics(self.lake, table)
        self.report.tables[table] = metrics
        logs.event(
            log,
            "graph_table_written",
            build=self.report.build_id,
            mode=self.report.mode,
            table=table,
            **metrics,
            seconds=round(time.monotonic() - self.t0, 1),
        )

    def _write(self, table: str, df: DataFrame) -> None:
        self.lake.overwrite(table, df)
        self._logged(table)

    def _summary(self, started_at: datetime, figures: Figures, weeks: dict[str, Any]) -> None:
        from oa_spark.schemas import GRAPH_SUMMARY

        lake, report = self.lake, self.report
        versions = {t: report.tables[t]["version"] for t in GRAPH_TABLES}
        row = {
            "build_id": report.build_id,
            "mode": report.mode,
            "components_mode": report.components_mode,
            "min_series": self.cfg.min_series,
            **figures.row(),
            **weeks,
            "applications": report.applications,
            "excluded_applications": report.excluded_applications,
            "weeks_processed": len(report.weeks_processed),
            "touched_applications": report.touched_applications,
            "edges_version": versions["citation_edges"],
            "table_versions": versions,
            "started_at": started_at,
            "built_at": utcnow(),
        }
        lake.append("graph_summary", self.spark.createDataFrame([row], GRAPH_SUMMARY))
        self._step("summary written")
        shown = {k: row[k] for k in ("nodes", "edges", "components", "largest_component", "weeks")}
        logs.event(log, "graph_summary", build=report.build_id, mode=report.mode, **shown)


# -- export --------------------------------------------------------------------------------------------------


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


# -- entry point ---------------------------------------------------------------------------------------------


def main(
    cfg: Config,
    mode: str | None = None,
    export_dir: str | None = None,
    export_format: str = "parquet",
    spark: SparkSession | None = None,
) -> int:
    """Run the graphs job; 0 when done (or nothing to do), 1 when the build failed (`runs` says why).

    mode None: incremental when a previous build exists, else full. Bad arguments raise ConfigError.
    """
    from oa_spark.session import get_spark
    from oa_spark.tables import Lake

    if mode not in (None, *MODES):
        raise ConfigError(f"graphs mode must be one of {list(MODES)}, got {mode!r}")
    if export_format not in EXPORT_FORMATS:
        raise ConfigError(
            f"graphs export format must be one of {list(EXPORT_FORMATS)}, got {export_format!r}"
        )
    lake = Lake(spark or get_spark(cfg), cfg.lake)
    ledger = Ledger(lake)
    running = RunRow(run_id=new_run_id(), job=JOB, week=None, status="running")
    ledger.record([running])
    try:
        report = build(lake, cfg.graphs, mode, build_id=running.run_id)
        if export_dir:  # after a skipped build too: the tables are current
            export(lake, export_dir, export_format)
    except Exception as exc:  # the ledger must say why; the CLI turns 1 into "failed"
        log.exception("graphs build=%s failed: %s", running.run_id, exc)
        ledger.record([running.finish("failed", message=f"{type(exc).__name__}: {exc}"[:2000])])
        return 1
    ledger.record(
        [
            running.finish(
                report.status,
                records_in=report.applications_seen,
                records_out=report.applications,
                message=report.message(cfg.graphs.min_series),
            )
        ]
    )
    logs.event(
        log,
        "graphs_done",
        build=running.run_id,
        status=report.status,
        summary=report.message(cfg.graphs.min_series),
    )
    return 0
