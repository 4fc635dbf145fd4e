"""Connected components (large-star / small-star) against a plain-Python union-find."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from support.graphs_truth import union_find

# a path's diameter is its length: one label passed one hop a round would need 1,023 rounds for it
PATH_NODES = 1024


def _random_graph(rng: random.Random, prefix: str, nodes: int, edges: int) -> list[tuple[str, str]]:
    names = [f"{prefix}{i:03d}" for i in range(nodes)]
    return [(rng.choice(names), rng.choice(names)) for _ in range(edges)]


def _graphs() -> list[tuple[str, str]]:
    """Disjoint shapes in one edge list: sparse random graphs (many components, self-loops, duplicates), a
    path of `PATH_NODES` numbered against the grain (the longest diameter: needs the most rounds), a star,
    two cycles joined by a bridge, and mixed id styles (application numbers sort before `US-...`)."""
    rng = random.Random(3)
    edges = _random_graph(rng, "a", 60, 45) + _random_graph(rng, "b", 30, 40)
    path = [f"p{(i * 37) % PATH_NODES:04d}" for i in range(PATH_NODES)]
    edges += list(itertools.pairwise(path))
    edges += [("s-hub", f"s{i}") for i in range(10)]
    edges += [(f"c{i}", f"c{(i + 1) % 5}") for i in range(5)] + [
        (f"d{i}", f"d{(i + 1) % 4}") for i in range(4)
    ]
    edges += [("c3", "d2"), ("16123456", "US-9280610"), ("US-9280610", "12000001"), ("EP-1", "16123456")]
    return edges


def _components(spark, tmp_path, edges, max_iterations: int = 30):
    from oa_spark.components import Checkpointer, connected_components, undirected

    df = spark.createDataFrame(edges, "a string, b string")
    labels, rounds = connected_components(
        undirected(df, "a", "b"), Checkpointer(spark, str(tmp_path / "cp")), max_iterations
    )
    return {r["node"]: r["component"] for r in labels.collect()}, rounds


def test_components_equal_union_find_and_are_named_by_their_smallest_node(spark, tmp_path) -> None:
    edges = _graphs()
    got, rounds = _components(spark, tmp_path, edges)
    linked = {n for a, b in edges if a != b for n in (a, b)}
    expected = {n: c for n, c in union_find({n for e in edges for n in e}, edges).items() if n in linked}
    assert got == expected
    assert 2 <= rounds <= math.log2(PATH_NODES) + 1  # O(log diameter): ~log2 of the path, not its length


def test_components_fail_loudly_when_the_round_cap_is_reached(spark, tmp_path) -> None:
    from oa_spark.components import ComponentsNotConverged

    path = [f"n{(i * 7) % 20:02d}" for i in range(20)]
    with pytest.raises(ComponentsNotConverged, match=r"graphs\.max_iterations"):
        _components(spark, tmp_path, list(itertools.pairwise(path)), max_iterations=1)


def test_components_found_on_the_driver_are_named_by_their_smallest_node() -> None:
    from oa_spark.components import components_of

    edges = _graphs()
    assert components_of(edges) == union_find({n for e in edges for n in e}, edges)


@pytest.mark.parametrize("driver_max_pairs", [100_000, 0], ids=["on the driver", "in rounds"])
def test_merging_added_edges_into_old_components_equals_a_full_run(
    spark, tmp_path, driver_max_pairs: int
) -> None:
    from oa_spark.components import Checkpointer, merge_components, relabel, undirected

    rng = random.Random(11)
    old_edges = _random_graph(rng, "m", 80, 50)
    added = [*_random_graph(rng, "m", 80, 12), ("m001", "new1"), ("new1", "new2"), ("new3", "new4")]
    nodes = {n for e in old_edges + added for n in e}
    old = union_find(nodes - {"new1", "new2", "new3", "new4"}, old_edges)
    cp = Checkpointer(spark, str(tmp_path / "cp"))
    old_df = spark.createDataFrame(sorted(old.items()), "node string, component string")
    added_df = undirected(spark.createDataFrame(added, "a string, b string"), "a", "b")
    merged, rounds = merge_components(old_df, added_df, cp, 30, driver_max_pairs)
    assert (rounds == 0) == (driver_max_pairs > 0)
    labels = relabel(spark.createDataFrame([(n,) for n in nodes], "node string"), old_df, merged)
    assert {r["node"]: r["component"] for r in labels.collect()} == union_find(nodes, old_edges + added)
