"""`extract(body_text)`: grounds of rejection, cited documents and the per-action summary of one letter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import summary as flags
from .grounds import Ground, merge_grounds, npl_references, reference_ids, scan_grounds
from .identifiers import MAX_MENTIONS, NPL, Document, find_documents
from .npl import NplMention, find_npl, npl_key
from .references import Npl, build_aliases
from .statutes import STATUTES
from .text import clean_text, lower_same_length


@dataclass
class Extraction:
    """What one letter yields; plain dicts so that Spark rows and JSON lines are one step away.

    rejections: {ground, statute, label, claims, references, npl}
    citations:  {raw, id, key, kind, country, relied_upon, statutes}
    summary:    {rejection_101 .. rejection_dp, objection, allowable_subject_matter, is_final, cite103_max,
                 quality}
    """

    rejections: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def _preferred_ids(documents: list[Document]) -> dict[str, str]:
    """Kind-less id → the first id of the same document that carries a kind: a letter that writes
    "US 9,280,610 B2" once and "US 9,280,610" later cites one document, not two."""
    with_kind: dict[str, str] = {}
    for document in documents:
        if document.id != document.key:
            with_kind.setdefault(document.key, document.id)
    return with_kind


# Document codes of examiner's actions (docs/data-format.md §5); others (petition decisions, interview
# summaries) are letters without an action sentence by nature, so they are never flagged for lacking one.
ACTION_CODES = frozenset({"CTNF", "CTFR", "CTEQ", "CTRS", "CTAV", "CTMS", "NOA", "NRES"})


def extract(body_text: str | None, document_code: str | None = None) -> Extraction:
    """Extract one office action's grounds, citations and summary from its body text (pure, no I/O).

    `document_code`, when known, only decides whether a letter without any action sentence is flagged.
    """
    text = clean_text(body_text or "")
    if not text:
        return Extraction(summary=_summary(text, [], [flags.EMPTY_TEXT], False))
    low = lower_same_length(text)
    documents = find_documents(text)
    preferred = _preferred_ids(documents)
    aliases = build_aliases(text, documents, preferred)
    literature = find_npl(text)
    for mention in literature:
        aliases.add(mention.name, Npl(mention.raw))
    scan = scan_grounds(text, low, documents, aliases)
    grounds = merge_grounds(scan.grounds)
    citations = _citations(documents + scan.bare, grounds, preferred) + _npl_citations(literature, grounds)
    quality: list[str] = []
    if scan.unresolved:
        quality.append(flags.REFERENCE_NAME_UNRESOLVED)
    if scan.truncated:
        quality.append(flags.TOO_MANY_REJECTIONS)
    if len(documents) >= MAX_MENTIONS:
        quality.append(flags.TOO_MANY_CITATIONS)
    if scan.applied_missing:
        quality.append(flags.APPLIED_GROUND_NOT_FOUND)
    if any(g.statute in ("102", "103") and not g.references for g in grounds):
        quality.append(flags.GROUND_WITHOUT_REFERENCES)
    if flags.has_unfilled_brackets(low):
        quality.append(flags.FORM_BRACKETS_UNFILLED)
    rejections = [
        {
            "ground": g.ground,
            "statute": g.statute,
            "label": g.label,
            "claims": g.claims,
            "references": reference_ids(g.references),
            "npl": [n.raw for n in npl_references(g.references)],
        }
        for g in grounds
    ]
    acts = document_code is None or document_code.strip().upper() in ACTION_CODES
    return Extraction(rejections, citations, _summary(low, grounds, quality, acts and not _is_petition(low)))


def _citations(
    documents: list[Document], grounds: list[Ground], preferred: dict[str, str]
) -> list[dict[str, Any]]:
    """One citation per numbered document, in order of first mention; relied upon when a ground uses it.
    Its raw text is that of the first mention written with the id's kind code, if any."""
    statutes_of: dict[str | Npl, set[str]] = {}
    for ground in grounds:
        for reference in ground.references:
            statutes_of.setdefault(reference, set()).add(ground.statute)
    citations: dict[str, dict[str, Any]] = {}
    raw_has_kind: dict[str, bool] = {}
    for document in documents:
        doc_id = preferred.get(document.id, document.id)
        row = citations.get(doc_id)
        if row is None:
            used = statutes_of.get(doc_id, set())
            citations[doc_id] = {
                "raw": document.raw.strip(),
                "id": doc_id,
                "key": document.key,
                "kind": document.kind,
                "country": document.country,
                "relied_upon": bool(used),
                "statutes": [s for s in STATUTES if s in used],
            }
            raw_has_kind[doc_id] = document.id == doc_id
        elif document.id == doc_id and not raw_has_kind[doc_id]:
            row["raw"] = document.raw.strip()
            raw_has_kind[doc_id] = True
    return list(citations.values())


def _npl_citations(literature: list[NplMention], grounds: list[Ground]) -> list[dict[str, Any]]:
    """Non-patent literature, one per title: every mention found in the text, and every NPL reference of a
    ground (relied upon, with the statutes of its grounds)."""
    by_key: dict[str, dict[str, Any]] = {}
    for mention in literature:
        by_key.setdefault(mention.key, _npl_row(mention.raw))
    for ground in grounds:
        for npl in npl_references(ground.references):
            row = by_key.setdefault(npl_key(npl.raw), _npl_row(npl.raw))
            row["relied_upon"] = True
            row["statutes"] = [s for s in STATUTES if s in row["statutes"] or s == ground.statute]
    return list(by_key.values())


def _npl_row(raw: str) -> dict[str, Any]:
    return {
        "raw": raw,
        "id": None,
        "key": None,
        "kind": NPL,
        "country": None,
        "relied_upon": False,
        "statutes": [],
    }


def _is_petition(low: str) -> bool:
    """A petition decision is not an examiner's action, whatever its document code."""
    return "decision on petition" in low[:400] or "decision on the petition" in low[:400]


def _summary(low: str, grounds: list[Ground], quality: list[str], is_action: bool) -> dict[str, Any]:
    """The action_summary columns that come from the text (schemas.ACTION_SUMMARY without the table keys);
    `low` is the cleaned letter in lower case."""
    statutes = {g.statute for g in grounds}
    objection = flags.has_objection(low)
    allowable = flags.has_allowable_subject_matter(low)
    # An unfilled form paragraph is an action sentence too, already flagged as such.
    acted = grounds or objection or allowable or flags.FORM_BRACKETS_UNFILLED in quality
    if is_action and not (acted or flags.has_restriction(low)):
        quality.append(flags.NO_ACTION_SENTENCE)
    cite103 = [len(g.references) for g in grounds if g.statute == "103"]
    return {
        "rejection_101": "101" in statutes,
        "rejection_102": "102" in statutes,
        "rejection_103": "103" in statutes,
        "rejection_112": "112" in statutes,
        "rejection_dp": "dp" in statutes,
        "objection": objection,
        "allowable_subject_matter": allowable,
        "is_final": flags.is_final(low),
        "cite103_max": max(cite103, default=0),
        "quality": sorted(set(quality)),
    }
