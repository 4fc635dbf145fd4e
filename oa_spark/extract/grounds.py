"""Grounds of rejection: "Claim(s) <list> is/are rejected under 35 U.S.C. <statute> as being ... over <refs>".

Only sentences around the word "rejected" are read (a cheap pre-filter). A sentence is a ground when its
subject holds a claim list, its verb is a present rejection (not "were rejected", "would be rejected", not a
withdrawal), and a statute or "double patenting" follows. Statute quotations, 112(f) notes, objections,
allowability and the art "made of record" never say "<claims> ... rejected under", so they never match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .claims import CLAIM_LIST, expand_claims
from .identifiers import Document
from .references import Aliases, Npl, Reference, read_references
from .statutes import parse_statutes

_REJECTED_RE = re.compile(r"rejected")  # run on the lower-cased letter
_SUBJECT_RE = re.compile(r"\b[Cc]laims?\s?(?:\(s\)\s?)?(?P<list>\[[^\]\n]{0,12}\]|" + CLAIM_LIST + ")")
# Words allowed between a claim list and "rejected" for that list to be the subject of the verb.
_VERB_CHAIN_RE = re.compile(
    r"(?:[\s,]|\b(?:is/are|is|are|stand|stands|remain|remains|also|hereby|each|both|all|now|further|again"
    r"|accordingly|therefore|thus|likewise|similarly|provisionally|as\samended|being|newly)\b)*"
)
_PREPOSITION_BEFORE_RE = re.compile(r"\b(?:from|on|upon|of|to|in|with|than|like)\s$")
# A past, conditional or negated rejection is not a ground of this action.
_NOT_PRESENT_RE = re.compile(
    r"\b(?:was|were|had|been|previously|formerly|no\slonger|not|would|could|will|may|might|should|if|once)\b"
)
_WITHDRAWN_RE = re.compile(r"\b(?:is|are|be|been|was|were|hereby|now)\s(?:hereby\s)?withdrawn\b")
_UNDER_RE = re.compile(r"\bunder\s(?=(?:(?:pre-?AIA|AIA)\s)?(?:35\b|§|[Ss]ec))")
_ALTERNATIVE_RE = re.compile(
    r",?\s?or,?\s?(?:in\sthe\s)?alternative(?:ly)?,?\s?(?:as\s[a-z ]{0,40}?)?(?:under|as\sbeing\sunder)\s"
)
_DOUBLE_PATENTING_RE = re.compile(r"(?i)double[\s-]patenting|claiming\sthe\ssame\sinvention")
_REFERENCE_START_RE = re.compile(r"\b(?:over|by|in\sview\sof)\b(?!,?\s?or\b)")
_PRIOR_ART = ("102", "103", "dp")

MAX_REJECTED_SENTENCES = 1000
_BACK_LIMIT = 400
_FORWARD_LIMIT = 2500
_DP_WINDOW = 200
_ABBREVIATION_WORDS = """al no nos pat pub publ appl app ser fig figs inc corp co ltd jr sr dr mr mrs ms
    vs cf vol col cols pp sec para paras ch eq ref refs jan feb mar apr jun jul aug sep sept oct nov dec
    approx esp art"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_BACK_BOUNDARY_RE = re.compile(r"\.\s+(?=[\"(\[]?[A-Z0-9])|\n")
_FORWARD_TOKEN_RE = re.compile(r"[()\[\]\n]|\.(?=\s|$)")
_DOCUMENT_AFTER_AL_RE = re.compile(r"\s(?:U\.?\s?S|[A-Z]{2}[\s-]?\d|Pat|Pub|No|Patent|Publication|Appl)")
_CONNECTOR_BEFORE_NEWLINE_RE = re.compile(r"(?:,|\b(?:of|and|or|in|over|by|with|to|the))\s*$")


@dataclass
class RawGround:
    """A ground as read from one sentence, before "as applied" references and merging."""

    statute: str
    label: str
    claims: list[int]
    references: list[Reference]


@dataclass
class GroundScan:
    """Every ground of a letter plus what the quality flags need."""

    grounds: list[RawGround] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    bare: list[Document] = field(default_factory=list)
    applied_missing: bool = False
    truncated: bool = False


def _is_abbreviation(text: str, period: int) -> bool:
    """True when the period at `period` closes an abbreviation (et al., No., U.S.C., an initial)."""
    if period and text[period - 1] == ".":
        return False  # "et al.." : the second period ends the sentence
    start = period
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:period]
    if not word:
        return False
    return "." in word or len(word) == 1 or word.lower() in _ABBREVIATIONS


def sentence_start(text: str, position: int, floor: int = 0) -> int:
    """Start of the sentence holding `position` (not before `floor`): after the last period followed by a
    space and a capital, or the last newline."""
    window_start = max(floor, position - _BACK_LIMIT)
    boundaries = list(_BACK_BOUNDARY_RE.finditer(text, window_start, position))
    for boundary in reversed(boundaries):
        if boundary.group(0) == "\n" or not _is_abbreviation(text, boundary.start()):
            return boundary.end()
    return window_start


def sentence_end(text: str, position: int, limit: int | None = None) -> int:
    """End of the sentence holding `position` (at most `limit`), ignoring periods inside parentheses and
    after abbreviations."""
    stop = min(len(text), position + _FORWARD_LIMIT, limit if limit is not None else len(text))
    depth = 0
    opened_at = 0
    for token in _FORWARD_TOKEN_RE.finditer(text, position, stop):
        char = token.group(0)
        at = token.start()
        if depth and at - opened_at > 300:
            depth = 0
        if char in "([":
            if depth == 0:
                opened_at = at
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth:
            continue
        elif char == "\n":
            following = text[at + 1 : at + 2]
            continues = following and (following.islower() or following in "([")
            if not continues and not _CONNECTOR_BEFORE_NEWLINE_RE.search(text, max(position, at - 8), at):
                return at
        else:
            following = text[at + 1 : at + 3].lstrip()
            if following and not (following[0].isupper() or following[0].isdigit() or following[0] in '"(['):
                continue
            if _is_abbreviation(text, at):
                word_end = text[max(0, at - 2) : at]
                if (
                    word_end != "al"
                    or _DOCUMENT_AFTER_AL_RE.match(text, at + 1)
                    or text[at + 1 : at + 3] == " ("
                ):
                    continue
            return at + 1
    return stop


def _claim_lists(text: str, start: int, verb: int) -> list[re.Match[str]]:
    """Claim lists before `verb` that can be a subject: not the object of a preposition ("depends from
    claim 10", "dependent on claim 8")."""
    return [
        m
        for m in _SUBJECT_RE.finditer(text, start, verb)
        if not _PREPOSITION_BEFORE_RE.search(text, start, m.start())
    ]


def _subject(text: str, start: int, verb: int) -> re.Match[str] | None:
    """The claim list that is the subject of "rejected" at `verb` (see _VERB_CHAIN_RE), else the first."""
    lists = _claim_lists(text, start, verb)
    if not lists:
        return None
    for candidate in reversed(lists):
        if _VERB_CHAIN_RE.fullmatch(text, candidate.end(), verb):
            return candidate
    return lists[0]


def scan_grounds(text: str, low: str, documents: list[Document], aliases: Aliases) -> GroundScan:
    """Read every ground of rejection of a cleaned letter (`low`: the same in lower case), in order."""
    scan = GroundScan()
    starts = [d.start for d in documents]
    verbs: list[tuple[int, int]] = []
    for verb in _REJECTED_RE.finditer(low):
        if len(verbs) == MAX_REJECTED_SENTENCES:
            scan.truncated = True  # no real letter comes near; a hostile one must not take seconds
            break
        verbs.append(verb.span())
    floor = 0
    for index, (verb_start, verb_end) in enumerate(verbs):
        # A claim list before the previous "rejected" is that verb's subject, never this one's.
        previous_end = verbs[index - 1][1] if index else 0
        start = sentence_start(text, verb_start, max(floor, previous_end))
        floor = 0
        subject = _subject(text, start, verb_start)
        if subject is None:
            continue
        if subject.group("list").startswith("["):
            continue  # an unfilled form paragraph: "Claim [ 1 ] is/are rejected ..."
        if _NOT_PRESENT_RE.search(text, subject.end(), verb_start):
            continue
        next_verb = verbs[index + 1][0] if index + 1 < len(verbs) else None
        end = sentence_end(text, verb_end, next_verb)
        if next_verb is not None and end == next_verb:
            # "Claims 1-3 are rejected under ..., and claims 4-5 are rejected under ...": two grounds.
            following = _chained_subject(text, verb_end, next_verb)
            if following is not None:
                end = floor = following
        if _WITHDRAWN_RE.search(text, start, end):
            continue
        claims = expand_claims(subject.group("list"))
        _read_ground(text, verb_end, end, claims, documents, starts, aliases, scan)
    return scan


def _chained_subject(text: str, start: int, verb: int) -> int | None:
    """Start of a claim list that is the subject of the `verb` (no fallback to other lists), or None."""
    for candidate in reversed(_claim_lists(text, start, verb)):
        if _VERB_CHAIN_RE.fullmatch(text, candidate.end(), verb):
            return candidate.start()
    return None


def _read_ground(
    text: str,
    after_verb: int,
    end: int,
    claims: list[int],
    documents: list[Document],
    starts: list[int],
    aliases: Aliases,
    scan: GroundScan,
) -> None:
    """Read statutes and references after "rejected"; append the grounds found to `scan`."""
    if _DOUBLE_PATENTING_RE.search(text, after_verb, min(end, after_verb + _DP_WINDOW)):
        statutes = [("dp", "dp")]
    else:
        under = _UNDER_RE.search(text, after_verb, end)
        if under is None:
            return
        statutes, statute_end = parse_statutes(text, under.end())
        alternative = _ALTERNATIVE_RE.search(text, statute_end, end)
        if alternative is not None:
            more, _ = parse_statutes(text, alternative.end())
            statutes += [pair for pair in more if pair not in statutes]
    prior_art = [statute for statute, _ in statutes if statute in _PRIOR_ART]
    references: list[Reference] = []
    if prior_art:
        references = _ground_references(text, after_verb, end, prior_art[0], documents, starts, aliases, scan)
    for statute, label in statutes:
        cited = references if statute in _PRIOR_ART else []
        scan.grounds.append(RawGround(statute, label, claims, list(cited)))


def _ground_references(
    text: str,
    start: int,
    end: int,
    statute: str,
    documents: list[Document],
    starts: list[int],
    aliases: Aliases,
    scan: GroundScan,
) -> list[Reference]:
    """References of a ground: every "over"/"by" list of the sentence, "as applied" grounds included."""
    references: list[Reference] = []
    alternative = _ALTERNATIVE_RE.search(text, start, end)
    if alternative is not None:
        zones = [(start, alternative.start()), (alternative.end(), end)]
    else:
        zones = [(start, end)]
    for zone_start, zone_end in zones:
        keyword = _REFERENCE_START_RE.search(text, zone_start, zone_end)
        if keyword is None and statute != "dp":
            continue  # "anticipated by or, in the alternative, ...": this part names nothing
        read_from = keyword.end() if keyword is not None else zone_start
        found = read_references(text, read_from, zone_end, documents, starts, aliases)
        _add_all(references, found.before)
        if found.applied_claims is not None:
            _add_all(references, _applied_references(scan, found.applied_claims, statute))
        _add_all(references, found.after)
        scan.unresolved.extend(found.unresolved)
        scan.bare.extend(found.bare)
    return references


def _applied_references(scan: GroundScan, claims: list[int], statute: str) -> list[Reference]:
    """References of the latest earlier ground covering any of `claims`, under the same statute first,
    then under any prior-art statute (a 103 "as applied to claim 1" often builds on a 102 ground)."""
    wanted = set(claims)
    for allowed in ((statute,), _PRIOR_ART):
        for ground in reversed(scan.grounds):
            if ground.statute in allowed and wanted.intersection(ground.claims):
                return ground.references
    scan.applied_missing = True
    return []


def _add_all(target: list[Reference], more: list[Reference]) -> None:
    for reference in more:
        if reference not in target:
            target.append(reference)


@dataclass
class Ground:
    """One merged ground of rejection."""

    ground: int
    statute: str
    label: str
    claims: list[int]
    references: list[Reference]


def merge_grounds(raw: list[RawGround]) -> list[Ground]:
    """Merge restated grounds (same statute, label and references) into the first; number from 1."""
    merged: dict[tuple[str, str, frozenset[Reference]], Ground] = {}
    for item in raw:
        key = (item.statute, item.label, frozenset(item.references))
        existing = merged.get(key)
        if existing is None:
            merged[key] = Ground(
                len(merged) + 1, item.statute, item.label, list(item.claims), item.references
            )
        else:
            existing.claims = sorted(set(existing.claims).union(item.claims))
    return list(merged.values())


def reference_ids(references: list[Reference]) -> list[str]:
    """The canonical ids among references (non-patent literature has none)."""
    return [r for r in references if isinstance(r, str)]


def npl_references(references: list[Reference]) -> list[Npl]:
    """The non-patent-literature references, in order."""
    return [r for r in references if isinstance(r, Npl)]
