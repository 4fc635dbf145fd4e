"""The letter composer: claim lists, statute phrasings, and what each kind of letter must (not) contain."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oa_spark.synth import forms, ids
from oa_spark.synth.claims import claim_list, claims_subject
from oa_spark.synth.pools import pools
from oa_spark.synth.text import LetterSpec, compose


def _parse_claims(text: str) -> list[int]:
    """`1, 4-5, 7 and 9 to 11` -> [1, 4, 5, 7, 9, 10, 11] (written here, independently of the generator)."""
    out: set[int] = set()
    for item in re.split(r",\s*(?:and\s+)?|\s+and\s+", text):
        m = re.fullmatch(r"(\d+)\s*(?:-|–|to)\s*(\d+)", item.strip())
        if m:
            out.update(range(int(m.group(1)), int(m.group(2)) + 1))
        else:
            out.add(int(item))
    return sorted(out)


@settings(max_examples=400, deadline=None)
@given(st.sets(st.integers(1, 60), min_size=1, max_size=40), st.integers(0, 2**32))
def test_claim_lists_read_back(claims: set[int], seed: int) -> None:
    text = claim_list(sorted(claims), random.Random(seed))
    assert _parse_claims(text) == sorted(claims)


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(1, 30), min_size=1, max_size=12), st.integers(0, 2**32))
def test_claim_subjects(claims: set[int], seed: int) -> None:
    subject = claims_subject(sorted(claims), random.Random(seed))
    m = re.fullmatch(r"(Claims|Claim|Claim\(s\)) (.+?)(?: (are|is|is/are))?", subject)
    assert m, subject
    assert _parse_claims(m.group(2)) == sorted(claims)


def _label_of(statute: str) -> str:
    """The contract's label of a statute as rejection sentences write it (independent reading)."""
    text = statute.replace("\u00a0", " ")
    m = re.search(r"112\(([abd])\)", text)
    if m:
        return f"112({m.group(1)})"
    for word, letter in (("first", "a"), ("second", "b"), ("fourth", "d"), ("4th", "d")):
        if "112" in text and f"{word} paragraph" in text:
            return f"112({letter})"
    m = re.search(r"(10[123]|112)((?:\([a-z0-9]\))*)", text)
    assert m, text
    if m.group(1) == "103":
        return "103"
    return m.group(1) + m.group(2)


@pytest.mark.parametrize(
    "label",
    [
        "101",
        "102(a)(1)",
        "102(a)(2)",
        "102",
        "102(a)",
        "102(b)",
        "102(e)",
        "103",
        "112(a)",
        "112(b)",
        "112(d)",
        "112",
    ],
)
@pytest.mark.parametrize("aia", [True, False])
def test_every_statute_phrasing_means_its_label(label: str, aia: bool) -> None:
    rng = random.Random(label)
    for _ in range(60):
        assert _label_of(forms.statute(label, aia, rng)) == label


def test_pools_carry_no_grounds_numbers_or_flag_words() -> None:
    forbidden = re.compile(
        r"objected|allowable|allowed|allowance|final|rejected under|Patent No|Application "
        r"No|\d{5,}|\d,\d{3}|/"
        r"|\[ \d \]|THIS ACTION"
    )
    for domain in ("software", "electrical", "mechanical", "chemical", "design"):
        p = pools(domain)
        for pool in (
            p.single,
            p.combo,
            p.eligibility,
            p.indefinite,
            p.arguments,
            p.claims,
            p.reasons,
            p.species,
        ):
            assert len(pool) >= 50
            for parts in pool:
                text = "{C}".join(parts)
                assert not forbidden.search(text), text


def _spec(code: str, seed: int, **changes: object) -> LetterSpec:
    rng = random.Random(seed)
    art = (
        ids.us_publication(rng, "Beall", 2009),
        ids.us_patent(rng, "Giunta", 5_000_000, 9_000_000),
        ids.foreign(rng, "Tanaka"),
        ids.us_patent(rng, "Crawford", 5_000_000, 9_000_000),
    )
    base = LetterSpec(
        seed=seed,
        code=code,
        app_number="16123456",
        domain="software",
        aia=True,
        claims_total=20,
        art_unit=2128,
        examiner="JOHN A WASHINGTON",
        examiner_phone="(571)272-1234",
        supervisor="MARIA PATEL",
        supervisor_phone="(571) 272-9876",
        style="OC",
        prior_art=art,
        other_art=(ids.us_patent(rng, "Lindqvist", 5_000_000, 9_000_000), ids.foreign(rng, "Okonkwo")),
        dp_targets=(ids.application("17086846", "Beall"),),
        target_chars=40_000,
        history=("CTNF",) if code == "CTFR" else (),
        mail_date=date(2022, 1, 4),
        filing_date=date(2019, 5, 6),
    )
    return replace(base, **changes)


def test_same_spec_same_letter() -> None:
    first, again = compose(_spec("CTNF", 11)), compose(_spec("CTNF", 11))
    assert first == again
    assert compose(_spec("CTNF", 12)).body != first.body


@pytest.mark.parametrize("seed", range(40))
def test_rejection_letters(seed: int) -> None:
    for code in ("CTNF", "CTFR"):
        letter = compose(_spec(code, seed))
        assert letter.rejections
        assert letter.is_final == (code == "CTFR")
        assert 30_000 < len(letter.body) < 50_000
        relied = {r for g in letter.rejections for r in g["references"]}
        known = {
            d.canonical(k)
            for d in _spec(code, seed).prior_art + _spec(code, seed).dp_targets
            for k in (d.kind, None, "A")
        }
        assert relied <= known
        for ground in letter.rejections:
            assert set(ground["claims"]) <= set(range(1, 21))


@pytest.mark.parametrize("code", ["NOA", "CTRS", "CTEQ", "CTAV", "PETDEC", "PPH.DECISION"])
def test_letters_without_grounds(code: str) -> None:
    for seed in range(20):
        letter = compose(_spec(code, seed))
        assert letter.rejections == []
        assert not letter.is_final
        assert letter.allowable == (code in ("NOA", "CTEQ"))
        assert letter.objection == (code == "CTEQ")
        if code == "CTRS":
            assert letter.citations == []


def test_pre_aia_letters_use_pre_aia_labels() -> None:
    labels = set()
    for seed in range(60):
        letter = compose(_spec("CTNF", seed, aia=False))
        labels.update(g["label"] for g in letter.rejections)
        assert "examined under the first inventor to file provisions" not in letter.body
    assert not labels & {"102(a)(1)", "102(a)(2)"}
    assert {"102(b)", "102(e)", "103"} <= labels
