"""The references of a rejection ground: "over A in view of B, further in view of C".

A letter names a reference in full once ("Beall et al. (2009/0220736 A1), herein Beall") and by its short
name afterwards, so an alias table is built from every numbered mention first, and the reference list of
each ground is then read segment by segment (split at "in view of", "and", commas, ... outside parentheses).
A segment gives the documents it numbers; else the document its name stands for; else, when it carries a
parenthetical or a quoted title with no patent number, a non-patent-literature reference; else the name is
reported unresolved. "as evidenced by" documents are references of the ground: the rejection relies on them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .claims import CLAIM_LIST, expand_claims
from .identifiers import Document, find_bare_patents

# Words that start a capitalized run but are not inventor or company names.
_NOT_NAME_WORDS = """the a an in of and or see also regarding further view patent patents publication pub pat
    no nos number us u s application appl app examiner applicant applicants claim claims reference references
    figure fig figs col column page pages paragraph para abstract art prior japanese european chinese
    korean german french british international wipo pct official notice admitted aapa it this that these
    those here herein hereinafter as to by with over under note accordingly therefore thus however
    specification drawings document documents primary secondary teaching teachings combination modified
    evidenced"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
# Segments that are legitimately not documents: no citation, no "unresolved" flag.
_SILENT = re.compile(r"(?i)\bofficial notice\b|\badmitted prior art\b|\bAAPA\b|\bknown in the art\b")

_PARTICLE = r"(?:de|van|von|der|den|del|da|di|du|le|la)"
# A capitalized word, accented letters included ("Grünewald", "Müller").
_WORD = r"[A-ZÀ-ÖØ-Ý](?:[^\W\d_]|['-])+"
_NAME = rf"\b(?P<name>{_WORD}(?:[ ](?:{_WORD}|{_PARTICLE}))*)"
# A name just before a number: "Beall et al. (", "Smith, ", "Itagaki; Takeshi ".
_NAME_BEFORE = re.compile(_NAME + rf"(?:;\s?{_WORD}(?:\s[A-Z]\.)?)?(?:,?\s+et\.?\s?al\.?)?\s?,?\s?[(\[]?\s?$")
# A name just after a number: "), herein Beall", "(hereinafter "Smith")", "No. 5,123,456 to Smith".
_NAME_AFTER = re.compile(
    r"\s?\)?\s?,?\s?\(?\s?(?:herein(?:after)?|hereafter|referred\s+to\s+as|to|issued\s+to)\s+"
    r"(?:referred\s+to\s+as\s+|as\s+)?[\"']?" + _NAME
)
_SEGMENT_NAME = re.compile(_NAME)
_SHORTHAND = re.compile(r"'(\d{3})\b")
_HEREIN = re.compile(r"(?i)^\s*(?:herein|hereinafter|hereafter|referred to as)\b")

# Tokens of a reference list; connectors and stops only count outside parentheses.
_ZONE_TOKEN = re.compile(
    r"(?P<open>[(\[])|(?P<close>[)\]])"
    r"|(?P<applied>,?\s?as\s(?:applied|set\sforth|discussed)\s(?:to|in|for|with\srespect\sto)\s"
    r"(?:independent\s|parent\s)?claims?\s?(?P<applied_list>" + CLAIM_LIST + r")(?:\s(?:above|supra))?)"
    r"|(?P<stop>\b(?:because|since|for\s(?:the\s)?reasons?|for\sat\sleast|as\s(?:set\sforth|follows|explained"
    r"|discussed|shown|noted|described|detailed)|wherein|whereby|which|in\sthat|see|regarding|Although"
    r"|This\sis|when)\b)"
    r"|(?P<conn>,?\s?(?:and\s)?(?:further\s)?(?:in\sview\sof|in\scombination\swith|combined\swith"
    r"|taken\s(?:together\s)?with|(?:as\s)?modified\sby|(?:as\s)?evidenced\sby|and\sfurther)\b"
    r"|,\s?(?:and|or)\b|\b(?:and|or)\b|&|(?<!\d),|,(?!\d)|;)"
)
_OPEN_SPAN_LIMIT = 300  # an unclosed parenthesis stops counting after this many characters


@dataclass(frozen=True, slots=True)
class Npl:
    """A non-patent-literature reference: only its text is known."""

    raw: str


Reference = str | Npl  # a canonical document id, or a non-patent reference


@dataclass
class ReferenceList:
    """What one ground's reference text yielded, in order of mention.

    `before` and `after` are split at "as applied to claim N above" (`applied_claims`), whose references
    come from the earlier ground that covered claim N.
    """

    before: list[Reference] = field(default_factory=list)
    after: list[Reference] = field(default_factory=list)
    applied_claims: list[int] | None = None
    unresolved: list[str] = field(default_factory=list)
    bare: list[Document] = field(default_factory=list)


class Aliases:
    """Short names → references, first citation wins; also resolves "Smith '633" by the number's tail."""

    def __init__(self, resolve_id: dict[str, str]) -> None:
        self._by_name: dict[str, Reference] = {}
        self._resolve_id = resolve_id
        self._tails: dict[str, list[tuple[str, str]]] = {}

    def add(self, name: str, reference: Reference) -> None:
        """Register `name` (its full form and its first word) unless already taken."""
        words = [w for w in name.split() if w.lower() not in _NOT_NAMES]
        if not words:
            return
        full = " ".join(words).lower()
        for key in (full, words[0].lower()):
            self._by_name.setdefault(key, reference)
        if isinstance(reference, str):
            digits = "".join(ch for ch in reference.split("-")[1] if ch.isdigit()) if "-" in reference else ""
            if len(digits) >= 3:
                self._tails.setdefault(digits[-3:], []).append((full, reference))

    def lookup(self, name: str) -> Reference | None:
        """The reference a short name stands for, or None."""
        words = [w for w in name.split() if w.lower() not in _NOT_NAMES]
        if not words:
            return None
        found = self._by_name.get(" ".join(words).lower()) or self._by_name.get(words[0].lower())
        if isinstance(found, str):
            return self._resolve_id.get(found, found)
        return found

    def lookup_tail(self, tail: str, name: str | None) -> str | None:
        """Resolve "Smith '633": the document whose number ends in 633, preferably one cited as Smith."""
        candidates = self._tails.get(tail, [])
        if not candidates:
            return None
        if name:
            wanted = name.lower()
            for full, reference in candidates:
                if full.startswith(wanted) or wanted.startswith(full):
                    return self._resolve_id.get(reference, reference)
        return self._resolve_id.get(candidates[0][1], candidates[0][1])

    def lookup_id(self, doc_id: str) -> str:
        """The id a document is cited under in this letter (a kind-less mention takes its kind)."""
        return self._resolve_id.get(doc_id, doc_id)

    def is_name(self, name: str) -> bool:
        """True when `name` has a word that can be a reference's name."""
        return any(w.lower() not in _NOT_NAMES for w in name.split())


def build_aliases(text: str, documents: list[Document], resolve_id: dict[str, str]) -> Aliases:
    """Aliases from the names written next to numbered mentions, anywhere in the letter."""
    aliases = Aliases(resolve_id)
    for document in documents:
        before = _NAME_BEFORE.search(text, max(0, document.start - 80), document.start)
        if before is not None:
            aliases.add(before.group("name"), document.id)
        after = _NAME_AFTER.match(text, document.end)
        if after is not None:
            aliases.add(after.group("name"), document.id)
    return aliases


def _segments(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None, list[int] | None]:
    """Split a reference list into segments; also where "as applied to claim N" sits and its claims."""
    segments: list[tuple[int, int]] = []
    applied_index: int | None = None
    applied_claims: list[int] | None = None
    depth = 0
    opened_at = 0
    segment_start = start
    for token in _ZONE_TOKEN.finditer(text, start, end):
        if depth and token.start() - opened_at > _OPEN_SPAN_LIMIT:
            depth = 0
        kind = token.lastgroup
        if kind == "open":
            if depth == 0:
                opened_at = token.start()
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif depth:
            continue
        elif kind == "stop":
            end = token.start()
            break
        else:
            segments.append((segment_start, token.start()))
            segment_start = token.end()
            if token.group("applied"):
                applied_index = len(segments)
                applied_claims = expand_claims(token.group("applied_list"))
    segments.append((segment_start, end))
    return [(s, e) for s, e in segments if e > s], applied_index, applied_claims


def read_references(
    text: str,
    start: int,
    end: int,
    documents: list[Document],
    starts: list[int],
    aliases: Aliases,
) -> ReferenceList:
    """Read the references named between `start` and `end` (documents: the letter's numbered mentions,
    sorted by `starts`)."""
    result = ReferenceList()
    segments, applied_index, applied_claims = _segments(text, start, end)
    result.applied_claims = applied_claims
    for number, (seg_start, seg_end) in enumerate(segments):
        target = result.after if applied_index is not None and number >= applied_index else result.before
        for reference in _segment_references(text, seg_start, seg_end, documents, starts, aliases, result):
            if reference not in result.before and reference not in result.after:
                target.append(reference)
    return result


def _segment_references(
    text: str,
    start: int,
    end: int,
    documents: list[Document],
    starts: list[int],
    aliases: Aliases,
    result: ReferenceList,
) -> list[Reference]:
    """The references of one segment of a reference list (see the module docstring for the order)."""
    numbered: list[Reference] = []
    for index in range(bisect.bisect_left(starts, start), len(documents)):
        if documents[index].start >= end:
            break
        numbered.append(aliases.lookup_id(documents[index].id))
    if numbered:
        return numbered
    bare = find_bare_patents(text, start, end)
    if bare:
        result.bare.extend(bare)
        return [d.id for d in bare]
    segment = text[start:end].strip(" ,;.:")
    if not segment or _HEREIN.match(segment) or _SILENT.search(segment):
        return []
    name = next(
        (m.group("name") for m in _SEGMENT_NAME.finditer(segment) if aliases.is_name(m.group("name"))), None
    )
    tail = _SHORTHAND.search(segment)
    if tail is not None:
        by_tail = aliases.lookup_tail(tail.group(1), name)
        if by_tail is not None:
            return [by_tail]
    if name:
        by_name = aliases.lookup(name)
        if by_name is not None:
            return [by_name]
    if name is None:
        return []
    if "(" in segment or '"' in segment:
        npl = Npl(segment)
        aliases.add(name, npl)
        return [npl]
    result.unresolved.append(name)
    return []
