"""A full graph build over upstream tables written straight from a known truth, checked table by table
against what the truth implies (computed in plain Python in tests/support/graphs_truth.py)."""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pytest
from support.graphs_truth import (
    A,
    B,
    E,
    Expected,
    F,
    G,
    H,
    W,
    final_docs,
    percentile,
    steps,
    synth_docs,
    union_find,
    write_weeks,
)

from oa_spark.stages.graphs.stats import DIMENSIONS

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def built(spark, tmp_path_factory):
    from oa_spark import config
    from oa_spark.stages.graphs import main
    from oa_spark.tables import Lake

    root = tmp_path_factory.mktemp("graphs_build")
    cfg = config.load(overrides=[f"lake.path={root / 'lake'}", "spark.master=local[2]"])
    lake = Lake(spark, cfg.lake)
    docs = final_docs(steps(synth_docs(root / "sample", weeks=3, records=30, seed=3)))
    write_weeks(lake, docs, W[:3])
    assert main(cfg, spark=spark) == 0
    return SimpleNamespace(lake=lake, cfg=cfg, expected=Expected(docs), root=root)


def _rows(built, table: str) -> list[dict]:
    return [r.asDict() for r in built.lake.read(table).collect()]


def test_citation_edges_equal_the_truth(built) -> None:
    got = {(r.pop("application_number"), r.pop("cited_key")): r for r in _rows(built, "citation_edges")}
    assert got == built.expected.edges()


def test_cited_application_is_known_only_when_one_application_owns_the_document(built) -> None:
    edges = {
        (r["application_number"], r["cited_key"]): r["cited_application"]
        for r in _rows(built, "citation_edges")
    }
    assert edges[(A, "US-9280610")] == B  # B's patent_number "9,280,610"
    assert edges[(A, B)] == B  # a co-pending application in the data is itself
    assert edges[(A, "US-10111111")] is None  # claimed by two applications: never guessed
    assert edges[(A, "EP-1234567")] is None
    by_publication = {k: v for k, v in built.expected.edges().items() if v["cited_kind"] == "us_publication"}
    assert any(v["cited_application"] for v in by_publication.values())  # the sample's publicationNumber
    assert all(edges[k] == v["cited_application"] for k, v in by_publication.items())


def test_applications_below_min_series_are_counted_not_graphed(built) -> None:
    from pyspark.sql import functions as F

    nodes = {r["node_id"] for r in _rows(built, "citation_nodes")}
    assert E not in nodes
    assert E not in {r["application_number"] for r in _rows(built, "application_timeline")}
    summary = _rows(built, "graph_summary")[0]
    assert summary["excluded_applications"] == built.expected.excluded > 0
    run = built.lake.read("runs").where((F.col("job") == "graphs") & (F.col("status") == "done")).collect()[0]
    assert run["records_in"] - run["records_out"] == built.expected.excluded
    assert f"excluded_applications={built.expected.excluded} (series<12)" in run["message"]


def test_nodes_have_the_types_degrees_and_first_seen_the_truth_implies(built) -> None:
    got = {r.pop("node_id"): r for r in _rows(built, "citation_nodes")}
    expected = built.expected.nodes()
    strip = ("node_type", "in_degree", "out_degree", "first_seen", "application_number")
    assert {k: {f: v[f] for f in strip} for k, v in got.items()} == {
        k: {f: v[f] for f in strip} for k, v in expected.items()
    }


def test_components_equal_a_union_find_over_citations_and_same_as_links(built) -> None:
    nodes = {r["node_id"]: r["component_id"] for r in _rows(built, "citation_nodes")}
    links = [(r["application_number"], r["cited_key"]) for r in _rows(built, "citation_edges")]
    links += built.expected.same_as()
    assert nodes == union_find(built.expected.nodes(), links)
    assert nodes["US-9280610"] == nodes[B] == nodes[A]  # joined through B's own patent
    assert nodes[H] == H  # no citations: its own component


def test_rejection_edges_equal_the_truth(built) -> None:
    cols = (
        "application_number",
        "document_id",
        "mail_date",
        "ground",
        "statute",
        "label",
        "claim",
        "reference_key",
    )
    got = [tuple(r[c] for c in cols) for r in _rows(built, "rejection_edges")]
    assert len(got) == len(set(got))
    assert set(got) == built.expected.rejection_edges()


def test_grounds_without_references_or_claims_still_give_their_rows(built) -> None:
    rows = [r for r in _rows(built, "rejection_edges") if r["document_id"] == "SA1"]
    assert {(r["statute"], r["claim"], r["reference_key"]) for r in rows if r["statute"] != "103"} == {
        ("101", 4, None),
        ("112", None, None),
    }


def test_application_timeline_equals_the_truth(built) -> None:
    got = {r.pop("application_number"): r for r in _rows(built, "application_timeline")}
    assert got == built.expected.timeline()
    assert got[G]["rounds"] == 2 and got[G]["has_restriction"]


def test_rejection_stats_equal_the_truth(built) -> None:
    got = {(r.pop("dimension"), r.pop("value"), r.pop("statute")): r for r in _rows(built, "rejection_stats")}
    expected = built.expected.rejection_stats()
    assert got.keys() == expected.keys()
    assert {dimension for dimension, _, _ in got} == set(DIMENSIONS)  # what the touched-rows floor counts
    for key, want in expected.items():
        assert got[key].pop("grounds_by_references") == want.pop("grounds_by_references"), key
        assert got[key] == pytest.approx(want), key


def test_a_revised_document_counts_in_its_latest_version_only(built) -> None:
    edges = {r["cited_key"]: r for r in _rows(built, "citation_edges") if r["application_number"] == F}
    assert sorted(edges) == ["US-7000001", "US-7000002", "US-7000003"]
    # the first version relied on US-7000001 under 103; the revision relies only on US-7000002, under 102
    assert (edges["US-7000001"]["relied_upon_actions"], edges["US-7000001"]["statutes"]) == (0, [])
    assert (edges["US-7000002"]["relied_upon_actions"], edges["US-7000002"]["statutes"]) == (1, ["102"])
    assert {e["actions"] for e in edges.values()} == {1}


def test_graph_summary_figures_equal_the_truth(built) -> None:
    s = _rows(built, "graph_summary")[0]
    nodes, edges = built.expected.nodes(), built.expected.edges()
    sizes: dict[str, int] = {}
    for n in nodes.values():
        sizes[n["component_id"]] = sizes.get(n["component_id"], 0) + 1
    types: dict[str, int] = {}
    for n in nodes.values():
        types[n["node_type"]] = types.get(n["node_type"], 0) + 1
    ins = [n["in_degree"] for n in nodes.values() if n["in_degree"]]
    outs = [n["out_degree"] for n in nodes.values() if n["out_degree"]]
    assert (s["nodes"], s["edges"], s["nodes_by_type"]) == (len(nodes), len(edges), types)
    assert (s["components"], s["largest_component"]) == (len(sizes), max(sizes.values()))
    assert s["same_as_edges"] == len(built.expected.same_as())
    for q, name in ((0.5, "p50"), (0.9, "p90"), (0.99, "p99")):
        assert s[f"in_degree_{name}"] == pytest.approx(percentile(ins, q))
        assert s[f"out_degree_{name}"] == pytest.approx(percentile(outs, q))
    assert (s["in_degree_max"], s["out_degree_max"]) == (max(ins), max(outs))
    assert (s["first_week"], s["last_week"], s["weeks"]) == (W[0], W[2], 3)
    assert (s["mode"], s["applications"]) == ("full", len(built.expected.applications))


def test_csv_export_uses_neo4j_headers_with_one_file_per_list(built) -> None:
    from oa_spark.stages.graphs.export import export

    out = built.root / "csv"
    paths = export(built.lake, str(out), "csv")
    assert sorted(Path(p).name for p in paths) == ["edges.csv", "nodes.csv"]
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    with (out / "nodes.csv").open() as fh:
        nodes = list(csv.DictReader(fh))
    with (out / "edges.csv").open() as fh:
        edges = list(csv.DictReader(fh))
    assert list(nodes[0])[:5] == ["node_id:ID", ":LABEL", "node_type", "in_degree:long", "out_degree:long"]
    assert {":START_ID", ":END_ID", ":TYPE", "actions:long", "statutes:string[]"} <= set(edges[0])
    assert {n["node_id:ID"] for n in nodes} == set(built.expected.nodes())
    cites = {(e[":START_ID"], e[":END_ID"]) for e in edges if e[":TYPE"] == "CITES"}
    assert cites == set(built.expected.edges())
    same_as = {(e[":END_ID"], e[":START_ID"]) for e in edges if e[":TYPE"] == "PUBLISHED_AS"}
    assert same_as == built.expected.same_as()
    assert {n[":LABEL"] for n in nodes if n["node_id:ID"] == A} == {"Application"}


def test_parquet_export_gives_networkx_the_same_components(built) -> None:
    import networkx as nx
    import pyarrow.parquet as pq

    from oa_spark.stages.graphs.export import export

    out = built.root / "parquet"
    export(built.lake, str(out), "parquet")
    nodes = pq.read_table(out / "nodes.parquet").to_pylist()
    edges = pq.read_table(out / "edges.parquet").to_pylist()
    graph = nx.Graph()
    graph.add_nodes_from(n["node_id"] for n in nodes)
    graph.add_edges_from((e["source"], e["target"]) for e in edges)
    by_node = {n["node_id"]: n["component_id"] for n in nodes}
    assert {by_node[min(c)] for c in nx.connected_components(graph)} == set(by_node.values())
    assert all(by_node[n] == min(c) for c in nx.connected_components(graph) for n in c)
