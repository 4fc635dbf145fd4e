"""The letter composer: writes an office action's text and, as it writes, the truth about it.

Every rejection sentence, every document number and every flag-deciding sentence is written here and
recorded in the same step, so the truth cannot drift from the text. The bulk of a letter is filler from
`pools` (claim analyses with paragraph and column numbers, 101 steps, arguments), which by construction
carries no document number and no ground.

Truth conventions (beyond docs/contracts.md) are listed in the package docstring of `oa_spark.synth`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from oa_spark.synth import forms
from oa_spark.synth.ids import FOREIGN, NplDoc, PatentDoc, choose_shown_kind, render, shapes_for
from oa_spark.synth.pools import DomainPools, pools
from oa_spark.synth.vocab import CPC_GROUPS, DOMAINS, GIVEN_NAMES, SURNAMES

Doc = PatentDoc | NplDoc

REJECTION_CODES = frozenset({"CTNF", "CTFR"})
BODY_CAP = 118_000
_DASHES = ("-", "-", "-", "-", "–", " to ")
_MARK = "\x00"  # where a page marker will be spliced into a document number


@dataclass(frozen=True)
class LetterSpec:
    """Everything a letter depends on: the same spec always gives the same letter (reappearing documents)."""

    seed: int
    code: str
    app_number: str
    domain: str
    aia: bool
    claims_total: int
    art_unit: int
    examiner: str
    examiner_phone: str
    supervisor: str
    supervisor_phone: str
    style: str  # "OC" (newer, page headers) or "OACS" (older)
    prior_art: tuple[Doc, ...]
    other_art: tuple[Doc, ...]
    dp_targets: tuple[PatentDoc, ...]
    target_chars: int
    history: tuple[str, ...]  # earlier action codes of this application
    mail_date: date
    filing_date: date


@dataclass
class Letter:
    """A composed letter and its truth (see the package docstring for the conventions)."""

    body: str
    rejections: list[dict]
    citations: list[str]
    not_relied_upon: list[str]
    npl: int
    flags: list[str]
    is_final: bool
    objection: bool
    allowable: bool
    artifacts: list[str]
    cited_raw: list[list[str]]
    families: list[str]
    sections: dict[str, str]


@dataclass
class _Fill:
    """A place for filler paragraphs, sized once the structured part of the letter is known."""

    kind: str
    weight: float
    names: tuple[str, ...] = ()
    claims: tuple[int, ...] = ()


@dataclass
class _Ground:
    label: str
    statute: str
    claims: set[int] = field(default_factory=set)
    refs: tuple[str, ...] = ()


def claim_runs(claims: list[int]) -> list[tuple[int, int]]:
    """Sorted unique claims as (first, last) runs of consecutive numbers."""
    runs: list[tuple[int, int]] = []
    for c in sorted(set(claims)):
        if runs and c == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


def claim_list(claims: list[int], rng: random.Random) -> str:
    """`1, 4-5, 7, 16-18 and 41`, `1 and 7 to 10`, `1–5`, `1-6, 10-14, and 23-29, 33-37, and 39`."""
    items: list[str] = []
    for a, b in claim_runs(claims):
        if a == b:
            items.append(str(a))
        elif b == a + 1 and rng.random() < 0.5:
            items += [str(a), str(b)]
        else:
            items.append(f"{a}{rng.choice(_DASHES)}{b}")
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    r = rng.random()
    if r < 0.45:
        return ", ".join(items[:-1]) + " and " + items[-1]
    if r < 0.8:
        return ", ".join(items[:-1]) + ", and " + items[-1]
    if r < 0.9:
        return ", ".join(items)
    cut = rng.randrange(1, len(items) - 1) if len(items) > 2 else 1
    return ", ".join(items[:cut]) + ", and " + ", ".join(items[cut:-1]) + ", and " + items[-1]


def claims_subject(claims: list[int], rng: random.Random) -> str:
    """`Claims 1-3 are`, `Claim 4 is`, `Claim(s) 1-20 is/are`, `Claims 1-20` (verb left out, as in real text)."""
    text = claim_list(claims, rng)
    plural = len(set(claims)) > 1
    r = rng.random()
    if r < 0.08:
        noun = "Claim(s)"
    elif plural and r < 0.12:
        noun = "Claim"
    else:
        noun = "Claims" if plural else "Claim"
    verb = rng.choice(("are", "are", "are", "is/are", "")) if plural else rng.choice(("is", "is", "is/are"))
    return f"{noun} {text} {verb}" if verb else f"{noun} {text}"


def _fmt(day: date) -> str:
    return day.strftime("%m/%d/%Y")


class _Composer:
    def __init__(self, spec: LetterSpec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.pool: DomainPools = pools(spec.domain)
        self.words = DOMAINS["software" if spec.domain == "design" else spec.domain]
        self.items: list[tuple[str, str | None] | _Fill] = []
        self.grounds: dict[tuple[str, str, tuple[str, ...]], _Ground] = {}
        self.citations: dict[str, None] = {}
        self.cited_raw: list[list[str]] = []
        self.shown: dict[str, str | None] = {}
        self.named: set[str] = set()
        self.npl_names: set[str] = set()
        self.not_relied: dict[str, None] = {}
        self.families: set[str] = set()
        self.flags: list[str] = []
        self.objection = False
        self.allowable = False
        self.is_final = False
        self.markers = self.rng.random() < 0.25
        self.sentences: list[str] = []
        self.artifacts: set[str] = set()
        self.has_103_heading = False

    # ------------------------------------------------------------ writing primitives

    def add(self, text: str, tag: str | None = None) -> None:
        self.items.append((text, tag))

    def fill(
        self, kind: str, weight: float, names: tuple[str, ...] = (), claims: tuple[int, ...] = ()
    ) -> None:
        self.items.append(_Fill(kind, weight, names, claims))

    def fam(self, *names: str) -> None:
        self.families.update(names)

    def number(self, doc: PatentDoc, prefer: tuple[str, ...] = ()) -> str:
        """Write the document's number in some shape and record the citation it means."""
        rng = self.rng
        if doc.key not in self.shown:
            self.shown[doc.key] = choose_shown_kind(doc, rng)
        kind = self.shown[doc.key]
        shapes = shapes_for(doc, kind is not None)
        preferred = [s for s in shapes if s.name in prefer]
        shape = rng.choice(preferred) if preferred and rng.random() < 0.8 else rng.choice(shapes)
        raw = shape.render(doc, kind)
        cid = doc.canonical(kind)
        self.citations.setdefault(cid, None)
        self.cited_raw.append([raw, cid, shape.name])
        self.fam(f"shape:{shape.name}")
        if self.markers and rng.random() < 0.2 and len(raw) > 3:
            cut = rng.randrange(1, len(raw) - 1)
            raw = raw[:cut] + _MARK + raw[cut:]
            self.fam("marker_in_citation")
        return raw

    def intro(self, doc: Doc) -> str:
        """First naming of a reference: its name with its number (or its bibliographic text)."""
        rng = self.rng
        self.named.add(doc.name)
        if isinstance(doc, NplDoc):
            self.npl_names.add(doc.name)
            self.fam("npl")
            return f"{doc.name} et al. {doc.citation}" if rng.random() < 0.6 else f"{doc.name} {doc.citation}"
        etal = " et al." if doc.et_al else ""
        num = self.number(doc)
        r = rng.random()
        if r < 0.45:
            return f"{doc.name}{etal} ({num})"
        if r < 0.6:
            self.fam("herein_short_name")
            return f"{doc.name}{etal} ({num}), herein {doc.name}"
        if r < 0.7:
            self.fam("herein_short_name")
            return f"{doc.name}{etal} ({num}), hereinafter “{doc.name}”"
        if r < 0.8:
            self.fam("herein_short_name")
            return f"{doc.name}{etal} ({num}) (hereinafter {doc.name})"
        return f"{num} to {doc.name}{etal}"

    def ref(self, doc: Doc) -> str:
        """A reference inside a rejection sentence: its short name once introduced, else its introduction."""
        if doc.name in self.named and (isinstance(doc, NplDoc) or self.rng.random() < 0.7):
            self.fam("short_name_reference")
            return doc.name
        return self.intro(doc)

    def ground(self, label: str, statute: str, claims: list[int], docs: list[Doc]) -> None:
        """Record a ground; a restatement with the same statute, label and references merges its claims."""
        ids: list[str] = []
        for doc in docs:
            if isinstance(doc, PatentDoc):
                cid = doc.canonical(self.shown[doc.key])
                if cid not in ids:
                    ids.append(cid)
        key = (statute, label, tuple(ids))
        self.grounds.setdefault(key, _Ground(label, statute, set(), tuple(ids))).claims.update(claims)

    def sentence(self, text: str, tag: str | None = None) -> None:
        """A rejection sentence: kept so that it can be restated word for word later."""
        if self.rng.random() < 0.05:
            text = text.replace(" rejected under ", " rejected under  ", 1)
            self.fam("double_space")
        self.sentences.append(text)
        self.add(text, tag)

    def thing(self) -> str:
        return f"{self.rng.choice(self.words['adjectives'])} {self.rng.choice(self.words['nouns'])}"

    def spare_name(self) -> str:
        """A surname no document of this letter uses (for a reference named without any number)."""
        taken = {d.name for d in self.spec.prior_art + self.spec.other_art} | self.named
        while True:
            name = self.rng.choice(SURNAMES)
            if name not in taken:
                return name

    # ------------------------------------------------------------ common parts

    def header(self) -> None:
        s, rng = self.spec, self.rng
        lines = ["DETAILED ACTION"]
        if s.style == "OC" or rng.random() < 0.5:
            lines.append(
                "Notice of Pre-AIA  or AIA  Status"
                if rng.random() < 0.7
                else "Notice of Pre-AIA or AIA Status"
            )
            if s.aia:
                lines.append(
                    "The present application, filed on or after March 16, 2013, is being examined under the first "
                    "inventor to file provisions of the AIA ."
                )
            else:
                lines.append(
                    "The present application is being examined under the pre-AIA first to invent provisions."
                )
        self.add("\n".join(lines))

    def status(self, pending: list[int], canceled: list[int]) -> None:
        s, rng = self.spec, self.rng
        reply = _fmt(s.mail_date.replace(day=1))
        if s.code == "CTNF" and s.history and s.history[-1] in ("CTFR", "CTAV"):
            self.add(forms.RCE.format(date=reply))
            self.fam("finality_withdrawn_rce")
        if s.history and s.code != "CTRS":
            text = f"This Office action is in response to the amendment filed on {reply}."
            amended = sorted(rng.sample(pending, min(len(pending), rng.randrange(1, 4))))
            text += f" Claims {claim_list(amended, rng)} have been amended." if len(amended) > 1 else ""
            if canceled:
                noun = "Claims" if len(canceled) > 1 else "Claim"
                verb = "have" if len(canceled) > 1 else "has"
                text += f" {noun} {claim_list(canceled, rng)} {verb} been canceled."
        else:
            text = (
                f"This is the initial Office action based on the application filed on {_fmt(s.filing_date)}."
            )
        text += (
            f" Claims {claim_list(pending, rng)} are pending in this application." if len(pending) > 1 else ""
        )
        self.add(text, "summaryText")
        if rng.random() < 0.4:
            self.add(forms.IDS.format(date=_fmt(s.filing_date)))

    def conclusion(self) -> None:
        s, rng = self.spec, self.rng
        others = [d for d in s.other_art if d.name not in self.named]
        if others and rng.random() < 0.6:
            self.fam("not_relied_upon")
            lines = ["Conclusion", forms.NOT_RELIED]
            for doc in others:
                lines.append(self.listing(doc))
            self.add("\n".join(lines), "detailCitationText")

    def listing(self, doc: Doc) -> str:
        """One entry of a list of art made of record and not relied upon."""
        rng = self.rng
        self.named.add(doc.name)
        if isinstance(doc, NplDoc):
            self.npl_names.add(doc.name)
            self.fam("npl")
            return doc.listing
        num = self.number(doc)
        self.not_relied[doc.canonical(self.shown[doc.key])] = None
        etal = " et al." if doc.et_al else ""
        r = rng.random()
        if r < 0.35:
            return f"{doc.name}{etal} ({num}) discloses {self.thing()}."
        if r < 0.55:
            self.fam("listing_semicolon")
            return f"{doc.name}; {rng.choice(GIVEN_NAMES)}, {num}"
        if r < 0.75:
            return f"{num} to {doc.name}{etal} teaches a {self.thing()}."
        return f"{doc.name} ({num}) – {self.thing()}."

    def contact(self) -> None:
        s, rng = self.spec, self.rng
        self.add(
            forms.CONTACT.format(
                examiner=s.examiner, phone=s.examiner_phone, spe=s.supervisor, spe_phone=s.supervisor_phone
            )
        )
        if s.style == "OC":
            gap = " " * rng.randrange(20, 60)
            self.add(
                f"/{s.examiner.split()[0][0]}.{s.examiner.split()[-1][0]}./{gap}Examiner, Art Unit {s.art_unit}"
            )
            self.add(f"/{s.supervisor}/\nSupervisory Patent Examiner, Art Unit {s.art_unit}")
        else:
            self.add(f"/{s.examiner}/\nPrimary Examiner, Art Unit {s.art_unit}")

    # ------------------------------------------------------------ rejection letters (CTNF, CTFR)

    def rejection_letter(self) -> None:
        s, rng = self.spec, self.rng
        groups = _claim_groups(s.claims_total, rng)
        canceled: list[int] = []
        if s.history and s.claims_total > 6:
            deps = [c for g in groups for c in g[1:]]
            canceled = sorted(rng.sample(deps, min(len(deps) // 3, rng.randrange(0, 3))))
        groups = [[c for c in g if c not in canceled] for g in groups]
        pending = [c for g in groups for c in g]
        deps = [c for g in groups for c in g[1:]]

        self.header()
        self.status(pending, canceled)
        if s.history and rng.random() < 0.5:
            self.withdrawn(pending)

        dependent_allowable = (
            sorted(rng.sample(deps, rng.randrange(1, 4))) if len(deps) >= 4 and rng.random() < 0.22 else []
        )
        allowed = groups[-1] if len(groups) >= 2 and rng.random() < 0.05 else []
        rejectable = [c for c in pending if c not in dependent_allowable and c not in allowed]
        if not rejectable:
            dependent_allowable, allowed, rejectable = [], [], pending
        rewrite: list[int] = []
        want = self.choose_grounds(rejectable)
        if "112(b)" in want and not dependent_allowable and rng.random() < 0.15:
            cands = [c for c in deps if c in rejectable]
            rewrite = sorted(rng.sample(cands, min(len(cands), rng.randrange(1, 3))))
        art_claims = [c for c in rejectable if c not in rewrite]

        if rng.random() < 0.12:
            self.interpretation_112f(pending)
        order = rng.choice((("dp", "101", "112"), ("112", "dp", "101"), ("101", "112", "dp")))
        for part in order:
            if part == "dp" and "dp" in want:
                self.double_patenting(art_claims or rejectable)
            elif part == "101" and "101" in want:
                self.eligibility(art_claims or rejectable)
            elif part == "112":
                self.section_112(want, rejectable, rewrite, groups)
        if "art" in want and art_claims:
            self.prior_art(art_claims, groups)
        if not self.grounds:  # every rejection letter rejects something
            self.section_112({"112(b)"}, rejectable, [], groups)
        self.objections(rejectable, dependent_allowable, allowed, rewrite)
        if s.code == "CTFR" or (s.history and rng.random() < 0.5):
            self.arguments()
        self.conclusion()
        if s.code == "CTFR":
            text = forms.FINAL if rng.random() < 0.85 else forms.FINAL_IDS
            self.add(text.format(date=_fmt(s.mail_date.replace(day=1))))
            self.is_final = True
            self.fam("final")
        self.contact()

    def choose_grounds(self, rejectable: list[int]) -> set[str]:
        rng, s = self.rng, self.spec
        p101 = {"software": 0.4, "electrical": 0.08, "mechanical": 0.03, "chemical": 0.12, "design": 0.0}
        want: set[str] = set()
        if rng.random() < p101[s.domain]:
            want.add("101")
        if rng.random() < 0.33:
            want.add("112(b)")
        if rng.random() < 0.1 and s.domain != "design":
            want.add("112(a)")
        if rng.random() < 0.06 and s.claims_total > 3:
            want.add("112(d)")
        if rng.random() < 0.02:
            want.add("112")
        if s.dp_targets and rng.random() < 0.12:
            want.add("dp")
        if s.prior_art and rng.random() < 0.9:
            want.add("art")
        return want

    def withdrawn(self, pending: list[int]) -> None:
        s, rng = self.spec, self.rng
        self.fam("withdrawn")
        claims = sorted(rng.sample(pending, min(len(pending), rng.randrange(1, 6))))
        label = rng.choice(("112(b)", "101", "103"))
        noun = "claims" if len(claims) > 1 else "claim"
        text = (
            f"The rejection of {noun} {claim_list(claims, rng)} under {forms.statute(label, s.aia, rng)} has been "
            "withdrawn in view of Applicant's amendments."
        )
        old = [d for d in s.other_art if isinstance(d, PatentDoc) and d.family != FOREIGN]
        if label == "103" and old and rng.random() < 0.6:
            doc = old[-1]
            self.named.add(doc.name)
            self.fam("withdrawn_with_reference")
            text = (
                f"Applicant's arguments, see pages {rng.randrange(6, 10)}-{rng.randrange(10, 16)}, filed "
                f"{_fmt(s.mail_date.replace(day=1))}, with respect to the rejection(s) of claim(s) "
                f"{claim_list(claims, rng)} under {forms.statute('103', s.aia, rng)} as being unpatentable over "
                f"{doc.name} ({self.number(doc)}) have been fully considered and are persuasive. Therefore, the "
                "rejection has been withdrawn. However, upon further consideration, a new ground(s) of rejection "
                "is made in view of the references set forth below."
            )
        self.add(text, "withdrawalRejectionText")

    def interpretation_112f(self, pending: list[int]) -> None:
        rng = self.rng
        self.fam("112f_note")
        claim = rng.choice(pending)
        verb = rng.choice(self.words["verbs"])
        self.add("Claim Interpretation")
        self.add(forms.QUOTE_112F)
        self.add(forms.CLAIM_INTERPRETATION)
        self.add(
            "This application includes one or more claim limitations that do not use the word “means,” but are "
            "nonetheless being interpreted under 35 U.S.C. 112(f) or pre-AIA 35 U.S.C. 112, sixth paragraph, "
            "because the claim limitation(s) uses a generic placeholder that is coupled with functional language "
            "without reciting sufficient structure to perform the recited function and the generic placeholder "
            f"is not preceded by a structural modifier. Such claim limitation(s) is/are: “a {self.thing()} "
            f"configured to {verb}” in claim {claim}."
        )

    def eligibility(self, claims: list[int]) -> None:
        s, rng = self.spec, self.rng
        self.add("Claim Rejections - 35 USC § 101")
        self.add(forms.QUOTE_101)
        subj, st = claims_subject(claims, rng), forms.statute("101", s.aia, rng)
        r = rng.random()
        if r < 0.75:
            self.fam("101_judicial_exception")
            exc = rng.choice(
                (
                    "a judicial exception (i.e., a law of nature, a natural phenomenon, or an abstract idea)",
                    "an abstract idea",
                    "a judicial exception (an abstract idea)",
                )
            )
            text = f"{subj} rejected under {st} because the claimed invention is directed to {exc} without significantly more."
        elif r < 0.9:
            self.fam("101_non_statutory")
            text = (
                f"{subj} rejected under {st} because the claimed invention is directed to non-statutory subject "
                "matter. The claim(s) does/do not fall within at least one of the four categories of patent "
                f"eligible subject matter because the claimed {self.thing()} is software per se."
            )
        else:
            self.fam("101_utility")
            text = f"{subj} rejected under {st} because the disclosed invention is inoperative and therefore lacks utility."
        self.sentence(text)
        self.ground("101", "101", claims, [])
        self.fill("eligibility", 1.5, claims=tuple(claims))

    def section_112(
        self, want: set[str], rejectable: list[int], rewrite: list[int], groups: list[list[int]]
    ) -> None:
        s, rng = self.spec, self.rng
        labels = [x for x in ("112(b)", "112(a)", "112(d)", "112") if x in want]
        if not labels or not rejectable:
            return
        self.add("Claim Rejections - 35 USC § 112")
        if "112(b)" in labels:
            self.add(forms.QUOTE_112B, "section112RejectionFormParagraphText")
        if "112(a)" in labels:
            self.add(forms.QUOTE_112A)
        if "112(d)" in labels:
            self.add(forms.QUOTE_112D)
        for label in labels:
            if label == "112(b)":
                self.indefinite(rejectable, rewrite, groups)
            elif label == "112(a)":
                claims = sorted(rng.sample(rejectable, min(len(rejectable), rng.randrange(1, 6))))
                st = forms.statute("112(a)", s.aia, rng)
                self.fam("112a", "112a_pre_aia_first" if "first paragraph" in st else "112a_letter")
                what = rng.choice(("written description", "enablement"))
                self.sentence(
                    f"{claims_subject(claims, rng)} rejected under {st} as failing to comply with the {what} "
                    "requirement. The claim(s) contains subject matter which was not described in the "
                    "specification in such a way as to reasonably convey to one skilled in the relevant art that "
                    "the inventor or a joint inventor, or for applications subject to pre-AIA 35 U.S.C. 112, the "
                    "inventor(s), at the time the application was filed, had possession of the claimed invention.",
                    "section112RejectionText",
                )
                self.ground("112(a)", "112", claims, [])
            elif label == "112(d)":
                deps = [c for g in groups for c in g[1:] if c in rejectable]
                if not deps:
                    continue
                claims = sorted(rng.sample(deps, min(len(deps), rng.randrange(1, 3))))
                st = forms.statute("112(d)", s.aia, rng)
                self.fam("112d")
                self.sentence(
                    f"{claims_subject(claims, rng)} rejected under {st}, as being of improper dependent form for "
                    "failing to further limit the subject matter of the claim upon which it depends, or for "
                    "failing to include all the limitations of the claim upon which it depends.",
                    "section112RejectionText",
                )
                self.ground("112(d)", "112", claims, [])
            else:
                claims = sorted(rng.sample(rejectable, min(len(rejectable), rng.randrange(1, 4))))
                self.fam("112_no_paragraph")
                self.sentence(
                    f"{claims_subject(claims, rng)} rejected under 35 U.S.C. 112 as being incomplete for omitting "
                    "essential elements, such omission amounting to a gap between the elements. See MPEP § 2172.01.",
                    "section112RejectionText",
                )
                self.ground("112", "112", claims, [])

    def indefinite(self, rejectable: list[int], rewrite: list[int], groups: list[list[int]]) -> None:
        s, rng = self.spec, self.rng
        base = sorted(set(rng.sample(rejectable, min(len(rejectable), rng.randrange(1, 5)))) | set(rewrite))
        st = forms.statute("112(b)", s.aia, rng)
        if "second paragraph" in st and "112(b)" not in st:
            self.fam("112_second_paragraph")
        elif "or 35 U.S.C. 112 (pre-AIA)" in st:
            self.fam("112b_or_pre_aia")
        else:
            self.fam("112b")
        who = (
            "the inventor or a joint inventor (or for applications subject to pre-AIA 35 U.S.C. 112, the "
            "applicant), regards as the invention."
            if s.aia
            else "applicant regards as the invention."
        )
        self.sentence(
            f"{claims_subject(base, rng)} rejected under {st}, as being indefinite for failing to particularly "
            f"point out and distinctly claim the subject matter which {who}",
            "section112RejectionText",
        )
        self.ground("112(b)", "112", base, [])
        self.fill("indefinite", 0.4, claims=tuple(base))
        if rng.random() < 0.2 and len(rejectable) > len(base):
            more = sorted(rng.sample([c for c in rejectable if c not in base], 1))
            self.fam("112_restated_more_claims")
            self.sentence(
                f"{claims_subject(more, rng)} rejected under {forms.statute('112(b)', s.aia, rng)}, as being "
                f"indefinite for failing to particularly point out and distinctly claim the subject matter which {who}"
            )
            self.ground("112(b)", "112", more, [])
            base = sorted(set(base) | set(more))
        if rng.random() < 0.35:
            for group in groups:
                head = next((c for c in group if c in base), None)
                if head is None:
                    continue
                later = [c for c in group if c > head and c in rejectable and c not in base][:5]
                if not later:
                    continue
                self.fam("112_therefore_also")
                subject = claim_list(later, rng)
                if len(later) > 1:
                    lead = f"Claims {subject}, which depend from claim {head}, are"
                else:
                    lead = f"Claim {subject}, which depends from claim {head}, is"
                self.sentence(f"{lead}, therefore, also rejected under 35 USC 112, second paragraph.")
                self.ground("112(b)", "112", later, [])
                break

    def double_patenting(self, claims: list[int]) -> None:
        s, rng = self.spec, self.rng
        target = rng.choice(s.dp_targets)
        self.add("Double Patenting")
        ref_claims = claim_list(list(range(1, rng.randrange(3, 25))), rng)
        subj = claims_subject(claims, rng)
        patno = ("pat_patno", "pat_patno_plain", "pat_patno_kind")
        if target.family == "us_application":
            self.add(forms.DOUBLE_PATENTING)
            self.fam("dp_copending_application")
            text = (
                f"{subj} provisionally rejected on the ground of nonstatutory double patenting as being "
                f"unpatentable over claims {ref_claims} of copending {self.number(target)} (reference "
                "application). Although the claims at issue are not identical, they are not patentably distinct "
                "from each other because the claims of the instant application are broader than the reference "
                "claims."
            )
            self.sentence(text)
            self.ground("dp", "dp", claims, [target])
            return
        if rng.random() < 0.1:
            self.add(forms.STATUTORY_DP)
            self.fam("dp_statutory")
            self.sentence(
                f"{subj} rejected under 35 U.S.C. 101 as claiming the same invention as that of claims "
                f"{ref_claims} of prior {self.number(target, patno)}. This is a statutory double patenting "
                "rejection."
            )
            self.ground("dp", "dp", claims, [target])
            return
        self.add(forms.DOUBLE_PATENTING)
        self.fam("dp_patent")
        docs: list[Doc] = [target]
        text = (
            f"{subj} rejected on the ground of nonstatutory double patenting as being unpatentable over claims "
            f"{ref_claims} of {self.number(target, patno)}"
        )
        secondary = [d for d in s.prior_art if isinstance(d, PatentDoc)]
        if secondary and rng.random() < 0.25:
            self.fam("dp_with_secondary")
            docs.append(secondary[-1])
            text += f" in view of {self.ref(secondary[-1])}"
        self.sentence(text + ".")
        self.add(
            "Although the claims at issue are not identical, they are not patentably distinct from each other "
            "because the instant claims are anticipated by the reference claims."
        )
        self.ground("dp", "dp", claims, docs)

    def prior_art(self, claims: list[int], groups: list[list[int]]) -> None:
        s, rng = self.spec, self.rng
        docs = list(s.prior_art)
        heads = {g[0] for g in groups}
        deps = [c for c in claims if c not in heads]
        n_ext = min(max(0, len(docs) - 2), rng.choice((0, 1, 1, 2, 3)), len(deps) // 2)
        ext_docs, main = docs[len(docs) - n_ext :], docs[: len(docs) - n_ext]
        ext_claims: list[list[int]] = []
        for _ in ext_docs:
            pick = sorted(rng.sample(deps, min(len(deps), rng.randrange(1, 4))))
            if not pick:
                break
            deps = [c for c in deps if c not in pick]
            ext_claims.append(pick)
        ext_docs = ext_docs[: len(ext_claims)]
        taken = {c for p in ext_claims for c in p}
        rest = [c for c in claims if c not in taken]
        if not rest:  # the extensions took everything: give them back to the main ground
            rest, ext_docs, ext_claims = claims, [], []

        # A lone 102 reference takes every claim, so no 103 ground can share its (label, references) key.
        use_102 = isinstance(main[0], PatentDoc) and rng.random() < 0.45
        g102: list[int] = []
        if use_102:
            group = rng.choice([g for g in groups if any(c in rest for c in g)])
            g102 = [c for c in group if c in rest] if len(main) > 1 else rest
        g103 = [c for c in rest if c not in g102]
        if g102:
            self.section_102(g102, main[0], alt=rng.random() < 0.1)
        placed: dict[int, list[Doc]] = {c: [main[0]] for c in g102}
        if g103:
            self.section_103_base(g103, main, split=rng.random() < 0.08)
            placed.update({c: list(main) for c in g103})
        for doc, pick in zip(ext_docs, ext_claims, strict=True):
            head = max((h for h in heads if h <= pick[0]), default=None)
            base_claim = head if head in placed else next(iter(placed))
            self.section_103_extension(pick, placed[base_claim], base_claim, doc)
        if rng.random() < 0.04:
            self.flags.append("form_brackets_unfilled")
            self.fam("form_brackets")
            self.add(rng.choice(forms.FORM_BRACKETS))
        if self.sentences and rng.random() < 0.06:
            self.fam("restated_verbatim")
            self.add(rng.choice(self.sentences))

    def section_102(self, claims: list[int], doc: PatentDoc, alt: bool) -> None:
        s, rng = self.spec, self.rng
        self.add("Claim Rejections - 35 USC § 102")
        if rng.random() < 0.5:
            self.add(forms.AIA_STATUS_CORRECTION)
            self.fam("aia_status_correction")
        self.add(
            forms.QUOTE_102_AIA if s.aia else forms.QUOTE_102_PRE, "section102RejectionFormParagraphText"
        )
        self.fam("quote_102")
        if s.aia:
            label = rng.choices(("102(a)(1)", "102(a)(2)", "102"), (0.72, 0.25, 0.03))[0]
        else:
            label = rng.choices(("102(b)", "102(e)", "102(a)"), (0.6, 0.3, 0.1))[0]
        self.fam(
            {"102(a)(1)": "102a1", "102(a)(2)": "102a2", "102": "102_no_subsection"}.get(label, "102_pre_aia")
        )
        subj, st = claims_subject(claims, rng), forms.statute(label, s.aia, rng)
        if alt:
            self.add(forms.QUOTE_103_AIA if s.aia else forms.QUOTE_103_PRE)
            self.fam("102_alt_103")
            st103 = forms.statute("103", s.aia, rng)
            text = f"{subj} rejected under {st} as anticipated by or, in the alternative, under {st103} as obvious over {self.ref(doc)}."
            self.sentence(text, "section102RejectionText")
            self.ground(label, "102", claims, [doc])
            self.ground("103", "103", claims, [doc])
        else:
            how = rng.choice(
                (
                    "as being anticipated by",
                    "as being anticipated by",
                    "as anticipated by",
                    "as being clearly anticipated by",
                )
            )
            self.sentence(f"{subj} rejected under {st} {how} {self.ref(doc)}.", "section102RejectionText")
            self.ground(label, "102", claims, [doc])
        self.fill("single", 3.0, names=(doc.name,), claims=tuple(claims))

    def heading_103(self) -> None:
        s, rng = self.spec, self.rng
        if self.has_103_heading:
            return
        self.has_103_heading = True
        self.add("Claim Rejections - 35 USC § 103")
        self.add(
            forms.QUOTE_103_AIA if s.aia else forms.QUOTE_103_PRE, "section103RejectionFormParagraphText"
        )
        self.fam("quote_103")
        if rng.random() < 0.5:
            self.add(forms.GRAHAM)
        if s.aia and rng.random() < 0.4:
            self.add(forms.JOINT_INVENTORS)
            self.fam("joint_inventors_102a2")

    def section_103_base(self, claims: list[int], chain: list[Doc], split: bool) -> None:
        s, rng = self.spec, self.rng
        self.heading_103()
        first, later = claims, []
        if split and len(claims) >= 2:
            cut = rng.randrange(1, len(claims))
            first, later = claims[:cut], claims[cut:]
        st = forms.statute("103", s.aia, rng)
        self.fam("103a_pre_aia" if "103(a)" in st else "103")
        refs = [self.ref(d) for d in chain]
        name_only = ""
        if len(chain) >= 2 and rng.random() < 0.03:
            name_only = self.spare_name()
            self.fam("103_name_only_reference")
        if isinstance(chain[0], NplDoc):
            self.fam("103_npl_primary")
        over = self.chain_text(refs)
        if name_only:
            over += f", and further in view of {name_only}"
        how = rng.choice(
            ("as being unpatentable over", "as being unpatentable over", "as being obvious over")
        )
        self.sentence(
            f"{claims_subject(first, rng)} rejected under {st} {how} {over}.", "section103RejectionText"
        )
        self.ground("103", "103", first, list(chain))
        names = tuple(d.name for d in chain[:2])
        self.fill("combo" if len(names) == 2 else "single", 3.0, names=names, claims=tuple(first))
        if later:
            self.fam("103_restated_more_claims")
            over2 = self.chain_text([d.name for d in chain])
            if name_only:
                over2 += f", and further in view of {name_only}"
            self.sentence(
                f"{claims_subject(later, rng)} rejected under {forms.statute('103', s.aia, rng)} as being unpatentable over {over2}."
            )
            self.ground("103", "103", later, list(chain))
            self.fill("combo" if len(names) == 2 else "single", 1.0, names=names, claims=tuple(later))

    def chain_text(self, refs: list[str]) -> str:
        rng = self.rng
        if len(refs) == 1:
            self.fam("103_single_reference")
            return refs[0]
        if len(refs) == 2:
            self.fam("103_in_view_of")
            return f"{refs[0]} in view of {refs[1]}"
        r = rng.random()
        if r < 0.4:
            self.fam("103_further_in_view_of")
            text = f"{refs[0]} in view of {refs[1]}"
            for more in refs[2:]:
                text += f", further in view of {more}"
            return text
        if r < 0.6:
            self.fam("103_and_further_in_view_of")
            return f"{refs[0]} in view of {refs[1]}, and further in view of " + " and ".join(refs[2:])
        if r < 0.8:
            self.fam("103_in_view_of_and")
            return f"{refs[0]} in view of " + ", ".join(refs[1:-1]) + f" and {refs[-1]}"
        self.fam("103_comma_list")
        return ", ".join(refs[:-1]) + f", and {refs[-1]}"

    def section_103_extension(self, claims: list[int], base: list[Doc], base_claim: int, doc: Doc) -> None:
        s, rng = self.spec, self.rng
        self.heading_103()
        self.fam("103_as_applied")
        st = forms.statute("103", s.aia, rng)
        names = [self.ref(d) for d in base]
        if len(names) == 1:
            over = names[0]
        elif rng.random() < 0.5:
            over = f"{names[0]} in view of " + " and ".join(names[1:])
        else:
            over = "the combination of " + ", ".join(names[:-1]) + f" and {names[-1]}"
        how = rng.choice(("and further in view of", "and further in view of", "in further view of"))
        text = (
            f"{claims_subject(claims, rng)} rejected under {st} as being unpatentable over {over} as applied to "
            f"claim {base_claim} above, {how} {self.ref(doc)}."
        )
        self.sentence(text)
        self.ground("103", "103", claims, [*base, doc])
        self.fill("combo", 1.5, names=(base[0].name, doc.name), claims=tuple(claims))

    def objections(
        self, rejectable: list[int], dependent: list[int], allowed: list[int], rewrite: list[int]
    ) -> None:
        rng = self.rng
        parts: list[str] = []
        if rng.random() < 0.12 and rejectable:
            claims = sorted(rng.sample(rejectable, min(len(rejectable), rng.randrange(1, 3))))
            subj = f"Claims {claim_list(claims, rng)} are" if len(claims) > 1 else f"Claim {claims[0]} is"
            noun = rng.choice(self.words["nouns"])
            parts.append(
                f"{subj} objected to because of the following informalities: in line {rng.randrange(2, 12)}, "
                f"“the {noun}” should read “the {rng.choice(self.words['adjectives'])} {noun}”. Appropriate "
                "correction is required."
            )
            self.fam("objection_informalities")
        if rng.random() < 0.06:
            parts.append(
                "The drawings are objected to under 37 CFR 1.83(a). The drawings must show every feature of the "
                f"invention specified in the claims. Therefore, the “{self.thing()}” must be shown or the "
                "feature(s) canceled from the claim(s). No new matter should be entered."
            )
            self.fam("objection_drawings")
        if rng.random() < 0.04:
            parts.append(
                "The specification is objected to as failing to provide proper antecedent basis for the claimed "
                "subject matter. See 37 CFR 1.75(d)(1) and MPEP § 608.01(o). Correction of the following is "
                f"required: “{self.thing()}”."
            )
            self.fam("objection_specification")
        if parts:
            self.objection = True
            self.add("Claim Objections\n" + "\n".join(parts))
        allow: list[str] = []
        if dependent:
            verb = "are" if len(dependent) > 1 else "is"
            noun = "Claims" if len(dependent) > 1 else "Claim"
            allow.append(
                f"{noun} {claim_list(dependent, rng)} {verb} objected to as being dependent upon a rejected base "
                "claim, but would be allowable if rewritten in independent form including all of the limitations "
                "of the base claim and any intervening claims."
            )
            self.objection = True
            self.fam("objection_dependent_allowable")
        if rewrite:
            noun = "Claims" if len(rewrite) > 1 else "Claim"
            allow.append(
                f"{noun} {claim_list(rewrite, rng)} would be allowable if rewritten to overcome the rejection(s) "
                "under 35 U.S.C. 112(b) or 35 U.S.C. 112 (pre-AIA), 2nd paragraph, set forth in this Office action "
                "and to include all of the limitations of the base claim and any intervening claims."
            )
            self.fam("allowable_rewrite_112")
        if allowed:
            noun, verb = ("Claims", "are") if len(allowed) > 1 else ("Claim", "is")
            allow.append(f"{noun} {claim_list(allowed, rng)} {verb} allowed.")
            self.fam("claims_allowed")
        if allow:
            self.allowable = True
            self.add("Allowable Subject Matter\n" + "\n".join(allow))
            self.add(
                "The following is a statement of reasons for the indication of allowable subject matter:"
            )
            self.fill("reasons", 0.6, names=self.art_names())

    def art_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.spec.prior_art if d.name in self.named)

    def arguments(self) -> None:
        s, rng = self.spec, self.rng
        self.fam("response_to_arguments")
        self.add("Response to Arguments")
        self.add(
            f"Applicant's arguments filed {_fmt(s.mail_date.replace(day=1))} have been fully considered but they are not persuasive."
        )
        known = [d for d in s.prior_art if isinstance(d, PatentDoc) and d.name in self.named]
        if known and rng.random() < 0.5:
            doc = rng.choice(known)
            self.fam("argument_full_citation")
            self.add(
                f"Applicant argues that {doc.name} ({self.number(doc)}) does not teach the amended limitation."
            )
        self.fill("arguments", 1.5, names=self.art_names())

    # ------------------------------------------------------------ other codes

    def allowance_letter(self) -> None:
        s, rng = self.spec, self.rng
        self.header()
        pending = list(range(1, s.claims_total + 1))
        if s.history:
            self.add(
                f"This communication is in response to the amendment filed on {_fmt(s.mail_date.replace(day=1))}."
            )
        if rng.random() < 0.35:
            self.fam("examiners_amendment")
            self.add(
                forms.EXAMINERS_AMENDMENT.format(
                    attorney=f"{rng.choice(GIVEN_NAMES)} {rng.choice(SURNAMES)}", date=_fmt(s.mail_date)
                )
            )
            self.fill("claims", 1.5)
        self.allowable = True
        self.fam("noa_reasons")
        noun, verb = ("Claims", "are") if len(pending) > 1 else ("Claim", "is")
        self.add(f"Allowable Subject Matter\n{noun} {claim_list(pending, rng)} {verb} allowed.")
        closest = [d for d in s.prior_art[:2]]
        text = "The following is an examiner's statement of reasons for allowance:"
        if closest:
            text += " The closest prior art of record, " + " and ".join(self.intro(d) for d in closest) + ", "
            text += f"teaches a {self.thing()}."
        self.add(text)
        self.fill("reasons", 1.0, names=tuple(d.name for d in closest))
        self.add(forms.REASONS_TAIL)
        self.conclusion()
        self.contact()

    def restriction_letter(self) -> None:
        s, rng = self.spec, self.rng
        self.header()
        self.fam("restriction")
        total = s.claims_total
        groups = _claim_groups(total, rng)
        lines = [
            "Election/Restrictions",
            "Restriction to one of the following inventions is required under 35 U.S.C. 121:",
        ]
        for i, g in enumerate(groups):
            numeral = ("I", "II", "III", "IV")[min(i, 3)]
            noun = "Claims" if len(g) > 1 else "Claim"
            lines.append(
                f"{numeral}. {noun} {claim_list(g, rng)}, drawn to {self.thing()}, classified in CPC {rng.choice(CPC_GROUPS)}."
            )
        self.add("\n".join(lines))
        self.add(
            "The inventions are independent or distinct, each from the other because the inventions as claimed "
            "have a materially different design, mode of operation, function, or effect."
        )
        self.fill("species", 1.0)
        self.add(forms.RESTRICTION_TAIL)
        self.contact()

    def quayle_letter(self) -> None:
        s, rng = self.spec, self.rng
        self.header()
        self.fam("quayle")
        self.objection = self.allowable = True
        self.add(
            "This application is in condition for allowance except for the following formal matters:\n"
            f"The drawings are objected to because the reference character “{rng.randrange(10, 99)}” has been used "
            f"to designate both a {self.thing()} and a {self.thing()}. Corrected drawing sheets are required."
        )
        self.add(forms.QUAYLE)
        pending = list(range(1, s.claims_total + 1))
        noun, verb = ("Claims", "are") if len(pending) > 1 else ("Claim", "is")
        self.add(f"Allowable Subject Matter\n{noun} {claim_list(pending, rng)} {verb} allowed.")
        self.fill("reasons", 1.0, names=())
        self.contact()

    def advisory_letter(self) -> None:
        s, rng = self.spec, self.rng
        self.fam("advisory")
        self.add(
            "Continuation of 3. NOTE: The proposed amendments filed after a final rejection will not be entered "
            "because they raise new issues that would require further consideration and/or search."
        )
        lead = "Continuation of 11. does NOT place the application in condition for allowance because:"
        docs = [d for d in s.prior_art if isinstance(d, PatentDoc)]
        if docs and rng.random() < 0.5:
            lead += f" Applicant argues that {self.intro(docs[0])} fails to teach the amended limitation."
        self.add(lead)
        self.fill("arguments", 1.0, names=tuple(d.name for d in docs[:1] if d.name in self.named))
        pending = list(range(1, s.claims_total + 1))
        self.add(
            f"The status of the claim(s) is (or will be) as follows:\nClaim(s) rejected: {claim_list(pending, rng)}."
        )
        self.add(f"/{s.examiner}/\nPrimary Examiner, Art Unit {s.art_unit}")

    def petition_letter(self) -> None:
        s, rng = self.spec, self.rng
        filed = _fmt(s.mail_date.replace(day=1))
        if s.code == "PPH.DECISION":
            self.fam("pph")
            self.add(
                "DECISION ON REQUEST TO PARTICIPATE IN PATENT PROSECUTION HIGHWAY PROGRAM AND PETITION TO MAKE "
                "SPECIAL UNDER 37 CFR 1.102(a)\n"
                f"The request filed on {filed} to participate in the Patent Prosecution Highway program and the "
                "petition to make the above-identified application special are GRANTED."
            )
        else:
            self.fam("petition")
            kind = rng.choice(
                (
                    (
                        "37 CFR 1.102(e)",
                        "to make the above-identified application special under the prioritized examination program",
                        "GRANTED",
                    ),
                    ("37 CFR 1.137(a)", "to revive the above-identified application", "GRANTED"),
                    ("37 CFR 1.181", "to withdraw the holding of abandonment", "DISMISSED"),
                )
            )
            self.add(
                f"DECISION ON PETITION\nThis is a decision on the petition under {kind[0]}, filed {filed}, "
                f"{kind[1]}. The petition is {kind[2]}."
            )
        self.add(
            "Telephone inquiries concerning this decision should be directed to the Office of Petitions at "
            "571-272-3282."
        )
        self.add(
            f"/{rng.choice(GIVEN_NAMES)} {rng.choice(SURNAMES)}/\nPetitions Examiner, Office of Petitions"
        )

    # ------------------------------------------------------------ assembly

    def compose(self) -> Letter:
        code = self.spec.code
        if code in REJECTION_CODES:
            self.rejection_letter()
        elif code == "NOA":
            self.allowance_letter()
        elif code == "CTRS":
            self.restriction_letter()
        elif code == "CTEQ":
            self.quayle_letter()
        elif code == "CTAV":
            self.advisory_letter()
        else:
            self.petition_letter()
        blocks = self.expand()
        blocks = self.decorate(blocks)
        body = "\n".join(text for text, _ in blocks)
        sections: dict[str, str] = {}
        for text, tag in blocks:
            if tag and tag not in sections:
                sections[tag] = text
        rejections = [
            {"label": g.label, "statute": g.statute, "claims": sorted(g.claims), "references": list(g.refs)}
            for g in self.grounds.values()
        ]
        return Letter(
            body=body,
            rejections=rejections,
            citations=list(self.citations),
            not_relied_upon=list(self.not_relied),
            npl=len(self.npl_names),
            flags=list(self.flags),
            is_final=self.is_final,
            objection=self.objection,
            allowable=self.allowable,
            artifacts=sorted(self.artifacts),
            cited_raw=self.cited_raw,
            families=sorted(self.families),
            sections=sections,
        )

    def expand(self) -> list[tuple[str, str | None]]:
        """Turn filler places into paragraphs so that the letter reaches its target length."""
        rand = self.rng.random
        fixed = sum(len(it[0]) + 1 for it in self.items if isinstance(it, tuple))
        fills = [it for it in self.items if isinstance(it, _Fill)]
        budget = max(0, min(self.spec.target_chars, BODY_CAP) - fixed)
        weight = sum(f.weight for f in fills) or 1.0
        out: list[tuple[str, str | None]] = []
        claim_no = 0
        for it in self.items:
            if isinstance(it, tuple):
                out.append(it)
                continue
            share = budget * it.weight / weight
            used = 0
            paragraphs = self.paragraph_source(it)
            count = len(paragraphs)
            claims = it.claims or (1,)
            names = it.names or ("the primary reference",)
            pick_name = it.kind in ("arguments", "reasons") and len(names) > 1
            a, b = names[0], names[-1]
            while used < share:
                parts = paragraphs[int(rand() * count)]
                if len(parts) == 1:
                    text = parts[0]
                elif it.kind == "claims":  # consecutive claim numbers, as in an amended claim listing
                    claim_no = claim_no % self.spec.claims_total + 1
                    text = str(claim_no).join(parts)
                else:  # each claim mention its own number, in ascending order
                    picks = sorted(claims[int(rand() * len(claims))] for _ in parts[1:])
                    text = "".join([x for pair in zip(parts, map(str, picks), strict=False) for x in pair])
                    text += parts[-1]
                if pick_name:
                    a = names[int(rand() * len(names))]
                if "{" in text:
                    text = text.replace("{A}", a).replace("{B}", b)
                out.append((text, None))
                used += len(text) + 1
        return out

    def paragraph_source(self, fill: _Fill) -> tuple[tuple[str, ...], ...]:
        p = self.pool
        if fill.kind == "combo":
            return p.combo + p.single if len(fill.names) == 2 else p.single
        return {
            "single": p.single,
            "eligibility": p.eligibility,
            "indefinite": p.indefinite,
            "arguments": p.arguments,
            "claims": p.claims,
            "reasons": p.reasons,
            "species": p.species,
        }[fill.kind]

    def decorate(self, blocks: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        """Artifacts of the real text: page headers, image stubs, page markers, `_x000d_`."""
        s, rng = self.spec, self.rng
        if s.style == "OC" and rng.random() < 0.5 and len(blocks) > 4:
            self.artifacts.add("page_headers")
            number = f"{s.app_number[:2]}/{s.app_number[2:5]},{s.app_number[5:]}"
            out, run, page = [], 0, 2
            for block in blocks:
                out.append(block)
                run += len(block[0])
                if run > 3500:
                    out.append(
                        (f"Application/Control Number: {number} Page {page}\nArt Unit: {s.art_unit}", None)
                    )
                    run, page = 0, page + 1
            blocks = out
        if rng.random() < 0.08 and len(blocks) > 3:
            self.artifacts.add("image_stub")
            for i in range(rng.randrange(1, 4)):
                w, h = rng.randrange(60, 700), rng.randrange(60, 700)
                stub = f"PNG media_image{i + 1}.png {w} {h} media_image{i + 1}.png Greyscale"
                blocks.insert(rng.randrange(1, len(blocks)), (stub, None))
        if rng.random() < 0.03 and len(blocks) > 3:
            self.artifacts.add("altcontent")
            blocks.insert(rng.randrange(1, len(blocks)), ("[AltContent: rect]", None))
        x000d = rng.random() < 0.1
        if x000d:
            self.artifacts.add("x000d")
        page = 2
        out = []
        for text, tag in blocks:
            if self.markers:
                text, page = self.splice_markers(text, page)
            if x000d:
                text = text.replace("\n", "_x000d_\n") + "_x000d_"
            out.append((text, tag))
        if self.markers:
            self.artifacts.add("page_markers")
        return out

    def splice_markers(self, text: str, page: int) -> tuple[str, int]:
        """Insert `number='N'` markers anywhere (inside words and numbers): stripping them restores the text."""
        rng = self.rng
        cuts = sorted(rng.randrange(0, len(text) + 1) for _ in range(int(len(text) / 3500 + rng.random())))
        pieces, last = [], 0
        for cut in cuts:
            pieces.append(text[last:cut])
            pieces.append(f"number='{page}'")
            page += 1
            last = cut
        pieces.append(text[last:])
        text = "".join(pieces)
        while _MARK in text:
            text = text.replace(_MARK, f"number='{page}'", 1)
            page += 1
        return text, page


def _claim_groups(total: int, rng: random.Random) -> list[list[int]]:
    """Claims 1..total as independent claims with their dependents, e.g. [[1..7], [8..14], [15..20]]."""
    if total < 6:
        return [list(range(1, total + 1))]
    k = 2 if total < 12 else rng.choice((2, 3, 3))
    size = total // k
    starts = [1] + [1 + i * size + rng.randrange(-1, 2) for i in range(1, k)]
    bounds = [*starts, total + 1]
    return [list(range(bounds[i], bounds[i + 1])) for i in range(k)]


def compose(spec: LetterSpec) -> Letter:
    """The letter of `spec` with its truth; deterministic in `spec`."""
    return _Composer(spec).compose()
