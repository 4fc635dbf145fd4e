"""Extraction accuracy on generated weeks (the issue's bar): F1 ≥ 0.98 on every measure of `oa-spark eval`."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spark.evaluate import LEVELS, evaluate, predictions_from_zips, read_truth
from oa_spark.synth import generate


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("eval")
    summary = generate(out, weeks=2, records=250, seed=2024, faults=True, bomb_bytes=8 << 20)
    truth = read_truth(summary.truth)
    zips = sorted(Path(out).glob("*.zip"))
    return evaluate(truth, predictions_from_zips(zips, {d["document_id"] for d in truth}))


@pytest.mark.parametrize("level", LEVELS)
def test_f1_is_at_least_0_98(scored, level: str) -> None:
    score = scored.levels[level]
    assert score.support > 100, f"too few {level} tuples to measure"
    assert score.f1 >= 0.98, score


def test_every_statute_is_measured_with_f1_at_least_0_98(scored) -> None:
    statutes = set(scored.per_statute)
    assert {"101", "102", "103", "112", "dp"} <= statutes
    for statute, scores in scored.per_statute.items():
        assert scores["statute"].f1 >= 0.98, (statute, scores)
