"""Reading and normalizing the raw records of a weekly zip: pure Python, no Spark.

Pipeline for one week: `WeekZip.chunks()` (oa_spark.reader.zipsafe) → `iter_records` (JSON Lines, or a JSON
array as a fallback) → `normalize` (one row dict per docs/contracts.md, or a `Quarantine`) → `Deduper` (one
pass, small tuples only). `oa_spark.reader.weekfile.explode_file` strings them together for an ingest task.

Speed: a record is ~50 KB, nearly all `bodyText`. Each line is parsed once by orjson and hashed once by
hashlib; the body is never scanned character by character in Python, and the other ~50 fields are short.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any

import ijson
import orjson

from oa_spark import reasons

__all__ = [
    "MAX_LINE_BYTES",
    "ROW_TYPES",
    "Deduper",
    "Quarantine",
    "Row",
    "dedupe_key",
    "iter_records",
    "normalize",
]

Row = dict[str, Any]

MAX_LINE_BYTES = 64 * 1024**2  # ~500x the largest real record; a longer line is quarantined unparsed
RAW_PREFIX_CHARS = 1024

_BOM = b"\xef\xbb\xbf"
_SNIFF_LIMIT = 1024**2  # leading whitespace beyond this is blank lines of a JSON Lines member
_SIGNIFICANT = re.compile(rb"[^ \t\r\n]")  # the first byte that is not JSON whitespace
_SECTIONS_PREFIX = "sections."

try:  # the C backend parses the array fallback an order of magnitude faster than pure Python
    _ijson = ijson.get_backend("yajl2_c")
except ImportError:  # pragma: no cover - depends on how ijson was built
    _ijson = ijson


# ----------------------------------------------------------------------------------------------------
# Quarantine results


@dataclass(frozen=True, slots=True)
class Quarantine:
    """A record that cannot become a row: why (a record reason code), and enough of it to find it again."""

    line_number: int | None
    reason: str
    message: str
    raw_prefix: str  # the first 1024 characters of the raw record, decoded with errors="replace"
    raw_sha256: str  # hex digest of all the raw bytes (BOM and newline removed)
    document_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _raw_prefix(raw: bytes) -> str:
    # 1024 characters need at most 4096 bytes of UTF-8; never decode a whole 50 KB record for a prefix.
    return raw[: RAW_PREFIX_CHARS * 4].decode("utf-8", errors="replace")[:RAW_PREFIX_CHARS]


def _quarantine(
    raw: bytes, reason: str, message: str, line_number: int | None, document_id: str | None = None
) -> Quarantine:
    return Quarantine(
        line_number=line_number,
        reason=reason,
        message=message,
        raw_prefix=_raw_prefix(raw),
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        document_id=document_id,
    )


# ----------------------------------------------------------------------------------------------------
# From inflated chunks to raw records


class _LongLine:
    """A line past `max_line_bytes`: hashed and prefixed as it streams by, never held whole."""

    def __init__(self, head: bytes) -> None:
        self.prefix = head[: RAW_PREFIX_CHARS * 4]
        self.size = 0
        self._sha = hashlib.sha256()
        self.update(head)

    def update(self, piece: bytes) -> None:
        self._sha.update(piece)
        self.size += len(piece)

    def quarantine(self, line_number: int, max_line_bytes: int) -> Quarantine:
        return Quarantine(
            line_number=line_number,
            reason=reasons.INVALID_JSON,
            message=f"line of {self.size} bytes is longer than max_line_bytes={max_line_bytes}; not parsed",
            raw_prefix=_raw_prefix(self.prefix),
            raw_sha256=self._sha.hexdigest(),
        )


def _split_lines(chunks: Iterable[bytes], max_line_bytes: int) -> Iterator[bytes | _LongLine]:
    """Every line of the stream without its `\\n` (blank ones too), or a `_LongLine` for an oversized one."""
    parts: list[bytes] = []  # pieces of the line being assembled across chunks
    size = 0
    long_line: _LongLine | None = None
    for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            if long_line is not None:
                long_line.update(piece)
            elif size + len(piece) > max_line_bytes:
                long_line = _LongLine(b"".join([*parts, piece]))
                parts, size = [], 0
            elif piece:
                parts.append(piece)
                size += len(piece)
            if end < 0:
                break
            yield long_line or (parts[0] if len(parts) == 1 else b"".join(parts))
            parts, size, long_line = [], 0, None
            start = end + 1
    if long_line is not None or parts:
        yield long_line or b"".join(parts)


def _is_blank(line: bytes) -> bool:
    # Only look further when both ends are white: a record line is never stripped (that would copy ~50 KB).
    return not line or (line[:1].isspace() and line[-1:].isspace() and not line.strip())


def _iter_json_lines(
    chunks: Iterable[bytes], max_line_bytes: int
) -> Iterator[tuple[int, bytes | Quarantine]]:
    for line_number, line in enumerate(_split_lines(chunks, max_line_bytes), start=1):
        if isinstance(line, _LongLine):
            yield line_number, line.quarantine(line_number, max_line_bytes)
            continue
        if line.endswith(b"\r"):  # a CRLF newline is a newline too
            line = line[:-1]
        if not _is_blank(line):
            yield line_number, line


def _iter_json_array(chunks: Iterable[bytes]) -> Iterator[tuple[int, bytes | Quarantine]]:
    """Elements of a top-level JSON array, streamed by ijson, each re-serialized compactly by orjson.

    The element's position (1-based) stands for its line number, and its raw bytes (hence `record_hash`) are
    the orjson serialization, so two identical elements hash alike. A syntax error ends the member: what
    follows cannot be resynchronized, so it becomes one final `invalid_json` quarantine.
    """
    sink = ijson.sendable_list()
    parser = _ijson.items_coro(sink, "item", use_float=True)
    index = 0
    try:
        for chunk in chunks:
            parser.send(chunk)
            for element in sink:
                index += 1
                yield index, _element_bytes(element, index)
            del sink[:]
        parser.close()
    except ijson.JSONError as exc:
        for element in sink:  # elements completed before the error are good records
            index += 1
            yield index, _element_bytes(element, index)
        message = f"JSON array unreadable after element {index}; the rest of the member is lost: {exc!s:.300}"
        yield index + 1, _quarantine(b"", reasons.INVALID_JSON, message, index + 1)
        return
    for element in sink:
        index += 1
        yield index, _element_bytes(element, index)


def _element_bytes(element: Any, index: int) -> bytes | Quarantine:
    try:
        return orjson.dumps(element)
    except TypeError as exc:  # an integer past 64 bits, or nesting deeper than orjson serializes
        try:
            raw = json.dumps(element).encode()
        except (RecursionError, ValueError):
            raw = b""
        return _quarantine(raw, reasons.INVALID_JSON, f"array element cannot be re-serialized: {exc}", index)


def _sniff(chunks: Iterator[bytes]) -> tuple[list[bytes], bytes]:
    """Read just enough to drop a leading BOM and see the first significant byte.

    Returns the chunks read (BOM removed), to be replayed, and that byte (b"" when the member is blank).
    """
    start = b""
    for chunk in chunks:  # the BOM may straddle chunks: gather three bytes first
        start += chunk
        if len(start) >= len(_BOM):
            break
    start = start.removeprefix(_BOM)
    read, seen = [start], len(start)
    found = _SIGNIFICANT.search(start)
    while found is None and seen <= _SNIFF_LIMIT:
        more = next(chunks, None)
        if more is None:
            break
        read.append(more)
        seen += len(more)
        found = _SIGNIFICANT.search(more)
    return read, found.group() if found else b""


def iter_records(
    chunks: Iterable[bytes], *, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, bytes | Quarantine]]:
    """Raw records of a member as (line_number from 1, raw bytes without BOM or newline), in order.

    JSON Lines: blank lines are skipped but keep their line numbers. If the first significant byte is `[`, the
    member is one JSON array (see `_iter_json_array`). A record the reader itself cannot deliver (a line over
    `max_line_bytes`, a broken array) comes as a ready `Quarantine` in place of the bytes.
    """
    stream = iter(chunks)
    read, significant = _sniff(stream)
    rest = chain(read, stream)
    if significant == b"[":
        yield from _iter_json_array(rest)
    else:
        yield from _iter_json_lines(rest, max_line_bytes)


# ----------------------------------------------------------------------------------------------------
# Field specs: (row key, camelCase key). Fields with spelling variants or a `sections` fallback (the contract
# lists which) are read one by one in `_build_row`.


_TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("access_level_category", "accessLevelCategory"),
    ("applicant_file_reference", "applicantFileReference"),
    ("application_type_category", "applicationTypeCategory"),
    ("business_area_category", "businessAreaCategory"),
    ("business_entity_status_category", "businessEntityStatusCategory"),
    ("document_active_indicator", "documentActiveIndicator"),
    ("document_direction_category", "documentDirectionCategory"),
    ("examination_program_code", "examinationProgramCode"),
    ("invention_subject_matter_category", "inventionSubjectMatterCategory"),
    ("invention_title", "inventionTitle"),
    ("last_modified_user_id", "lastModifiedUserIdentifier"),
    ("legacy_cms_id", "legacyCMSIdentifier"),
    ("nsrd_current_location_number", "nSRDCurrentLocationNumber"),
    ("national_class", "nationalClass"),
    ("national_subclass", "nationalSubclass"),
    ("priority_claim_indicator", "priorityClaimIndicator"),
    ("priority_claim_requirement_met_indicator", "priorityClaimRequirementMetIndicator"),
    ("source_system_name", "sourceSystemName"),
    ("patent_number", "patentNumber"),
    ("publication_number", "publicationNumber"),
)
# Integers carry the largest value their office_actions column holds (INT or LONG): a wider value is a bad
# field here rather than a failed Arrow conversion of the whole week later.
_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1
_INT_FIELDS: tuple[tuple[str, str, int], ...] = (
    ("application_status_number", "applicationStatusNumber", _INT32_MAX),
    ("effective_claim_total_quantity", "effectiveClaimTotalQuantity", _INT32_MAX),
    ("figure_quantity", "figureQuantity", _INT32_MAX),
    ("independent_claim_total_quantity", "independentClaimTotalQuantity", _INT32_MAX),
    ("customer_number", "customerNumber", _INT64_MAX),
    ("patent_application_confirmation_number", "patentApplicationConfirmationNumber", _INT64_MAX),
)
_DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("filing_date", "filingDate"),
    ("effective_filing_date", "effectiveFilingDate"),
    ("grant_date", "grantDate"),
    ("application_deemed_withdrawn_date", "applicationDeemedWithdrawnDate"),
    ("nsrd_current_location_date", "nSRDCurrentLocationDate"),
)
_TIMESTAMP_FIELDS: tuple[tuple[str, str], ...] = (
    ("system_create_timestamp", "systemCreateTimestamp"),
    ("system_last_modified_timestamp", "systemLastModifiedTimestamp"),
    ("create_date_time", "createDateTime"),
)
_HINT_KEYS = ("label", "paragraph", "position", "type")

# Every key of a normalized row, in contract order, with its Python type (values may also be None).
ROW_TYPES: dict[str, type] = {
    "document_id": str,
    "record_id": str,
    "application_number": str,
    "application_series": int,
    "document_code": str,
    "mail_date": date,
    "art_unit": str,
    "tech_center": str,
    "work_group": str,
    "examiner_id": str,
    "body_text": str,
    "record_hash": str,
    "last_modified": datetime,
    **{key: str for key, _ in _TEXT_FIELDS},
    "aia_indicator": bool,
    **{key: int for key, _, _ in _INT_FIELDS},
    **{key: date for key, _ in _DATE_FIELDS},
    **{key: datetime for key, _ in _TIMESTAMP_FIELDS},
    "rejection_hints": list,
    "sections": dict,
    "serialization": str,
}


# ----------------------------------------------------------------------------------------------------
# Field readers: each returns the normalized value or raises _Fault


class _Fault(Exception):
    """A record-level fault found while normalizing; becomes a Quarantine, never escapes `normalize`."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def _is_null_text(text: str) -> bool:
    """Null sentinels among strings: empty, whitespace only, `null` in any case (padded or not)."""
    if len(text) <= 16:
        stripped = text.strip()
        return not stripped or stripped.lower() == "null"
    # str.isspace stops at the first non-space character, so a real body costs one or two character tests.
    return text[0].isspace() and text.isspace()


def _is_null(value: Any) -> bool:
    return value is None or (type(value) is str and _is_null_text(value))


def _unwrap(value: Any, key: str) -> Any:
    """Search-API values come as one-element arrays; an empty array is null, a longer one is not a scalar."""
    if type(value) is not list:
        return value
    if not value:
        return None
    if len(value) == 1:
        return value[0]
    raise _Fault(reasons.BAD_FIELD, f"{key} holds {len(value)} values where one is expected")


def _as_text(value: Any, key: str) -> str | None:
    """A trimmed string, or None for any null sentinel; numbers and booleans are spelled out."""
    value_type = type(value)
    if value_type is str:
        text = value.strip()
        return None if not text or (len(text) == 4 and text.lower() == "null") else text
    if value is None:
        return None
    if value_type is bool:
        return "true" if value else "false"
    if value_type is int:
        return str(value)
    if value_type is float:
        return str(int(value)) if value.is_integer() else repr(value)
    raise _Fault(reasons.BAD_FIELD, f"{key} is a {_json_type(value)}, expected text")


def _as_int(value: Any, key: str) -> int | None:
    value_type = type(value)
    if value_type is int:
        return value
    if value_type is float and value.is_integer():
        return int(value)
    if value_type is str:
        text = value.strip()
        if _is_null_text(text):
            return None
        if text.lstrip("+-").isdigit() and text.isascii() and text.count("-") + text.count("+") <= 1:
            return int(text)
        raise _Fault(reasons.BAD_FIELD, f"{key} is not an integer: {text[:40]!r}")
    if value is None:
        return None
    raise _Fault(reasons.BAD_FIELD, f"{key} is a {_json_type(value)}, expected an integer")


def _bounded(number: int | None, largest: int, key: str) -> int | None:
    if number is not None and not -largest - 1 <= number <= largest:
        raise _Fault(reasons.BAD_FIELD, f"{key} is out of range: {number}")
    return number


_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})


def _as_bool(value: Any, key: str) -> bool | None:
    if type(value) is bool or value is None:
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    if type(value) is str:
        word = value.strip().lower()
        if _is_null_text(word):
            return None
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise _Fault(reasons.BAD_FIELD, f"{key} is not a boolean: {value[:40]!r}")
    raise _Fault(reasons.BAD_FIELD, f"{key} is a {_json_type(value)}, expected a boolean")


# YYYY-MM-DD, optionally a time (T or space), fraction, and zone (Z or ±HH:MM).
_MOMENT_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?",
    re.ASCII,  # full-width digits are not a date
)


def _as_moment(value: Any, key: str, *, to_utc: bool) -> datetime | None:
    """A naive datetime as written (shifted to UTC if `to_utc`); None for a null sentinel or year ≤ 1."""
    if value is None:
        return None
    if type(value) is not str:
        raise _Fault(reasons.BAD_DATE, f"{key} is a {_json_type(value)}, expected a date")
    text = value.strip()
    if _is_null_text(text):
        return None
    match = _MOMENT_RE.fullmatch(text)
    if match is None:
        raise _Fault(reasons.BAD_DATE, f"{key} is not a date: {text[:40]!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if int(year) <= 1:  # 0001-01-01, 0000-12-30T05:00:00Z, 0001-01-03T00:00:00: null sentinels
        return None
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")),
        )
    except ValueError as exc:
        raise _Fault(reasons.BAD_DATE, f"{key} is not a real date: {text[:40]!r} ({exc})") from exc
    if to_utc and zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        try:
            moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        except OverflowError as exc:
            raise _Fault(reasons.BAD_DATE, f"{key} is out of range in UTC: {text[:40]!r}") from exc
    return moment


def _as_date(value: Any, key: str) -> date | None:
    """The calendar date as written: `2014-07-23T04:00:00Z` is 2014-07-23, never shifted by its zone."""
    moment = _as_moment(value, key, to_utc=False)
    return None if moment is None else moment.date()


def _as_timestamp(value: Any, key: str) -> datetime | None:
    return _as_moment(value, key, to_utc=True)


def _application_number(value: Any) -> str:
    """8-digit string; `14/485,382` and `9123456` are accepted, anything else not 1-8 digits is refused."""
    if _is_null(value):
        raise _Fault(reasons.MISSING_APPLICATION_NUMBER, "no patentApplicationNumber")
    if type(value) is not str and type(value) is not int:
        raise _Fault(
            reasons.BAD_APPLICATION_NUMBER,
            f"patentApplicationNumber is a {_json_type(value)}, expected digits",
        )
    digits = str(value).strip().replace("/", "").replace(",", "")
    if not (1 <= len(digits) <= 8 and digits.isascii() and digits.isdigit()):
        raise _Fault(
            reasons.BAD_APPLICATION_NUMBER, f"patentApplicationNumber is not 1-8 digits: {value!r:.40}"
        )
    return digits.zfill(8)


def _art_unit(value: Any) -> str | None:
    text = _as_text(value, "groupArtUnitNumber")
    if text is not None and not (text.isascii() and text.isdigit()):
        raise _Fault(reasons.BAD_FIELD, f"groupArtUnitNumber is not digits: {text[:40]!r}")
    return text


def _body(record: dict[str, Any]) -> str | None:
    """bodyText (or the ODP `oaText`) exactly as shipped, untrimmed; only whole-value null sentinels are None.

    Not read through `_unwrap`: a body of several values is a bad body, not a bad field.
    """
    value = record.get("bodyText")
    if _is_null(value) or value == []:
        value = record.get("oaText")
    if type(value) is list and len(value) <= 1:
        value = value[0] if value else None
    if value is None:
        return None
    if type(value) is not str:
        raise _Fault(reasons.BAD_BODY, f"bodyText is a {_json_type(value)}, expected text")
    return None if _is_null_text(value) else value


def _rejection_hints(value: Any) -> list[dict[str, str | None]]:
    """USPTO's noisy `rejections` hint, kept entry for entry with its four keys as text."""
    if _is_null(value):
        return []
    if type(value) is not list:
        raise _Fault(reasons.BAD_FIELD, f"rejections is a {_json_type(value)}, expected an array")
    hints = []
    for entry in value:
        if type(entry) is not dict:
            raise _Fault(
                reasons.BAD_FIELD, f"a rejections entry is a {_json_type(entry)}, expected an object"
            )
        hints.append({key: _as_text(_unwrap(entry.get(key), key), f"rejections.{key}") for key in _HINT_KEYS})
    return hints


def _section_texts(sections: dict[str, Any]) -> dict[str, str]:
    """The text-valued sections (`...Text` keys), exactly as shipped: they are substrings of bodyText."""
    texts = {}
    for key, raw_value in sections.items():
        if not key.endswith("Text"):
            continue  # ids, dates, art unit: duplicates of top-level fields
        value = _unwrap(raw_value, f"sections.{key}")
        if value is None:
            continue
        if type(value) is not str:
            raise _Fault(reasons.BAD_FIELD, f"sections.{key} is a {_json_type(value)}, expected text")
        if not _is_null_text(value):
            texts[key] = value
    return texts


def _json_type(value: Any) -> str:
    if type(value) is dict:
        return "object"
    if type(value) is list:
        return "array"
    if type(value) is bool:
        return "boolean"
    if type(value) is str:
        return "string"
    return "number" if type(value) in (int, float) else type(value).__name__


# ----------------------------------------------------------------------------------------------------
# normalize


class _Fields:
    """Field lookup across serializations: one-element arrays unwrapped, spelling variants tried in turn, and
    `sections` consulted only where the contract says so (document_id, record_id, tech_center, work_group).
    """

    __slots__ = ("sections", "top")

    def __init__(self, top: dict[str, Any], sections: dict[str, Any]) -> None:
        self.top = top
        self.sections = sections

    def get(self, key: str) -> Any:
        return _unwrap(self.top.get(key), key)

    def first(self, *keys: str, section_key: str | None = None) -> Any:
        """The first non-null value among `keys`, then `sections[section_key]`."""
        value = None
        for key in keys:
            value = _unwrap(self.top.get(key), key)
            if not _is_null(value):
                return value
        if section_key is not None:
            return _unwrap(self.sections.get(section_key), f"sections.{section_key}")
        return value


def _sections_of(record: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The sections as one dict: the nested object (weekly form) merged with dotted `sections.*` keys (Solr).

    A `sections` value that is not an object is ignored here and refused by `_check_sections_type`, after the
    document id (which may live in sections) has been read for the quarantine row.
    """
    nested = record.get("sections")
    if type(nested) is not dict:
        nested = {}
    dotted = {
        key[len(_SECTIONS_PREFIX) :]: v for key, v in record.items() if key.startswith(_SECTIONS_PREFIX)
    }
    if not dotted:
        return nested, False
    return {**dotted, **nested}, True


def _check_sections_type(record: dict[str, Any]) -> None:
    nested = record.get("sections")
    if not _is_null(nested) and type(nested) is not dict:
        raise _Fault(reasons.BAD_FIELD, f"sections is a {_json_type(nested)}, expected an object")


def _serialization(record: dict[str, Any], has_dotted: bool) -> str:
    """`odp` when its key names appear, `solr` when ids are arrays or sections dotted, else `weekly`."""
    if "oaText" in record or "documentCode" in record:
        return "odp"
    if has_dotted or any(
        type(record.get(key)) is list
        for key in ("patentApplicationNumber", "obsoleteDocumentIdentifier", "id")
    ):
        return "solr"
    return "weekly"


def _document_id(fields: _Fields) -> str:
    value = fields.first("obsoleteDocumentIdentifier", section_key="obsoleteDocumentIdentifier")
    document_id = _as_text(value, "obsoleteDocumentIdentifier")
    if document_id is None:
        raise _Fault(reasons.MISSING_DOCUMENT_ID, "no obsoleteDocumentIdentifier")
    return document_id


def _build_row(record: dict[str, Any], raw: bytes, fields: _Fields, document_id: str, form: str) -> Row:
    """Every contract key in contract order; raises _Fault at the first field that cannot be normalized."""
    _check_sections_type(record)
    application_number = _application_number(fields.get("patentApplicationNumber"))
    body = _body(record)
    mail_date = _as_date(fields.get("submissionDate"), "submissionDate")
    document_code = _as_text(
        fields.first("legacyDocumentCodeIdentifier", "documentCode"),
        "legacyDocumentCodeIdentifier",
    )
    row: Row = {
        "document_id": document_id,
        "record_id": _as_text(fields.first("id", section_key="officeActionIdentifier"), "id"),
        "application_number": application_number,
        "application_series": int(application_number[:2]),
        "document_code": document_code.upper() if document_code is not None else None,
        "mail_date": mail_date,
        "art_unit": _art_unit(fields.get("groupArtUnitNumber")),
        "tech_center": _as_text(fields.first("techCenter", section_key="techCenterNumber"), "techCenter"),
        "work_group": _as_text(
            fields.first("workGroup", "workgroup", section_key="workGroupNumber"), "workGroup"
        ),
        "examiner_id": _as_text(fields.get("examinerEmployeeNumber"), "examinerEmployeeNumber"),
        "body_text": body,
        "record_hash": hashlib.sha256(raw).hexdigest(),
        "last_modified": _as_timestamp(fields.get("lastModifiedTimestamp"), "lastModifiedTimestamp"),
    }
    for key, source in _TEXT_FIELDS:
        row[key] = _as_text(fields.get(source), source)
    row["aia_indicator"] = _as_bool(fields.get("aiaIndicator"), "aiaIndicator")
    for key, source, largest in _INT_FIELDS:
        row[key] = _bounded(_as_int(fields.get(source), source), largest, source)
    for key, source in _DATE_FIELDS:
        row[key] = _as_date(fields.get(source), source)
    for key, source in _TIMESTAMP_FIELDS:
        row[key] = _as_timestamp(fields.get(source), source)
    row["rejection_hints"] = _rejection_hints(record.get("rejections"))
    row["sections"] = _section_texts(fields.sections)
    row["serialization"] = form
    return row


def normalize(raw: bytes, line_number: int | None = None) -> Row | Quarantine:
    """One raw record (bytes of one line, BOM and newline removed) → a row dict per docs/contracts.md, or a
    `Quarantine` with a record reason code. Never raises for bad input: every fault of the record is data.
    """
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return _unparseable(raw, line_number, exc)
    if type(record) is not dict:
        return _quarantine(
            raw, reasons.NOT_OBJECT, f"record is a JSON {_json_type(record)}, not an object", line_number
        )
    document_id = None
    try:
        sections, has_dotted = _sections_of(record)
        fields = _Fields(record, sections)
        document_id = _document_id(fields)
        return _build_row(record, raw, fields, document_id, _serialization(record, has_dotted))
    except _Fault as fault:
        return _quarantine(raw, fault.reason, fault.message, line_number, document_id)


def _unparseable(raw: bytes, line_number: int | None, exc: orjson.JSONDecodeError) -> Quarantine:
    """Bad UTF-8 is told apart from bad JSON only on this failure path, so good records pay nothing for it."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        message = f"not UTF-8 at byte {bad.start}: {raw[bad.start : bad.start + 4]!r}"
        return _quarantine(raw, reasons.INVALID_UTF8, message, line_number)
    return _quarantine(raw, reasons.INVALID_JSON, f"not JSON: {exc}", line_number)


# ----------------------------------------------------------------------------------------------------
# Duplicates within a week


def dedupe_key(row: Row) -> tuple[str, str]:
    """The identity of a document within a week: (application_number, document_id)."""
    return row["application_number"], row["document_id"]


_OLDEST = datetime.min


class Deduper:
    """Duplicate resolution for one week in a single pass, holding only small tuples per record.

    `offer` every normalized row in read order with its sequence number. Exact duplicate lines (same
    `record_hash`) are reported at once (`offer` returns False: drop the line now). Among versions of one
    (application_number, document_id), the latest `last_modified` wins (None is oldest), ties broken by the
    largest `record_hash`, so the result does not depend on line order. After the pass, `kept()` names the
    winning sequence numbers and `duplicates` counts every line dropped by either rule.
    """

    def __init__(self) -> None:
        self._hashes: set[str] = set()
        # key → (rank, sequence number) of the best version so far; rank orders versions as the contract says
        self._best: dict[tuple[str, str], tuple[tuple[bool, datetime, str], int]] = {}
        self._distinct = 0
        self._exact = 0

    def offer(self, seq: int, key: tuple[str, str], last_modified: datetime | None, record_hash: str) -> bool:
        """Consider one row; False when it is an exact duplicate of an earlier line (drop it now)."""
        if record_hash in self._hashes:
            self._exact += 1
            return False
        self._hashes.add(record_hash)
        self._distinct += 1
        rank = (last_modified is not None, last_modified or _OLDEST, record_hash)
        best = self._best.get(key)
        if best is None or rank > best[0]:
            self._best[key] = (rank, seq)
        return True

    def offer_row(self, seq: int, row: Row) -> bool:
        """`offer` with the key, timestamp and hash taken from a normalized row."""
        return self.offer(seq, dedupe_key(row), row["last_modified"], row["record_hash"])

    def kept(self) -> frozenset[int]:
        """Sequence numbers of the rows to keep: one per document."""
        return frozenset(seq for _, seq in self._best.values())

    @property
    def duplicates(self) -> int:
        """Lines dropped: exact duplicates plus superseded versions."""
        return self._exact + self._distinct - len(self._best)
