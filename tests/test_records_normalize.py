"""`normalize`: every serialization, null sentinel and record fault of data-format.md §3 and the contracts."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

import orjson
import pytest

from oa_spark import reasons
from oa_spark.reader.records import ROW_TYPES, Quarantine, normalize

BODY = (
    "DETAILED ACTION\nNotice of Pre-AIA  or AIA  Status\nThe present application, filed on or after "
    "March 16, 2013, is being examined under the first inventor to file provisions of the AIA .\n"
    "Claims 1-7 are rejected under 35 U.S.C. 103 as being unpatentable over Laderach et al. (Chapter 42 - "
    "“Predicted Impact of Climate Change on Coffee Supply Chains”, pages 703-724, Nov 2009) in view of "
    "Linton et al. (US number='12'2014/0018950 A1), further in view of Eldering et al. (US 8,280,633 B1).\n"
    "Accordingly, THIS ACTION IS MADE FINAL. See MPEP § 706.07(a).\u00a0 "
)
SECTION_103 = (
    "Claims 1-7 are rejected under 35 U.S.C. 103 as being unpatentable over Laderach et al. (Chapter 42 - "
    "“Predicted Impact of Climate Change on Coffee Supply Chains”, pages 703-724, Nov 2009)"
)
RECORD_ID = "5e1f4a2b9c0d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b"

# A weekly-zip record as seen in real 2022 data (data-format.md §3): flat camelCase, scalar values, padding.
WEEKLY_CTFR: dict[str, Any] = {
    "accessLevelCategory": "PUBLIC",
    "aiaIndicator": True,
    "applicantFileReference": "1234-5678US ",
    "applicationDeemedWithdrawnDate": "0001-01-01",
    "applicationStatusNumber": 41,
    "applicationTypeCategory": "REGULAR",
    "bodyText": BODY,
    "businessAreaCategory": "PATENT",
    "businessEntityStatusCategory": "UNDISCOUNTED",
    "customerNumber": 22850,
    "documentActiveIndicator": "1",
    "documentDirectionCategory": "OUTGOING",
    "effectiveClaimTotalQuantity": 29,
    "effectiveFilingDate": "2014-07-21",
    "examinationProgramCode": "",
    "examinerEmployeeNumber": "70775 ",
    "figureQuantity": 12,
    "filingDate": "2014-07-21",
    "grantDate": "0001-01-01",
    "groupArtUnitNumber": 2128,
    "id": RECORD_ID,
    "independentClaimTotalQuantity": 3,
    "inventionSubjectMatterCategory": "UTILITY",
    "inventionTitle": "PREDICTING COFFEE SUPPLY CHAIN DISRUPTIONS ",
    "lastModifiedTimestamp": "2022-01-06T03:12:45",
    "lastModifiedUserIdentifier": "ETL ",
    "legacyCMSIdentifier": "J8080VPBRXEAPX5",
    "legacyDocumentCodeIdentifier": "CTFR",
    "nSRDCurrentLocationDate": "2022-01-05",
    "nSRDCurrentLocationNumber": "2128 ",
    "nationalClass": "706",
    "nationalSubclass": "012000",
    "obsoleteDocumentIdentifier": "J8080VPBRXEAPX5",
    "patentApplicationConfirmationNumber": 4321,
    "patentApplicationNumber": "14485382",
    "priorityClaimIndicator": "N",
    "priorityClaimRequirementMetIndicator": "null",
    "rejections": [
        {"label": "103()", "paragraph": "", "position": "389", "type": "103"},
        {"label": "112(b)", "paragraph": "b", "position": "1204", "type": "112"},
    ],
    "sections": {
        "officeActionIdentifier": RECORD_ID,
        "obsoleteDocumentIdentifier": "J8080VPBRXEAPX5",
        "patentApplicationNumber": "14485382",
        "legacyDocumentCodeIdentifier": "CTFR",
        "filingDate": "2014-07-21",
        "submissionDate": "2022-01-04",
        "grantDate": "0001-01-01",
        "techCenterNumber": "2100",
        "groupArtUnitNumber": "2128",
        "workGroupNumber": "2120",
        "nationalClass": "706",
        "nationalSubclass": "012000",
        "examinerEmployeeNumber": "70775",
        "section101RejectionText": "",
        "section103RejectionText": SECTION_103,
        "section112RejectionText": " ",
        "summaryText": "Claims 1-7 are pending.",
    },
    "sourceSystemName": "OC",
    "submissionDate": "2022-01-04",
    "systemCreateTimestamp": "2022-01-04T21:03:11",
    "systemLastModifiedTimestamp": "2022-01-06T03:12:45",
    "techCenter": "2100",
    "workGroup": "2120",
}

EXPECTED_WEEKLY_ROW: dict[str, Any] = {
    "document_id": "J8080VPBRXEAPX5",
    "record_id": RECORD_ID,
    "application_number": "14485382",
    "application_series": 14,
    "document_code": "CTFR",
    "mail_date": date(2022, 1, 4),
    "art_unit": "2128",
    "tech_center": "2100",
    "work_group": "2120",
    "examiner_id": "70775",
    "body_text": BODY,
    "record_hash": None,  # filled per test: sha256 of the raw bytes
    "last_modified": datetime(2022, 1, 6, 3, 12, 45),
    "access_level_category": "PUBLIC",
    "applicant_file_reference": "1234-5678US",
    "application_type_category": "REGULAR",
    "business_area_category": "PATENT",
    "business_entity_status_category": "UNDISCOUNTED",
    "document_active_indicator": "1",
    "document_direction_category": "OUTGOING",
    "examination_program_code": None,
    "invention_subject_matter_category": "UTILITY",
    "invention_title": "PREDICTING COFFEE SUPPLY CHAIN DISRUPTIONS",
    "last_modified_user_id": "ETL",
    "legacy_cms_id": "J8080VPBRXEAPX5",
    "nsrd_current_location_number": "2128",
    "national_class": "706",
    "national_subclass": "012000",
    "priority_claim_indicator": "N",
    "priority_claim_requirement_met_indicator": None,
    "source_system_name": "OC",
    "patent_number": None,
    "publication_number": None,
    "aia_indicator": True,
    "application_status_number": 41,
    "effective_claim_total_quantity": 29,
    "figure_quantity": 12,
    "independent_claim_total_quantity": 3,
    "customer_number": 22850,
    "patent_application_confirmation_number": 4321,
    "filing_date": date(2014, 7, 21),
    "effective_filing_date": date(2014, 7, 21),
    "grant_date": None,
    "application_deemed_withdrawn_date": None,
    "nsrd_current_location_date": date(2022, 1, 5),
    "system_create_timestamp": datetime(2022, 1, 4, 21, 3, 11),
    "system_last_modified_timestamp": datetime(2022, 1, 6, 3, 12, 45),
    "create_date_time": None,
    "rejection_hints": [
        {"label": "103()", "paragraph": None, "position": "389", "type": "103"},
        {"label": "112(b)", "paragraph": "b", "position": "1204", "type": "112"},
    ],
    "sections": {"section103RejectionText": SECTION_103, "summaryText": "Claims 1-7 are pending."},
    "serialization": "weekly",
}

# The same action as the Search API (Solr) serves it: one-element arrays, dotted sections, UTC-midnight dates.
SOLR_CTFR: dict[str, Any] = {
    "id": [RECORD_ID],
    "obsoleteDocumentIdentifier": ["J8080VPBRXEAPX5"],
    "patentApplicationNumber": ["14485382"],
    "legacyDocumentCodeIdentifier": ["CTFR"],
    "submissionDate": "2022-01-04T05:00:00Z",
    "filingDate": "2014-07-21T04:00:00Z",
    "grantDate": "0001-01-01T05:00:00Z",
    "applicationDeemedWithdrawnDate": "0000-12-30T05:00:00Z",
    "effectiveFilingDate": "0001-01-03T00:00:00",
    "createDateTime": "2023-10-03T00:00:00",
    "lastModifiedTimestamp": "2022-01-06T08:12:45Z",
    "groupArtUnitNumber": ["2128"],
    "techCenter": ["2100"],
    "workGroup": ["2120"],
    "examinerEmployeeNumber": ["70775 "],
    "inventionTitle": ["PREDICTING COFFEE SUPPLY CHAIN DISRUPTIONS"],
    "patentNumber": ["null"],
    "nationalClass": ["706"],
    "nationalSubclass": ["012000"],
    "sourceSystemName": ["OC"],
    "bodyText": [BODY],
    "sections.section103RejectionText": [SECTION_103],
    "sections.summaryText": ["Claims 1-7 are pending."],
    "sections.officeActionIdentifier": [RECORD_ID],
}

EXPECTED_SOLR_ROW: dict[str, Any] = {
    **dict.fromkeys(ROW_TYPES),
    "document_id": "J8080VPBRXEAPX5",
    "record_id": RECORD_ID,
    "application_number": "14485382",
    "application_series": 14,
    "document_code": "CTFR",
    "mail_date": date(2022, 1, 4),
    "art_unit": "2128",
    "tech_center": "2100",
    "work_group": "2120",
    "examiner_id": "70775",
    "body_text": BODY,
    "last_modified": datetime(2022, 1, 6, 8, 12, 45),
    "invention_title": "PREDICTING COFFEE SUPPLY CHAIN DISRUPTIONS",
    "national_class": "706",
    "national_subclass": "012000",
    "source_system_name": "OC",
    "filing_date": date(2014, 7, 21),
    "create_date_time": datetime(2023, 10, 3),
    "rejection_hints": [],
    "sections": {"section103RejectionText": SECTION_103, "summaryText": "Claims 1-7 are pending."},
    "serialization": "solr",
}

# An advisory action: no segmenter sections, the `workgroup` spelling, art unit as a padded string.
WEEKLY_CTAV: dict[str, Any] = {
    "obsoleteDocumentIdentifier": "KZQ1R7MPPXXIFW4",
    "patentApplicationNumber": "16123456",
    "legacyDocumentCodeIdentifier": "CTAV",
    "submissionDate": "2021-11-30",
    "groupArtUnitNumber": " 3621 ",
    "techCenter": "3600",
    "workgroup": "3620",
    "examinerEmployeeNumber": "88012 ",
    "sourceSystemName": "OACS",
    "lastModifiedTimestamp": "2021-12-01T11:00:00",
    "rejections": [{"label": "112(b)", "paragraph": "b", "position": "77", "type": "112"}],
    "bodyText": "Advisory Action Before the Filing of an Appeal Brief\nThe reply filed 11/01/2021 ...",
}


def raw_of(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record)


def row_of(record: dict[str, Any]) -> dict[str, Any]:
    result = normalize(raw_of(record))
    assert isinstance(result, dict), result
    return result


def quarantine_of(record: dict[str, Any] | bytes) -> Quarantine:
    raw = record if isinstance(record, bytes) else raw_of(record)
    result = normalize(raw, 7)
    assert isinstance(result, Quarantine), result
    return result


def with_fields(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of `base` with fields replaced; a value of `...` removes the field."""
    record = dict(base)
    for key, value in changes.items():
        if value is ...:
            record.pop(key, None)
        else:
            record[key] = value
    return record


# -- whole records -------------------------------------------------------------------------------------------


def test_weekly_record_normalizes_to_the_exact_contract_row() -> None:
    raw = raw_of(WEEKLY_CTFR)
    expected = {**EXPECTED_WEEKLY_ROW, "record_hash": hashlib.sha256(raw).hexdigest()}
    assert normalize(raw) == expected


def test_solr_record_normalizes_to_the_exact_contract_row() -> None:
    raw = raw_of(SOLR_CTFR)
    expected = {**EXPECTED_SOLR_ROW, "record_hash": hashlib.sha256(raw).hexdigest()}
    assert normalize(raw) == expected


def test_row_has_exactly_the_contract_keys_with_their_types() -> None:
    row = row_of(WEEKLY_CTFR)
    assert list(row) == list(ROW_TYPES)
    for key, value in row.items():
        assert value is None or type(value) is ROW_TYPES[key], key


def test_advisory_action_without_sections_has_empty_sections() -> None:
    assert row_of(WEEKLY_CTAV)["sections"] == {}


def test_record_hash_is_sha256_of_the_raw_bytes() -> None:
    raw = raw_of(WEEKLY_CTAV)
    assert row_of(WEEKLY_CTAV)["record_hash"] == hashlib.sha256(raw).hexdigest()


# -- serializations ------------------------------------------------------------------------------------------


def test_weekly_form_is_labelled_weekly() -> None:
    assert row_of(WEEKLY_CTAV)["serialization"] == "weekly"


def test_solr_form_is_labelled_solr() -> None:
    assert row_of(SOLR_CTFR)["serialization"] == "solr"


def test_odp_variant_reads_oatext_as_the_body() -> None:
    record = with_fields(WEEKLY_CTAV, bodyText=..., oaText="Notice of Allowability ...")
    assert row_of(record)["body_text"] == "Notice of Allowability ..."


def test_odp_variant_reads_documentcode_as_the_document_code() -> None:
    record = with_fields(WEEKLY_CTAV, legacyDocumentCodeIdentifier=..., documentCode=" noa ")
    assert row_of(record)["document_code"] == "NOA"


def test_odp_variant_is_labelled_odp() -> None:
    record = with_fields(
        WEEKLY_CTAV, bodyText=..., oaText="text", legacyDocumentCodeIdentifier=..., documentCode="NOA"
    )
    assert row_of(record)["serialization"] == "odp"


def test_solr_dotted_sections_keys_become_sections() -> None:
    record = with_fields(
        SOLR_CTFR, **{"sections.section112RejectionText": ["Claims 1-3 are rejected under 35 U.S.C. 112(b)"]}
    )
    assert (
        row_of(record)["sections"]["section112RejectionText"]
        == "Claims 1-3 are rejected under 35 U.S.C. 112(b)"
    )


def test_solr_record_id_falls_back_to_sections_office_action_identifier() -> None:
    record = with_fields(SOLR_CTFR, id=...)
    assert row_of(record)["record_id"] == RECORD_ID


def test_document_id_falls_back_to_sections() -> None:
    record = with_fields(WEEKLY_CTFR, obsoleteDocumentIdentifier=...)
    assert row_of(record)["document_id"] == "J8080VPBRXEAPX5"


def test_tech_center_falls_back_to_sections_tech_center_number() -> None:
    record = with_fields(WEEKLY_CTFR, techCenter=...)
    assert row_of(record)["tech_center"] == "2100"


# -- null sentinels ------------------------------------------------------------------------------------------

TEXT_NULLS = [None, "", " ", "   \t", "null", "NULL", " Null ", [], [None], [""], ["null"], [" "]]


@pytest.mark.parametrize("sentinel", TEXT_NULLS, ids=repr)
def test_text_null_sentinel_becomes_none(sentinel: Any) -> None:
    assert row_of(with_fields(WEEKLY_CTFR, inventionTitle=sentinel))["invention_title"] is None


def test_absent_text_field_becomes_none() -> None:
    assert row_of(with_fields(WEEKLY_CTFR, inventionTitle=...))["invention_title"] is None


@pytest.mark.parametrize("sentinel", TEXT_NULLS, ids=repr)
def test_integer_null_sentinel_becomes_none(sentinel: Any) -> None:
    assert row_of(with_fields(WEEKLY_CTFR, figureQuantity=sentinel))["figure_quantity"] is None


@pytest.mark.parametrize("sentinel", TEXT_NULLS, ids=repr)
def test_boolean_null_sentinel_becomes_none(sentinel: Any) -> None:
    assert row_of(with_fields(WEEKLY_CTFR, aiaIndicator=sentinel))["aia_indicator"] is None


@pytest.mark.parametrize(
    "sentinel",
    [
        *TEXT_NULLS,
        "0001-01-01",
        "0001-01-01T05:00:00Z",
        "0000-12-30T05:00:00Z",
        "0001-01-03T00:00:00",
        ["0001-01-01"],
    ],
    ids=repr,
)
def test_date_null_sentinel_becomes_none(sentinel: Any) -> None:
    assert row_of(with_fields(WEEKLY_CTFR, filingDate=sentinel))["filing_date"] is None


@pytest.mark.parametrize("sentinel", ["0001-01-01T00:00:00", "0000-12-30T05:00:00Z", "null", ""], ids=repr)
def test_timestamp_null_sentinel_becomes_none(sentinel: str) -> None:
    assert row_of(with_fields(WEEKLY_CTFR, lastModifiedTimestamp=sentinel))["last_modified"] is None


@pytest.mark.parametrize("sentinel", [None, "", "   ", "null", [], [""]], ids=repr)
def test_body_null_sentinel_becomes_none(sentinel: Any) -> None:
    assert row_of(with_fields(WEEKLY_CTFR, bodyText=sentinel))["body_text"] is None


def test_section_text_null_sentinel_is_left_out() -> None:
    sections = {"summaryText": "null", "section103RejectionText": SECTION_103}
    assert row_of(with_fields(WEEKLY_CTFR, sections=sections))["sections"] == {
        "section103RejectionText": SECTION_103
    }


def test_null_sections_object_gives_empty_sections() -> None:
    assert row_of(with_fields(WEEKLY_CTFR, sections=None))["sections"] == {}


def test_null_rejections_give_no_hints() -> None:
    assert row_of(with_fields(WEEKLY_CTFR, rejections=None))["rejection_hints"] == []


# -- dates and timestamps ------------------------------------------------------------------------------------


def test_utc_midnight_eastern_date_keeps_its_calendar_date() -> None:
    row = row_of(with_fields(WEEKLY_CTFR, submissionDate="2014-07-23T04:00:00Z"))
    assert row["mail_date"] == date(2014, 7, 23)


def test_date_with_zone_offset_is_never_shifted() -> None:
    row = row_of(with_fields(WEEKLY_CTFR, submissionDate="2014-07-23T23:30:00-05:00"))
    assert row["mail_date"] == date(2014, 7, 23)


def test_date_with_local_time_takes_the_calendar_date() -> None:
    assert row_of(with_fields(WEEKLY_CTFR, filingDate="2023-10-03T00:00:00"))["filing_date"] == date(
        2023, 10, 3
    )


def test_timestamp_without_zone_is_kept_as_written() -> None:
    row = row_of(with_fields(WEEKLY_CTFR, lastModifiedTimestamp="2022-01-06T03:12:45.123"))
    assert row["last_modified"] == datetime(2022, 1, 6, 3, 12, 45, 123000)


def test_timestamp_in_utc_is_naive_utc() -> None:
    row = row_of(with_fields(WEEKLY_CTFR, lastModifiedTimestamp="2022-01-06T03:12:45Z"))
    assert row["last_modified"] == datetime(2022, 1, 6, 3, 12, 45)


def test_timestamp_with_offset_is_converted_to_naive_utc() -> None:
    row = row_of(with_fields(WEEKLY_CTFR, lastModifiedTimestamp="2022-01-05T22:12:45-05:00"))
    assert row["last_modified"] == datetime(2022, 1, 6, 3, 12, 45)


def test_date_only_timestamp_is_midnight() -> None:
    row = row_of(with_fields(WEEKLY_CTFR, systemCreateTimestamp="2022-01-04"))
    assert row["system_create_timestamp"] == datetime(2022, 1, 4)


# -- identifiers and codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("14485382", "14485382"),
        ("9123456", "09123456"),
        (9123456, "09123456"),
        ("123", "00000123"),
        (" 14485382 ", "14485382"),
        ("14/485,382", "14485382"),
        (["14485382"], "14485382"),
    ],
    ids=repr,
)
def test_application_number_is_an_eight_digit_string(value: Any, expected: str) -> None:
    assert row_of(with_fields(WEEKLY_CTFR, patentApplicationNumber=value))["application_number"] == expected


def test_application_series_is_the_first_two_digits() -> None:
    assert row_of(with_fields(WEEKLY_CTFR, patentApplicationNumber="9123456"))["application_series"] == 9


def test_examiner_id_is_trimmed() -> None:
    assert row_of(WEEKLY_CTAV)["examiner_id"] == "88012"


def test_integer_examiner_id_becomes_text() -> None:
    assert row_of(with_fields(WEEKLY_CTAV, examinerEmployeeNumber=70775))["examiner_id"] == "70775"


def test_integer_art_unit_becomes_text() -> None:
    assert row_of(WEEKLY_CTFR)["art_unit"] == "2128"


def test_padded_art_unit_is_trimmed() -> None:
    assert row_of(WEEKLY_CTAV)["art_unit"] == "3621"


def test_lowercase_workgroup_spelling_is_read() -> None:
    assert row_of(WEEKLY_CTAV)["work_group"] == "3620"


def test_camelcase_workgroup_wins_over_lowercase_spelling() -> None:
    assert row_of(with_fields(WEEKLY_CTAV, workGroup="3610"))["work_group"] == "3610"


def test_work_group_falls_back_to_sections_work_group_number() -> None:
    assert row_of(with_fields(WEEKLY_CTFR, workGroup=...))["work_group"] == "2120"


def test_document_code_is_upper_case_and_trimmed() -> None:
    assert row_of(with_fields(WEEKLY_CTAV, legacyDocumentCodeIdentifier=" ctnf "))["document_code"] == "CTNF"


def test_document_id_is_trimmed() -> None:
    assert row_of(with_fields(WEEKLY_CTAV, obsoleteDocumentIdentifier=" KZQ1R7MPPXXIFW4 "))[
        "document_id"
    ] == ("KZQ1R7MPPXXIFW4")


# -- values --------------------------------------------------------------------------------------------------


def test_body_text_is_kept_exactly_as_shipped() -> None:
    body = (
        "  \u00a0DETAILED ACTION “§ 103” 5 µm _x000d_\n"
        "  PNG media_image1.png 172 172 media_image1.png Greyscale  \n"
    )
    assert row_of(with_fields(WEEKLY_CTAV, bodyText=body))["body_text"] == body


def test_section_texts_are_kept_exactly_as_shipped() -> None:
    text = " Claims 1-3 are rejected under 35 U.S.C. 112(b) \n"
    row = row_of(with_fields(WEEKLY_CTFR, sections={"section112RejectionText": text}))
    assert row["sections"] == {"section112RejectionText": text}


def test_only_text_valued_sections_are_kept() -> None:
    row = row_of(WEEKLY_CTFR)
    assert set(row["sections"]) == {"section103RejectionText", "summaryText"}


def test_rejection_hints_keep_four_text_keys() -> None:
    hints = [{"label": "102(a)(1)", "position": 389, "type": "102", "extra": "ignored"}]
    row = row_of(with_fields(WEEKLY_CTFR, rejections=hints))
    assert row["rejection_hints"] == [
        {"label": "102(a)(1)", "paragraph": None, "position": "389", "type": "102"}
    ]


def test_repeated_rejection_hints_are_kept_as_shipped() -> None:
    hint = {"label": "103()", "paragraph": "", "position": "389", "type": "103"}
    row = row_of(with_fields(WEEKLY_CTFR, rejections=[hint, hint]))
    assert len(row["rejection_hints"]) == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("true", True), ("FALSE", False), (" Y ", True), ("N", False), (1, True)],
    ids=repr,
)
def test_aia_indicator_becomes_a_boolean(value: Any, expected: bool) -> None:
    assert row_of(with_fields(WEEKLY_CTFR, aiaIndicator=value))["aia_indicator"] is expected


def test_integer_field_given_as_digits_becomes_an_integer() -> None:
    assert (
        row_of(with_fields(WEEKLY_CTFR, effectiveClaimTotalQuantity=" 20 "))["effective_claim_total_quantity"]
        == 20
    )


def test_patent_number_null_inside_an_array_becomes_none() -> None:
    assert row_of(with_fields(SOLR_CTFR, patentNumber=["null"]))["patent_number"] is None


def test_integer_patent_number_becomes_text() -> None:
    assert row_of(with_fields(WEEKLY_CTFR, patentNumber=10123456))["patent_number"] == "10123456"


# -- record faults -------------------------------------------------------------------------------------------


def test_bytes_that_are_not_utf8_are_invalid_utf8() -> None:
    assert (
        quarantine_of(b'{"obsoleteDocumentIdentifier": "J8080\xff\xfeAPX5"}').reason == reasons.INVALID_UTF8
    )


@pytest.mark.parametrize(
    "raw", [b'{"obsoleteDocumentIdentifier": ', b"not json", b"{'a': 1}", b"\xef\xbb\xbf{}"]
)
def test_text_that_is_not_json_is_invalid_json(raw: bytes) -> None:
    assert quarantine_of(raw).reason == reasons.INVALID_JSON


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"a string"', b"42", b"null", b"true"])
def test_json_that_is_not_an_object_is_not_object(raw: bytes) -> None:
    assert quarantine_of(raw).reason == reasons.NOT_OBJECT


@pytest.mark.parametrize("value", [..., None, "", "  ", "null", []], ids=repr)
def test_record_without_document_id_is_missing_document_id(value: Any) -> None:
    record = with_fields(WEEKLY_CTAV, obsoleteDocumentIdentifier=value)
    assert quarantine_of(record).reason == reasons.MISSING_DOCUMENT_ID


@pytest.mark.parametrize("value", [..., None, "", " ", "null", [None]], ids=repr)
def test_record_without_application_number_is_missing_application_number(value: Any) -> None:
    record = with_fields(WEEKLY_CTAV, patentApplicationNumber=value)
    assert quarantine_of(record).reason == reasons.MISSING_APPLICATION_NUMBER


@pytest.mark.parametrize(
    "value",
    [
        "PCT/US2014/012345",
        "123456789",
        "14-485382",
        "14485382A",
        "１４４８５３８２",
        -1234,
        1.5,
        True,
        {"n": "1"},
    ],
    ids=repr,
)
def test_application_number_that_is_not_one_to_eight_digits_is_bad_application_number(value: Any) -> None:
    record = with_fields(WEEKLY_CTAV, patentApplicationNumber=value)
    assert quarantine_of(record).reason == reasons.BAD_APPLICATION_NUMBER


@pytest.mark.parametrize(
    "value",
    ["2021-02-30", "garbage", "2021-13-01", "2021-1-5", "04/01/2021", "2021-01-01T25:00:00", 20210101],
)
def test_impossible_or_unparseable_mail_date_is_bad_date(value: Any) -> None:
    assert quarantine_of(with_fields(WEEKLY_CTAV, submissionDate=value)).reason == reasons.BAD_DATE


def test_date_in_full_width_digits_is_bad_date() -> None:
    assert (
        quarantine_of(with_fields(WEEKLY_CTAV, submissionDate="２０２１-０１-０４")).reason
        == reasons.BAD_DATE
    )


def test_timestamp_beyond_year_9999_in_utc_is_bad_date() -> None:
    record = with_fields(WEEKLY_CTAV, lastModifiedTimestamp="9999-12-31T23:00:00-05:00")
    assert quarantine_of(record).reason == reasons.BAD_DATE


def test_impossible_application_level_date_is_bad_date() -> None:
    assert quarantine_of(with_fields(WEEKLY_CTFR, filingDate="2014-02-29")).reason == reasons.BAD_DATE


@pytest.mark.parametrize("value", [42, {"text": "x"}, ["part one", "part two"], True], ids=repr)
def test_body_that_is_not_text_is_bad_body(value: Any) -> None:
    assert quarantine_of(with_fields(WEEKLY_CTAV, bodyText=value)).reason == reasons.BAD_BODY


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("figureQuantity", "many"),
        ("figureQuantity", 2**40),
        ("customerNumber", {"n": 1}),
        ("groupArtUnitNumber", "21XX"),
        ("inventionTitle", {"title": "x"}),
        ("patentNumber", ["10123456", "10123457"]),
        ("aiaIndicator", "maybe"),
        ("rejections", "103"),
        ("rejections", ["103"]),
        ("rejections", [{"label": {"x": 1}}]),
        ("sections", "Claims 1-7 are rejected"),
        ("sections", {"summaryText": 12}),
    ],
    ids=repr,
)
def test_wrong_typed_field_is_bad_field(key: str, value: Any) -> None:
    assert quarantine_of(with_fields(WEEKLY_CTFR, **{key: value})).reason == reasons.BAD_FIELD


# -- quarantine rows -----------------------------------------------------------------------------------------


def test_quarantine_names_the_faulty_field() -> None:
    assert "submissionDate" in quarantine_of(with_fields(WEEKLY_CTAV, submissionDate="2021-02-30")).message


def test_quarantine_carries_the_document_id_when_it_could_be_read() -> None:
    assert quarantine_of(with_fields(WEEKLY_CTAV, submissionDate="garbage")).document_id == "KZQ1R7MPPXXIFW4"


def test_quarantine_carries_the_document_id_even_when_sections_are_bad() -> None:
    assert quarantine_of(with_fields(WEEKLY_CTAV, sections=[1])).document_id == "KZQ1R7MPPXXIFW4"


def test_quarantine_without_a_readable_document_id_has_none() -> None:
    assert quarantine_of(b"not json").document_id is None


def test_quarantine_carries_the_line_number() -> None:
    assert quarantine_of(b"not json").line_number == 7


def test_quarantine_raw_sha256_hashes_all_the_raw_bytes() -> None:
    raw = raw_of(with_fields(WEEKLY_CTFR, submissionDate="garbage"))
    assert quarantine_of(raw).raw_sha256 == hashlib.sha256(raw).hexdigest()


def test_quarantine_raw_prefix_is_the_first_1024_characters() -> None:
    raw = raw_of(with_fields(WEEKLY_CTFR, submissionDate="garbage"))
    assert quarantine_of(raw).raw_prefix == raw.decode()[:1024]


def test_quarantine_raw_prefix_counts_characters_not_bytes() -> None:
    raw = ('{"bodyText": "' + "§" * 2000 + '"').encode()
    assert quarantine_of(raw).raw_prefix == ('{"bodyText": "' + "§" * 2000)[:1024]


def test_quarantine_raw_prefix_replaces_bytes_that_are_not_utf8() -> None:
    assert quarantine_of(b'{"a": "\xff"}').raw_prefix == '{"a": "\ufffd"}'


def test_quarantine_as_dict_has_the_quarantine_columns() -> None:
    assert set(quarantine_of(b"not json").as_dict()) == {
        "line_number",
        "reason",
        "message",
        "raw_prefix",
        "raw_sha256",
        "document_id",
    }


def test_publication_number_is_kept_for_the_graph_mapping() -> None:
    row = row_of(with_fields(WEEKLY_CTAV, publicationNumber=" US20180123456A1 "))
    assert row["publication_number"] == "US20180123456A1"
    assert row_of(with_fields(WEEKLY_CTAV, publicationNumber="null"))["publication_number"] is None
