"""Statute expressions after "rejected under" → (statute, label) pairs, per docs/contracts.md.

Accepted spellings: `35 U.S.C. 103`, `35 USC § 103(a)`, `§§ 102(b)`, `pre-AIA 35 U.S.C. 102(e)`,
`35 U.S.C. 112 (pre-AIA), second paragraph`, `112, 2nd paragraph`, `112 ¶ 2`, lists joined by `and`, `or`,
`/`, `&` or commas. Equivalent pairs (`112(b) or 35 U.S.C. 112 (pre-AIA), second paragraph`) give one label.
"""

from __future__ import annotations

import re

STATUTES = ("101", "102", "103", "112", "dp")

_PREFIX = r"(?:(?:pre-?AIA|AIA)\s+)?(?:35\s*U\.?\s?S\.?\s?C\.?\s*|35\s+)?(?:§§?\s*|[Ss]ec(?:tion|\.)\s*)?"
_ITEM = (
    r"(?P<num>101|102|103|112)(?!\d)"
    r"(?:\s?\(\s?(?P<sub>[a-g])\s?\))?"
    r"(?:\s?\(\s?(?P<subsub>[1-2])\s?\))?"
    r"(?:\s?\(\s?(?:pre-?AIA|AIA)\s?\))?"
    r"(?:\s?,?\s?(?:(?P<para>first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|6th)\s+paragraph"
    r"|(?:¶|paragraph)\s?(?P<paranum>[1-6])(?!\d)))?"
)
_ITEM_RE = re.compile(_PREFIX + _ITEM)
_SEPARATOR_RE = re.compile(r"\s?(?:,\s?(?:and|or)\b|\band\b|\bor\b|/|&|,)\s?")

_PARAGRAPH_LETTER = {
    "first": "a",
    "1st": "a",
    "1": "a",
    "second": "b",
    "2nd": "b",
    "2": "b",
    "third": "c",
    "3rd": "c",
    "3": "c",
    "fourth": "d",
    "4th": "d",
    "4": "d",
    "fifth": "e",
    "5th": "e",
    "5": "e",
    "sixth": "f",
    "6th": "f",
    "6": "f",
}


def label_for(number: str, sub: str | None, subsub: str | None, paragraph: str | None) -> str | None:
    """The contracts.md label of one statute mention, or None when it is never a ground (112(f))."""
    if number == "101":
        return "101"
    if number == "103":
        return "103"
    if number == "102":
        if sub and subsub:
            return f"102({sub})({subsub})"
        return f"102({sub})" if sub else "102"
    letter = sub or (_PARAGRAPH_LETTER[paragraph.lower()] if paragraph else None)
    if letter == "f":
        return None  # 112(f) / sixth paragraph: claim interpretation, not a rejection
    return f"112({letter})" if letter else "112"


def parse_statutes(text: str, start: int) -> tuple[list[tuple[str, str]], int]:
    """Parse the statute list beginning at `start`: unique (statute, label) pairs in order, and the end.

    An empty list means no statute was found there.
    """
    found: list[tuple[str, str]] = []
    position = start
    while True:
        match = _ITEM_RE.match(text, position)
        if match is None or match.group("num") is None:
            break
        paragraph = match.group("para") or match.group("paranum")
        label = label_for(match.group("num"), match.group("sub"), match.group("subsub"), paragraph)
        if label is not None and (match.group("num"), label) not in found:
            found.append((match.group("num"), label))
        position = match.end()
        separator = _SEPARATOR_RE.match(text, position)
        if separator is None:
            break
        following = _ITEM_RE.match(text, separator.end())
        if following is None:
            break
        position = separator.end()
    return found, position
