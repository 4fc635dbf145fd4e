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
grounds. A full build recomputes it from all weeks; an incremental build reads only the weeks whose
extraction finished since the last build (`runs`, job `extract`), replaces those weeks of the state,
recomputes the rows of the applications they touch and MERGEs them (rows that no longer exist are deleted in
the same MERGE). Statistics, nodes and degrees are recomputed from the state and the edge table (graph-side
data, never the upstream history). Components are merged incrementally through a contracted graph when the
build only added edges; when it removed any, they are recomputed over the whole edge table. The state is
written last, so a build interrupted at any point is redone completely by the next one.
"""

from __future__ import annotations

import logging
import time
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
from oa_spark.latest import newest_per_document
from oa_spark.ledger import Ledger, RunRow, new_run_id, utcnow

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger(__name__)

JOB = "graphs"
STATE = "graph_actions"
OUTPUTS = ("citation_edges", "citation_nodes", "rejection_edges", "application_timeline", "rejection_stats")
STATUTES = ("101", "102", "103", "112", "dp")
MODES = ("full", "incremental")
EXPORT_FORMATS = ("parquet", "csv")
NODE_TYPES = {
    "us_patent": "patent",
    "us_publication": "publication",
    "us_reissue": "reissue",
    "us_design": "design",
    "us_plant": "plant",
    "us_application": "application",
    "foreign": "foreign",
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


def own_documents(docs: DataFrame) -> DataFrame:
    """`(cited_key, cited_application)`: keys known from the data to be one application's own patent or
    publication, or the application itself (a co-pending citation). A key claimed by two applications is
    left out: never guess."""
    from pyspark.sql import functions as F

    app = F.col("application_number")
    own = (
        docs.select(app, F.col("patent_key").alias("cited_key"))
        .unionByName(docs.select(app, F.col("publication_key").alias("cited_key")))
        .unionByName(docs.select(app, app.alias("cited_key")))
        .where(F.col("cited_key").isNotNull())
        .distinct()
    )
    return (
        own.groupBy("cited_key")
        .agg(F.count("*").alias("n"), F.max("application_number").alias("cited_application"))
        .where("n = 1")
        .drop("n")
    )


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
    whose previous rejection (CTNF or CTFR, by mail date then document id) was a non-final one."""
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
    )
    return (
        per_app.join(rounds, "application_number", "left")
        .withColumn("rounds", F.coalesce("rounds", F.lit(0)).cast("long"))
        .withColumn("has_restriction", F.col("restrictions") > 0)
        .select(*names(APPLICATION_TIMELINE))
    )


def rejection_stats(docs: DataFrame) -> DataFrame:
    """Long table: one row per (dimension, value, statute) for dimensions `all` (value `all`), `art_unit`,
    `tech_center`, `examiner_id`, `mail_year`, and each of the five statutes even when it never occurs.

    `actions` = actions in the group (every document code), `rejection_actions` = those with any ground,
    `actions_with_statute` = those with a ground of the statute; `share` divides it by actions,
    `share_of_rejections` by rejection_actions; `grounds` and `references_mean`/`_max` (distinct references
    per ground of the statute: the 103 rows give references per 103 ground) describe its grounds.
    """
    from pyspark.sql import functions as F

    from oa_spark.schemas import REJECTION_STATS, names

    dims = F.array(
        *[
            F.struct(F.lit(name).alias("dimension"), value.cast("string").alias("value"))
            for name, value in (
                ("all", F.lit("all")),
                ("art_unit", F.col("art_unit")),
                ("tech_center", F.col("tech_center")),
                ("examiner_id", F.col("examiner_id")),
                ("mail_year", F.year("mail_date")),
            )
        ]
    )
    base = docs.select("application_number", "document_id", "grounds", F.explode(dims).alias("d")).select(
        "application_number", "document_id", "grounds", "d.dimension", "d.value"
    )
    groups = base.groupBy("dimension", "value").agg(
        F.count("*").alias("actions"),
        F.count(F.when(F.size("grounds") > 0, True)).alias("rejection_actions"),
    )
    refs = F.size(F.array_distinct(F.coalesce(F.col("g.references"), F.array().cast("array<string>"))))
    per_statute = (
        base.select(
            "dimension", "value", "application_number", "document_id", F.explode("grounds").alias("g")
        )
        .select("dimension", "value", "application_number", "document_id", "g.statute", refs.alias("refs"))
        .groupBy("dimension", "value", "statute")
        .agg(
            F.countDistinct("application_number", "document_id").alias("actions_with_statute"),
            F.count("*").alias("grounds"),
            F.avg("refs").alias("references_mean"),
            F.max("refs").alias("references_max"),
        )
    )
    statutes = docs.sparkSession.createDataFrame([(s,) for s in STATUTES], "statute string")
    g, s = groups.crossJoin(statutes).alias("g"), per_statute.alias("s")
    on = [
        F.col("g.dimension") == F.col("s.dimension"),
        F.col("g.value").eqNullSafe(F.col("s.value")),
        F.col("g.statute") == F.col("s.statute"),
    ]
    with_statute = F.coalesce("s.actions_with_statute", F.lit(0))
    return (
        g.join(s, on, "left")
        .select(
            "g.dimension",
            "g.value",
            "g.statute",
            "g.actions",
            "g.rejection_actions",
            with_statute.alias("actions_with_statute"),
            (with_statute / F.col("g.actions")).alias("share"),
            F.when(F.col("g.rejection_actions") > 0, with_statute / F.col("g.rejection_actions")).alias(
                "share_of_rejections"
            ),
            F.coalesce("s.grounds", F.lit(0)).alias("grounds"),
            "s.references_mean",
            "s.references_max",
        )
        .select(*[F.col(f.name).cast(f.dataType) for f in REJECTION_STATS.fields])
        .select(*names(REJECTION_STATS))
    )


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


def node_table(edges: DataFrame, timeline: DataFrame) -> DataFrame:
    """Nodes without components: every application in the graph and every cited document.

    A node is an `application` when it is one in the data or is cited as a co-pending application; a cited
    document's type comes from its cited_kind (`other` when unknown). first_seen is the earliest mail date
    of an action where the node appears (its own, or one citing it). application_number is the node itself
    for applications, else the cited_application.
    """
    from pyspark.sql import functions as F

    from oa_spark.schemas import CITATION_NODES, names

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
    ins = edges.groupBy(F.col("cited_key").alias("node_id")).agg(
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


def replace_applications(lake: Lake, table: str, rows: DataFrame, touched: DataFrame) -> None:
    """One MERGE: the touched applications' rows become exactly their rows in `rows` (rows no longer there
    are deleted); rows of other applications in `rows` update in place."""
    from pyspark.sql import functions as F

    from oa_spark.schemas import TABLES, names
    from oa_spark.tables import insert_clause, keys_match, set_clause

    lake.ensure(table)
    keys, columns = KEYS[table], names(TABLES[table][0])
    target = lake.read(table).join(touched, "application_number", "left_semi").alias("t")
    same = reduce(lambda a, b: a & b, [F.col(f"t.{k}").eqNullSafe(F.col(f"r.{k}")) for k in keys])
    gone = target.join(rows.alias("r"), same, "left_anti").select(*[F.col(f"t.{k}") for k in keys])
    source = rows.select(*columns).withColumn("_gone", F.lit(False))
    source = source.unionByName(gone.withColumn("_gone", F.lit(True)), allowMissingColumns=True)
    lake.merge(
        table,
        source,
        keys_match(keys),
        "WHEN MATCHED AND s._gone THEN DELETE",
        f"WHEN MATCHED THEN {set_clause(columns)}",
        f"WHEN NOT MATCHED AND NOT s._gone THEN {insert_clause(columns)}",
    )


def commit_metrics(lake: Lake, table: str) -> dict[str, Any]:
    """The table's last commit: version, operation and row counts (for the structured log line)."""
    last = lake.history(table, 1).select("version", "operation", "operationMetrics").collect()[0]
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


# -- the build -----------------------------------------------------------------------------------------------


@dataclass
class PreviousBuild:
    build_id: str
    started_at: datetime
    min_series: int
    edges_version: int | None


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


def ledger_rows(lake: Lake) -> list[dict[str, Any]]:
    """The `done` rows of graphs builds and of extraction weeks (a small read of `runs`)."""
    from pyspark.sql import functions as F

    if not lake.exists("runs"):
        return []
    runs = lake.read("runs").where(F.col("job").isin(JOB, "extract") & (F.col("status") == "done"))
    return [r.asDict() for r in runs.select("run_id", "job", "week", "started_at", "finished_at").collect()]


def previous_build(lake: Lake, runs: list[dict[str, Any]]) -> PreviousBuild | None:
    """The last `done` graphs build in `runs` with its graph_summary row, or None."""
    from pyspark.sql import functions as F

    builds = [r for r in runs if r["job"] == JOB]
    if not builds or not lake.exists("graph_summary"):
        return None
    last = max(builds, key=lambda r: r["started_at"])
    summary = lake.read("graph_summary").where(F.col("build_id") == last["run_id"]).limit(1).collect()
    if not summary:
        return None
    row = summary[0]
    return PreviousBuild(row["build_id"], last["started_at"], row["min_series"], row["edges_version"])


def extracted_since(runs: list[dict[str, Any]], since: datetime) -> list[date]:
    """Weeks whose extraction finished (status done) at or after `since`."""
    return sorted(
        {
            r["week"]
            for r in runs
            if r["job"] == "extract" and r["week"] and r["finished_at"] and r["finished_at"] >= since
        }
    )


def upstream_rows(lake: Lake, weeks: list[date] | None) -> DataFrame:
    """State rows built from office_actions, citations and rejections (all weeks, or only `weeks`)."""
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
    """full or incremental, the previous build, the weeks extracted since, and why (for the log)."""
    if mode not in (None, *MODES):
        raise ConfigError(f"graphs mode must be one of {list(MODES)}, got {mode!r}")
    if mode == "full":
        return "full", None, [], "full rebuild requested"
    runs = ledger_rows(lake)
    previous = previous_build(lake, runs)
    if previous is None:
        return "full", None, [], "no previous build"
    if previous.min_series != cfg.min_series:
        return "full", None, [], f"graphs.min_series changed from {previous.min_series}"
    if not all(lake.exists(t) for t in (*OUTPUTS, STATE)):
        return "full", None, [], "a graph table is missing"
    return "incremental", previous, extracted_since(runs, previous.started_at), "since the previous build"


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
    state last, so a rerun sees the same weeks as new and the same applications as touched."""

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
        self.t0 = time.monotonic()

    def run(self, started_at: datetime) -> None:
        from pyspark.sql import functions as F

        lake, report, previous = self.lake, self.report, self.previous
        weeks = report.weeks_processed if previous else None
        new_state = self._persist(upstream_rows(lake, weeks))
        if previous:
            old_state = lake.read(STATE)
            state = old_state.where(~F.col("week").isin(weeks)).unionByName(new_state)
            changed = old_state.where(F.col("week").isin(weeks)).unionByName(new_state)
        else:
            state = changed = new_state
            report.weeks_processed = sorted(r["week"] for r in new_state.select("week").distinct().collect())
        everyone = self._persist(newest_per_document(state))
        docs = included(everyone, self.cfg.min_series)
        touched = self._persist(
            included(changed, self.cfg.min_series).select("application_number").distinct()
        )
        self._count_applications(everyone, touched)
        own = self._persist(own_documents(docs))

        if previous:
            edges_version = lake.version("citation_edges")
            replaced = self._merge(docs, touched, own)
            self._nodes(replaced if previous.edges_version == edges_version else None)
        else:
            self._write("citation_edges", with_cited_application(citation_edges(docs), own))
            self._write("rejection_edges", rejection_edges(docs))
            self._write("application_timeline", application_timeline(docs))
            self._nodes(None)
        self._write("rejection_stats", rejection_stats(docs))
        if previous:
            lake.replace_weeks(STATE, new_state, weeks)
        else:
            lake.overwrite(STATE, new_state)
        self._logged(STATE)
        self._summary(started_at, state)
        for df in self.cached:
            df.unpersist()

    def _persist(self, df: DataFrame) -> DataFrame:
        self.cached.append(df.persist())
        return df

    def _count_applications(self, everyone: DataFrame, touched: DataFrame) -> None:
        from pyspark.sql import functions as F

        inside = F.when(F.col("application_series") >= self.cfg.min_series, F.col("application_number"))
        row = everyone.agg(
            F.countDistinct("application_number").alias("seen"), F.countDistinct(inside).alias("included")
        ).collect()[0]
        report = self.report
        report.applications_seen, report.applications = row["seen"], row["included"]
        report.excluded_applications = report.applications_seen - report.applications
        report.touched_applications = touched.count()

    def _logged(self, table: str) -> None:
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

    def _merge(self, docs: DataFrame, touched: DataFrame, own: DataFrame) -> tuple[DataFrame, DataFrame]:
        """MERGE the touched applications' edges, claim rows and timelines; on other applications' edges,
        re-map cited_application where the mapping changed (an application cited elsewhere got its patent).
        Returns the component pairs of the replaced edge rows, before and after (materialized before the
        MERGE, since they read the table it rewrites)."""
        from pyspark.sql import functions as F

        from oa_spark.schemas import CITATION_EDGES, names

        lake, columns = self.lake, names(CITATION_EDGES)
        tdocs = docs.join(touched, "application_number", "left_semi")
        current = lake.read("citation_edges")
        remap = (
            current.join(touched, "application_number", "left_anti")
            .join(own.withColumnRenamed("cited_application", "mapped"), "cited_key", "left")
            .where(~F.col("cited_application").eqNullSafe(F.col("mapped")))
        )
        # the replaced rows as they are now (`mapped` marks re-mapped ones), cut from the table they come from
        replaced = self.checkpoint(
            current.join(touched, "application_number", "left_semi")
            .withColumn("mapped", F.lit(None).cast("string"))
            .withColumn("remapped", F.lit(False))
            .unionByName(remap.withColumn("remapped", F.lit(True)))
        )
        after = self.checkpoint(  # the MERGE source, then the added component pairs: computed once
            with_cited_application(citation_edges(tdocs), own).unionByName(
                replaced.where("remapped").withColumn("cited_application", F.col("mapped")).select(*columns)
            )
        )
        before_pairs = graph_pairs(replaced)
        replace_applications(lake, "citation_edges", after, touched)
        self._logged("citation_edges")
        replace_applications(lake, "rejection_edges", rejection_edges(tdocs), touched)
        self._logged("rejection_edges")
        replace_applications(lake, "application_timeline", application_timeline(tdocs), touched)
        self._logged("application_timeline")
        return before_pairs, graph_pairs(after)

    def _nodes(self, replaced: tuple[DataFrame, DataFrame] | None) -> None:
        """Nodes and degrees from the edge table, with components: merged through the contracted graph when
        this build only added component pairs (and the table is the one the previous build left), else
        recomputed over the whole edge table."""
        from pyspark.sql import functions as F

        lake, cfg = self.lake, self.cfg
        edges = lake.read("citation_edges")
        nodes = node_table(edges, lake.read("application_timeline"))
        pairs = graph_pairs(edges)
        if replaced is not None and replaced[0].join(pairs, ["hi", "lo"], "left_anti").isEmpty():
            old = lake.read("citation_nodes").select(
                F.col("node_id").alias("node"), F.col("component_id").alias("component")
            )
            merged, rounds = merge_components(old, replaced[1], self.checkpoint, cfg.max_iterations)
            # materialized: the labels read citation_nodes, which the write below replaces
            labels = self.checkpoint(relabel(nodes.select(F.col("node_id").alias("node")), old, merged))
            self.report.components_mode = "merged"
        else:
            labels, rounds = connected_components(pairs, self.checkpoint, cfg.max_iterations)
            self.report.components_mode = "full"
        self.report.components_rounds = rounds
        self._write("citation_nodes", with_components(nodes, labels))

    def _summary(self, started_at: datetime, state: DataFrame) -> None:
        from oa_spark.schemas import GRAPH_SUMMARY

        lake, report = self.lake, self.report
        row = {
            "build_id": report.build_id,
            "mode": report.mode,
            "components_mode": report.components_mode,
            "min_series": self.cfg.min_series,
            **graph_figures(lake),
            **week_figures(state),
            "applications": report.applications,
            "excluded_applications": report.excluded_applications,
            "rejection_edges": lake.read("rejection_edges").count(),
            "weeks_processed": len(report.weeks_processed),
            "touched_applications": report.touched_applications,
            "edges_version": report.tables["citation_edges"]["version"],
            "started_at": started_at,
            "built_at": utcnow(),
        }
        lake.append("graph_summary", self.spark.createDataFrame([row], GRAPH_SUMMARY))
        shown = {k: row[k] for k in ("nodes", "edges", "components", "largest_component", "weeks")}
        logs.event(log, "graph_summary", build=report.build_id, mode=report.mode, **shown)


def graph_figures(lake: Lake) -> dict[str, Any]:
    """Counts by type, components and degree percentiles (exact, linear interpolation) over the nodes with
    at least one edge in that direction: in-degree over cited nodes, out-degree over citing applications."""
    from pyspark.sql import functions as F

    nodes, edges = lake.read("citation_nodes"), lake.read("citation_edges")
    types = sorted({*NODE_TYPES.values(), "other"})
    qs = [0.5, 0.9, 0.99]
    figures = nodes.agg(
        *[F.count(F.when(F.col("node_type") == t, True)).alias(t) for t in types],
        F.percentile(F.when(F.col("in_degree") > 0, F.col("in_degree")), qs).alias("in_p"),
        F.max("in_degree").alias("in_degree_max"),
        F.percentile(F.when(F.col("out_degree") > 0, F.col("out_degree")), qs).alias("out_p"),
        F.max("out_degree").alias("out_degree_max"),
    ).collect()[0]
    comp = nodes.groupBy("component_id").count().agg(F.count("*").alias("n"), F.max("count").alias("largest"))
    comp_row = comp.collect()[0]
    same_as = F.when(
        F.col("cited_application") != F.col("cited_key"), F.struct("cited_key", "cited_application")
    )
    kinds = edges.groupBy("cited_kind").agg(
        F.count("*").alias("n"), F.countDistinct(same_as).alias("same_as")
    )
    by_kind = {(r["cited_kind"] or "other"): (r["n"], r["same_as"]) for r in kinds.collect()}
    by_type = {t: figures[t] for t in types if figures[t]}
    percentiles = {}
    for side in ("in", "out"):
        p = figures[f"{side}_p"] or [None, None, None]
        percentiles |= {f"{side}_degree_p{q}": v for q, v in zip(("50", "90", "99"), p, strict=True)}
    return {
        "nodes": sum(by_type.values()),
        "edges": sum(n for n, _ in by_kind.values()),
        "nodes_by_type": by_type,
        "edges_by_kind": {k: n for k, (n, _) in by_kind.items()},
        "same_as_edges": sum(s for _, s in by_kind.values()),
        "components": comp_row["n"],
        "largest_component": comp_row["largest"] or 0,
        **percentiles,
        "in_degree_max": figures["in_degree_max"],
        "out_degree_max": figures["out_degree_max"],
    }


def week_figures(state: DataFrame) -> dict[str, Any]:
    from pyspark.sql import functions as F

    row = state.agg(
        F.min("week").alias("a"), F.max("week").alias("b"), F.countDistinct("week").alias("n")
    ).collect()
    return {"first_week": row[0]["a"], "last_week": row[0]["b"], "weeks": row[0]["n"]}


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
