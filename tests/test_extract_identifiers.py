"""Document numbers → canonical ids (docs/contracts.md), and the numbers that must never be documents."""

from __future__ import annotations

import pytest

from oa_spark.extract import clean_text, find_documents, strip_kind

POSITIVE = [
    # US patents
    ("US 8,280,633 B1", "US-8280633-B1", "us_patent", "US"),
    ("Smith (US 8204846) teaches", "US-8204846", "us_patent", "US"),
    ("US 9,280,610 B2", "US-9280610-B2", "us_patent", "US"),
    ("US9280610B2", "US-9280610-B2", "us_patent", "US"),
    ("US-9280610-B2", "US-9280610-B2", "us_patent", "US"),
    ("Crawford (7659971)", "US-7659971", "us_patent", "US"),
    ("U.S. Patent No. 10,123,456", "US-10123456", "us_patent", "US"),
    ("U.S. Pat. No. 5,123,456 to Hansen", "US-5123456", "us_patent", "US"),
    ("Patent No. 7,531,642 discloses", "US-7531642", "us_patent", "US"),
    ("USPN 6,789,012", "US-6789012", "us_patent", "US"),
    ("7654321 B2 discloses", "US-7654321-B2", "us_patent", "US"),
    ("Brown (US 5,987,654 A)", "US-5987654-A", "us_patent", "US"),
    # US publications
    ("US 20140018950 A1", "US-20140018950-A1", "us_publication", "US"),
    ("US 2013/0325347 A1", "US-20130325347-A1", "us_publication", "US"),
    ("US 2013/0231906", "US-20130231906", "us_publication", "US"),
    ("Beall et al. (2009/0220736 A1)", "US-20090220736-A1", "us_publication", "US"),
    ("US-20060075466-A1", "US-20060075466-A1", "us_publication", "US"),
    ("US20060075466A1", "US-20060075466-A1", "us_publication", "US"),
    ("see 20060075466 at [0012]", "US-20060075466", "us_publication", "US"),
    ("U.S. Patent Application Publication No. 2015/0246810", "US-20150246810", "us_publication", "US"),
    ("U.S. Pub. No. 2016/0135791 A1", "US-20160135791-A1", "us_publication", "US"),
    ("Merkel (US 20090220736 A)", "US-20090220736-A", "us_publication", "US"),  # kind typo kept
    ("Kumar (US 2013/02319061 A1)", "US-201302319061-A1", "us_publication", "US"),  # malformed, not fixed
    ("US number='12'2014/0018950 A1", "US-20140018950-A1", "us_publication", "US"),  # page marker spliced
    # reissue, design, plant
    ("US RE38,124 E", "US-RE38124-E", "us_reissue", "US"),
    ("U.S. Patent No. RE38,124", "US-RE38124", "us_reissue", "US"),
    ("RE38,124 shows", "US-RE38124", "us_reissue", "US"),
    ("US D456,789 S", "US-D456789-S", "us_design", "US"),
    ("D456,789 shows", "US-D456789", "us_design", "US"),
    ("PP12,345", "US-PP12345", "us_plant", "US"),
    ("US PP12,345 P3", "US-PP12345-P3", "us_plant", "US"),
    # applications
    ("copending Application No. 16/123,456", "16123456", "us_application", "US"),
    ("Application Serial No. 16123456", "16123456", "us_application", "US"),
    ("U.S. Application No. 16123456", "16123456", "us_application", "US"),
    ("application 14/123456 filed", "14123456", "us_application", "US"),
    # foreign
    ("EP 1 234 567 A2", "EP-1234567-A2", "foreign", "EP"),
    ("EP1234567A2", "EP-1234567-A2", "foreign", "EP"),
    ("EP 0 123 456 A1", "EP-0123456-A1", "foreign", "EP"),
    ("WO 2016/012345 A1", "WO-2016012345-A1", "foreign", "WO"),
    ("WO2016012345A1", "WO-2016012345-A1", "foreign", "WO"),
    ("WO 99/12345", "WO-1999012345", "foreign", "WO"),
    ("JP 2015-123456 A", "JP-2015123456-A", "foreign", "JP"),
    ("JP2004-332099", "JP-2004332099", "foreign", "JP"),
    ("JP 01126157 A", "JP-01126157-A", "foreign", "JP"),  # era-prefixed, kept as written
    ("JP H10-123456 A", "JP-H10123456-A", "foreign", "JP"),
    ("JP 5123456 B2", "JP-5123456-B2", "foreign", "JP"),
    ("CN 105123456 A", "CN-105123456-A", "foreign", "CN"),
    ("KR 10-2018-0012345 A", "KR-1020180012345-A", "foreign", "KR"),
    ("KR 10-1234567 B1", "KR-101234567-B1", "foreign", "KR"),
    ("DE 10 2016 012 345 A1", "DE-102016012345-A1", "foreign", "DE"),
    ("DE102016012345A1", "DE-102016012345-A1", "foreign", "DE"),
    ("DE 4123456 A1", "DE-4123456-A1", "foreign", "DE"),
    ("GB 2 345 678 A", "GB-2345678-A", "foreign", "GB"),
    ("FR 2,123,456 A1", "FR-2123456-A1", "foreign", "FR"),
    ("CA 2123456 A1", "CA-2123456-A1", "foreign", "CA"),
    ("Japanese Patent Publication No. 2004-123456", "JP-2004123456", "foreign", "JP"),
    ("European Patent No. 1,234,567", "EP-1234567", "foreign", "EP"),
    ("Japanese Unexamined Patent Application Publication No. 2004-123456", "JP-2004123456", "foreign", "JP"),
    ("International Publication No. 2016/012345", "WO-2016012345", "foreign", "WO"),
    ("the Japanese reference and Patent No. 7,531,642", "US-7531642", "us_patent", "US"),
    ("Steinhauer; Elena, 7356823", "US-7356823", "us_patent", "US"),
    ("4904064 to Stavropoulos et al. teaches", "US-4904064", "us_patent", "US"),
    ("copending U.S. Application No. 16/98,188", "16098188", "us_application", "US"),
    ("Gr\u00fcnewald (USD658838S)", "US-D658838-S", "us_design", "US"),
]


@pytest.mark.parametrize(("text", "doc_id", "kind", "country"), POSITIVE, ids=[p[0] for p in POSITIVE])
def test_identifier_shapes(text: str, doc_id: str, kind: str, country: str) -> None:
    documents = find_documents(clean_text(text))
    assert [(d.id, d.kind, d.country) for d in documents] == [(doc_id, kind, country)]
    assert documents[0].key == strip_kind(doc_id)


NEGATIVE = [
    "Graham v. John Deere Co., 383 U.S. 1, 148 USPQ 459 (1966)",
    "KSR Int'l Co. v. Teleflex Inc., 550 U.S. 398, 82 USPQ2d 1385 (2007)",
    "In re Kahn, 441 F.3d 977, 988, 78 USPQ2d 1329, 1336 (Fed. Cir. 2006)",
    "See MPEP § 2141.01(a) and MPEP 706.07(a)",
    "37 CFR 1.136(a) and 37 CFR 1.111(b)",
    "col. 8 lines 34-42; column 12, lines 1-15",
    "paragraphs [0046]-[0052] and [0102]",
    "pages 703-724, Nov 2009, page 12, lines 3-4",
    "claims 1, 2, 4, 8, 9, 11, 15, 17, 21 and 23",
    "claims 1-6, 10-14, 19-21, and 23-29, 33-37, and 39",
    "filed 07/23/2021, mailed 2021-07-23, on March 16, 2013",
    "telephone number is (571)272-1234 or (571) 272-1234",
    "call 571-272-1234 or 571.272.1234 or 5712721234",
    "fax 571-273-8300",
    "Examiner 70775, Art Unit 2128, Confirmation No. 1234",
    "Alexandria, Virginia 22313-1450",
    "a weight of 1,000,000 Da and 250,000 units",
    "International Application No. PCT/US2016/012345",
    "Application/Control Number: 15/485,382 Page 2 Art Unit: 2128",
    "in the year 2009 and 2014/07/23",
    "Fig. 6, element 1234, step 20140",
    "US 1 2 3 4 5 6 7 8 9",
    "the EPO D1 document and D2",
    "a size of 5, 1234567 units and 7654321 to 7654400",
    "filed 12/25,2014 and 12/25/2014",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_numbers_that_are_never_documents(text: str) -> None:
    assert find_documents(clean_text(text)) == []


def test_several_documents_in_order_with_raw_text() -> None:
    text = clean_text(
        "over Luvalle (US 2013/0231906) in view of Giunta et al. (US 2015/0193713) and Leblanc (EP 1 234 567 "
        "A2)."
    )
    documents = find_documents(text)
    assert [d.id for d in documents] == ["US-20130231906", "US-20150193713", "EP-1234567-A2"]
    assert [d.raw for d in documents] == ["US 2013/0231906", "US 2015/0193713", "EP 1 234 567 A2"]
    assert all(text[d.start : d.end] == d.raw for d in documents)


def test_patent_nos_list_gives_every_number() -> None:
    documents = find_documents("claims 1-10 of U.S. Patent Nos. 8,123,456, 9,234,567 and 10,345,678 B2.")
    assert [d.id for d in documents] == ["US-8123456", "US-9234567", "US-10345678-B2"]


def test_one_letter_kind_is_not_the_article_of_the_next_sentence() -> None:
    assert [d.id for d in find_documents("as shown in US 8204846 A method of")] == ["US-8204846"]
    assert [d.id for d in find_documents("Merkel (US 20090220736 A) in view of")] == ["US-20090220736-A"]


@pytest.mark.parametrize(
    ("doc_id", "key"),
    [
        ("US-9280610-B2", "US-9280610"),
        ("US-9280610", "US-9280610"),
        ("KR-1020180012345-A", "KR-1020180012345"),
        ("16123456", "16123456"),
        ("US-RE38124-E", "US-RE38124"),
    ],
)
def test_strip_kind(doc_id: str, key: str) -> None:
    assert strip_kind(doc_id) == key
