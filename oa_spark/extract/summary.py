"""Per-action facts beyond the grounds: objection, allowability, finality, and parse-quality flags.

The flags follow the spirit of the Office Action Research Dataset's quality columns: they say where the
extraction is likely incomplete, so a user can filter or audit those actions.
"""

from __future__ import annotations

import re

from .claims import CLAIM_LIST

NO_ACTION_SENTENCE = "no_action_sentence"
FORM_BRACKETS_UNFILLED = "form_brackets_unfilled"
GROUND_WITHOUT_REFERENCES = "ground_without_references"
REFERENCE_NAME_UNRESOLVED = "reference_name_unresolved"
APPLIED_GROUND_NOT_FOUND = "applied_ground_not_found"
EMPTY_TEXT = "empty_text"
TOO_MANY_REJECTIONS = "too_many_rejections"
TOO_MANY_CITATIONS = "too_many_citations"
QUALITY_FLAGS = (
    NO_ACTION_SENTENCE,
    FORM_BRACKETS_UNFILLED,
    GROUND_WITHOUT_REFERENCES,
    REFERENCE_NAME_UNRESOLVED,
    APPLIED_GROUND_NOT_FOUND,
    EMPTY_TEXT,
    TOO_MANY_REJECTIONS,
    TOO_MANY_CITATIONS,
)

# Every pattern below runs on the lower-cased letter and starts with a literal, so that the regex engine
# can skip ahead at memory speed instead of trying each position.
_FINAL_RE = re.compile(r"this action is (?:hereby )?made final\b")
_OBJECTED_RE = re.compile(r"objected to\b")
# The blank summary-form lines "Claim(s) ___ is/are objected to." and "[ 1 ]" placeholders.
_BLANK_BEFORE_RE = re.compile(r"(?:_{2,}|\[\s?\d{0,2}\s?\])\s?(?:is/are|is|are)?\s?$")
_ALLOW_RE = re.compile(r"allow(?:ed|able|ance)\b")
_ALLOWED_CLAIMS_BEFORE_RE = re.compile(
    r"\bclaims?\s?(?:\(s\)\s?)?" + CLAIM_LIST + r"\s?(?:is/are|is|are|stands?|remains?)\s(?:now\s|also\s)?$"
)
_ALLOWABLE_BEFORE_RE = re.compile(r"would be $|(?:reasons?|statement) for (?:the indication of )?$")
_NEGATED_BEFORE_RE = re.compile(r"\b(?:no|not|nor)\s(?:\S+\s){0,2}$")
_RESTRICTION_RES = (
    re.compile(r"restriction (?:to one of the following inventions )?is (?:hereby )?required"),
    re.compile(r"requirement for (?:restriction|election)"),
    re.compile(r"election of (?:a single )?species"),
)
_FORM_BRACKET_RE = re.compile(r"\[\s?\d{1,2}\s?\]")
_BEFORE_BRACKET_RE = re.compile(
    r"(?:\bclaims?(?:\(s\))?|u\.s\.c\.|\bover|\bby|\bas being|\bunder|\bin view of)\s?$"
)


def has_objection(low: str) -> bool:
    """An objection to claims, drawings, specification, ... (not the blank summary-form line)."""
    for match in _OBJECTED_RE.finditer(low):
        if not _BLANK_BEFORE_RE.search(low, max(0, match.start() - 24), match.start()):
            return True
    return False


def has_allowable_subject_matter(low: str) -> bool:
    """Allowed or allowable claims: "would be allowable if rewritten", "Claims 1-5 are allowed", "allowable
    subject matter", "reasons for allowance" (not "no claim is allowable")."""
    for match in _ALLOW_RE.finditer(low):
        start = match.start()
        before = max(0, start - 80)
        if _NEGATED_BEFORE_RE.search(low, max(0, start - 16), start):
            continue
        word = match.group(0)
        if word == "allowable" and (
            low.startswith(" subject matter", match.end()) or _ALLOWABLE_BEFORE_RE.search(low, before, start)
        ):
            return True
        if word == "allowance" and _ALLOWABLE_BEFORE_RE.search(low, before, start):
            return True
        if word in ("allowed", "allowable") and _ALLOWED_CLAIMS_BEFORE_RE.search(low, before, start):
            return True
    return False


def is_final(low: str) -> bool:
    """A final action says "THIS ACTION IS MADE FINAL"."""
    return _FINAL_RE.search(low) is not None


def has_restriction(low: str) -> bool:
    """A restriction or election requirement: an action sentence although it rejects nothing."""
    return any(pattern.search(low) for pattern in _RESTRICTION_RES)


def has_unfilled_brackets(low: str) -> bool:
    """A form paragraph left with its placeholders: "Claim [ 1 ] is/are rejected ... over [ 4 ]"."""
    for match in _FORM_BRACKET_RE.finditer(low):
        if _BEFORE_BRACKET_RE.search(low, max(0, match.start() - 16), match.start()):
            return True
    return False
