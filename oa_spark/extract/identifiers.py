"""Cited-document numbers in office-action text → canonical ids (docs/contracts.md, Google Patents style).

Every shape of docs/data-format.md §6 is read; numbers are never "fixed": separators go, digits stay as
written.
A bare number becomes a document only where its shape or context says so (a `US`/`Patent No.` prefix, a
kind code, a parenthesis of its own, or the `YYYY/NNNNNNN` publication and `NN/NNN,NNN` application shapes),
so years, pages, columns, paragraphs, claims, MPEP sections, dates and phone numbers never qualify.

The text is scanned in two steps for speed: bytes.find locates the digit groups a document number must have
(five digits in a row, `,ddd`, `d ddd ddd`), and the detailed pattern is only tried, anchored, at the few
word starts just before each group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

US_PATENT = "us_patent"
US_PUBLICATION = "us_publication"
US_REISSUE = "us_reissue"
US_DESIGN = "us_design"
US_PLANT = "us_plant"
US_APPLICATION = "us_application"
FOREIGN = "foreign"
NPL = "npl"
KINDS = (US_PATENT, US_PUBLICATION, US_REISSUE, US_DESIGN, US_PLANT, US_APPLICATION, FOREIGN, NPL)


@dataclass(frozen=True, slots=True)
class Document:
    """One mention of a patent document: canonical id, kind-less key, class, country, where it was seen."""

    id: str
    key: str
    kind: str
    country: str
    raw: str
    start: int
    end: int


# Countries read with the generic foreign shape. `IN` and `NO` are left out: as English words in capitals
# ("PATENT NO 8,123,456") they would turn US numbers into foreign ones.
_GENERIC_COUNTRIES = (
    "GB|FR|TW|CA|AU|RU|SU|CH|BR|ES|IT|NL|SE|DK|AT|BE|FI|IL|MX|NZ|SG|ZA|HK|PL|CZ|EA|UA|HU|RO|PT|GR|IE|TR|PH|AR"
)
_US_WORD = r"(?:Pat(?:ent)?s?|Pub(?:lication|l)?s?|Pre-?[Gg]rant|P[Gg]|Application|App(?:l)?|Printed)\.?"
_US_PREFIX = (
    r"(?<!/)(?:\bU\.?\s?S\.?(?:\s?" + _US_WORD + r")*\s?(?:Nos?\.?|Numbers?|#)?"
    r"|\bUSP(?:N|AP|AT|G-?PUB|GPub|GPUB)?\b\.?(?:\s?Nos?\.?)?"
    r"|\bUS-?PG-?Pub\b)\s?[-:]?\s?"
)
_NO_WORD = r"(?:Nos?\.?|Numbers?|#)"
# "Patent No.", "Pat. No.", "Publication No.", "Patent Application Publication No." without a country.
_PLAIN_PREFIX = (
    r"\b(?:(?:Patent|Pat\.)\s?(?:Application\s)?(?:Publication\s|Pub\.\s?)?"
    + _NO_WORD
    + r"|(?:Patent\s)?(?:Application\s)?(?:Publication|Pub\.)\s?(?:"
    + _NO_WORD
    + r")?)\s?:?\s?"
)
_US_NUMBER = (
    r"(?P<re>R[Ee]\.?\s?(?:\d{1,3}(?:,\d{3})+|\d{4,6}))"
    r"|(?P<design>D\s?(?:\d{1,3},\d{3}|\d{5,6}))"
    r"|(?P<plant>PP\s?(?:\d{1,3},\d{3}|\d{4,6}))"
    r"|(?P<pub>(?:19|20)\d{2}\s?/\s?\d{4,8}|(?:19|20)\d{2}-\d{7})"
    r"|(?P<pat>\d{1,2},\d{3},\d{3}|\d{3},\d{3}|\d{7,14})"
)
_PATTERN = (
    # applications: 16/123,456 anywhere (never after a digit or a slash), or "Application No. 16123456"
    r"(?<![\d/.,])(?P<app>\d{2}/\d{3},?\d{3}|\d{2}/\d{1,2},\d{3})(?!\d|,\d)"
    r"|\b(?:Application|Appl\.|App\.|Serial|Ser\.)\s?(?:Serial\s|Ser\.\s?)?(?:No\.?|Number|#)\s?(?P<app8>\d{8})"
    r"|\bWO\s?[-:]?\s?(?P<wo>(?:19|20)?\d{2}\s?/\s?\d{4,6}|(?:19|20)\d{2}-?\d{6})"
    r"|\bJP\s?[-:]?\s?(?P<jp>(?:[SHR]|Sho|Hei|Showa|Heisei|Reiwa)?\s?(?:\d{1,4}\s?-\s?\d{5,6}|\d{7,10}))"
    r"|\bKR\s?[-:]?\s?(?P<kr>\d{2}-\d{4}-\d{7}|\d{2}-\d{2}-\d{7}|\d{2}-\d{7}|\d{4}-\d{7}|\d{9,13})"
    r"|\bDE\s?[-:]?\s?(?P<de>\d{2}\s\d{4}\s\d{3}\s\d{3}|\d{3}\s\d{2}\s\d{3}|\d{1,2}\s\d{3}\s\d{3}|\d{5,15})"
    r"|\bEP\s?[-:]?\s?(?P<ep>\d\s\d{3}\s\d{3}|\d,\d{3},\d{3}|\d\.\d{3}\.\d{3}|\d{6,7})"
    r"|\bCN\s?[-:]?\s?(?P<cn>\d{6,10}(?:\.\d)?)"
    r"|\b(?P<cc>" + _GENERIC_COUNTRIES + r")\s?[-:]?\s?(?P<fnum>[IM]?(?:\d{1,3}(?:[ ,.]\d{3}){1,3}|\d{5,12}))"
    r"|(?P<usp>" + _US_PREFIX + r")(?:" + _US_NUMBER + r")"
    r"|(?P<plain>" + _PLAIN_PREFIX + r")(?P<pnum>R[Ee]\.?\s?\d{1,3}(?:,\d{3})+|D\s?\d{1,3},\d{3}"
    r"|(?:19|20)\d{2}\s?/\s?\d{4,8}|\d{1,2},\d{3},\d{3}|\d{6,14}|\d{2,4}-\d{5,7})"
    # prefix-less shapes that are documents anywhere
    r"|(?<![\w/.,-])(?P<bpub>(?:19|20)\d{2}/\d{7}|(?:19|20)\d{9})"
    r"|\b(?P<bre>RE\s?\d{2},\d{3}|RE\d{5})"
    r"|\b(?P<bdesign>D\d{3},\d{3})"
    r"|\b(?P<bplant>PP\s?\d{1,2},\d{3})"
    # a bare patent number followed by a patent kind code, or alone in parentheses: "(7659971)"
    r"|(?<![\w/.,-])(?P<bkind>\d{1,2},\d{3},\d{3}|\d{7,8})(?=[- ]?(?:[BC][1-3]|A(?=\s?[),;\]])))"
    r"|(?<=\()\s?(?P<bparen>\d{1,2},\d{3},\d{3}|\d{7,8})(?=\s?(?:[A-Z]\d?)?\s?[),;])"
    # "4904064 to Stavropoulos": a bare patent number named after its inventor
    r"|(?<![\w/.,-])(?P<bto>\d{1,2},\d{3},\d{3}|\d{7,8})(?=\sto\s[A-ZÀ-ÖØ-Ý])"
    # a bare patent number after "Surname; Given, " in a list of art (checked in _document)
    r"|(?<=, )(?P<blist>\d{1,2},\d{3},\d{3}|\d{7,8})"
)
_DOCUMENT_RE = re.compile(_PATTERN)
_END_GUARD = re.compile(r"\d|,\d")
# Digits joined by short separators: where a document number can be (a bounded number of groups, so a
# hostile run of "1,234,1,234,..." costs no more than its length).
_CLUSTER_RE = re.compile(r"\d+(?:[,./ -]{1,2}\d+){0,12}")
_WINDOW_BEFORE = 64
MAX_MENTIONS = 2000
_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789", b"0000000000")
_NOT_DIGIT_RE = re.compile(rb"[^0]")
_WORD_START_RE = re.compile(r"\b[A-Za-z]")
# Where a number can start inside or just before a cluster: a digit after a non-digit, or a space
# right after an opening parenthesis ("( 7659971)").
_NUMBER_START_RE = re.compile(r"(?<![\d,./-])\d|(?<=\() ")
_WINDOW_AFTER = 8

_KIND_RE = re.compile(r"[- ]?([A-Z][0-9]?)(?![\w-])")
# After a one-letter kind, these words may follow ("US 20090220736 A in view of ..."); other lowercase words
# mean the letter was the article "A" of the next sentence.
_AFTER_ONE_LETTER_KIND = re.compile(
    r"\s+(?:[^a-z\s]|(?:in|and|or|as|further|here\w*|to|teach\w*|disclos\w*|show\w*|at|col|para\w*|page\w*"
    r"|which|that|where\w*|is|was|et)\b)"
)
_US_KIND_LETTERS = frozenset("ABCEHPS")
_FOREIGN_WORD = re.compile(
    r"\b(Japanese|Japan|European|EPO|Chinese|China|Korean|Korea|German|Germany|French|France|British|UK"
    r"|Great Britain|Taiwanese|Taiwan|Canadian|Canada|Australian|Australia|Russian|Soviet|Swiss|International"
    r"|PCT|WIPO)"
    r"(?:\s(?:Patent|Pat\.|Laid-?Open|Unexamined|Examined|Kokai|Utility|Model|Application|Publication|Pub\."
    r"|Document|Nos?\.?|Number|:))*\s?$"
)
_FOREIGN_WORD_COUNTRY = {
    "japanese": "JP",
    "japan": "JP",
    "european": "EP",
    "epo": "EP",
    "chinese": "CN",
    "china": "CN",
    "korean": "KR",
    "korea": "KR",
    "german": "DE",
    "germany": "DE",
    "french": "FR",
    "france": "FR",
    "british": "GB",
    "uk": "GB",
    "great britain": "GB",
    "taiwanese": "TW",
    "taiwan": "TW",
    "canadian": "CA",
    "canada": "CA",
    "australian": "AU",
    "australia": "AU",
    "russian": "RU",
    "soviet": "SU",
    "swiss": "CH",
    "international": "WO",
    "pct": "WO",
    "wipo": "WO",
}
# "Steinhauer; Elena, " before a bare number: the OARD-style "Surname; Given, number" list of art.
_LISTED_NAME_BEFORE = re.compile(
    r"\b[A-ZÀ-ÖØ-Ý][^\W\d_]+(?:['-][^\W\d_]+)*;\s?[^\s,;]+(?:\s[^\s,;]+){0,3},\s$"
)
_NOS_LIST_RE = re.compile(r"\s?(?:,\s?and|,|and|&)\s?(\d{1,2},\d{3},\d{3}|\d{7,8})(?!\d|,\d)")
_BARE_PATENT_RE = re.compile(r"(?<![\w/.,-])(\d{1,2},\d{3},\d{3}|\d{7,8})(?!\d|,\d)")
_SEPARATORS = str.maketrans("", "", " ,./-")


def _digits(number: str) -> str:
    return number.translate(_SEPARATORS)


def _read_kind(text: str, end: int, us: bool) -> tuple[str | None, int]:
    """The kind code right after a number (`B2`, `-A1`, `A`), validated, and where it ends."""
    match = _KIND_RE.match(text, end)
    if match is None:
        return None, end
    kind = match.group(1)
    if us and kind[0] not in _US_KIND_LETTERS:
        return None, end
    if len(kind) == 1:
        following = text[match.end() : match.end() + 24]
        if following and following[0].isspace() and not _AFTER_ONE_LETTER_KIND.match(following):
            return None, end
    return kind, match.end()


def _with_kind(country: str, number: str, kind: str | None) -> tuple[str, str]:
    key = f"{country}-{number}"
    return (f"{key}-{kind}" if kind else key), key


def _wo_number(raw: str) -> str:
    """WO numbers become year (4 digits) + serial (6 digits): `WO 99/12345` → `1999012345`."""
    compact = raw.replace(" ", "")
    if "/" in compact:
        year, serial = compact.split("/", 1)
        if len(year) == 2:
            year = ("19" if year >= "50" else "20") + year
        return year + serial.zfill(6)
    return _digits(compact)


def _application_number(raw: str) -> str:
    """Series code + 6-digit serial, the 8-digit node key: `16/98,188` → `16098188` (contracts.md pads
    application numbers to 8 digits)."""
    if "/" in raw:
        series, serial = raw.split("/", 1)
        return series + _digits(serial).zfill(6)
    return raw


def _us_class(number: str) -> str:
    """Publication or patent for a plain US number, by shape alone: publications start with a year and
    have at least 9 digits (11 when well formed); patents have at most 8."""
    if len(number) >= 9 and number[:2] in ("19", "20"):
        return US_PUBLICATION
    return US_PATENT


def _only_digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


_LETTER_SHAPES = {"re": ("RE", US_REISSUE), "design": ("D", US_DESIGN), "plant": ("PP", US_PLANT)}


def _names_application(groups: dict[str, str | None]) -> bool:
    """True for "U.S. Application No. 16123456": an application prefix that is not a publication one."""
    prefix = groups["usp"] or groups["plain"] or ""
    return ("ppl" in prefix or "Application" in prefix) and "Pub" not in prefix


def _document(text: str, match: re.Match[str]) -> Document | None:
    """Turn one pattern match into a Document (None when the match is not a document after all)."""
    groups = match.groupdict()
    start = match.start()
    if groups["app"] or groups["app8"]:
        number = _application_number(groups["app"] or groups["app8"])
        return Document(number, number, US_APPLICATION, "US", match.group(0), start, match.end())
    if groups["blist"] and not _LISTED_NAME_BEFORE.search(text, max(0, start - 60), start):
        return None
    foreign = _foreign(text, match, groups)
    if foreign is not None:
        return foreign
    us_number, shape = _us_number(groups)
    if us_number is None:
        return None
    country = "US"
    if groups["plain"]:
        prefix = _FOREIGN_WORD.search(text, max(0, start - 80), start + len(groups["plain"]))
        if prefix is not None:
            country = _FOREIGN_WORD_COUNTRY[prefix.group(1).lower()]
    if country == "US" and "-" in us_number:
        return None  # "Patent No. 2004-123456" is a foreign shape with no country named
    kind, end = _read_kind(text, match.end(), us=country == "US")
    if country != "US":
        number = _wo_number(us_number) if country == "WO" else _digits(us_number)
        doc_id, key = _with_kind(country, number, kind)
        return Document(doc_id, key, FOREIGN, country, text[start:end], start, end)
    digits = _only_digits(us_number)
    if shape in _LETTER_SHAPES:
        letters, doc_kind = _LETTER_SHAPES[shape]
        number = letters + digits
    elif shape == "pub":
        number, doc_kind = digits, US_PUBLICATION
    elif _names_application(groups) and len(digits) == 8:
        return Document(digits, digits, US_APPLICATION, "US", match.group(0), start, match.end())
    else:
        number, doc_kind = digits, _us_class(digits)
    doc_id, key = _with_kind("US", number, kind)
    return Document(doc_id, key, doc_kind, "US", text[start:end], start, end)


def _us_number(groups: dict[str, str | None]) -> tuple[str | None, str]:
    """The US number text of a match and its shape (re, design, plant, pub or pat)."""
    for name, shape in (("re", "re"), ("bre", "re"), ("design", "design"), ("bdesign", "design")):
        if groups[name]:
            return groups[name], shape
    for name, shape in (("plant", "plant"), ("bplant", "plant"), ("pub", "pub"), ("bpub", "pub")):
        if groups[name]:
            return groups[name], shape
    for name in ("pat", "bkind", "bparen", "bto", "blist"):
        if groups[name]:
            return groups[name], "pat"
    number = groups["pnum"]
    if number is None:
        return None, ""
    if number[:2].upper() == "RE":
        return number, "re"
    if number[0] == "D":
        return number, "design"
    if "/" in number:
        return number, "pub"
    return number, "pat"


def _foreign(text: str, match: re.Match[str], groups: dict[str, str | None]) -> Document | None:
    start = match.start()
    for country in ("wo", "jp", "kr", "de", "ep", "cn"):
        raw = groups[country]
        if raw:
            code = country.upper()
            break
    else:
        if not groups["fnum"]:
            return None
        raw, code = groups["fnum"], groups["cc"] or ""
        if sum(ch.isdigit() for ch in raw) < 6:
            return None
    if code == "WO":
        number = _wo_number(raw)
    elif code == "JP":
        number = _jp_number(raw)
    else:
        number = _digits(raw).upper()
    kind, end = _read_kind(text, match.end(), us=False)
    doc_id, key = _with_kind(code, number, kind)
    return Document(doc_id, key, FOREIGN, code, text[start:end], start, end)


_JP_ERA = {"SHO": "S", "SHOWA": "S", "HEI": "H", "HEISEI": "H", "REIWA": "R"}


def _jp_number(raw: str) -> str:
    """JP numbers keep their era letter and digits as written: `H10-123456` → `H10123456`."""
    compact = _digits(raw).upper()
    head = compact.rstrip("0123456789")
    return _JP_ERA.get(head, head) + compact[len(head) :]


def _anchors(text: str) -> list[int]:
    """Positions where a document number may be: runs of 5 digits, `,ddd` groups, `d ddd ddd` groups.

    Found with bytes.find on a copy whose digits are all "0", which runs at memory speed; a regex visiting
    every digit of the letter would cost more than the rest of the extraction.
    """
    shape = text.encode("latin-1", "replace").translate(_DIGITS_TO_ZERO)  # one byte per character
    anchors: list[int] = []
    for needle in (b"00000", b",000", b"0 000 000", b"0 00 000"):
        position = shape.find(needle)
        while position >= 0:
            anchors.append(position)
            run_end = _NOT_DIGIT_RE.search(shape, position + len(needle))  # one anchor per run of digits
            position = shape.find(needle, run_end.start() if run_end else len(shape))
    anchors.sort()
    return anchors


def find_documents(text: str) -> list[Document]:
    """Every patent-document mention in cleaned text, in order of appearance (at most MAX_MENTIONS).

    The detailed pattern is only tried, anchored, where a document can start: at word starts up to
    `_WINDOW_BEFORE` characters before a cluster of digits, and at the numbers inside the cluster.
    """
    found: list[Document] = []
    last_end = 0
    cluster_end = -1
    for anchor in _anchors(text):
        if anchor < cluster_end:
            continue
        if len(found) >= MAX_MENTIONS:
            break  # no real letter comes near; a hostile one must not take seconds
        cluster = _CLUSTER_RE.search(text, max(last_end, cluster_end, anchor - 24))
        while cluster is not None and cluster.end() <= anchor:
            cluster = _CLUSTER_RE.search(text, cluster.end())
        if cluster is None:
            break
        cluster_end = cluster.end()
        window_start = max(last_end, cluster.start() - _WINDOW_BEFORE)
        window_end = cluster.end() + _WINDOW_AFTER
        candidates = [m.start() for m in _WORD_START_RE.finditer(text, window_start, cluster.start())]
        candidates += [
            m.start()
            for m in _NUMBER_START_RE.finditer(text, max(window_start, cluster.start() - 1), cluster.end())
        ]
        candidates.sort()
        for position in candidates:
            if position < last_end:
                continue
            match = _DOCUMENT_RE.match(text, position, window_end)
            if match is None or (_END_GUARD.match(text, match.end()) and not match.group("app")):
                continue  # no document here, or the number runs on: not a whole number
            document = _document(text, match)
            if document is None:
                continue
            found.append(document)
            last_end = document.end
            if "Nos" in match.group(0) and document.kind in (US_PATENT, US_PUBLICATION):
                more = _number_list(text, document.end)
                found.extend(more)
                if more:
                    last_end = more[-1].end
    return found


def _number_list(text: str, position: int) -> list[Document]:
    """More numbers after "U.S. Patent Nos. 8,123,456, 9,234,567 and 7,654,321"."""
    more: list[Document] = []
    while (match := _NOS_LIST_RE.match(text, position)) is not None:
        number = _digits(match.group(1))
        kind, end = _read_kind(text, match.end(), us=True)
        doc_id, key = _with_kind("US", number, kind)
        more.append(Document(doc_id, key, US_PATENT, "US", text[match.start(1) : end], match.start(1), end))
        position = end
    return more


def find_bare_patents(text: str, start: int, end: int) -> list[Document]:
    """Bare 7-8 digit numbers inside a rejection's reference list, where they can only be US patents."""
    found = []
    for match in _BARE_PATENT_RE.finditer(text, start, end):
        number = _digits(match.group(1))
        kind, stop = _read_kind(text, match.end(), us=True)
        doc_id, key = _with_kind("US", number, kind)
        found.append(Document(doc_id, key, US_PATENT, "US", text[match.start() : stop], match.start(), stop))
    return found


def strip_kind(doc_id: str) -> str:
    """The kind-less key of a canonical id: `US-9280610-B2` → `US-9280610`; others unchanged."""
    parts = doc_id.split("-")
    return "-".join(parts[:2]) if len(parts) == 3 else doc_id
