"""Non-patent literature cited outside the grounds: reasons for allowance, lists of art made of record.

Only the unmistakable shape is read: an author, then a quoted title, then bibliographic detail (volume,
pages, journal, a year in parentheses):
    Yanagisawa ("Modeling Edge Caching", Journal of Power Sources, vol. 8, pp. 208-237, 1998)
    Kowalczyk, A. et al., "Robust Coffee Supply Chains," Wear, vol. 24, no. 10, pp. 13-25 (2020).
Quoted claim terms ("the lever" in line 3) and aliases (hereinafter "Smith") have no such detail.
A reference is identified by its title, so the same paper cited by a ground and again in a list is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TITLE_RE = re.compile(r'"([^"\n]{6,200}?)[,.]?"')
# Bibliographic detail after a title: cheap substring tests first, then a year closing a parenthesis.
_MARKERS = (
    "vol.",
    "pp.",
    "no.",
    "ournal",
    "Proc",
    "Trans",
    "IEEE",
    "ACM",
    "Chapter",
    "page",
    "Press",
    "Review",
)
_YEAR_RE = re.compile(r"\((?:19|20)\d{2}\)|,\s(?:[A-Z][a-z]{2,8}\.?\s)?(?:19|20)\d{2}\)")
MAX_TITLES = 1000  # quoted strings examined per letter: a bound for hostile input
_NAME = r"[A-ZÀ-ÖØ-Ý](?:[^\W\d_]|['-])+(?:\s(?:[A-ZÀ-ÖØ-Ý](?:[^\W\d_]|['-])+|de|van|von|der|da|di|le|la))*"
# The author right before the title: "Name et al. (... " or "Name, A. B. et al., ".
_AUTHOR_PAREN_RE = re.compile(rf"\b(?P<name>{_NAME})(?:,?\s+et\.?\s?al\.?)?\s?\([^()\n]{{0,60}}$")
_AUTHOR_COMMA_RE = re.compile(
    rf"\b(?P<name>{_NAME})(?:,\s(?:[A-Z]\.\s?){{1,3}})?(?:,?\s+et\.?\s?al\.?)?,\s?$"
)
_SENTENCE_END_RE = re.compile(r"\.(?=\s+[A-Z\"(]|\s*$)|\n")
_LOOK_BACK = 120
_LOOK_AHEAD = 200


@dataclass(frozen=True, slots=True)
class NplMention:
    """One non-patent reference: its text from the author to the end of the citation, its title key, its
    author's name (an alias for later short mentions), and where it starts."""

    raw: str
    key: str
    name: str
    start: int


def npl_key(raw: str) -> str:
    """What identifies a non-patent reference: its quoted title, else its whole text (lower case)."""
    title = _TITLE_RE.search(raw)
    words = re.findall(r"\w+", (title.group(1) if title else raw).lower())
    return " ".join(words)


def _closing_parenthesis(text: str, start: int, limit: int) -> int | None:
    depth = 1
    for index in range(start, min(len(text), limit)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        elif char == "\n":
            return None
    return None


def find_npl(text: str) -> list[NplMention]:
    """Every author + quoted title + bibliographic detail in the text, in order."""
    found: list[NplMention] = []
    last_end = 0
    for count, title in enumerate(_TITLE_RE.finditer(text)):
        if count == MAX_TITLES:
            break
        if title.start() < last_end:
            continue
        after = text[title.end() : title.end() + _LOOK_AHEAD].split("\n", 1)[0]
        if not (any(marker in after for marker in _MARKERS) or _YEAR_RE.search(after)):
            continue
        window = max(0, title.start() - _LOOK_BACK)
        author = _AUTHOR_PAREN_RE.search(text, window, title.start())
        if author is not None:
            end = _closing_parenthesis(text, title.end(), title.end() + _LOOK_AHEAD)
        else:
            author = _AUTHOR_COMMA_RE.search(text, window, title.start())
            if author is None:
                continue
            stop = _SENTENCE_END_RE.search(text, title.end(), title.end() + _LOOK_AHEAD)
            end = stop.start() + (1 if stop.group(0) == "." else 0) if stop else None
        if end is None:
            continue
        raw = text[author.start() : end].strip()
        found.append(NplMention(raw, npl_key(raw), author.group("name"), author.start()))
        last_end = end
    return found
