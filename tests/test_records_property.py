"""Properties of the reader: any record built from the documented field shapes normalizes without raising,
and a normalized row written back in the weekly form normalizes to the same row."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from oa_spark import reasons
from oa_spark.reader.records import ROW_TYPES, Quarantine, iter_records, normalize

# Row key → weekly-form key, written out from docs/contracts.md (independently of the module's own tables).
WEEKLY_KEY = {
    "document_id": "obsoleteDocumentIdentifier",
    "record_id": "id",
    "application_number": "patentApplicationNumber",
    "document_code": "legacyDocumentCodeIdentifier",
    "mail_date": "submissionDate",
    "art_unit": "groupArtUnitNumber",
    "tech_center": "techCenter",
    "work_group": "workGroup",
    "examiner_id": "examinerEmployeeNumber",
    "body_text": "bodyText",
    "last_modified": "lastModifiedTimestamp",
    "access_level_category": "accessLevelCategory",
    "applicant_file_reference": "applicantFileReference",
    "application_type_category": "applicationTypeCategory",
    "business_area_category": "businessAreaCategory",
    "business_entity_status_category": "businessEntityStatusCategory",
    "document_active_indicator": "documentActiveIndicator",
    "document_direction_category": "documentDirectionCategory",
    "examination_program_code": "examinationProgramCode",
    "invention_subject_matter_category": "inventionSubjectMatterCategory",
    "invention_title": "inventionTitle",
    "last_modified_user_id": "lastModifiedUserIdentifier",
    "legacy_cms_id": "legacyCMSIdentifier",
    "nsrd_current_location_number": "nSRDCurrentLocationNumber",
    "national_class": "nationalClass",
    "national_subclass": "nationalSubclass",
    "priority_claim_indicator": "priorityClaimIndicator",
    "priority_claim_requirement_met_indicator": "priorityClaimRequirementMetIndicator",
    "source_system_name": "sourceSystemName",
    "patent_number": "patentNumber",
    "publication_number": "publicationNumber",
    "aia_indicator": "aiaIndicator",
    "application_status_number": "applicationStatusNumber",
    "effective_claim_total_quantity": "effectiveClaimTotalQuantity",
    "figure_quantity": "figureQuantity",
    "independent_claim_total_quantity": "independentClaimTotalQuantity",
    "customer_number": "customerNumber",
    "patent_application_confirmation_number": "patentApplicationConfirmationNumber",
    "filing_date": "filingDate",
    "effective_filing_date": "effectiveFilingDate",
    "grant_date": "grantDate",
    "application_deemed_withdrawn_date": "applicationDeemedWithdrawnDate",
    "nsrd_current_location_date": "nSRDCurrentLocationDate",
    "system_create_timestamp": "systemCreateTimestamp",
    "system_last_modified_timestamp": "systemLastModifiedTimestamp",
    "create_date_time": "createDateTime",
    "rejection_hints": "rejections",
    "sections": "sections",
}
DERIVED = {"application_series", "record_hash", "serialization"}
SECTION_TEXT_KEYS = [
    "section101RejectionText",
    "section103RejectionText",
    "summaryText",
    "detailCitationText",
]

# -- field shapes (data-format.md §3) ------------------------------------------------------------------------

nulls = st.sampled_from([None, "", " ", "null", "NULL", " Null "])
date_nulls = st.sampled_from(
    ["0001-01-01", "0000-12-30T05:00:00Z", "0001-01-03T00:00:00", "0001-01-01T05:00:00Z"]
)
texts = st.text(max_size=30)
ints = st.integers(-(2**31), 2**31 - 1)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
date_texts = days.flatmap(
    lambda d: st.sampled_from([d.isoformat(), f"{d}T04:00:00Z", f"{d}T05:00:00Z", f"{d}T00:00:00"])
)
moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31))
timestamp_texts = moments.flatmap(lambda m: st.sampled_from([m.isoformat(), m.isoformat() + "Z"]))
hint = st.fixed_dictionaries(
    {},
    optional={
        k: st.one_of(nulls, texts, st.integers(0, 99_999)) for k in ("label", "paragraph", "position", "type")
    },
)

SHAPES: dict[str, st.SearchStrategy[Any]] = {
    "id": st.from_regex(r"\A[0-9a-f]{56}\Z"),
    "legacyDocumentCodeIdentifier": st.sampled_from(
        ["CTNF", "CTFR", "NOA", "ctav", " CTRS ", "PPH.DECISION"]
    ),
    "submissionDate": date_texts | date_nulls,
    "groupArtUnitNumber": st.integers(1000, 9999) | st.from_regex(r"\A ?[0-9]{4} ?\Z"),
    "techCenter": st.from_regex(r"\A[0-9]{4}\Z"),
    "workGroup": st.from_regex(r"\A[0-9]{4}\Z"),
    "workgroup": st.from_regex(r"\A[0-9]{4}\Z"),
    "examinerEmployeeNumber": st.from_regex(r"\A[0-9]{5} ?\Z") | st.integers(10_000, 99_999),
    "bodyText": st.text(max_size=200),
    "lastModifiedTimestamp": timestamp_texts | date_nulls,
    "aiaIndicator": st.booleans() | st.sampled_from(["true", "false", "TRUE", "False"]),
    "applicationStatusNumber": ints | ints.map(str),
    "customerNumber": st.integers(0, 2**40),
    "effectiveClaimTotalQuantity": st.integers(0, 500),
    "figureQuantity": st.integers(0, 500).map(str),
    "independentClaimTotalQuantity": st.integers(0, 50),
    "patentApplicationConfirmationNumber": st.integers(0, 9999),
    "filingDate": date_texts | date_nulls,
    "effectiveFilingDate": date_texts | date_nulls,
    "grantDate": date_texts | date_nulls,
    "applicationDeemedWithdrawnDate": date_texts | date_nulls,
    "nSRDCurrentLocationDate": date_texts | date_nulls,
    "systemCreateTimestamp": timestamp_texts,
    "systemLastModifiedTimestamp": timestamp_texts,
    "createDateTime": timestamp_texts,
    "nationalClass": st.from_regex(r"\A[0-9]{3}\Z"),
    "nationalSubclass": st.from_regex(r"\A[0-9]{6}\Z"),
    "patentNumber": st.from_regex(r"\A[0-9]{7,8}\Z") | st.just("null"),
    "rejections": st.lists(hint, max_size=3),
    "sections": st.dictionaries(st.sampled_from(SECTION_TEXT_KEYS), texts, max_size=3),
    **{
        key: texts
        for key in (
            "accessLevelCategory",
            "applicantFileReference",
            "applicationTypeCategory",
            "businessAreaCategory",
            "businessEntityStatusCategory",
            "documentActiveIndicator",
            "documentDirectionCategory",
            "examinationProgramCode",
            "inventionSubjectMatterCategory",
            "inventionTitle",
            "lastModifiedUserIdentifier",
            "legacyCMSIdentifier",
            "nSRDCurrentLocationNumber",
            "priorityClaimIndicator",
            "priorityClaimRequirementMetIndicator",
            "sourceSystemName",
        )
    },
}

weekly_records = st.fixed_dictionaries(
    {
        "obsoleteDocumentIdentifier": st.from_regex(r"\A ?[A-Z0-9]{15} ?\Z"),
        "patentApplicationNumber": st.from_regex(r"\A[0-9]{1,8}\Z") | st.integers(0, 99_999_999),
    },
    optional={key: shape | nulls for key, shape in SHAPES.items()},
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def to_solr(record: dict[str, Any]) -> dict[str, Any]:
    """The Search-API form of a weekly record: scalars in one-element arrays, sections as dotted keys."""
    solr: dict[str, Any] = {}
    for key, value in record.items():
        if key == "sections":
            if isinstance(value, dict):
                solr.update({f"sections.{name}": [text] for name, text in value.items()})
        elif key == "rejections":
            solr[key] = value
        else:
            solr[key] = [value]
    return solr


def to_weekly(row: dict[str, Any]) -> dict[str, Any]:
    """A normalized row written back in the weekly serialization."""
    record: dict[str, Any] = {}
    for key, value in row.items():
        if key in DERIVED or value is None:
            continue
        record[WEEKLY_KEY[key]] = value.isoformat() if isinstance(value, date | datetime) else value
    return record


def comparable(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key not in ("record_hash", "serialization")}


# -- properties ----------------------------------------------------------------------------------------------


JUNK_KEYS = [*SHAPES, "obsoleteDocumentIdentifier", "patentApplicationNumber", "oaText", "documentCode"]
JUNK_KEYS += ["sections.summaryText", "sections.obsoleteDocumentIdentifier", "sections.techCenterNumber"]


# Date-shaped strings with any digits: impossible days, years 0000-9999, zones that overflow in UTC.
date_shaped = st.from_regex(
    r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?)?\Z"
)


@given(weekly_records, st.dictionaries(st.sampled_from(JUNK_KEYS), json_values | date_shaped))
def test_any_record_with_any_field_values_normalizes_without_raising(
    record: dict[str, Any], junk: dict[str, Any]
) -> None:
    result = normalize(orjson.dumps({**record, **junk}))
    if isinstance(result, Quarantine):
        assert result.reason in reasons.RECORD_REASONS
    else:
        assert list(result) == list(ROW_TYPES)


@given(st.binary(max_size=200))
def test_any_bytes_normalize_without_raising(raw: bytes) -> None:
    result = normalize(raw)
    assert isinstance(result, dict) or result.reason in reasons.RECORD_REASONS


@given(weekly_records)
def test_record_of_documented_shapes_becomes_a_row(record: dict[str, Any]) -> None:
    assert isinstance(normalize(orjson.dumps(record)), dict)


@given(weekly_records)
def test_solr_form_of_a_record_normalizes_like_its_weekly_form(record: dict[str, Any]) -> None:
    weekly = normalize(orjson.dumps(record))
    solr = normalize(orjson.dumps(to_solr(record)))
    assert isinstance(weekly, dict) and isinstance(solr, dict)
    assert comparable(solr) == comparable(weekly)


@given(weekly_records | weekly_records.map(to_solr))
def test_normalized_row_round_trips_through_the_weekly_form(record: dict[str, Any]) -> None:
    row = normalize(orjson.dumps(record))
    assert isinstance(row, dict)
    again = normalize(orjson.dumps(to_weekly(row)))
    assert isinstance(again, dict)
    assert comparable(again) == comparable(row)


@given(
    st.lists(st.from_regex(rb"\A[ -~]{0,20}\Z").filter(lambda line: b"\n" not in line), max_size=8),
    st.lists(st.integers(0, 400), max_size=6),
)
def test_records_do_not_depend_on_chunk_boundaries(lines: list[bytes], cuts: list[int]) -> None:
    member = b"\n".join(b"{" + line + b"}" if line else line for line in lines)
    points = sorted({0, len(member), *(min(cut, len(member)) for cut in cuts)})
    chunks = [member[a:b] for a, b in itertools.pairwise(points)]
    assert list(iter_records(chunks)) == list(iter_records([member]))
