"""Cited documents, every shape the letters write them in, and the canonical id each shape means.

A shape is only ever written for a document whose canonical id it determines exactly (docs/contracts.md):
`US 8,280,633 B1` is `US-8280633-B1`, `US 2013/0231906` is `US-20130231906`, `JP2004-332099` is
`JP-2004332099`. Shapes whose id is uncertain (era-prefixed Japanese numbers, malformed serials) are
never generated.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

# Citation kinds are contract vocabulary (docs/contracts.md): one spelling, shared with the extractor.
from oa_spark.extract.identifiers import (
    FOREIGN,
    US_APPLICATION,
    US_DESIGN,
    US_PATENT,
    US_PLANT,
    US_PUBLICATION,
    US_REISSUE,
)


@dataclass(frozen=True, slots=True)
class PatentDoc:
    """A patent document (or a co-pending application) with the short name letters call it by."""

    family: str
    country: str
    number: str  # canonical number: digits, or RE/D/PP + digits; the 8-digit serial for an application
    kind: str | None
    name: str
    et_al: bool = False

    @property
    def key(self) -> str:
        """The kind-less id (`cited_key`); an application is its bare 8-digit number."""
        if self.family == US_APPLICATION:
            return self.number
        return f"{self.country}-{self.number}"

    def canonical(self, shown_kind: str | None) -> str:
        """The id that a showing with `shown_kind` (None: no kind written) stands for."""
        return f"{self.key}-{shown_kind}" if shown_kind else self.key


@dataclass(frozen=True, slots=True)
class NplDoc:
    """Non-patent literature: cited by name and bibliographic text, never with an id."""

    name: str
    citation: str  # the parenthesised form used after the name in a rejection
    listing: str  # the stand-alone form used in a list of art made of record


Doc = PatentDoc | NplDoc


@dataclass(frozen=True, slots=True)
class Shape:
    """One way of writing a document number; `kind` says whether the written form carries a kind code."""

    name: str
    family: str
    kind: bool
    render: Callable[[PatentDoc, str | None], str]
    fits: Callable[[PatentDoc], bool] = lambda doc: True


def commas(digits: str) -> str:
    """`8280633` -> `8,280,633`."""
    return f"{int(digits):,}"


def _pub_slash(doc: PatentDoc) -> str:
    return f"{doc.number[:4]}/{doc.number[4:]}"


def _serial(doc: PatentDoc) -> str:
    """`16123456` -> `16/123,456`, `17086846` -> `17/086,846` (the serial keeps its zeros)."""
    n = doc.number
    return f"{n[:2]}/{n[2:5]},{n[5:]}"


def _jp_dash(doc: PatentDoc) -> str:
    return f"{doc.number[:4]}-{doc.number[4:]}"


def _ep_spaced(doc: PatentDoc) -> str:
    n = doc.number
    return f"{n[0]} {n[1:4]} {n[4:]}"


def _de_spaced(doc: PatentDoc) -> str:
    n = doc.number
    return f"{n[:2]} {n[2:6]} {n[6:9]} {n[9:]}"


def _kr_dashed(doc: PatentDoc) -> str:
    n = doc.number
    if len(n) == 13:
        return f"{n[:2]}-{n[2:6]}-{n[6:]}"
    return f"{n[:2]}-{n[2:]}"


def _is(country: str, length: int | None = None) -> Callable[[PatentDoc], bool]:
    def fits(doc: PatentDoc) -> bool:
        return doc.country == country and (length is None or len(doc.number) == length)

    return fits


def _prefixed(prefix: str) -> Callable[[PatentDoc], str]:
    """`RE38124` -> `RE38,124` (reissue, design and plant numbers keep their prefix)."""

    def digits_with_commas(doc: PatentDoc) -> str:
        return prefix + commas(doc.number[len(prefix) :])

    return digits_with_commas


_RE, _D, _PP = _prefixed("RE"), _prefixed("D"), _prefixed("PP")

SHAPES: tuple[Shape, ...] = (
    # US patents
    Shape("pat_comma_kind", US_PATENT, True, lambda d, k: f"US {commas(d.number)} {k}"),
    Shape("pat_plain_kind", US_PATENT, True, lambda d, k: f"US {d.number} {k}"),
    Shape("pat_compact_kind", US_PATENT, True, lambda d, k: f"US{d.number}{k}"),
    Shape("pat_dashed_kind", US_PATENT, True, lambda d, k: f"US-{d.number}-{k}"),
    Shape("pat_patno_kind", US_PATENT, True, lambda d, k: f"U.S. Patent No. {commas(d.number)} {k}"),
    Shape("pat_plain", US_PATENT, False, lambda d, k: f"US {d.number}"),
    Shape("pat_comma", US_PATENT, False, lambda d, k: f"US {commas(d.number)}"),
    Shape("pat_patno", US_PATENT, False, lambda d, k: f"U.S. Patent No. {commas(d.number)}"),
    Shape("pat_patno_plain", US_PATENT, False, lambda d, k: f"U.S. Patent No. {d.number}"),
    Shape("pat_pat_no", US_PATENT, False, lambda d, k: f"U.S. Pat. No. {commas(d.number)}"),
    Shape("pat_bare", US_PATENT, False, lambda d, k: d.number, lambda d: len(d.number) == 7),
    # US pre-grant publications (year + 7-digit serial)
    Shape("pub_plain_kind", US_PUBLICATION, True, lambda d, k: f"US {d.number} {k}"),
    Shape("pub_slash_kind", US_PUBLICATION, True, lambda d, k: f"US {_pub_slash(d)} {k}"),
    Shape("pub_slash_nokindspace", US_PUBLICATION, True, lambda d, k: f"US {_pub_slash(d)}{k}"),
    Shape("pub_noprefix_slash_kind", US_PUBLICATION, True, lambda d, k: f"{_pub_slash(d)} {k}"),
    Shape("pub_dashed_kind", US_PUBLICATION, True, lambda d, k: f"US-{d.number}-{k}"),
    Shape("pub_compact_kind", US_PUBLICATION, True, lambda d, k: f"US{d.number}{k}"),
    Shape(
        "pub_pubno_kind",
        US_PUBLICATION,
        True,
        lambda d, k: f"U.S. Patent Application Publication No. {_pub_slash(d)} {k}",
    ),
    Shape("pub_slash", US_PUBLICATION, False, lambda d, k: f"US {_pub_slash(d)}"),
    Shape("pub_plain", US_PUBLICATION, False, lambda d, k: f"US {d.number}"),
    Shape("pub_bare", US_PUBLICATION, False, lambda d, k: d.number),
    Shape("pub_pubno", US_PUBLICATION, False, lambda d, k: f"U.S. Pub. No. {_pub_slash(d)}"),
    # Reissue, design, plant: the RE / D / PP prefix is part of the number
    Shape("re_comma_kind", US_REISSUE, True, lambda d, k: f"US {_RE(d)} {k}"),
    Shape("re_plain_kind", US_REISSUE, True, lambda d, k: f"US {d.number} {k}"),
    Shape("re_compact_kind", US_REISSUE, True, lambda d, k: f"US{d.number}{k}"),
    Shape("re_comma", US_REISSUE, False, lambda d, k: _RE(d)),
    Shape("re_patno", US_REISSUE, False, lambda d, k: f"U.S. Patent No. {_RE(d)}"),
    Shape("d_comma_kind", US_DESIGN, True, lambda d, k: f"US {_D(d)} {k}"),
    Shape("d_compact_kind", US_DESIGN, True, lambda d, k: f"US{d.number}{k}"),
    Shape("d_comma", US_DESIGN, False, lambda d, k: _D(d)),
    Shape("d_patno", US_DESIGN, False, lambda d, k: f"U.S. Design Patent No. {_D(d)}"),
    Shape("pp_comma", US_PLANT, False, lambda d, k: _PP(d)),
    Shape("pp_patno", US_PLANT, False, lambda d, k: f"U.S. Plant Patent No. {_PP(d)}"),
    Shape("pp_comma_kind", US_PLANT, True, lambda d, k: f"US {_PP(d)} {k}"),
    Shape("pp_compact_kind", US_PLANT, True, lambda d, k: f"US{d.number}{k}"),
    # Co-pending applications (the application node itself)
    Shape("app_no", US_APPLICATION, False, lambda d, k: f"Application No. {_serial(d)}"),
    Shape("app_serial_no", US_APPLICATION, False, lambda d, k: f"Application Serial No. {_serial(d)}"),
    Shape("app_us_no", US_APPLICATION, False, lambda d, k: f"U.S. Application No. {_serial(d)}"),
    # Foreign documents
    Shape("jp_dash_kind", FOREIGN, True, lambda d, k: f"JP {_jp_dash(d)} {k}", _is("JP", 10)),
    Shape("jp_compact_kind", FOREIGN, True, lambda d, k: f"JP{d.number}{k}", _is("JP")),
    Shape("jp_plain_kind", FOREIGN, True, lambda d, k: f"JP {d.number} {k}", _is("JP")),
    Shape("jp_dash", FOREIGN, False, lambda d, k: f"JP{_jp_dash(d)}", _is("JP", 10)),
    Shape("jp_dash_space", FOREIGN, False, lambda d, k: f"JP {_jp_dash(d)}", _is("JP", 10)),
    Shape("wo_slash_kind", FOREIGN, True, lambda d, k: f"WO {d.number[:4]}/{d.number[4:]} {k}", _is("WO")),
    Shape("wo_compact_kind", FOREIGN, True, lambda d, k: f"WO{d.number}{k}", _is("WO")),
    Shape("wo_plain_kind", FOREIGN, True, lambda d, k: f"WO {d.number} {k}", _is("WO")),
    Shape("ep_spaced_kind", FOREIGN, True, lambda d, k: f"EP {_ep_spaced(d)} {k}", _is("EP")),
    Shape("ep_compact_kind", FOREIGN, True, lambda d, k: f"EP{d.number}{k}", _is("EP")),
    Shape("ep_plain_kind", FOREIGN, True, lambda d, k: f"EP {d.number} {k}", _is("EP")),
    Shape("cn_plain_kind", FOREIGN, True, lambda d, k: f"CN {d.number} {k}", _is("CN")),
    Shape("cn_compact_kind", FOREIGN, True, lambda d, k: f"CN{d.number}{k}", _is("CN")),
    Shape("kr_dashed_kind", FOREIGN, True, lambda d, k: f"KR {_kr_dashed(d)} {k}", _is("KR")),
    Shape("kr_compact_kind", FOREIGN, True, lambda d, k: f"KR{d.number}{k}", _is("KR")),
    Shape("de_spaced_kind", FOREIGN, True, lambda d, k: f"DE {_de_spaced(d)} {k}", _is("DE", 12)),
    Shape("de_compact_kind", FOREIGN, True, lambda d, k: f"DE{d.number}{k}", _is("DE")),
    Shape("de_plain_kind", FOREIGN, True, lambda d, k: f"DE {d.number} {k}", _is("DE")),
)

SHAPE_NAMES: tuple[str, ...] = tuple(s.name for s in SHAPES)
_BY_FAMILY: dict[tuple[str, bool], tuple[Shape, ...]] = {}
for _shape in SHAPES:
    _BY_FAMILY.setdefault((_shape.family, _shape.kind), ())
    _BY_FAMILY[(_shape.family, _shape.kind)] += (_shape,)

# The kind-code typo of the real data (`US 20090220736 A`): a publication shown with kind `A`.
KIND_TYPO = "A"


def shapes_for(doc: PatentDoc, with_kind: bool) -> tuple[Shape, ...]:
    """Every shape that can write `doc` with (or without) its kind."""
    return tuple(s for s in _BY_FAMILY.get((doc.family, with_kind), ()) if s.fits(doc))


def choose_shown_kind(doc: PatentDoc, rng: random.Random) -> str | None:
    """How a letter shows this document's kind, fixed for the whole letter so its id is unambiguous."""
    if doc.kind is None:
        return None
    can_omit = bool(shapes_for(doc, False))
    if doc.family == FOREIGN:
        return None if can_omit and rng.random() < 0.35 else doc.kind
    if doc.family == US_PUBLICATION and rng.random() < 0.05:
        return KIND_TYPO
    if can_omit and rng.random() < 0.3:
        return None
    return doc.kind


def render(doc: PatentDoc, shown_kind: str | None, rng: random.Random) -> tuple[str, str]:
    """(text, shape name) for one showing of `doc`."""
    shape = rng.choice(shapes_for(doc, shown_kind is not None))
    return shape.render(doc, shown_kind), shape.name


# ---------------------------------------------------------------- making documents


def us_patent(rng: random.Random, name: str, low: int, high: int) -> PatentDoc:
    kind = rng.choice(("B1", "B2", "B2", "B2"))
    return PatentDoc(US_PATENT, "US", str(rng.randrange(low, high)), kind, name, rng.random() < 0.6)


def us_publication(rng: random.Random, name: str, year: int, serial: int | None = None) -> PatentDoc:
    serial = rng.randrange(1, 400_000) if serial is None else serial
    return PatentDoc(US_PUBLICATION, "US", f"{year}{serial:07d}", "A1", name, rng.random() < 0.6)


def us_reissue(rng: random.Random, name: str) -> PatentDoc:
    return PatentDoc(US_REISSUE, "US", f"RE{rng.randrange(36_000, 49_900)}", "E", name, rng.random() < 0.5)


def us_design(rng: random.Random, name: str, low: int = 450_000, high: int = 930_000) -> PatentDoc:
    return PatentDoc(US_DESIGN, "US", f"D{rng.randrange(low, high)}", "S", name, rng.random() < 0.4)


def us_plant(rng: random.Random, name: str) -> PatentDoc:
    kind = rng.choice(("P2", "P3"))
    return PatentDoc(US_PLANT, "US", f"PP{rng.randrange(12_000, 34_000)}", kind, name, False)


def application(number: str, name: str) -> PatentDoc:
    return PatentDoc(US_APPLICATION, "US", number, None, name, False)


def foreign(rng: random.Random, name: str) -> PatentDoc:
    """A foreign document in one of the shapes of data-format.md §6."""
    country = rng.choice(("JP", "JP", "WO", "WO", "EP", "CN", "CN", "KR", "DE"))
    year = rng.randrange(1998, 2021)
    if country == "JP":
        if rng.random() < 0.25:
            return PatentDoc(FOREIGN, "JP", str(rng.randrange(3_000_000, 7_000_000)), "B2", name)
        return PatentDoc(FOREIGN, "JP", f"{year}{rng.randrange(1, 400_000):06d}", "A", name)
    if country == "WO":
        return PatentDoc(
            FOREIGN, "WO", f"{year}{rng.randrange(1, 200_000):06d}", rng.choice(("A1", "A2")), name
        )
    if country == "EP":
        kind = rng.choice(("A1", "A2", "B1"))
        return PatentDoc(FOREIGN, "EP", str(rng.randrange(1_000_000, 3_900_000)), kind, name)
    if country == "CN":
        kind = rng.choice(("A", "A", "U", "B"))
        first = {"A": "10", "B": "10", "U": "20"}[kind]
        return PatentDoc(FOREIGN, "CN", f"{first}{rng.randrange(0, 10_000_000):07d}", kind, name)
    if country == "KR":
        if rng.random() < 0.3:
            return PatentDoc(FOREIGN, "KR", f"10{rng.randrange(0, 10_000_000):07d}", "B1", name)
        return PatentDoc(FOREIGN, "KR", f"10{year}{rng.randrange(1, 200_000):07d}", "A", name)
    return PatentDoc(
        FOREIGN, "DE", f"10{year}{rng.randrange(1, 200_000):06d}", rng.choice(("A1", "B4")), name
    )
