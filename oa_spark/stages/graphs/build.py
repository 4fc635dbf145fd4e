"""The build: choose full or incremental, then write every graph table in an order that can be redone.

See the package docstring for what each mode reads and writes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from oa_spark import logs
from oa_spark.components import Checkpointer, connected_components, merge_components, relabel
from oa_spark.config import ConfigError, GraphsConfig, uses_catalog
from oa_spark.latest import newest_per_document
from oa_spark.ledger import new_run_id, utcnow
from oa_spark.stages.graphs.citations import (
    citation_edges,
    claims,
    own_documents,
    owners,
    timeline_claims,
    with_cited_application,
)
from oa_spark.stages.graphs.merge import (
    KeySet,
    clustered,
    commit_figures,
    commit_metrics,
    last_commits,
    null_safe_on,
    replace_applications,
    replace_rows,
    rewrite_applications,
    rewrite_documents,
    upgrade_schemas,
)
from oa_spark.stages.graphs.nodes import graph_pairs, node_table, with_components
from oa_spark.stages.graphs.rejections import rejection_edges
from oa_spark.stages.graphs.state import GRAPH_TABLES, STATE, included, upstream_rows
from oa_spark.stages.graphs.stats import (
    STATS_KEYS,
    STATS_TOTALS,
    rejection_stats,
    stats_rows,
    stats_totals,
    sum_totals,
)
from oa_spark.stages.graphs.summary import (
    Figures,
    collect_tally,
    edge_tally,
    node_tally,
    table_figures,
    week_figures,
)
from oa_spark.stages.graphs.timeline import application_timeline

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from pyspark.sql import Column, DataFrame, SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger("oa_spark.graphs")  # one logger for the job, whatever module logs


MODES = ("full", "incremental")

# compaction, cleanup and property commits (maintain's) leave a table's rows as they were
NO_DATA_CHANGE = ("OPTIMIZE", "VACUUM START", "VACUUM END", "SET TBLPROPERTIES")
# ... and so does creating the empty table a first write goes into
ROWLESS = (*NO_DATA_CHANGE, "CREATE TABLE")


class ConcurrentBuild(RuntimeError):
    """Another writer changed a graph table's rows while this build was writing the graph tables."""


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


def newest_versions(lake: Lake) -> dict[str, int]:
    """Each graph table's newest version (-1 for one not created yet), asked all at once (each is a small
    query of its own)."""

    def newest(table: str) -> int:
        return last_commits(lake, table, 1)[0]["version"] if lake.exists(table) else -1

    with ThreadPoolExecutor(len(GRAPH_TABLES), thread_name_prefix="history") as pool:
        return dict(zip(GRAPH_TABLES, pool.map(newest, GRAPH_TABLES), strict=True))


def changed_since(
    lake: Lake, versions: dict[str, int], newest_of: dict[str, int] | None = None
) -> str | None:
    """The first graph table with a commit that changed its rows since the versions a build left, or None.
    What `maintain` commits (OPTIMIZE, VACUUM, table properties) does not count. `newest_of`: the tables'
    newest versions, when already asked."""
    unrecorded = [table for table in GRAPH_TABLES if versions.get(table) is None]
    if unrecorded:
        return unrecorded[0]
    newest_of = newest_of or newest_versions(lake)
    for table in GRAPH_TABLES:
        version, newest = versions[table], newest_of[table]
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


class Choice(NamedTuple):
    """What `choose_mode` decided. `versions`: for an incremental build, each graph table's newest version
    as it starts (the writes must follow them directly: `_Build._check_alone`)."""

    mode: str
    previous: PreviousBuild | None
    weeks: list[date]
    reason: str
    versions: dict[str, int] | None = None


def choose_mode(lake: Lake, cfg: GraphsConfig, mode: str | None) -> Choice:
    """full or incremental, the previous build, the weeks extracted since, and why (for the log). An
    incremental build needs the tables exactly as the previous build left them."""
    if mode not in (None, *MODES):
        raise ConfigError(f"graphs mode must be one of {list(MODES)}, got {mode!r}")
    if mode == "full":
        return Choice("full", None, [], "full rebuild requested")
    previous = previous_build(lake)
    if previous is None:
        return Choice("full", None, [], "no previous build")
    if previous.min_series != cfg.min_series:
        return Choice("full", None, [], f"graphs.min_series changed from {previous.min_series}")
    if not all(lake.exists(t) for t in GRAPH_TABLES):
        return Choice("full", None, [], "a graph table is missing")
    versions = previous.summary.get("table_versions")
    weeks = extracted_since(lake, previous.started_at)
    if not versions:
        if not weeks:  # nothing to do, and nothing to compare against
            return Choice("incremental", previous, [], "since the previous build")
        return Choice("full", None, [], "the previous build recorded no table versions (an older version)")
    # checked even with no new week: a build interrupted since the previous one must be redone in full
    newest = newest_versions(lake)
    changed = changed_since(lake, versions, newest)
    if changed:
        reason = f"{changed} changed since the previous build (an interrupted or concurrent build?)"
        return Choice("full", None, [], reason)
    return Choice("incremental", previous, weeks, "since the previous build", newest)


def row_changes(commits: list[dict[str, Any]], start: int) -> list[dict[str, Any]]:
    """The commits after `start` that changed rows, oldest first. Rowless commits (compaction, properties,
    the creation of an empty table) do not count."""
    changed = [c for c in commits if c["version"] > start and c["operation"] not in ROWLESS]
    return sorted(changed, key=lambda c: c["version"])


def rival_commits(commits: list[dict[str, Any]], start: int, committed: bool) -> list[int]:
    """The versions after `start` that changed rows, when there are more of them than the build's own write
    (one when it `committed`, else none); [] when the build wrote alone."""
    changed = [c["version"] for c in row_changes(commits, start)]
    return changed if len(changed) > int(committed) else []


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
    choice = choose_mode(lake, cfg, mode)
    report = BuildReport(
        build_id=build_id, mode=choice.mode, weeks_processed=choice.weeks, reason=choice.reason
    )
    if choice.previous is not None and not choice.weeks:
        report.status, report.reason = "skipped", "no week extracted since the previous build"
        return report
    checkpoint = Checkpointer(lake.spark, checkpoint_dir(lake, cfg))
    try:
        _Build(lake, cfg, report, choice.previous, checkpoint, choice.versions or {}).run(started_at)
    finally:
        checkpoint.cleanup()
    return report


class _Build:
    """One build's steps. What keeps an interrupted build redoable is the summary, written after every
    table: its table versions tell the next build the tables are as this one left them (after an
    interruption they are not, and the next build is a full one). So the tables' own order is free: a
    build writes them in three chains side by side (`_side_by_side`).

    Each write must follow the table's version as the build started directly: a commit of another writer
    in between (a second build on the same lake, started before this one finished) means this build's
    rows were computed from a state it did not read, and its additive totals may count a week twice. The
    build then stops with `ConcurrentBuild` before writing its summary, so the next build is a full one."""

    def __init__(
        self,
        lake: Lake,
        cfg: GraphsConfig,
        report: BuildReport,
        previous: PreviousBuild | None,
        cp: Checkpointer,
        start_versions: dict[str, int],
    ) -> None:
        self.lake, self.cfg, self.report, self.previous, self.checkpoint = lake, cfg, report, previous, cp
        self.start = dict(start_versions)
        self.spark: SparkSession = lake.spark
        self.cached: list[DataFrame] = []
        self.t0 = time.monotonic()
        self.clock = threading.local()  # per thread: when its last step ended
        self.clock.last = self.t0

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
        self.start = newest_versions(lake)  # after the upgrade's own commits
        state = self._persist(upstream_rows(lake, None))
        report.weeks_processed = sorted(r["week"] for r in state.select("week").distinct().collect())
        everyone = self._persist(newest_per_document(state))
        docs = included(everyone, min_series)
        self._count_applications(everyone)
        self._step("state")
        with self._side_by_side() as alongside:
            per_action = alongside(self._write_per_action, rejection_edges(docs), rejection_stats(docs))
            kept = alongside(self._write_state, state)
            own = self._persist(own_documents(docs))
            self._write("citation_edges", with_cited_application(citation_edges(docs), own))
            self._write("application_timeline", application_timeline(docs))
            self._all_nodes()  # reads both tables just written
            per_action.result()
            kept.result()
        self._summary(started_at, table_figures(lake), week_figures(state))

    def _write_per_action(self, edges: DataFrame, stats: DataFrame) -> None:
        """A full build's tables counted from the actions alone: `rejection_edges`, `rejection_stats`."""
        self._write("rejection_edges", edges)
        self._write("rejection_stats", stats)

    def _write_state(self, state: DataFrame) -> None:
        """A full build's `graph_actions`: every week's state."""
        self.lake.overwrite(STATE, state)
        self._logged(STATE)

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
        columns = ("application_number", "application_series", "document_id", "week")
        seen = (
            new_state.select(*columns, F.lit(True).alias("new"))
            .unionByName(lake.read(STATE, weeks).select(*columns, F.lit(False).alias("new")))
            .distinct()
            .collect()
        )
        everyone = sorted({r["application_number"] for r in seen})
        inside = [
            r for r in seen if r["application_series"] is not None and r["application_series"] >= min_series
        ]
        touched = sorted({r["application_number"] for r in inside})
        # the documents with a version in the weeks, new or replaced: the only ones whose rows can change
        documents = sorted({(r["application_number"], r["document_id"]) for r in inside})
        weeks_before = {r["week"] for r in seen if not r["new"]}
        weeks_after = {r["week"] for r in seen if r["new"]}
        before = self.checkpoint(lake.read(STATE).where(F.col("application_number").isin(everyone)))
        after = before.where(~F.col("week").isin(weeks)).unionByName(new_state)
        old_docs = self._persist(newest_per_document(before))
        new_docs = self._persist(newest_per_document(after))
        self._count_changed_applications(old_docs, new_docs, previous.summary, len(touched))
        self._step("state")

        old_g, new_g = included(old_docs, min_series), included(new_docs, min_series)
        apps = KeySet.listed(self.spark, "application_number", touched)
        self._persist(apps.frame)
        with self._side_by_side() as alongside:
            per_application = alongside(
                self._rewrite_per_application, new_g, touched, apps, documents, new_state
            )
            stats = alongside(self._changed_stats, old_g, new_g)
            replaced, after_edges, changed_keys = self._edges(old_g, new_g, apps)
            per_application.result()  # the nodes read the new timeline rows, the figures its edge counts
            figures = self._changed_nodes(apps, replaced, after_edges, changed_keys, previous)
            stats.result()
        self._summary(started_at, figures, self._changed_weeks(previous.summary, weeks_before, weeks_after))

    def _rewrite_per_application(
        self,
        new_g: DataFrame,
        touched: list[str],
        apps: KeySet,
        documents: list[tuple[str, str]],
        new_state: DataFrame,
    ) -> None:
        """The weeks' documents' `rejection_edges` rows (each row is one action's) and the touched
        applications' `application_timeline` rows swapped, then the new weeks' state."""
        lake = self.lake
        self._logged(
            "rejection_edges", rewrite_documents(lake, "rejection_edges", rejection_edges(new_g), documents)
        )
        timeline = application_timeline(new_g)
        self._logged(
            "application_timeline",
            rewrite_applications(lake, "application_timeline", timeline, touched, apps.frame),
        )
        lake.replace_weeks(STATE, new_state, self.report.weeks_processed)
        self._logged(STATE)

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
        self, old_g: DataFrame, new_g: DataFrame, apps: KeySet
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
        others = lake.read("application_timeline").join(apps.frame, "application_number", "left_anti")
        claimed = timeline_claims(others).unionByName(claims(new_g)).join(wanted, "cited_key", "left_semi")
        own = self.checkpoint(owners(claimed))

        current = lake.read("citation_edges")
        remap = (
            KeySet.of(changed_keys)
            .rows_in(current, "cited_key")
            .join(apps.frame, "application_number", "left_anti")
            .join(own.withColumnRenamed("cited_application", "mapped"), "cited_key", "left")
            .where(~F.col("cited_application").eqNullSafe(F.col("mapped")))
        )
        replaced = self.checkpoint(
            apps.rows_in(current, "application_number")
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
        replace_applications(lake, "citation_edges", after, apps.frame)
        self._logged("citation_edges")
        return replaced.select(*columns), after, changed_keys

    def _changed_nodes(
        self,
        apps: KeySet,
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
            apps.frame.select(F.col("application_number").alias("node_id"))
            .unionByName(replaced.select(F.col("cited_key").alias("node_id")))
            .unionByName(after.select(F.col("cited_key").alias("node_id")))
            .distinct()
        )
        edges, keys = lake.read("citation_edges"), KeySet.of(affected)
        outs = keys.rows_in(edges, "application_number")
        ins = keys.rows_in(edges, "cited_key")
        timeline = keys.rows_in(lake.read("application_timeline"), "application_number")
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
        old = self.checkpoint(KeySet.of(affected.unionByName(ends).distinct()).rows_in(nodes, "node_id"))
        old_labels = old.select(F.col("node_id").alias("node"), F.col("component_id").alias("component"))
        merged, rounds = merge_components(old_labels, added, self.checkpoint, self.cfg.max_iterations)
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
            .join(groups.alias("g"), null_safe_on("t", "g", keys), "left_semi")
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

    @contextmanager
    def _side_by_side(self) -> Iterator[Callable[..., Future[None]]]:
        """`alongside(step, *args)` starts a chain of steps in a thread of its own (two at most), its steps
        timed from its start. The build's chains of small queries run side by side on the one session: a
        query's planning and Delta's log work on the driver overlap another's tasks. On an error or Ctrl-C
        nothing waits for the other chains: the command interrupts what still runs."""
        pool = ThreadPoolExecutor(2, thread_name_prefix="graphs")

        def chain(step: Callable[..., None], *args: Any) -> None:
            self.clock.last = time.monotonic()
            step(*args)

        try:
            yield lambda step, *args: pool.submit(chain, step, *args)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _step(self, name: str) -> None:
        """Log how long the step since the thread's last one took (the profile of a build; steps run side
        by side overlap)."""
        now = time.monotonic()
        seconds = round(now - self.clock.last, 2)
        self.report.steps[name] = seconds
        logs.event(log, "graph_step", build=self.report.build_id, step=name, seconds=seconds)
        self.clock.last = now

    def _logged(self, table: str, committed: bool = True) -> None:
        """Log the table's write; `committed=False` when there was nothing to write (no commit to read)."""
        self._step(f"{table} written")
        metrics = commit_metrics(self.lake, table) if committed else {"version": self.lake.version(table)}
        metrics = self._check_alone(table, metrics, committed)
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

    def _check_alone(self, table: str, metrics: dict[str, Any], committed: bool) -> dict[str, Any]:
        """The figures of this build's own write to `table`; raises ConcurrentBuild when another writer
        changed its rows since the build started. The usual case (the newest commit directly follows the
        start) costs no query; otherwise the commits since the start are read."""
        start, newest = self.start[table], metrics["version"]
        if start <= newest <= start + int(committed):
            return metrics
        # newest < start: the table's history went back (recreated); nothing after the start to read
        commits = last_commits(self.lake, table, newest - start) if newest > start else []
        others = rival_commits(commits, start, committed)
        if newest < start or others:
            raise ConcurrentBuild(
                f"{table} was changed by another writer while this build wrote it (versions "
                f"{others or [newest]} after {start}, the version this build started from): another "
                "graphs build on the same lake? The graph tables are inconsistent until the next build, "
                "which will be a full one; or run `oa-spark graphs --mode full` once the other has finished."
            )
        own = row_changes(commits, start)  # a compaction landed after this build's commit: report its own
        return commit_figures(own[0]) if committed and own else metrics

    def _write(self, table: str, df: DataFrame) -> None:
        self.lake.overwrite(table, clustered(table, df))
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
