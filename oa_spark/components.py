"""Weakly connected components with plain Spark DataFrames: the large-star / small-star algorithm.

GraphFrames (whose connected components use this algorithm) is not reachable here, so this is our own
implementation of the published idea (Kiveris et al., "Connected Components in MapReduce and Beyond", 2014).
The graph is a set of undirected pairs `(hi, lo)` with `hi > lo` (string order). Rounds of large-star then
small-star rewire it, keeping connectivity, until every component is a star around its smallest node; the
component id is then that smallest node id, so it is deterministic and needs no tie-breaking.

Each round ends with an action (the convergence test), so it is materialized with a checkpoint every round:
the lineage of the iterated joins never grows, and nothing is recomputed.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)


class ComponentsNotConverged(RuntimeError):
    """The algorithm hit its round cap (`graphs.max_iterations`) before every component was a star."""


class Checkpointer:
    """Materializes a DataFrame and cuts its lineage, on any kind of session.

    With a directory (`graphs.checkpoint_dir`, or a folder under a path-based lake), each round is written
    as Parquet to a per-build sub-folder and read back (a reliable checkpoint that needs no SparkContext, so
    it works on Spark Connect too); `cleanup` deletes the folder. Without one (a catalog lake and no
    configured directory), local checkpoints: blocks on the executors, fine for a local session or a short
    job, but lost with an executor, so a cluster should configure `graphs.checkpoint_dir`.
    """

    def __init__(self, spark: SparkSession, directory: str | None) -> None:
        self.spark = spark
        self.directory = f"{directory.rstrip('/')}/{uuid.uuid4().hex}" if directory else None
        self._rounds = itertools.count()  # next() is atomic: a build's threads checkpoint side by side

    def __call__(self, df: DataFrame) -> DataFrame:
        if not self.directory:
            return df.localCheckpoint(eager=True)
        path = f"{self.directory}/{next(self._rounds)}"
        df.write.mode("overwrite").parquet(path)
        # the schema is known: reading it back needs no footer-reading job to infer it (one per checkpoint)
        return self.spark.read.schema(df.schema).parquet(path)

    def cleanup(self) -> None:
        """Delete this build's checkpoint files (local, Volumes, S3)."""
        if self.directory:
            from oa_spark.storage import remove_tree

            remove_tree(self.directory)


def undirected(edges: DataFrame, a: str, b: str) -> DataFrame:
    """Distinct undirected pairs `(hi, lo)` of an edge list; self-loops and null ends dropped."""
    from pyspark.sql import functions as F

    return (
        edges.where(F.col(a).isNotNull() & F.col(b).isNotNull())
        .select(F.greatest(a, b).alias("hi"), F.least(a, b).alias("lo"))
        .where(F.col("hi") != F.col("lo"))
        .distinct()
    )


def _smaller_neighbour_min(pairs: DataFrame) -> DataFrame:
    """For each node with a smaller neighbour: `(hi, m)`, m = its smallest neighbour."""
    from pyspark.sql import functions as F

    return pairs.groupBy("hi").agg(F.min("lo").alias("m"))


def large_star(pairs: DataFrame) -> DataFrame:
    """u hands its larger neighbours to m(u) = min(u, neighbours of u): edge (v, u), v > u → (v, m(u))."""
    from pyspark.sql import functions as F

    mins = _smaller_neighbour_min(pairs).withColumnRenamed("hi", "lo")
    return pairs.join(mins, "lo", "left").select("hi", F.coalesce("m", "lo").alias("lo")).distinct()


def small_star(pairs: DataFrame) -> DataFrame:
    """Every node u and its smaller neighbours are attached to the smallest of them, m(u)."""
    from pyspark.sql import functions as F

    mins = _smaller_neighbour_min(pairs)
    leaves = (
        pairs.join(mins, "hi")
        .where(F.col("lo") != F.col("m"))
        .select(F.col("lo").alias("hi"), F.col("m").alias("lo"))
    )
    return leaves.unionByName(mins.select("hi", F.col("m").alias("lo"))).distinct()


def is_stars(pairs: DataFrame) -> bool:
    """Converged: each `hi` has one neighbour and no `lo` is a `hi`, so each component is a star whose
    centre is smaller than all its leaves, i.e. its smallest node. One Spark job."""
    from pyspark.sql import functions as F

    his = pairs.groupBy("hi").agg(F.count("*").alias("n"))
    branching = his.where("n > 1").select(F.col("hi").alias("node"))
    chained = pairs.join(his.select(F.col("hi").alias("lo")), "lo", "left_semi").select(
        F.col("lo").alias("node")
    )
    return branching.unionByName(chained).isEmpty()


def connected_components(
    pairs: DataFrame, checkpoint: Checkpointer, max_iterations: int
) -> tuple[DataFrame, int]:
    """`(node, component)` for every node of `pairs` (hi, lo), and the number of rounds it took.

    Convergence is tested after each round (a star graph passes unchanged through one round), so at least
    one round runs. Raises ComponentsNotConverged when `max_iterations` rounds were not enough.
    """
    from pyspark.sql import functions as F

    current = checkpoint(pairs)  # each round reads its input several times: never recompute the lineage
    rounds = 0
    while rounds == 0 or not is_stars(current):
        if rounds >= max_iterations:
            raise ComponentsNotConverged(
                f"connected components did not converge in {max_iterations} rounds "
                "(raise graphs.max_iterations)"
            )
        current = checkpoint(small_star(large_star(current)))
        rounds += 1
    log.debug("components converged rounds=%d", rounds)
    labels = current.select(F.col("hi").alias("node"), F.col("lo").alias("component")).unionByName(
        current.select(F.col("lo").alias("node"), F.col("lo").alias("component")).distinct()
    )
    return labels, rounds


# Most pairs of a contracted graph whose components the driver finds itself (one collect, no rounds); a
# week's merge has a few hundred, and each distributed round costs several Spark jobs and a checkpoint.
DRIVER_MAX_PAIRS = 100_000


def components_of(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """`node → component` for every node of `pairs`, the component named by its smallest node (as the
    distributed rounds name it): a union-find whose root is always its set's smallest node."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        top = parent.setdefault(node, node)
        while parent[top] != top:
            top = parent[top]
        while parent[node] != top:  # shorten the path for the next lookups
            parent[node], node = top, parent[node]
        return top

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: root(node) for node in parent}


def merge_components(
    old: DataFrame,
    added: DataFrame,
    checkpoint: Checkpointer,
    max_iterations: int,
    driver_max_pairs: int = DRIVER_MAX_PAIRS,
) -> tuple[DataFrame, int]:
    """Components after edges were only *added*: `(node, component)` for the nodes whose component changed
    (materialized: the caller reads it several times), and the distributed rounds it took (0: found on the
    driver).

    `old` is `(node, component)` of the previous graph, `added` the new pairs `(hi, lo)`. Each end of an
    added pair is replaced by its old component id (a new node stands for itself) and the components of that
    small contracted graph are computed: on the driver when it has at most `driver_max_pairs` pairs, else in
    rounds. An old component id is the smallest node of its component, so the smallest id of merged
    components is the smallest node of the union: the result equals a full run. Only valid when no edge was
    removed (removals can split a component).
    """
    from pyspark.sql import functions as F

    def contracted(end: str) -> DataFrame:
        return added.join(old.withColumnRenamed("node", end), end, "left").select(
            "hi", "lo", F.coalesce("component", end).alias(f"c_{end}")
        )

    ends = contracted("hi").join(contracted("lo"), ["hi", "lo"])
    pairs = undirected(ends, "c_hi", "c_lo")
    few = pairs.limit(driver_max_pairs + 1).collect()
    if len(few) > driver_max_pairs:
        labels, rounds = connected_components(pairs, checkpoint, max_iterations)
        return checkpoint(labels), rounds
    found = sorted(components_of((r["hi"], r["lo"]) for r in few).items())
    return pairs.sparkSession.createDataFrame(found, "node string, component string"), 0


def relabel(nodes: DataFrame, old: DataFrame, merged: DataFrame) -> DataFrame:
    """`(node, component)` for every node in `nodes` (column `node`): its old component (itself when new),
    mapped through `merged` (contracted node → merged component) when that component took part in a merge."""
    from pyspark.sql import functions as F

    before = nodes.join(old, "node", "left").select("node", F.coalesce("component", "node").alias("c"))
    after = merged.select(F.col("node").alias("c"), F.col("component").alias("merged"))
    return before.join(after, "c", "left").select("node", F.coalesce("merged", "c").alias("component"))
