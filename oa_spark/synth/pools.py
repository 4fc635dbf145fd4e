"""Pools of filler paragraphs, built once per process, that give letters their realistic bulk.

Building paragraphs word by word for 15,000 letters a week would be slow, so each pool holds a few
hundred ready paragraphs with slots that a letter fills: `{A}` and `{B}` (short names of the letter's
references, by str.replace) and `{C}` (a claim number: paragraphs come pre-split at `{C}`). The pools use
a fixed internal seed: the letter's own
random choices pick from them, so the sample still depends on the user's seed.

Filler never contains a document number, a statute with a claim list, or the words that decide the truth
flags (objected, allowable, allowed, final): the letter composer alone writes those.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from oa_spark.synth.vocab import DESIGN_ARTICLES, DOMAINS, gerund, past

_POOL_SEED = 20220102
_POOL_SIZE = 240


Paragraph = tuple[str, ...]  # the text split at each `{C}`


@dataclass(frozen=True)
class DomainPools:
    """Paragraph pools for one technology domain."""

    single: tuple[Paragraph, ...]  # analysis of one reference: {A}, {C}
    combo: tuple[Paragraph, ...]  # motivation to combine two references: {A}, {B}, {C}
    eligibility: tuple[Paragraph, ...]  # 101 analysis: {C}
    indefinite: tuple[Paragraph, ...]  # 112 explanations: {C}
    arguments: tuple[Paragraph, ...]  # response to arguments: {A}
    claims: tuple[Paragraph, ...]  # claim text (examiner's amendments): {C}
    reasons: tuple[Paragraph, ...]  # reasons for allowance: {A}
    species: tuple[Paragraph, ...]  # restriction species: no slots


class _Writer:
    """Sentence makers over one domain's vocabulary."""

    def __init__(self, rng: random.Random, domain: str) -> None:
        self.rng = rng
        vocab = DOMAINS["software" if domain == "design" else domain]
        self.nouns = vocab["nouns"]
        self.verbs = vocab["verbs"]
        self.adjectives = vocab["adjectives"]
        self.benefits = vocab["benefits"]
        self.design = domain == "design"

    def pick(self, items: tuple[str, ...]) -> str:
        return self.rng.choice(items)

    def thing(self) -> str:
        return f"{self.pick(self.adjectives)} {self.pick(self.nouns)}"

    def limitation(self) -> str:
        r = self.rng.random()
        if self.design:
            article = self.pick(DESIGN_ARTICLES)
            shape = self.pick(("curved", "tapered", "faceted", "ribbed"))
            return f"an ornamental {article} having a {shape} profile"
        if r < 0.05:
            return f"a {self.thing()} having a thickness of {self.rng.randrange(2, 400)} µm"
        if r < 0.35:
            return f"a {self.thing()} configured to {self.pick(self.verbs)} a {self.thing()}"
        if r < 0.6:
            return f"{gerund(self.pick(self.verbs))} the {self.thing()} based on the {self.thing()}"
        if r < 0.8:
            return f"wherein the {self.pick(self.nouns)} is coupled to the {self.thing()}"
        return f"the {self.thing()} comprising a plurality of {self.pick(self.nouns)}s"

    def location(self, name: str = "") -> str:
        r, ri = self.rng.random(), self.rng.randrange
        para = ri(5, 180)
        forms = (
            f"[{para:04d}]",
            f"[{para:04d}]-[{para + ri(1, 9):04d}]",
            f"paragraph [{para:04d}]",
            f"Fig. {ri(1, 14)}",
            f"Figs. {ri(1, 6)}A-{ri(1, 6)}C",
            f"col. {ri(1, 30)}, lines {ri(1, 30)}-{ri(31, 67)}",
            f"Col {ri(1, 30)} lines {ri(1, 30)}-{ri(31, 67)}",
            f"column {ri(1, 12)}, line {ri(1, 60)} to column {ri(13, 24)}, line {ri(1, 60)}",
            f"page {ri(2, 40)}, lines {ri(1, 15)}-{ri(16, 30)}",
            f"Abstract, [{para:04d}], Fig. {ri(1, 9)}",
            f"Table {ri(1, 6)}",
            f"element {ri(10, 999)}",
            f"claim {ri(1, 25)}",
            f"p. {ri(100, 900)}",
        )
        where = forms[int(r * len(forms))]
        return f"{name}: {where}" if name else where

    def sentence_single(self) -> str:
        r = self.rng.random()
        lim, loc = self.limitation(), self.location
        if r < 0.2:
            return f"Regarding claim {{C}}, {{A}} teaches {lim} ({loc('{A}')})."
        if r < 0.35:
            return f"As to claim {{C}}, {{A}} discloses {lim} (see {{A}}, {loc()})."
        if r < 0.5:
            return f"{{A}} further teaches {lim} ({loc()}; see also {loc()})."
        if r < 0.6:
            n = self.pick(self.nouns)
            return (
                f"In particular, {{A}} describes that the {n} (e.g., {n} {self.rng.randrange(10, 999)}) may "
                f"{self.pick(self.verbs)} the {self.thing()} ({loc()})."
            )
        if r < 0.7:
            return f"With respect to claim {{C}}, {{A}} discloses the method of claim 1, and {lim} ({loc()})."
        if r < 0.8:
            return "Claim {C} is rejected for the same reasons as claim 1 above, mutatis mutandis."
        if r < 0.9:
            return f"{{A}} shows {lim}, as illustrated in {loc()} and described at {loc()}."
        return f"Thus, {{A}} teaches each limitation of claim {{C}} as arranged in the claim ({loc('{A}')})."

    def sentence_combo(self) -> str:
        r = self.rng.random()
        lim, benefit = self.limitation(), self.pick(self.benefits)
        if r < 0.3:
            where = self.location("{B}")
            return f"{{A}} does not explicitly teach {lim}. However, {{B}} teaches {lim} ({where})."
        if r < 0.6:
            return (
                "It would have been obvious to one of ordinary skill in the art before the effective filing "
                f"date of the claimed invention to modify {{A}} to include the {self.thing()} of {{B}}, "
                f"because doing so would {benefit} (see {{B}}, {self.location()})."
            )
        if r < 0.75:
            return (
                "One of ordinary skill in the art at the time the invention was made would have been "
                f"motivated to combine {{A}} and {{B}} in order to {benefit}."
            )
        if r < 0.9:
            where = self.location()
            return f"Regarding claim {{C}}, the combination of {{A}} and {{B}} teaches {lim} ({where})."
        return (
            "{B} is analogous art because it is reasonably pertinent to the problem faced by the "
            f"inventor, namely how to {benefit}."
        )

    def sentence_eligibility(self) -> str:
        r = self.rng.random()
        if r < 0.25:
            return (
                f"Step 2A, Prong One: claim {{C}} recites {gerund(self.pick(self.verbs))} a {self.thing()} "
                f"and {gerund(self.pick(self.verbs))} a {self.thing()}, which, under the broadest reasonable "
                "interpretation, covers performance of the limitations in the mind (a mental process). See "
                "MPEP § 2106.04(a)(2), subsection III."
            )
        if r < 0.5:
            return (
                "Step 2A, Prong Two: this judicial exception is not integrated into a practical "
                f"application. The additional elements, a {self.thing()} and a {self.thing()}, are recited "
                "at a high level of generality and amount to no more than mere instructions to apply the "
                "exception using generic computer components."
            )
        if r < 0.7:
            return (
                "Step 2B: the claim does not include additional elements that are sufficient to amount to "
                "significantly more than the judicial exception, because the additional elements are "
                "well-understood, routine and conventional activity. See Alice Corp. v. CLS Bank Int'l, 573 "
                "U.S. 208 (2014)."
            )
        if r < 0.85:
            return (
                f"Dependent claim {{C}} further recites {self.limitation()}, which merely narrows the "
                "abstract idea and does not add an inventive concept. See Electric Power Group, LLC v. "
                "Alstom S.A., 830 F.3d 1350 (Fed. Cir. 2016)."
            )
        return (
            f"The {self.thing()} of claim {{C}} is a generic computing element performing generic functions "
            "of collecting, analyzing and displaying information."
        )

    def sentence_indefinite(self) -> str:
        r, noun = self.rng.random(), self.pick(self.nouns)
        if r < 0.3:
            return (
                f"Claim {{C}} recites the limitation “the {noun}” in line {self.rng.randrange(2, 20)}. There "
                "is insufficient antecedent basis for this limitation in the claim."
            )
        if r < 0.55:
            word = self.pick(("substantially", "about", "relatively", "approximately", "sufficiently"))
            return (
                f"The term “{word}” in claim {{C}} is a relative term which renders the claim indefinite. "
                f"The term “{word}” is not defined by the claim, the specification does not provide a "
                "standard for ascertaining the requisite degree, and one of ordinary skill in the art would "
                "not be reasonably apprised of the scope of the invention."
            )
        if r < 0.75:
            return (
                "Regarding claim {C}, the phrase “such as” renders the claim indefinite because it is "
                "unclear whether the limitations following the phrase are part of the claimed invention. See "
                "MPEP § 2173.05(d)."
            )
        return (
            f"It is unclear whether the “{self.thing()}” of claim {{C}} is the same as, or different from, "
            f"the {noun} recited earlier in the claim. For examination purposes it is interpreted as the "
            "same element."
        )

    def sentence_argument(self) -> str:
        r, lim = self.rng.random(), self.limitation()
        if r < 0.3:
            return (
                f"Applicant argues that {{A}} fails to teach {lim} (Remarks, p. "
                f"{self.rng.randrange(6, 20)}). Examiner respectfully disagrees. {{A}} explicitly teaches "
                f"{lim} ({self.location('{A}')})."
            )
        if r < 0.5:
            return (
                "In response to applicant's argument that the references fail to show certain features of "
                f"the invention, it is noted that the features upon which applicant relies (i.e., {lim}) are "
                "not recited in the rejected claim(s). Although the claims are interpreted in light of the "
                "specification, limitations from the specification are not read into the claims. See In re "
                "Van Geuns, 988 F.2d 1181, 26 USPQ2d 1057 (Fed. Cir. 1993)."
            )
        if r < 0.7:
            return (
                "In response to applicant's arguments against the references individually, one cannot show "
                "nonobviousness by attacking references individually where the rejections are based on "
                "combinations of references. See In re Keller, 642 F.2d 413, 208 USPQ 871 (CCPA 1981); In re "
                "Merck & Co., 800 F.2d 1091, 231 USPQ 375 (Fed. Cir. 1986)."
            )
        if r < 0.85:
            return (
                f"Applicant's arguments with respect to the {self.thing()} have been considered but are not "
                f"persuasive, because {{A}} is relied upon for that feature ({self.location()})."
            )
        return f"The amendment does not distinguish over {{A}}, which shows {lim} ({self.location()})."

    def claim_text(self) -> str:
        status = self.pick(("Currently Amended", "Original", "Previously Presented", "New"))
        parts = "; ".join(self.limitation() for _ in range(self.rng.randrange(2, 5)))
        lead = self.rng.random()
        if lead < 0.4:
            return f"{{C}}. ({status}) A method comprising: {parts}."
        if lead < 0.7:
            return f"{{C}}. ({status}) The method of claim 1, wherein {self.limitation()}."
        return (
            f"{{C}}. ({status}) A system comprising a {self.thing()} and a {self.thing()}, wherein {parts}."
        )

    def reason(self) -> str:
        lim = self.limitation()
        if self.rng.random() < 0.5:
            return (
                f"{{A}} teaches {self.limitation()}. However, {{A}} does not teach or fairly suggest, alone "
                f"or in combination with the other art of record, {lim}, as recited in the independent "
                "claims."
            )
        return (
            f"None of the references of record, taken alone or in combination, teaches {lim} in the manner "
            "recited in the claims, and there is no reason to modify {A} to arrive at that arrangement."
        )

    def species(self) -> str:
        letter = self.pick(tuple("ABCDEFGH"))
        return (
            f"Species {letter}: {self.limitation()}, as shown in Figs. "
            f"{self.rng.randrange(1, 6)}-{self.rng.randrange(6, 12)}, in which the {self.thing()} is "
            f"{past(self.pick(self.verbs))} separately from the {self.thing()}."
        )


def _paragraphs(
    rng: random.Random, make: Callable[[], str], low: int, high: int, count: int = _POOL_SIZE
) -> tuple[Paragraph, ...]:
    """`count` paragraphs of `low`..`high` sentences; a few with the double spaces and ` .` of real text."""
    out = []
    for _ in range(count):
        text = " ".join(make() for _ in range(rng.randrange(low, high + 1)))
        r = rng.random()
        if r < 0.08:
            text = text.replace(". ", ".  ")
        elif r < 0.12:
            text = text.replace("). ", ") . ")
        out.append(tuple(text.split("{C}")))
    return tuple(out)


@cache
def pools(domain: str) -> DomainPools:
    """The pools of one domain (built on first use, then shared)."""
    rng = random.Random(f"{_POOL_SEED}:{domain}")
    w = _Writer(rng, domain)
    return DomainPools(
        single=_paragraphs(rng, w.sentence_single, 4, 9),
        combo=_paragraphs(rng, w.sentence_combo, 3, 6),
        eligibility=_paragraphs(rng, w.sentence_eligibility, 2, 5),
        indefinite=_paragraphs(rng, w.sentence_indefinite, 1, 3),
        arguments=_paragraphs(rng, w.sentence_argument, 2, 4),
        claims=_paragraphs(rng, w.claim_text, 1, 1),
        reasons=_paragraphs(rng, w.reason, 1, 3),
        species=_paragraphs(rng, w.species, 1, 2, count=60),
    )
