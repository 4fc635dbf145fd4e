"""Identifier shapes: each renders the contract's examples exactly and means the contract's canonical id."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oa_spark.synth import ids
from oa_spark.synth.ids import SHAPES, PatentDoc

BY_NAME = {s.name: s for s in SHAPES}


def _doc(family: str, number: str, kind: str | None, country: str = "US") -> PatentDoc:
    return PatentDoc(family, country, number, kind, "Beall")


# (shape, document, kind shown, text written, canonical id) — the examples of docs/contracts.md and
# data-format.md §6.
EXAMPLES = [
    ("pat_comma_kind", _doc(ids.US_PATENT, "8280633", "B1"), "B1", "US 8,280,633 B1", "US-8280633-B1"),
    ("pat_bare", _doc(ids.US_PATENT, "8204846", "B2"), None, "8204846", "US-8204846"),
    ("pat_plain", _doc(ids.US_PATENT, "8204846", "B2"), None, "US 8204846", "US-8204846"),
    ("pat_patno", _doc(ids.US_PATENT, "10123456", "B2"), None, "U.S. Patent No. 10,123,456", "US-10123456"),
    ("pat_compact_kind", _doc(ids.US_PATENT, "9280610", "B2"), "B2", "US9280610B2", "US-9280610-B2"),
    ("pat_dashed_kind", _doc(ids.US_PATENT, "9280610", "B2"), "B2", "US-9280610-B2", "US-9280610-B2"),
    (
        "pub_slash_kind",
        _doc(ids.US_PUBLICATION, "20130231906", "A1"),
        "A1",
        "US 2013/0231906 A1",
        "US-20130231906-A1",
    ),
    ("pub_slash", _doc(ids.US_PUBLICATION, "20130231906", "A1"), None, "US 2013/0231906", "US-20130231906"),
    ("pub_bare", _doc(ids.US_PUBLICATION, "20140018950", "A1"), None, "20140018950", "US-20140018950"),
    (
        "pub_plain_kind",
        _doc(ids.US_PUBLICATION, "20140018950", "A1"),
        "A1",
        "US 20140018950 A1",
        "US-20140018950-A1",
    ),
    (
        "pub_dashed_kind",
        _doc(ids.US_PUBLICATION, "20060075466", "A1"),
        "A1",
        "US-20060075466-A1",
        "US-20060075466-A1",
    ),
    (
        "pub_compact_kind",
        _doc(ids.US_PUBLICATION, "20060075466", "A1"),
        "A1",
        "US20060075466A1",
        "US-20060075466-A1",
    ),
    (
        "pub_noprefix_slash_kind",
        _doc(ids.US_PUBLICATION, "20090220736", "A1"),
        "A1",
        "2009/0220736 A1",
        "US-20090220736-A1",
    ),
    (
        "pub_plain_kind",
        _doc(ids.US_PUBLICATION, "20090220736", "A1"),
        "A",
        "US 20090220736 A",
        "US-20090220736-A",
    ),
    ("re_comma_kind", _doc(ids.US_REISSUE, "RE38124", "E"), "E", "US RE38,124 E", "US-RE38124-E"),
    ("d_comma_kind", _doc(ids.US_DESIGN, "D456789", "S"), "S", "US D456,789 S", "US-D456789-S"),
    ("pp_comma", _doc(ids.US_PLANT, "PP12345", "P2"), None, "PP12,345", "US-PP12345"),
    ("app_no", _doc(ids.US_APPLICATION, "16123456", None), None, "Application No. 16/123,456", "16123456"),
    ("ep_spaced_kind", _doc(ids.FOREIGN, "1234567", "A2", "EP"), "A2", "EP 1 234 567 A2", "EP-1234567-A2"),
    (
        "wo_slash_kind",
        _doc(ids.FOREIGN, "2016012345", "A1", "WO"),
        "A1",
        "WO 2016/012345 A1",
        "WO-2016012345-A1",
    ),
    ("jp_dash_kind", _doc(ids.FOREIGN, "2015123456", "A", "JP"), "A", "JP 2015-123456 A", "JP-2015123456-A"),
    ("jp_dash", _doc(ids.FOREIGN, "2004332099", "A", "JP"), None, "JP2004-332099", "JP-2004332099"),
    ("cn_plain_kind", _doc(ids.FOREIGN, "105123456", "A", "CN"), "A", "CN 105123456 A", "CN-105123456-A"),
    (
        "kr_dashed_kind",
        _doc(ids.FOREIGN, "1020180012345", "A", "KR"),
        "A",
        "KR 10-2018-0012345 A",
        "KR-1020180012345-A",
    ),
    (
        "de_spaced_kind",
        _doc(ids.FOREIGN, "102016012345", "A1", "DE"),
        "A1",
        "DE 10 2016 012 345 A1",
        "DE-102016012345-A1",
    ),
]


@pytest.mark.parametrize(("shape", "doc", "kind", "text", "canonical"), EXAMPLES)
def test_contract_examples(shape: str, doc: PatentDoc, kind: str | None, text: str, canonical: str) -> None:
    assert BY_NAME[shape].render(doc, kind) == text
    assert BY_NAME[shape].kind == (kind is not None)
    assert doc.canonical(kind) == canonical
    assert doc.key == canonical if kind is None else canonical.startswith(doc.key + "-")


def test_every_shape_can_write_some_document() -> None:
    rng = random.Random(1)
    docs = [ids.us_patent(rng, "A", 4_000_000, 11_000_000), ids.us_patent(rng, "A", 10_000_000, 11_000_000)]
    docs += [ids.us_publication(rng, "A", 2015), ids.us_reissue(rng, "A"), ids.us_design(rng, "A")]
    docs += [ids.us_plant(rng, "A"), ids.application("16123456", "A")]
    docs += [ids.foreign(rng, "A") for _ in range(400)]
    usable = {s.name for d in docs for k in (True, False) for s in ids.shapes_for(d, k)}
    assert usable == set(ids.SHAPE_NAMES)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32))
def test_a_letter_never_shows_one_document_two_ways(seed: int) -> None:
    """The kind shown is chosen once per document; without a kind-less shape the kind is always shown."""
    rng = random.Random(seed)
    doc = rng.choice(
        [
            ids.us_patent(rng, "A", 4_000_000, 11_000_000),
            ids.us_publication(rng, "A", 2012),
            ids.foreign(rng, "A"),
            ids.us_plant(rng, "A"),
        ]
    )
    shown = ids.choose_shown_kind(doc, rng)
    if shown is None:
        assert ids.shapes_for(doc, False)
    for _ in range(5):
        text, name = ids.render(doc, shown, rng)
        assert BY_NAME[name].kind == (shown is not None)
        if shown:
            assert text.endswith(shown)
        digits = re.sub(r"\D", "", text)
        assert digits.endswith(re.sub(r"\D", "", doc.number)) or digits.startswith(
            re.sub(r"\D", "", doc.number)
        )


def test_document_ids_are_distinct_ifw_like_ids() -> None:
    from oa_spark.synth.records import document_id

    ids = [document_id("J8080", n) for n in range(1, 100_001)]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[A-Z0-9]{15}", i) for i in ids[:1000])
