"""Claim lists: "1-3, 5 and 7-9", "1 to 5", "Claim 1 and 7 to 10" → sorted unique ints.

Ranges use `-` (the cleaner has already turned en and em dashes into it), `to`, `through` or `thru`.
"""

from __future__ import annotations

import re

# A range wider than this is a parse accident (a year, a page), not a claim set: keep its ends only.
MAX_RANGE = 1000

_NUMBER = r"\d{1,4}(?!\d)"
_ITEM = rf"{_NUMBER}(?:\s*(?:-|to\b|through\b|thru\b)\s*{_NUMBER})?"
_SEPARATOR = r"\s*(?:,\s*and\b|,|;|&|\band\b)\s*(?:(?:dependent|independent)\s+)?(?:claims?\s*)?"
# One claim list. Items and separators cannot overlap, so matching is linear even on hostile input.
CLAIM_LIST = rf"{_ITEM}(?:{_SEPARATOR}{_ITEM})*"

_ITEM_RE = re.compile(rf"({_NUMBER})(?:\s*(?:-|to\b|through\b|thru\b)\s*({_NUMBER}))?")


def expand_claims(text: str) -> list[int]:
    """Expand every item of a claim list into sorted, unique claim numbers (0 is never a claim)."""
    claims: set[int] = set()
    for item in _ITEM_RE.finditer(text):
        low = int(item.group(1))
        high = int(item.group(2)) if item.group(2) else low
        if low <= high <= low + MAX_RANGE:
            claims.update(range(low, high + 1))
        else:
            claims.update((low, high))
    claims.discard(0)
    return sorted(claims)
