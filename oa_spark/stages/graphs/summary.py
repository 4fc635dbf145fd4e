"""The figures of a build (`graph_summary`): node, edge and degree tallies an incremental build can update.

Tallies are signed counts, so a build adds what it wrote and subtracts what it replaced; degree percentiles
come from the counts, exactly, so an updated summary equals a recounted one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

    from oa_spark.tables import Lake


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

        def add(base: Counter, more: Counter, key: Callable[[Any], Any] = lambda k: k) -> Counter:
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
