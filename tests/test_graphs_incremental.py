"""Incremental builds, one week at a time (with a week that revises an earlier document and an earlier week
re-extracted), must leave exactly the tables a full rebuild makes from the same upstream tables."""

from __future__ import annotations

import shutil
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from support.graphs_truth import K1, K2, K3, steps, synth_docs, write_weeks

# one fixture runs six builds: allow for a shared, loaded 2-core machine
pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1800)]

COMPARED = (
    "citation_edges",
    "citation_nodes",
    "rejection_edges",
    "application_timeline",
    "rejection_stats",
    "graph_actions",
)
SUMMARY_FIGURES = (
    "nodes",
    "edges",
    "nodes_by_type",
    "edges_by_kind",
    "same_as_edges",
    "components",
    "largest_component",
    "in_degree_p50",
    "in_degree_p99",
    "out_degree_p90",
    "applications",
    "excluded_applications",
    "rejection_edges",
    "first_week",
    "last_week",
    "weeks",
)
UPSTREAM = ("office_actions", "citations", "rejections")


def _frozen(value: Any) -> Any:
    """Rows, lists and maps as hashable, comparable values."""
    if hasattr(value, "asDict"):
        return tuple((k, _frozen(v)) for k, v in value.asDict().items())
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _table(lake, name: str) -> Counter:
    return Counter(_frozen(r) for r in lake.read(name).collect())


def _last_summary(lake) -> dict:
    return lake.read("graph_summary").orderBy("built_at", ascending=False).limit(1).collect()[0].asDict()


@pytest.fixture(scope="module")
def chain(spark, tmp_path_factory):
    """Write the scenario's weeks one at a time with an incremental build after each, then one build with
    nothing new; record what each build read. Then a full rebuild of a copy of the lake."""
    from oa_spark import config
    from oa_spark.stages.graphs import main, merge
    from oa_spark.tables import Lake

    root = tmp_path_factory.mktemp("graphs_incremental")
    cfg = config.load(overrides=[f"lake.path={root / 'lake'}", "spark.master=local[2]"])
    lake = Lake(spark, cfg.lake)
    reads: list[tuple[int, str, tuple | None]] = []
    step = {"now": -1}
    original = Lake.read

    def spy(self, table, weeks=None):
        if step["now"] >= 0 and table in UPSTREAM:
            reads.append((step["now"], table, None if weeks is None else tuple(sorted(weeks))))
        return original(self, table, weeks)

    summaries, written, k3_rows, k_components, timeline_writes, edge_writes = [], [], [], [], [], []
    swap_max = merge.SWAP_MAX_APPLICATIONS
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Lake, "read", spy)
        for i, (week, docs) in enumerate(steps(synth_docs(root / "sample", weeks=3, records=30, seed=3))):
            write_weeks(lake, docs, [week])
            written.append(week)
            step["now"] = i
            # every other build writes the touched applications by MERGE, as one touching many would
            mp.setattr(merge, "SWAP_MAX_APPLICATIONS", 0 if i % 2 else swap_max)
            assert main(cfg, spark=spark) == 0
            step["now"] = -1
            timeline_writes.append(lake.history("application_timeline", 1).collect()[0]["operation"])
            edge_writes.append(lake.history("rejection_edges", 1).collect()[0]["operation"])
            summaries.append(_last_summary(lake))
            k3_rows.append(lake.read("application_timeline").where(f"application_number = '{K3}'").count())
            nodes = lake.read("citation_nodes").where(f"node_id IN ('{K1}', '{K2}')").collect()
            k_components.append({r["node_id"]: r["component_id"] for r in nodes})
        assert main(cfg, spark=spark) == 0  # nothing extracted since
    runs = [r.asDict() for r in lake.read("runs").where("job = 'graphs'").orderBy("started_at").collect()]

    full_cfg = config.load(overrides=[f"lake.path={root / 'full'}", "spark.master=local[2]"])
    shutil.copytree(root / "lake", root / "full")
    full = Lake(spark, full_cfg.lake)
    assert main(full_cfg, mode="full", spark=spark) == 0
    return SimpleNamespace(
        lake=lake,
        full=full,
        summaries=summaries,
        written=written,
        reads=reads,
        runs=runs,
        k3_rows=k3_rows,
        k_components=k_components,
        timeline_writes=timeline_writes,
        edge_writes=edge_writes,
    )


@pytest.mark.parametrize("table", COMPARED)
def test_incremental_tables_equal_a_full_rebuild_row_for_row(chain, table: str) -> None:
    incremental, full = _table(chain.lake, table), _table(chain.full, table)
    assert incremental == full
    assert sum(full.values()) > 0


def test_incremental_summary_figures_equal_the_full_rebuild(chain) -> None:
    inc, full = _last_summary(chain.lake), _last_summary(chain.full)
    assert {k: inc[k] for k in SUMMARY_FIGURES} == {k: full[k] for k in SUMMARY_FIGURES}
    assert (inc["mode"], full["mode"]) == ("incremental", "full")


def test_the_first_build_is_full_and_later_ones_incremental(chain) -> None:
    assert [s["mode"] for s in chain.summaries] == ["full"] + ["incremental"] * 3
    assert [s["weeks_processed"] for s in chain.summaries] == [1, 1, 1, 1]


def test_incremental_builds_wrote_the_touched_applications_both_by_swap_and_by_merge(chain) -> None:
    assert chain.timeline_writes[1:] == ["MERGE", "WRITE", "MERGE"]
    assert chain.edge_writes[1:] == ["MERGE", "WRITE", "MERGE"]  # the weeks' documents, the same two ways


def test_components_are_merged_when_edges_were_only_added_and_recomputed_after_removals(chain) -> None:
    # w1 links K1's and K2's components (merge); w1 re-extracted loses K3, so they split again (a removal:
    # recomputed); w2 revises a document and adds links only (merge)
    assert [s["components_mode"] for s in chain.summaries] == ["full", "merged", "full", "merged"]
    assert [linked[K1] == linked[K2] for linked in chain.k_components] == [False, True, False, False]


def test_incremental_builds_read_only_the_weeks_extracted_since_the_previous_build(chain) -> None:
    for i, week in enumerate(chain.written):
        seen = {(table, weeks) for step, table, weeks in chain.reads if step == i}
        expected_weeks = None if i == 0 else (week,)
        assert seen == {(table, expected_weeks) for table in UPSTREAM}, i


def test_an_application_whose_documents_vanish_leaves_no_rows(chain) -> None:
    assert chain.k3_rows == [0, 1, 0, 0]
    for table in ("citation_edges", "rejection_edges", "application_timeline"):
        assert chain.lake.read(table).where(f"application_number = '{K3}'").count() == 0
    assert chain.lake.read("citation_nodes").where(f"node_id = '{K3}'").count() == 0


def test_a_build_with_nothing_extracted_since_is_recorded_as_skipped(chain) -> None:
    finished = [r for r in chain.runs if r["status"] != "running"]
    assert [r["status"] for r in finished] == ["done"] * 4 + ["skipped"]
    assert "no week extracted" in finished[-1]["message"]
    assert chain.lake.read("graph_summary").count() == 4


def _copy(lake, root) -> tuple:
    from oa_spark import config
    from oa_spark.tables import Lake

    shutil.copytree(lake.cfg.path, root / "lake")
    cfg = config.load(overrides=[f"lake.path={root / 'lake'}", "spark.master=local[2]"])
    return cfg, Lake(lake.spark, cfg.lake)


def test_a_table_changed_since_the_last_build_makes_the_next_build_full_even_with_no_new_week(
    chain, tmp_path
) -> None:
    from oa_spark.stages.graphs.build import choose_mode

    cfg, lake = _copy(chain.full, tmp_path)
    assert choose_mode(lake, cfg.graphs, None)[0] == "incremental"
    lake.append("citation_nodes", lake.read("citation_nodes").limit(1))  # as an interrupted build leaves it
    choice = choose_mode(lake, cfg.graphs, None)
    assert (choice.mode, choice.reason.split()[0]) == ("full", "citation_nodes")


def test_a_full_build_gives_a_week_partitioned_graph_actions_the_current_layout(chain, tmp_path) -> None:
    from oa_spark.schemas import GRAPH_ACTIONS
    from oa_spark.stages.graphs import main

    cfg, lake = _copy(chain.full, tmp_path)
    rows = lake.read("graph_actions").collect()
    shutil.rmtree(lake.location("graph_actions"))  # as the previous version created it: by week
    lake.ensure("graph_actions", GRAPH_ACTIONS, ("week",))
    lake.append("graph_actions", lake.spark.createDataFrame(rows, GRAPH_ACTIONS))
    assert list(lake.detail("graph_actions")["partitionColumns"]) == ["week"]

    assert main(cfg, mode="full", spark=lake.spark) == 0

    assert list(lake.detail("graph_actions")["partitionColumns"]) == []
    assert _table(lake, "graph_actions") == _table(chain.full, "graph_actions")


def _extracted_again(lake, week) -> None:
    """An `extract` done row for a week already built: the next build is incremental and rewrites what the
    week touches."""
    from oa_spark.ledger import Ledger, RunRow

    Ledger(lake).record(
        [RunRow(run_id=f"again-{week}", job="extract", week=week, status="running").finish("done")]
    )


def test_a_build_that_another_writer_interleaves_with_stops_before_its_summary_and_the_next_is_full(
    chain, tmp_path, monkeypatch, capsys
) -> None:
    from oa_spark import status
    from oa_spark.stages.graphs import build as graph_build
    from oa_spark.stages.graphs import main

    cfg, lake = _copy(chain.full, tmp_path)
    _extracted_again(lake, chain.written[-1])
    builds = lake.read("graph_summary").count()
    rewrite = graph_build.rewrite_documents

    def after_a_rival(lake_, table, rows, documents):
        lake_.append(table, lake_.read(table).limit(1))  # a second build's write lands first
        return rewrite(lake_, table, rows, documents)

    monkeypatch.setattr(graph_build, "rewrite_documents", after_a_rival)
    assert main(cfg, spark=lake.spark) == 1
    monkeypatch.undo()

    failed = lake.read("runs").where("job = 'graphs'").orderBy("finished_at", ascending=False).first()
    assert failed["status"] == "failed"
    assert failed["message"].startswith("ConcurrentBuild: rejection_edges was changed by another writer")
    assert (
        f"graphs: build {failed['run_id']} failed: ConcurrentBuild: rejection_edges"
        in capsys.readouterr().out
    )
    assert lake.read("graph_summary").count() == builds  # no summary: the tables are not trusted
    shown = status.graphs_status(lake)
    assert (shown.newest["status"], shown.last_done["status"], shown.weeks_behind) == ("failed", "done", 1)
    assert graph_build.choose_mode(lake, cfg.graphs, None).mode == "full"
    assert main(cfg, spark=lake.spark) == 0
    assert _table(lake, "rejection_edges") == _table(chain.full, "rejection_edges")


def test_a_compaction_during_a_build_is_no_rival_and_the_build_reports_its_own_commit(
    chain, tmp_path, monkeypatch
) -> None:
    from oa_spark.stages.graphs import build as graph_build

    cfg, lake = _copy(chain.full, tmp_path)
    _extracted_again(lake, chain.written[-1])
    rewrite = graph_build.rewrite_documents

    def then_compacted(lake_, table, rows, documents):
        written = rewrite(lake_, table, rows, documents)
        lake_.optimize(table)  # `maintain` on another machine
        return written

    monkeypatch.setattr(graph_build, "rewrite_documents", then_compacted)
    report = graph_build.build(lake, cfg.graphs)

    assert [c["operation"] for c in lake.history("rejection_edges", 2).collect()] == ["OPTIMIZE", "WRITE"]
    assert (report.mode, report.tables["rejection_edges"]["operation"]) == ("incremental", "WRITE")
    assert (
        _last_summary(lake)["table_versions"]["rejection_edges"]
        == report.tables["rejection_edges"]["version"]
    )
