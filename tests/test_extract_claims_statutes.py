"""Claim lists and statute labels, the two small grammars every ground is made of."""

from __future__ import annotations

import re

import pytest

from oa_spark.extract import expand_claims, label_for
from oa_spark.extract.claims import CLAIM_LIST, MAX_RANGE
from oa_spark.extract.statutes import parse_statutes


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("1-3, 5 and 7-9", [1, 2, 3, 5, 7, 8, 9]),
        ("1 to 5", [1, 2, 3, 4, 5]),
        ("1 and 7 to 10", [1, 7, 8, 9, 10]),
        ("1, 2, 4, 8, 9, 11, 15, 17, 21 and 23", [1, 2, 4, 8, 9, 11, 15, 17, 21, 23]),
        (
            "1-6, 10-14, 19-21, and 23-29, 33-37, and 39",
            [
                1,
                2,
                3,
                4,
                5,
                6,
                10,
                11,
                12,
                13,
                14,
                19,
                20,
                21,
                23,
                24,
                25,
                26,
                27,
                28,
                29,
                33,
                34,
                35,
                36,
                37,
                39,
            ],
        ),
        ("2 through 4", [2, 3, 4]),
        ("5, 5, 3-4, 4", [3, 4, 5]),
        ("0, 1", [1]),
        ("7-5", [5, 7]),  # reversed: both ends, no guess at what was meant
    ],
)
def test_expand_claims(text: str, claims: list[int]) -> None:
    assert expand_claims(text) == claims


def test_absurd_range_keeps_its_ends_only() -> None:
    assert expand_claims(f"1-{MAX_RANGE + 5}") == [1, MAX_RANGE + 5]
    assert expand_claims("3-2014") == [3, 2014]  # a year read as a range end
    assert len(expand_claims(f"1-{MAX_RANGE + 1}")) == MAX_RANGE + 1


@pytest.mark.parametrize(
    ("text", "claims", "rest"),
    [
        ("1-3, 5 and 7-9 are rejected", [1, 2, 3, 5, 7, 8, 9], " are rejected"),
        ("1 and dependent claims 2-4 stand", [1, 2, 3, 4], " stand"),
        ("1, and claims 7 to 10 as amended", [1, 7, 8, 9, 10], " as amended"),
        ("3 is objected", [3], " is objected"),
    ],
)
def test_claim_list_stops_at_the_verb(text: str, claims: list[int], rest: str) -> None:
    # CLAIM_LIST is the piece the grounds, references and summary patterns embed
    parsed = re.match(CLAIM_LIST, text)
    assert parsed is not None
    assert expand_claims(parsed.group(0)) == claims
    assert text[parsed.end() :] == rest


def test_claim_list_needs_a_number() -> None:
    assert re.match(CLAIM_LIST, "are rejected") is None


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("35 U.S.C. 101 because", [("101", "101")]),
        ("35 U.S.C. 102(a)(1) as", [("102", "102(a)(1)")]),
        ("35 U.S.C. 102(a)(2) as", [("102", "102(a)(2)")]),
        ("pre-AIA 35 U.S.C. 102(b) as", [("102", "102(b)")]),
        ("35 U.S.C. 102(e) as", [("102", "102(e)")]),
        ("35 U.S.C. 102 as", [("102", "102")]),
        ("35 U.S.C. 103(a) as", [("103", "103")]),
        ("35 USC § 103 as", [("103", "103")]),
        ("35 U.S.C. §§ 102(b) as", [("102", "102(b)")]),
        ("35 U.S.C. 112(b) or 35 U.S.C. 112 (pre-AIA ), second paragraph, as", [("112", "112(b)")]),
        ("35 U.S.C. 112(a) or 35 U.S.C. 112 (pre-AIA), first paragraph, as", [("112", "112(a)")]),
        ("35 U.S.C. 112, first paragraph, as", [("112", "112(a)")]),
        ("35 USC 112, 2nd paragraph", [("112", "112(b)")]),
        ("35 U.S.C. § 112, ¶ 2 as", [("112", "112(b)")]),
        ("35 U.S.C. 112(d) or pre-AIA 35 U.S.C. 112, 4th paragraph, as", [("112", "112(d)")]),
        ("35 U.S.C. 112 as being indefinite", [("112", "112")]),
        ("35 U.S.C. 112(f) or pre-AIA 35 U.S.C. 112, sixth paragraph", []),
        ("35 U.S.C. 101 and 35 U.S.C. 112(a) as", [("101", "101"), ("112", "112(a)")]),
        ("35 U.S.C. 102(a)(1) and 102(a)(2) as", [("102", "102(a)(1)"), ("102", "102(a)(2)")]),
        ("pre-AIA 35 U.S.C. 102(f)/103(a) as", [("102", "102(f)"), ("103", "103")]),
        ("35 U.S.C. 121: I.", []),
    ],
)
def test_parse_statutes(text: str, pairs: list[tuple[str, str]]) -> None:
    assert parse_statutes(text, 0)[0] == pairs


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (("101", None, None, None), "101"),
        (("102", "a", "1", None), "102(a)(1)"),
        (("102", "b", None, None), "102(b)"),
        (("102", None, None, None), "102"),
        (("103", "a", None, None), "103"),
        (("112", None, None, "second"), "112(b)"),
        (("112", None, None, "1"), "112(a)"),
        (("112", "d", None, None), "112(d)"),
        (("112", None, None, "fourth"), "112(d)"),
        (("112", None, None, None), "112"),
        (("112", "f", None, None), None),
        (("112", None, None, "sixth"), None),
    ],
)
def test_label_for(args: tuple[str, str | None, str | None, str | None], label: str | None) -> None:
    assert label_for(*args) == label
