"""The floor under an incremental graphs build of one week, on a real lake: what any build pays that reads
the rows the week touches once and writes them back, one commit per table, with no computation at all.

`bench history` measures it on the large lake after its full rebuild, to say whether a target is within
reach of a rewrite of the graphs' computation: a build can only cost more than its reads and writes. Steps:

1. choose: `choose_mode` (the previous build, the ledger's new weeks, every graph table's newest version);
2. reads, each collected once, side by side: the week's state rows (`upstream_rows`), then the touched
   applications' state rows, the citation edges from them or to their keys, the timeline rows that claim
   one of those keys, the keys' nodes, `rejection_stats`; then the members of the keys' components;
3. writes, in the three chains of a build (`graphs.build`): citation edges then nodes (MERGE); the week's
   documents' rejection edges and the touched applications' timeline (replaceWhere swaps) then the state
   (replaceWhere of the week); the statistics' groups the week's actions fall in (MERGE); then one
   `graph_summary` row (append).

The rows are written back as they were, so the tables keep their rows; their versions move on, so the
lake's next graphs build is a full one.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from oa_spark.stages.graphs.stats import COLUMN_DIMENSIONS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date

    from pyspark.sql import DataFrame, Row

    from oa_spark.config import GraphsConfig
    from oa_spark.tables import Lake


def node_keys(rows: Iterable[Row]) -> list[str]:
    """Every node an action row names: its application, its own patent and publication, what it cites."""
    keys = set()
    for row in rows:
        keys |= {row["application_number"], row["patent_key"], row["publication_key"]}
        keys |= {c["cited_key"] for c in row["citations"] or []}
    return sorted(k for k in keys if k is not None)


def stats_groups(rows: Iterable[Row]) -> list[tuple[str, str | None]]:
    """The `(dimension, value)` groups of `rejection_stats` the actions fall in (`stats.stats_totals`)."""
    groups: set[tuple[str, str | None]] = {("all", "all")}
    for row in rows:
        mail_year = str(row["mail_date"].year) if row["mail_date"] else None
        groups |= {(dimension, row[dimension]) for dimension in COLUMN_DIMENSIONS}
        groups.add(("mail_year", mail_year))
    return sorted(groups, key=lambda g: (g[0], g[1] or ""))


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str, step: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        out = step()
        self.seconds[name] = time.perf_counter() - start
        return out


def touched_rows_floor(lake: Lake, cfg: GraphsConfig, week: date) -> dict[str, float]:
    """Seconds of the floor's steps for `week`'s touched rows: `choose`, `reads`, `writes` and `total`."""
    from pyspark.sql import functions as F

    from oa_spark.stages.graphs.build import choose_mode
    from oa_spark.stages.graphs.merge import (
        KEYS,
        null_safe_on,
        replace_rows,
        rewrite_documents,
        swap_applications,
    )
    from oa_spark.stages.graphs.state import STATE, upstream_rows

    spark, app, key = lake.spark, F.col("application_number"), F.col("cited_key")

    def rows_of(table: str, where: Any) -> DataFrame:
        rows = lake.read(table).where(where)
        return spark.createDataFrame(rows.collect(), rows.schema)  # collected once: the write reads no table

    # Not timed: a build computes these tables' rows from the state; here they are read beforehand.
    apps = sorted({r["application_number"] for r in upstream_rows(lake, [week]).collect()})
    per_application = {t: rows_of(t, app.isin(apps)) for t in ("rejection_edges", "application_timeline")}

    clock, start = _Clock(), time.perf_counter()
    clock("choose", lambda: choose_mode(lake, cfg, None))
    week_rows = clock("upstream", lambda: upstream_rows(lake, [week]).collect())
    keys = node_keys(week_rows)

    reads = {
        "state": lambda: rows_of(STATE, app.isin(apps)),
        "edges": lambda: rows_of("citation_edges", app.isin(apps) | key.isin(keys)),
        "owners": lambda: rows_of(
            "application_timeline",
            F.arrays_overlap("own_keys", F.array(*[F.lit(k) for k in keys])) | app.isin(keys),
        ),
        "nodes": lambda: rows_of("citation_nodes", F.col("node_id").isin(keys)),
        "stats": lambda: rows_of("rejection_stats", F.lit(True)),
    }
    with ThreadPoolExecutor(3, thread_name_prefix="floor") as pool:
        got = dict(zip(reads, pool.map(lambda name: clock(name, reads[name]), reads), strict=True))
    components = sorted({r["component_id"] for r in got["nodes"].collect()})
    clock("members", lambda: rows_of("citation_nodes", F.col("component_id").isin(components)))
    read_s = time.perf_counter() - start

    groups = spark.createDataFrame(stats_groups(week_rows), "dimension string, value string")
    stats_keys = ["dimension", "value", "statute"]
    week_stats = (
        got["stats"].alias("t").join(groups.alias("g"), null_safe_on("t", "g", groups.columns), "left_semi")
    )

    def edges_then_nodes() -> None:
        edges = got["edges"].where(app.isin(apps))
        touched = edges.select("application_number").distinct()
        replace_rows(lake, "citation_edges", edges, touched, KEYS["citation_edges"])
        nodes = got["nodes"]
        replace_rows(lake, "citation_nodes", nodes, nodes.select("node_id"), ["node_id"])

    def per_application_then_state() -> None:
        documents = sorted({(r["application_number"], r["document_id"]) for r in week_rows})
        rewrite_documents(lake, "rejection_edges", per_application["rejection_edges"], documents)
        swap_applications(lake, "application_timeline", per_application["application_timeline"], apps)
        lake.replace_weeks(STATE, spark.createDataFrame(week_rows, lake.read(STATE).schema), [week])

    chains = {
        "edges+nodes": edges_then_nodes,
        "per-application+state": per_application_then_state,
        "stats": lambda: replace_rows(lake, "rejection_stats", week_stats, groups, stats_keys),
    }
    written = time.perf_counter()
    with ThreadPoolExecutor(3, thread_name_prefix="floor") as pool:
        list(pool.map(lambda name: clock(name, chains[name]), chains))
    summary = lake.read("graph_summary").orderBy(F.col("built_at").desc()).limit(1)
    newest = spark.createDataFrame(summary.collect(), summary.schema)
    clock("summary", lambda: lake.append("graph_summary", newest))
    end = time.perf_counter()
    return {
        "choose": clock.seconds["choose"],
        "reads": read_s - clock.seconds["choose"],
        "writes": end - written,
        "total": end - start,
    }
