"""Precision / recall / F1 of extraction against truth, computed by hand for a small two-document truth."""

from __future__ import annotations

import pytest

from oa_spark.evaluate import Score, evaluate, render, score, strip_kind

TRUTH = [
    {
        "kind": "document",
        "document_id": "A",
        "rejections": [
            {
                "label": "103",
                "statute": "103",
                "claims": [1, 2, 3],
                "references": ["US-1111111-B1", "US-2222222"],
            },
            {"label": "102(a)(1)", "statute": "102", "claims": [1], "references": ["US-3333333"]},
        ],
        "citations": ["US-1111111-B1", "US-2222222", "US-3333333", "US-4444444"],
    },
    {
        "kind": "document",
        "document_id": "B",
        "rejections": [{"label": "112(b)", "statute": "112", "claims": [5], "references": []}],
        "citations": [],
    },
]

PREDICTIONS = {
    "A": {
        "rejections": [
            {
                "label": "103",
                "statute": "103",
                "claims": [1, 2, 4],
                "references": ["US-1111111", "US-9999999"],
            },
            # the same ground twice counts once: tuples are sets
            {
                "label": "103",
                "statute": "103",
                "claims": [1, 2, 4],
                "references": ["US-1111111", "US-9999999"],
            },
            {"label": "112(b)", "statute": "112", "claims": [7], "references": []},
        ],
        "citations": [
            {"id": "US-1111111", "kind": "us_patent"},
            {"id": "US-2222222-A1", "kind": "us_patent"},
            {"id": "US-5555555", "kind": "us_patent"},
            {"id": None, "kind": "npl"},
        ],
    },
    # "B" is missing: everything it has is a miss. "C" is not in the truth: ignored.
    "C": {
        "rejections": [{"label": "101", "statute": "101", "claims": [1], "references": []}],
        "citations": ["X"],
    },
}


def _counts(s: Score) -> tuple[int, int, int]:
    return (s.tp, s.fp, s.fn)


def test_micro_scores_per_level() -> None:
    result = evaluate(TRUTH, PREDICTIONS)
    assert result.documents == 2
    assert {level: _counts(s) for level, s in result.levels.items()} == {
        "statute": (1, 1, 2),
        "label": (1, 1, 2),
        "claim": (2, 2, 3),
        "reference": (1, 1, 2),
        "citation": (2, 1, 2),
    }
    claim = result.levels["claim"]
    assert claim.precision == pytest.approx(0.5)
    assert claim.recall == pytest.approx(0.4)
    assert claim.f1 == pytest.approx(4 / 9)
    assert claim.support == 5
    citation = result.levels["citation"]
    assert (citation.precision, citation.recall, citation.f1) == pytest.approx((2 / 3, 0.5, 4 / 7))
    statute = result.levels["statute"]
    assert (statute.precision, statute.recall, statute.f1) == pytest.approx((0.5, 1 / 3, 0.4))


def test_per_statute_table() -> None:
    result = evaluate(TRUTH, PREDICTIONS)
    assert list(result.per_statute) == ["102", "103", "112"]
    assert {level: _counts(s) for level, s in result.per_statute["103"].items()} == {
        "statute": (1, 0, 0),
        "claim": (2, 1, 1),
        "reference": (1, 1, 1),
    }
    missed = result.per_statute["102"]["statute"]
    assert _counts(missed) == (0, 0, 1)
    assert missed.precision is None and missed.recall == 0.0 and missed.f1 == 0.0
    assert _counts(result.per_statute["112"]["claim"]) == (0, 1, 1)


def test_predictions_may_be_a_list_with_document_ids() -> None:
    as_list = [{"document_id": key, **value} for key, value in PREDICTIONS.items()]
    assert evaluate(TRUTH, as_list).as_dict() == evaluate(TRUTH, PREDICTIONS).as_dict()


def test_perfect_and_empty() -> None:
    perfect = evaluate(TRUTH, {d["document_id"]: d for d in TRUTH})
    assert all(s.f1 == 1.0 and s.fp == 0 and s.fn == 0 for s in perfect.levels.values() if s.support)
    empty = evaluate([], {})
    assert empty.documents == 0
    assert all(s.precision is None and s.recall is None and s.f1 is None for s in empty.levels.values())


def test_score_and_strip_kind() -> None:
    s = score({("d", 1), ("d", 2), ("d", 3)}, {("d", 2), ("d", 3), ("d", 4), ("d", 5)})
    assert _counts(s) == (2, 2, 1)
    assert s.as_dict() == {
        "tp": 2,
        "fp": 2,
        "fn": 1,
        "support": 3,
        "precision": 0.5,
        "recall": pytest.approx(2 / 3),
        "f1": pytest.approx(4 / 7),
    }
    assert strip_kind("EP-1234567-A2") == "EP-1234567"
    assert strip_kind("16123456") == "16123456"


def test_render_shows_every_level_and_statute() -> None:
    text = render(evaluate(TRUTH, PREDICTIONS))
    lines = text.splitlines()
    assert lines[0] == "documents: 2"
    claim_row = next(line for line in lines if line.startswith("(document, statute, claim)"))
    assert claim_row.split()[-7:] == ["0.500", "0.400", "0.444", "5", "2", "2", "3"]
    row_102 = next(line for line in lines if line.startswith("102 statute"))
    assert row_102.split()[2:5] == ["-", "0.000", "0.000"]
    assert "(document, cited id)" in text


def test_main_reextracts_the_zips_beside_the_truth(tmp_path, capsys) -> None:
    import zipfile

    import orjson

    from oa_spark.evaluate import main

    body = "Claims 1-2 are rejected under 35 U.S.C. 103 as being unpatentable over Adams (US 8,280,633 B1)."
    old = {
        "obsoleteDocumentIdentifier": "DOC1",
        "patentApplicationNumber": "15123456",
        "bodyText": "No action.",
        "lastModifiedTimestamp": "2022-01-01T00:00:00",
    }
    new = {**old, "bodyText": body, "lastModifiedTimestamp": "2022-01-02T00:00:00"}
    with zipfile.ZipFile(tmp_path / "week.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("week.jsonl", b"\n".join(orjson.dumps(r) for r in (new, old)) + b"\n")
    truth = {
        "kind": "document",
        "file": "week.zip",
        "document_id": "DOC1",
        "rejections": [{"label": "103", "statute": "103", "claims": [1, 2], "references": ["US-8280633-B1"]}],
        "citations": ["US-8280633-B1"],
    }
    (tmp_path / "truth.jsonl").write_bytes(
        orjson.dumps(truth) + b"\n" + orjson.dumps({"kind": "week"}) + b"\n"
    )
    assert main(None, tmp_path / "truth.jsonl") == 0
    out = capsys.readouterr().out
    assert "documents: 1" in out
    claim_row = next(line for line in out.splitlines() if line.startswith("(document, statute, claim)"))
    assert claim_row.split()[-7:] == ["1.000", "1.000", "1.000", "2", "2", "0", "0"]


def test_main_reports_a_missing_truth_file(tmp_path, capsys) -> None:
    from oa_spark.evaluate import main

    assert main(None, tmp_path / "nope.jsonl") == 2
    assert "nope.jsonl" in capsys.readouterr().err
