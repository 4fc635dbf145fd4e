"""`oa-spark bench` at a tiny size: each benchmark runs end to end and writes its fixed docs/design.md §8
keys.

The figures at this size mean nothing (fixed costs dominate); the test keeps the benchmarks runnable.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from oa_spark.bench.history import Increment, alternating, commit_floor_s, commit_kind, lake_copies
from oa_spark.bench.schedule import ends_ratio, slope
from oa_spark.cli import main

pytestmark = pytest.mark.spark


def test_bench_records_extract_ingest_write_their_fixed_keys(spark, tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    code = main(
        [
            "bench",
            "records",
            "extract",
            "ingest",
            "--weeks",
            "1",
            "--records",
            "40",
            "--json",
            str(out),
            "--workdir",
            str(tmp_path),
        ]
    )
    assert code == 0
    figures = json.loads(out.read_text())
    assert set(figures) == {
        "records_vs_inflate_parse",
        "extract_mb_s_per_core",
        "extract_adversarial_s",
        "ingest_vs_inflate_parse",
        "ingest_vs_spark_read_json",
        "worker_rss_growth",
    }
    assert all(value > 0 for value in figures.values())


def test_bench_history_runs_end_to_end_and_writes_its_fixed_keys(spark, tmp_path: Path, capsys) -> None:
    out = tmp_path / "history.json"
    code = main(
        [
            *("bench", "history", "--weeks", "3", "--records", "2", "--repeats", "1"),
            *("--json", str(out), "--workdir", str(tmp_path)),
        ]
    )
    assert code == 0
    figures = json.loads(out.read_text())
    assert set(figures) == {
        "history_backfill_s_per_week",
        "history_increment_vs_backfill",
        "history_increment_520_vs_8",
        "history_graphs_incremental_vs_full",
    }
    assert all(value > 0 for value in figures.values())
    # the floor under the ratios: the increment's commits (stages, ledger, graph tables) at a commit's cost
    printed = capsys.readouterr().out
    row = r"Delta commits of the one-week increment, per run: [^|]*\| (\d+) \(graphs (\d+)\)"
    commits = re.search(row, printed)
    assert commits, printed
    assert int(commits.group(2)) == 7  # six graph tables and the summary
    assert int(commits.group(1)) > int(commits.group(2))
    assert "floor: the graphs' commits at those costs ÷ a full rebuild" in printed
    # the higher floor: the new week's touched rows read and written back on the large lake
    touched = re.search(r"touched rows read once and written back[^|]*\| ([0-9.]+)", printed)
    assert touched and float(touched.group(1)) > 0, printed
    assert "floor: those reads and writes ÷ a full rebuild" in printed


def test_every_repeated_increment_starts_from_the_lake_as_it_was_before_the_first(tmp_path: Path) -> None:
    root = tmp_path / "large"
    for part in ("lake", "staging"):
        (root / part).mkdir(parents=True)
        (root / part / "table").write_text("before")
    seen = []
    for where in lake_copies(root, 3):
        seen.append(tuple((where / part / "table").read_text() for part in ("lake", "staging")))
        for part in ("lake", "staging"):  # the repeat's run changes its lake and staging area
            (where / part / "table").write_text("after")
    assert seen == [("before", "before")] * 3
    assert (root / "lake" / "table").read_text() == "after"  # the first repeat ran on the lake itself


def test_a_single_increment_runs_on_the_lake_and_copies_nothing(tmp_path: Path) -> None:
    root = tmp_path / "large"
    for part in ("lake", "staging"):
        (root / part).mkdir(parents=True)
    assert list(lake_copies(root, 1)) == [root]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["large"]


def test_the_increments_of_two_lakes_alternate_each_on_its_own_copy(tmp_path: Path) -> None:
    roots = [tmp_path / "large", tmp_path / "small"]
    for root in roots:
        for part in ("lake", "staging"):
            (root / part).mkdir(parents=True)
            (root / part / "table").write_text(f"{root.name} before")
    order = []
    for i, where in alternating(roots, 2):
        order.append((i, where.name, (where / "lake" / "table").read_text()))
        (where / "lake" / "table").write_text("after")  # the run changes the lake it ran on
    assert order == [
        (0, "large", "large before"),
        (1, "small", "small before"),
        (0, "large-repeat-1", "large before"),
        (1, "small-repeat-1", "small before"),
    ]


def test_an_increment_shows_every_repeat_s_seconds_when_there_are_several() -> None:
    from oa_spark.stages.pipeline import RunReport

    assert Increment(RunReport(), Counter(), [34.3, 31.96]).shown() == "; repeats 34.3, 32.0"
    assert Increment(RunReport(), Counter(), [31.96]).shown() == ""


def test_a_merge_a_replacing_write_and_anything_else_are_told_apart() -> None:
    assert commit_kind("MERGE", {}) == "merge"
    assert commit_kind("WRITE", {"mode": "Overwrite", "predicate": '["week = 1"]'}) == "replace"
    assert commit_kind("WRITE", {"mode": "Append"}) == "append"
    assert commit_kind("CREATE TABLE", None) == "append"  # the cheapest: the floor stays a floor


def test_the_commit_floor_adds_each_commit_at_its_kind_s_cost() -> None:
    made = Counter({("runs", "append"): 3, ("citation_edges", "merge"): 1, ("graph_actions", "replace"): 1})
    costs = {"append": 0.5, "replace": 1.5, "merge": 1.0}
    assert commit_floor_s(made, costs) == pytest.approx(4.0)
    assert commit_floor_s(made, costs, ["citation_edges", "graph_actions"]) == pytest.approx(2.5)


def test_bench_schedule_times_weekly_runs_in_a_row(spark, tmp_path: Path, capsys) -> None:
    code = main(["bench", "schedule", "--weeks", "3", "--records", "2", "--workdir", str(tmp_path)])
    assert code == 0
    printed = capsys.readouterr().out
    each = re.search(r"\| schedule \| seconds of each run \| ([\d. ]+) \|", printed)
    assert each, printed
    assert len(each.group(1).split()) == 3
    assert "slope: seconds added per week of schedule" in printed


def test_schedule_slope_is_seconds_added_per_run() -> None:
    assert slope([30.0, 31.0, 32.0, 33.0]) == pytest.approx(1.0)
    assert slope([30.0, 30.0, 30.0]) == pytest.approx(0.0)


def test_schedule_ends_ratio_compares_the_medians_of_the_last_and_first_runs() -> None:
    assert ends_ratio([10, 10, 99, 10, 20, 20], ends=2) == 2.0
    assert ends_ratio([10, 30], ends=5) == 3.0  # two runs: one at each end
