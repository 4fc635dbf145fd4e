"""The composer's core: letter state, the primitives that write a document number or a ground and record
its truth in the same step, the parts every letter shares, and the final assembly (filler, artifacts).

Every rejection sentence, every document number and every flag-deciding sentence is written through here,
so the truth cannot drift from the text. The bulk of a letter is filler from `pools` (claim analyses with
paragraph and column numbers, 101 steps, arguments), which by construction carries no number and no
ground. Truth conventions beyond docs/contracts.md are listed in the docstring of `oa_spark.synth`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from oa_spark.synth import forms
from oa_spark.synth.claims import claim_list
from oa_spark.synth.ids import NplDoc, PatentDoc, choose_shown_kind, shapes_for
from oa_spark.synth.pools import DomainPools, pools
from oa_spark.synth.vocab import DOMAINS, GIVEN_NAMES, SURNAMES

Doc = PatentDoc | NplDoc

BODY_CAP = 118_000
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
class Fill:
    """A place for filler paragraphs, sized once the structured part of the letter is known."""

    kind: str
    weight: float
    names: tuple[str, ...] = ()
    claims: tuple[int, ...] = ()


@dataclass
class Ground:
    """One ground as truth lists it: restatements (same statute, label, references) add their claims here."""

    label: str
    statute: str
    claims: set[int] = field(default_factory=set)
    refs: tuple[str, ...] = ()


def fmt_date(day: date) -> str:
    return day.strftime("%m/%d/%Y")


class Composer:
    """Writes one letter; subclasses add the parts of each kind of letter."""

    def __init__(self, spec: LetterSpec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.pool: DomainPools = pools(spec.domain)
        self.words = DOMAINS["software" if spec.domain == "design" else spec.domain]
        self.items: list[tuple[str, str | None] | Fill] = []
        self.grounds: dict[tuple[str, str, tuple[str, ...]], Ground] = {}
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

    def add(self, text: str, tag: str | None = None) -> None:
        self.items.append((text, tag))

    def fill(
        self, kind: str, weight: float, names: tuple[str, ...] = (), claims: tuple[int, ...] = ()
    ) -> None:
        self.items.append(Fill(kind, weight, names, claims))

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
        self.grounds.setdefault(key, Ground(label, statute, set(), tuple(ids))).claims.update(claims)

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
                    "The present application, filed on or after March 16, 2013, is being examined under the "
                    "first inventor to file provisions of the AIA ."
                )
            else:
                lines.append(
                    "The present application is being examined under the pre-AIA first to invent provisions."
                )
        self.add("\n".join(lines))

    def status(self, pending: list[int], canceled: list[int]) -> None:
        s, rng = self.spec, self.rng
        reply = fmt_date(s.mail_date.replace(day=1))
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
            filed = fmt_date(s.filing_date)
            text = f"This is the initial Office action based on the application filed on {filed}."
        text += (
            f" Claims {claim_list(pending, rng)} are pending in this application." if len(pending) > 1 else ""
        )
        self.add(text, "summaryText")
        if rng.random() < 0.4:
            self.add(forms.IDS.format(date=fmt_date(s.filing_date)))

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
                f"/{s.examiner.split()[0][0]}.{s.examiner.split()[-1][0]}./{gap}Examiner, Art Unit "
                f"{s.art_unit}"
            )
            self.add(f"/{s.supervisor}/\nSupervisory Patent Examiner, Art Unit {s.art_unit}")
        else:
            self.add(f"/{s.examiner}/\nPrimary Examiner, Art Unit {s.art_unit}")

    def expand(self) -> list[tuple[str, str | None]]:
        """Turn filler places into paragraphs so that the letter reaches its target length."""
        rand = self.rng.random
        fixed = sum(len(it[0]) + 1 for it in self.items if isinstance(it, tuple))
        fills = [it for it in self.items if isinstance(it, Fill)]
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

    def paragraph_source(self, fill: Fill) -> tuple[tuple[str, ...], ...]:
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
        """Insert `number='N'` markers anywhere, even inside words and numbers; stripping undoes it."""
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

    def finish(self) -> Letter:
        """Size the filler, add the artifacts, and hand over the text with its truth."""
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
