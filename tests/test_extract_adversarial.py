"""Hostile bodies: 1 MB built to make regular expressions backtrack must finish fast with a sane result.

The bound asserted is generous (5 s) so that a loaded machine does not make the test flaky; the benchmark
(`oa-spark bench extract`) reports the real figure, which is well under a second.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oa_spark.extract import extract
from oa_spark.extract.summary import QUALITY_FLAGS

ONE_MB = 1_000_000
GENEROUS_SECONDS = 5.0


def _fill(unit: str, size: int = ONE_MB) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _timed(body: str):
    start = time.process_time()
    result = extract(body)
    return result, time.process_time() - start


def test_repeated_claim_numbers_before_a_real_ground() -> None:
    body = "Claims " + _fill("1, ") + "1 are rejected under 35 U.S.C. 103 over Smith (US 8,280,633 B1)."
    result, seconds = _timed(body)
    assert seconds < GENEROUS_SECONDS
    # The subject is searched a bounded distance before "rejected": a megabyte-long list is not a subject.
    assert result.rejections == []
    assert [c["id"] for c in result.citations] == ["US-8280633-B1"]


def test_us_followed_by_single_digits() -> None:
    result, seconds = _timed("US " + _fill("1 2 3 4 "))
    assert seconds < GENEROUS_SECONDS
    assert result.citations == []


def test_long_runs_of_spaces_and_digits() -> None:
    result, seconds = _timed(
        "Claims 1-3 are" + " " * ONE_MB + "rejected under 35 U.S.C. 112(b). " + "9" * ONE_MB
    )
    assert seconds < GENEROUS_SECONDS
    assert [(g["label"], g["claims"]) for g in result.rejections] == [("112(b)", [1, 2, 3])]
    assert result.citations == []


def test_in_view_of_chain_without_end() -> None:
    body = "Claims 1-3 are rejected under 35 U.S.C. 103 as being unpatentable over Smith " + _fill(
        "in view of "
    )
    result, seconds = _timed(body)
    assert seconds < GENEROUS_SECONDS
    assert [(g["label"], g["references"]) for g in result.rejections] == [("103", [])]
    assert "reference_name_unresolved" in result.summary["quality"]


def test_thousands_of_ground_sentences_are_capped() -> None:
    unit = "Claims 1-3 are rejected under 35 U.S.C. 103 as being unpatentable over Adams (US 8,280,633 B1). "
    result, seconds = _timed(_fill(unit))
    assert seconds < GENEROUS_SECONDS
    assert [(g["label"], g["claims"], g["references"]) for g in result.rejections] == [
        ("103", [1, 2, 3], ["US-8280633-B1"])
    ]
    assert "too_many_rejections" in result.summary["quality"]


def test_thousands_of_document_numbers_are_capped() -> None:
    result, seconds = _timed(_fill("Smith (US 8,280,633 B1), "))
    assert seconds < GENEROUS_SECONDS
    assert [c["id"] for c in result.citations] == ["US-8280633-B1"]
    assert "too_many_citations" in result.summary["quality"]


def test_glued_page_markers_leave_one_malformed_number() -> None:
    result, seconds = _timed(_fill("US number='12'2014/00189"))
    assert seconds < GENEROUS_SECONDS
    # "...00189US 2014/00189...": only the first "US" starts a word; its 5-digit serial is kept as written.
    assert [c["id"] for c in result.citations] == ["US-201400189"]


@pytest.mark.parametrize(
    "unit",
    [
        "Smith et al. (US (",
        "US number='12'2014/00189",
        "1,234,",
        "2014/",
        "10-",
        "Claim [ 1 ] is/are rejected under 35 U.S.C. [ 2 ] ",
        ". a",
        "Claims 1-2 are rejected under 35 U.S.C. 103 over Smith\n",
        "Smith, ",
        "(",
        "Claims 1, 2-3, and ",
        "US 1 2 3 4 5 6 7 8 9 0 , / - ",
    ],
)
def test_hostile_units_repeated_to_one_megabyte(unit: str) -> None:
    result, seconds = _timed(_fill(unit))
    assert seconds < GENEROUS_SECONDS
    assert len(result.rejections) <= 2
    assert len(result.citations) <= 2


TOKENS = [
    "Claims",
    "Claim(s)",
    "claim",
    "1-3",
    "5",
    "7 to 9",
    ", ",
    " and ",
    "is/are",
    "are",
    "were",
    "rejected",
    "objected to",
    "under",
    "35 U.S.C.",
    "§",
    "101",
    "102(a)(1)",
    "103",
    "112(b)",
    "112, second paragraph",
    "on the ground of nonstatutory double patenting",
    "as being unpatentable over",
    "anticipated by",
    "or, in the alternative,",
    "in view of",
    "further in view of",
    "as applied to claim 1 above",
    "Smith",
    "Smith et al.",
    "(US 8,280,633 B1)",
    "(2009/0220736 A1)",
    "U.S. Patent No. 10,123,456",
    "Application No. 16/123,456",
    "EP 1 234 567 A2",
    '("Title of a Paper", vol. 3, 2009)',
    "herein Smith",
    "(",
    ")",
    ".",
    ". ",
    "\n",
    "number='12'",
    "[ 1 ]",
    "withdrawn",
    "THIS ACTION IS MADE FINAL",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map(" ".join))
def test_any_mix_of_rejection_vocabulary_gives_a_consistent_extraction(body: str) -> None:
    result = extract(body)
    assert [g["ground"] for g in result.rejections] == list(range(1, len(result.rejections) + 1))
    cited = {c["id"]: c for c in result.citations if c["id"] is not None}
    assert len(cited) == sum(c["id"] is not None for c in result.citations)
    for ground in result.rejections:
        assert ground["statute"] in ("101", "102", "103", "112", "dp")
        assert ground["label"].startswith(ground["statute"])
        assert ground["claims"] == sorted(set(ground["claims"])) and all(c > 0 for c in ground["claims"])
        for reference in ground["references"]:
            assert cited[reference]["relied_upon"] and ground["statute"] in cited[reference]["statutes"]
    for citation in result.citations:
        assert citation["relied_upon"] == bool(citation["statutes"])
    assert set(result.summary["quality"]) <= set(QUALITY_FLAGS)
    assert result.summary["rejection_103"] == any(g["statute"] == "103" for g in result.rejections)
