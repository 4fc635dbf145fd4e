"""Hand-written office-action passages with their full expected extraction.

The passages follow the public USPTO form paragraphs (MPEP ¶ 7.xx, 8.3x) and the real excerpts of
data-format.md §4, with the artifacts seen in real bodies. Each passage states every ground (label, statute,
claims, references), every patent citation (kind, relied upon), the NPL count and the quality flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from oa_spark.extract import extract

G = tuple[str, str, list[int], list[str]]


@dataclass(frozen=True)
class Passage:
    id: str
    text: str
    grounds: list[G]
    cited: dict[str, tuple[str, bool]]
    npl: int = 0
    npl_relied: int | None = None
    flags: tuple[str, ...] = ()
    summary: dict[str, Any] = field(default_factory=dict)


def r(first: int, last: int) -> list[int]:
    return list(range(first, last + 1))


PASSAGES = [
    Passage(
        "fp7.21.aia-two-references",
        "Claims 1-5 are rejected under 35 U.S.C. 103 as being unpatentable over Smith (US 2014/0018950 A1) "
        "in "
        "view of Jones (US 8,280,633 B1).",
        [("103", "103", r(1, 5), ["US-20140018950-A1", "US-8280633-B1"])],
        {"US-20140018950-A1": ("us_publication", True), "US-8280633-B1": ("us_patent", True)},
        summary={"rejection_103": True, "cite103_max": 2, "rejection_102": False},
    ),
    Passage(
        "fp7.15.aia-102a1-oacs-is-are",
        "Claim(s) 1, 3 and 5 is/are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Tanaka "
        "(JP 2015-123456 A).",
        [("102(a)(1)", "102", [1, 3, 5], ["JP-2015123456-A"])],
        {"JP-2015123456-A": ("foreign", True)},
        summary={"rejection_102": True, "cite103_max": 0},
    ),
    Passage(
        "fp7.15.aia-102a2",
        "Claims 2-4 are rejected under 35 U.S.C. 102(a)(2) as being anticipated by Lee et al. (US "
        "2019/0123456 A1).",
        [("102(a)(2)", "102", [2, 3, 4], ["US-20190123456-A1"])],
        {"US-20190123456-A1": ("us_publication", True)},
    ),
    Passage(
        "fp7.15-pre-aia-102b",
        "Claims 1-10 are rejected under pre-AIA 35 U.S.C. 102(b) as being anticipated by Miller (US "
        "6,123,456).",
        [("102(b)", "102", r(1, 10), ["US-6123456"])],
        {"US-6123456": ("us_patent", True)},
    ),
    Passage(
        "fp7.12-pre-aia-102e-no-verb",
        "Claim 7 rejected under 35 U.S.C. 102(e) as being anticipated by Chen (US 7,654,321 B2).",
        [("102(e)", "102", [7], ["US-7654321-B2"])],
        {"US-7654321-B2": ("us_patent", True)},
    ),
    Passage(
        "fp7.21-pre-aia-103a-foreign-secondary",
        "Claims 1-3 are rejected under 35 U.S.C. 103(a) as being unpatentable over Brown (US 5,987,654 A) in "
        "view of Green (EP 1 234 567 A2).",
        [("103", "103", [1, 2, 3], ["US-5987654-A", "EP-1234567-A2"])],
        {"US-5987654-A": ("us_patent", True), "EP-1234567-A2": ("foreign", True)},
    ),
    Passage(
        "102-without-subsection",
        "Claims 1-3 are rejected under 35 U.S.C. 102 as being anticipated by Wu (CN 105123456 A).",
        [("102", "102", [1, 2, 3], ["CN-105123456-A"])],
        {"CN-105123456-A": ("foreign", True)},
    ),
    Passage(
        "fp7.34.01-112b-or-pre-aia-second-paragraph",
        "Claims 1-3 are rejected under 35 U.S.C. 112(b) or 35 U.S.C. 112 (pre-AIA ), second paragraph, as "
        "being "
        "indefinite for failing to particularly point out and distinctly claim the subject matter which the "
        "inventor or a joint inventor (or for applications subject to pre-AIA 35 U.S.C. 112, the applicant), "
        'regards as the invention. Claim 1 recites the limitation "the lever" in line 3. There is '
        "insufficient "
        "antecedent basis for this limitation in the claim.",
        [("112(b)", "112", [1, 2, 3], [])],
        {},
        summary={"rejection_112": True},
    ),
    Passage(
        "fp7.31.01-112a-written-description",
        "Claims 4-6 are rejected under 35 U.S.C. 112(a) or 35 U.S.C. 112 (pre-AIA), first paragraph, as "
        "failing "
        "to comply with the written description requirement. The claim(s) contains subject matter which was "
        "not "
        "described in the specification in such a way as to reasonably convey to one skilled in the relevant "
        "art "
        "that the inventor had possession of the claimed invention.",
        [("112(a)", "112", [4, 5, 6], [])],
        {},
    ),
    Passage(
        "fp7.31.02-112a-enablement-scope",
        "Claims 1-8 are rejected under 35 U.S.C. 112(a) or 35 U.S.C. 112 (pre-AIA), first paragraph, because "
        "the "
        "specification, while being enabling for a polymer of formula I, does not reasonably provide "
        "enablement "
        "for every polymer.",
        [("112(a)", "112", r(1, 8), [])],
        {},
    ),
    Passage(
        "112-first-paragraph-old-style",
        "Claims 1-3 are rejected under 35 U.S.C. 112, first paragraph, as failing to comply with the "
        "enablement "
        "requirement.",
        [("112(a)", "112", [1, 2, 3], [])],
        {},
    ),
    Passage(
        "fp7.36-112d-4th-paragraph",
        "Claim 5 is rejected under 35 U.S.C. 112(d) or pre-AIA 35 U.S.C. 112, 4th paragraph, as being of "
        "improper "
        "dependent form for failing to further limit the subject matter of the claim upon which it depends.",
        [("112(d)", "112", [5], [])],
        {},
    ),
    Passage(
        "112-fourth-paragraph-words",
        "Claim 12 is rejected under 35 U.S.C. 112, fourth paragraph, as being of improper dependent form.",
        [("112(d)", "112", [12], [])],
        {},
    ),
    Passage(
        "112-without-paragraph",
        "Claims 4-6 are rejected under 35 U.S.C. 112 as being indefinite.",
        [("112", "112", [4, 5, 6], [])],
        {},
    ),
    Passage(
        "112-paragraph-sign",
        "Claims 7 and 8 are rejected under 35 U.S.C. § 112, ¶ 2 as being indefinite.",
        [("112(b)", "112", [7, 8], [])],
        {},
    ),
    Passage(
        "112-2nd-paragraph-usc",
        "Claims 9-11 are rejected under 35 USC 112, 2nd paragraph, as being indefinite.",
        [("112(b)", "112", [9, 10, 11], [])],
        {},
    ),
    Passage(
        "101-judicial-exception",
        "Claims 1-20 rejected under 35 U.S.C. 101 because the claimed invention is directed to a judicial "
        "exception (i.e., a law of nature, a natural phenomenon, or an abstract idea) without significantly "
        "more.",
        [("101", "101", r(1, 20), [])],
        {},
        summary={"rejection_101": True, "rejection_dp": False},
    ),
    Passage(
        "fp7.05.02-101-utility-and-112a",
        "Claims 1-3 are rejected under 35 U.S.C. 101 because the claimed invention is not supported by "
        "either a "
        "specific and substantial asserted utility or a well established utility. Claims 1-3 are also "
        "rejected "
        "under 35 U.S.C. 112(a) or 35 U.S.C. 112 (pre-AIA), first paragraph. Specifically, since the claimed "
        "invention is not supported by a specific and substantial asserted utility, one skilled in the art "
        "clearly would not know how to use the claimed invention.",
        [("101", "101", [1, 2, 3], []), ("112(a)", "112", [1, 2, 3], [])],
        {},
    ),
    Passage(
        "101-and-112a-one-sentence",
        "Claims 1-5 are rejected under 35 U.S.C. 101 and 35 U.S.C. 112(a) as lacking utility.",
        [("101", "101", r(1, 5), []), ("112(a)", "112", r(1, 5), [])],
        {},
    ),
    Passage(
        "fp8.31-statutory-double-patenting",
        "Claims 1-3 are rejected under 35 U.S.C. 101 as claiming the same invention as that of claims 1-3 of "
        "prior U.S. Patent No. 9,876,543. This is a statutory double patenting rejection.",
        [("dp", "dp", [1, 2, 3], ["US-9876543"])],
        {"US-9876543": ("us_patent", True)},
        summary={"rejection_dp": True, "rejection_101": False},
    ),
    Passage(
        "fp8.34-nonstatutory-double-patenting",
        "Claims 1-20 are rejected on the ground of nonstatutory double patenting as being unpatentable over "
        "claims 1-18 of U.S. Patent No. 10,123,456. Although the claims at issue are not identical, they are "
        "not "
        "patentably distinct from each other because claim 1 of the patent anticipates claim 1 of the "
        "application.",
        [("dp", "dp", r(1, 20), ["US-10123456"])],
        {"US-10123456": ("us_patent", True)},
    ),
    Passage(
        "fp8.35-provisional-copending-application",
        "Claims 1-20 are provisionally rejected on the ground of nonstatutory double patenting as being "
        "unpatentable over claims 1-18 of copending Application No. 16/123,456 (reference application). This "
        "is "
        "a provisional nonstatutory double patenting rejection because the patentably indistinct claims have "
        "not "
        "in fact been patented.",
        [("dp", "dp", r(1, 20), ["16123456"])],
        {"16123456": ("us_application", True)},
    ),
    Passage(
        "fp8.36-obviousness-type-with-secondary",
        "Claims 1-4 are rejected on the ground of nonstatutory obviousness-type double patenting as being "
        "unpatentable over claim 1 of U.S. Patent No. 10,987,654 in view of Kim (KR 10-2018-0012345 A).",
        [("dp", "dp", [1, 2, 3, 4], ["US-10987654", "KR-1020180012345-A"])],
        {"US-10987654": ("us_patent", True), "KR-1020180012345-A": ("foreign", True)},
    ),
    Passage(
        "fp8.32-provisional-statutory-double-patenting",
        "Claims 1-2 are provisionally rejected under 35 U.S.C. 101 as claiming the same invention as that of "
        "claims 1-2 of copending Application No. 17/234,567 (reference application).",
        [("dp", "dp", [1, 2], ["17234567"])],
        {"17234567": ("us_application", True)},
    ),
    Passage(
        "double-patenting-over-patent-nos-list",
        "Claims 1-10 are rejected on the ground of nonstatutory double patenting as being unpatentable over "
        "claims 1-10 of U.S. Patent Nos. 8,123,456 and 9,234,567.",
        [("dp", "dp", r(1, 10), ["US-8123456", "US-9234567"])],
        {"US-8123456": ("us_patent", True), "US-9234567": ("us_patent", True)},
    ),
    Passage(
        "alternative-102a1-or-103-aia",
        "Claims 1-4 are rejected under 35 U.S.C. 102(a)(1) as anticipated by or, in the alternative, under "
        "35 "
        "U.S.C. 103 as obvious over Nakamura (WO 2016/012345 A1).",
        [
            ("102(a)(1)", "102", [1, 2, 3, 4], ["WO-2016012345-A1"]),
            ("103", "103", [1, 2, 3, 4], ["WO-2016012345-A1"]),
        ],
        {"WO-2016012345-A1": ("foreign", True)},
    ),
    Passage(
        "alternative-102b-or-103a-pre-aia",
        "Claim 9 is rejected under 35 U.S.C. 102(b) as anticipated by Garcia (US 4,567,890) or, in the "
        "alternative, under 35 U.S.C. 103(a) as obvious over Garcia.",
        [("102(b)", "102", [9], ["US-4567890"]), ("103", "103", [9], ["US-4567890"])],
        {"US-4567890": ("us_patent", True)},
    ),
    Passage(
        "data-format-103-chain-as-applied",
        "Claims 1-6, 10-14, 19-21, and 23-29, 33-37, and 39 is/are rejected under 35 U.S.C. 103 as being "
        "unpatentable over Luvalle (US 2013/0231906) in view of Giunta et al. (US 2015/0193713) and Leblanc "
        "(US 20140372039).\nRegarding claim 1, Luvalle teaches a sensor.\nClaims 7-9 are rejected under 35 "
        "U.S.C. "
        "103 as being unpatentable over Luvalle in view of Giunta and Leblanc as applied to claim 1 above, "
        "and "
        "further in view of Crawford et al. (US 8204846).",
        [
            (
                "103",
                "103",
                [*r(1, 6), *r(10, 14), *r(19, 21), *r(23, 29), *r(33, 37), 39],
                ["US-20130231906", "US-20150193713", "US-20140372039"],
            ),
            ("103", "103", [7, 8, 9], ["US-20130231906", "US-20150193713", "US-20140372039", "US-8204846"]),
        ],
        {
            "US-20130231906": ("us_publication", True),
            "US-20150193713": ("us_publication", True),
            "US-20140372039": ("us_publication", True),
            "US-8204846": ("us_patent", True),
        },
        summary={"cite103_max": 4},
    ),
    Passage(
        "fp7.22-as-applied-unnamed-base",
        "Claims 1-3 are rejected under 35 U.S.C. 103 as being unpatentable over Adams (US 7,111,111 B1) in "
        "view of "
        "Baker (US 2012/0111111 A1). Claim 4 is rejected under 35 U.S.C. 103 as being unpatentable over the "
        "references as applied to claim 1 above, and further in view of Clark (US 9,222,222 B2).",
        [
            ("103", "103", [1, 2, 3], ["US-7111111-B1", "US-20120111111-A1"]),
            ("103", "103", [4], ["US-7111111-B1", "US-20120111111-A1", "US-9222222-B2"]),
        ],
        {
            "US-7111111-B1": ("us_patent", True),
            "US-20120111111-A1": ("us_publication", True),
            "US-9222222-B2": ("us_patent", True),
        },
        summary={"cite103_max": 3},
    ),
    Passage(
        "as-applied-to-a-102-ground",
        "Claims 1-2 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Diaz (US 2016/0333333 "
        "A1). "
        "Claim 3 is rejected under 35 U.S.C. 103 as being unpatentable over Diaz as applied to claim 1 "
        "above, and "
        "further in view of Evans (US 8,444,444 B2).",
        [
            ("102(a)(1)", "102", [1, 2], ["US-20160333333-A1"]),
            ("103", "103", [3], ["US-20160333333-A1", "US-8444444-B2"]),
        ],
        {"US-20160333333-A1": ("us_publication", True), "US-8444444-B2": ("us_patent", True)},
    ),
    Passage(
        "data-format-beall-short-name",
        "Claims 1, 4-5, 7, 16-18, 29, 34-36, 38-39 and 41 are rejected under 35 U.S.C. 102(a)(1) as being "
        "anticipated by Beall et al. (2009/0220736 A1), herein Beall.\nBeall teaches a composite [Abstract, "
        "0046, "
        "Fig. 6].\nClaims 2-3 are rejected under 35 U.S.C. 103 as being unpatentable over Beall in view of "
        "Merkel "
        "(US 20100123456 A).",
        [
            ("102(a)(1)", "102", [1, 4, 5, 7, 16, 17, 18, 29, 34, 35, 36, 38, 39, 41], ["US-20090220736-A1"]),
            ("103", "103", [2, 3], ["US-20090220736-A1", "US-20100123456-A"]),
        ],
        {"US-20090220736-A1": ("us_publication", True), "US-20100123456-A": ("us_publication", True)},
    ),
    Passage(
        "hereinafter-quoted-alias",
        "Claims 1-6 are rejected under 35 U.S.C. 103 as being unpatentable over Kowalski et al. (US "
        "2016/0234567 "
        'A1, hereinafter "Kowal") in view of Young (US 7,777,777 B2). Claim 7 is rejected under 35 U.S.C. '
        "103 as "
        "being unpatentable over Kowal in view of Young and Zhang (CN 106543210 A).",
        [
            ("103", "103", r(1, 6), ["US-20160234567-A1", "US-7777777-B2"]),
            ("103", "103", [7], ["US-20160234567-A1", "US-7777777-B2", "CN-106543210-A"]),
        ],
        {
            "US-20160234567-A1": ("us_publication", True),
            "US-7777777-B2": ("us_patent", True),
            "CN-106543210-A": ("foreign", True),
        },
    ),
    Passage(
        "patent-number-shorthand-633",
        "Claims 1-2 are rejected under 35 U.S.C. 103 as being unpatentable over Eldering et al. (US "
        "8,280,633 B1) "
        "in view of Fox (US 2015/0101010 A1). Claim 3 is rejected under 35 U.S.C. 103 as being unpatentable "
        "over "
        "Eldering '633 in view of Fox and Gomez (US 6,543,210).",
        [
            ("103", "103", [1, 2], ["US-8280633-B1", "US-20150101010-A1"]),
            ("103", "103", [3], ["US-8280633-B1", "US-20150101010-A1", "US-6543210"]),
        ],
        {
            "US-8280633-B1": ("us_patent", True),
            "US-20150101010-A1": ("us_publication", True),
            "US-6543210": ("us_patent", True),
        },
    ),
    Passage(
        "restated-ground-merged",
        "Claims 1-3 are rejected under 35 U.S.C. 103 as being unpatentable over Hill (US 9,123,123 B2) in "
        "view of "
        "Ito (JP 2012-345678 A).\nRegarding claim 1, Hill teaches a pump.\nClaims 5-6 are rejected under 35 "
        "U.S.C. 103 as being unpatentable over Hill (US 9,123,123 B2) in view of Ito (JP 2012-345678 A).",
        [("103", "103", [1, 2, 3, 5, 6], ["US-9123123-B2", "JP-2012345678-A"])],
        {"US-9123123-B2": ("us_patent", True), "JP-2012345678-A": ("foreign", True)},
    ),
    Passage(
        "therefore-also-rejected-merges-into-112b",
        "Claim 8 is rejected under 35 U.S.C. 112(b) or 35 U.S.C. 112 (pre-AIA), second paragraph, as being "
        "indefinite. Claims 9-14 depend from claim 8 and are, therefore, also rejected under 35 USC 112, "
        "second "
        "paragraph.",
        [("112(b)", "112", r(8, 14), [])],
        {},
    ),
    Passage(
        "data-format-npl-laderach",
        "Claims 1-7 are rejected under 35 U.S.C. 103 as being unpatentable over Laderach et al. (Chapter 42 "
        "- "
        "\u201cPredicted Impact of Climate Change on Coffee Supply Chains\u201d, pages 703-724, \u2026, Nov "
        "2009) in "
        "view of Linton et al. (US 20140018950 A1), further in view of Eldering et al. (US 8,280,633 B1).\n"
        "Regarding claim 1, Laderach teaches the supply chain (Eldering: Col 8 lines 34-42).",
        [("103", "103", r(1, 7), ["US-20140018950-A1", "US-8280633-B1"])],
        {"US-20140018950-A1": ("us_publication", True), "US-8280633-B1": ("us_patent", True)},
        npl=1,
        summary={"cite103_max": 3},
    ),
    Passage(
        "npl-reused-by-short-name",
        'Claims 1-2 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Okafor ("Adaptive Beam '
        'Forming", IEEE Trans. Antennas, vol. 12, 2015). Claim 3 is rejected under 35 U.S.C. 103 as being '
        "unpatentable over Okafor in view of Quinn (US 10,555,555 B1).",
        [("102(a)(1)", "102", [1, 2], []), ("103", "103", [3], ["US-10555555-B1"])],
        {"US-10555555-B1": ("us_patent", True)},
        npl=1,
        summary={"cite103_max": 2},
    ),
    Passage(
        "withdrawn-and-past-rejections-are-not-grounds",
        "The rejection of claims 1-3 under 35 U.S.C. 112(b) is withdrawn in view of the amendment. In the "
        "previous "
        "Office action, claims 1-3 were rejected under 35 U.S.C. 103 as being unpatentable over Ross (US "
        "6,666,666 "
        "B1). Claims 4-5 are no longer rejected under 35 U.S.C. 101. Accordingly, claims 1-5 are allowed.",
        [],
        {"US-6666666-B1": ("us_patent", False)},
        summary={"allowable_subject_matter": True, "rejection_103": False},
    ),
    Passage(
        "withdrawn-rejection-stated-with-rejected",
        "Claims 1-3 rejected under 35 U.S.C. 112(b) in the prior action are hereby withdrawn. Claim 4 is "
        "objected "
        'to because of the following informalities: "the the" in line 2.',
        [],
        {},
        summary={"objection": True},
    ),
    Passage(
        "statute-quotations-are-not-grounds",
        "The following is a quotation of 35 U.S.C. 101: Whoever invents or discovers any new and useful "
        "process, "
        "machine, manufacture, or composition of matter, or any new and useful improvement thereof, may "
        "obtain a "
        "patent therefor, subject to the conditions and requirements of this title.\nThe following is a "
        "quotation "
        "of the appropriate paragraphs of 35 U.S.C. 102 that form the basis for the rejections under this "
        "section "
        "made in this Office action: A person shall be entitled to a patent unless - (1) the claimed "
        "invention was "
        "patented, described in a printed publication, or in public use, on sale, or otherwise available to "
        "the "
        "public before the effective filing date of the claimed invention.\nThe following is a quotation of "
        "35 "
        "U.S.C. 103 which forms the basis for all obviousness rejections set forth in this Office action: A "
        "patent "
        "for a claimed invention may not be obtained, notwithstanding that the claimed invention is not "
        "identically "
        "disclosed as set forth in section 102, if the differences between the claimed invention and the "
        "prior art "
        "are such that the claimed invention as a whole would have been obvious before the effective filing "
        "date "
        "of the claimed invention to a person having ordinary skill in the art to which the claimed "
        "invention "
        "pertains.\nThe following is a quotation of 35 U.S.C. 112(b): (b) CONCLUSION.- The specification "
        "shall "
        "conclude with one or more claims particularly pointing out and distinctly claiming the subject "
        "matter "
        "which the inventor or a joint inventor regards as the invention.\nClaim 1 is rejected under 35 "
        "U.S.C. 101 "
        "because the claimed invention is directed to an abstract idea without significantly more.",
        [("101", "101", [1], [])],
        {},
    ),
    Passage(
        "pre-aia-103a-quotation-then-ground",
        "The following is a quotation of pre-AIA 35 U.S.C. 103(a) which forms the basis for all obviousness "
        "rejections set forth in this Office action: (a) A patent may not be obtained though the invention "
        "is not "
        "identically disclosed or described as set forth in section 102, if the differences between the "
        "subject "
        "matter sought to be patented and the prior art are such that the subject matter as a whole would "
        "have "
        "been obvious at the time the invention was made to a person having ordinary skill in the art to "
        "which "
        "said subject matter pertains. Patentability shall not be negatived by the manner in which the "
        "invention "
        "was made.\nClaims 1-2 are rejected under pre-AIA 35 U.S.C. 103(a) as being unpatentable over Vance, "
        "U.S. "
        "Pat. No. 5,432,100, in view of Webb, U.S. Pat. No. 5,678,900.",
        [("103", "103", [1, 2], ["US-5432100", "US-5678900"])],
        {"US-5432100": ("us_patent", True), "US-5678900": ("us_patent", True)},
    ),
    Passage(
        "fp7.30.03-112f-interpretation-is-not-a-ground",
        "The following is a quotation of 35 U.S.C. 112(f): (f) Element in Claim for a Combination. - An "
        "element "
        "in a claim for a combination may be expressed as a means or step for performing a specified "
        "function. "
        'This application includes one or more claim limitations that do not use the word "means," but are '
        "nonetheless being interpreted under 35 U.S.C. 112(f) or pre-AIA 35 U.S.C. 112, sixth paragraph. "
        "Claims "
        "1-4 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Xu (US 2018/0444444 A1).",
        [("102(a)(1)", "102", [1, 2, 3, 4], ["US-20180444444-A1"])],
        {"US-20180444444-A1": ("us_publication", True)},
    ),
    Passage(
        "means-plus-function-indefinite-112b",
        'Claim limitation "means for rotating" invokes 35 U.S.C. 112(f). However, the written description '
        "fails "
        "to disclose the corresponding structure. Therefore, claim 5 is indefinite and is rejected under 35 "
        "U.S.C. "
        "112(b) or pre-AIA 35 U.S.C. 112, second paragraph.",
        [("112(b)", "112", [5], [])],
        {},
    ),
    Passage(
        "fp7.43-objected-allowable-only",
        "Claim 18 is objected to as being dependent upon a rejected base claim, but would be allowable if "
        "rewritten in independent form including all of the limitations of the base claim and any "
        "intervening "
        "claims.",
        [],
        {},
        summary={"objection": True, "allowable_subject_matter": True, "is_final": False},
    ),
    Passage(
        "fp7.43.01-allowable-if-112b-overcome",
        "Claim 5 would be allowable if rewritten to overcome the rejection(s) under 35 U.S.C. 112(b) or 35 "
        "U.S.C. "
        "112 (pre-AIA), 2nd paragraph, set forth in this Office action and to include all of the limitations "
        "of "
        "the base claim and any intervening claims.",
        [],
        {},
        summary={"allowable_subject_matter": True, "objection": False},
    ),
    Passage(
        "notice-of-allowance-reasons",
        "Claims 1-20 are allowed.\nThe following is an examiner's statement of reasons for allowance: the "
        "prior "
        "art of record, alone or in combination, fails to teach the claimed valve.",
        [],
        {},
        summary={"allowable_subject_matter": True, "objection": False},
    ),
    Passage(
        "fp7.96-made-of-record-not-relied-upon",
        "Claims 1-2 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Ames (US 9,280,610 "
        "B2).\nThe "
        "prior art made of record and not relied upon is considered pertinent to applicant's disclosure.\n"
        "Itagaki; Takeshi US 20150044531 A1\nPark (KR 10-1234567 B1) discloses a hinge.\nM\u00fcller (DE 10 "
        "2016 "
        "012 345 A1) discloses a latch.\nDupont (FR 2 123 456 A1).",
        [("102(a)(1)", "102", [1, 2], ["US-9280610-B2"])],
        {
            "US-9280610-B2": ("us_patent", True),
            "US-20150044531-A1": ("us_publication", False),
            "KR-101234567-B1": ("foreign", False),
            "DE-102016012345-A1": ("foreign", False),
            "FR-2123456-A1": ("foreign", False),
        },
    ),
    Passage(
        "unfilled-form-template",
        "Claim [ 1 ] is/are rejected under 35 U.S.C. [ 2 ] as being [ 3 ] over [ 4 ].",
        [],
        {},
        flags=("form_brackets_unfilled",),
    ),
    Passage(
        "unfilled-template-beside-real-ground",
        "Claim(s) [ 1 ] is/are rejected under 35 U.S.C. [ 2 ] as being unpatentable over [ 3 ].\nClaims 1-2 "
        "are "
        "rejected under 35 U.S.C. 103 as being unpatentable over Ford (US 8,765,432 B2).",
        [("103", "103", [1, 2], ["US-8765432-B2"])],
        {"US-8765432-B2": ("us_patent", True)},
        flags=("form_brackets_unfilled",),
    ),
    Passage(
        "final-action",
        "Claims 1-2 are rejected under 35 U.S.C. 103 as being unpatentable over Gray (US 2011/0222333 A1). "
        "Applicant's amendment necessitated the new ground(s) of rejection presented in this Office action. "
        "Accordingly, THIS ACTION IS MADE FINAL. See MPEP \u00a7 706.07(a). Applicant is reminded of the "
        "extension "
        "of time policy as set forth in 37 CFR 1.136(a).",
        [("103", "103", [1, 2], ["US-20110222333-A1"])],
        {"US-20110222333-A1": ("us_publication", True)},
        summary={"is_final": True},
    ),
    Passage(
        "page-markers-inside-numbers-and-words",
        "Claims 1-number='3'5 are rejecnumber='4'ted under 35 U.S.C. 103 as being unpatentable over Linton "
        "et al. "
        "(US number='12'2014/0018950 A1) in view of Hart (US 9,1number='13'23,456 B2).",
        [("103", "103", r(1, 5), ["US-20140018950-A1", "US-9123456-B2"])],
        {"US-20140018950-A1": ("us_publication", True), "US-9123456-B2": ("us_patent", True)},
    ),
    Passage(
        "image-stubs-altcontent-x000d",
        "Claims 1-3 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Ibsen (US 2012/0987654 "
        "A1)._x000d_"
        "\nPNG media_image1.png 172 172 media_image1.png Greyscale\n[AltContent: rect]Ibsen teaches a frame "
        "(Fig. 2).",
        [("102(a)(1)", "102", [1, 2, 3], ["US-20120987654-A1"])],
        {"US-20120987654-A1": ("us_publication", True)},
    ),
    Passage(
        "nbsp-curly-quotes-en-dash",
        "Claims\u00a01\u20135 are rejected under 35\u00a0U.S.C.\u00a0103 as being unpatentable over Jain "
        "(US\u00a02013/0325347\u00a0A1) in view of the \u201cKeller\u201d reference (US 7,010,101).",
        [("103", "103", r(1, 5), ["US-20130325347-A1", "US-7010101"])],
        {"US-20130325347-A1": ("us_publication", True), "US-7010101": ("us_patent", True)},
    ),
    Passage(
        "em-dash-range",
        "Claims 2\u20144 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Lopez (US 8,010,203 "
        "B2).",
        [("102(a)(1)", "102", [2, 3, 4], ["US-8010203-B2"])],
        {"US-8010203-B2": ("us_patent", True)},
    ),
    Passage(
        "claim-1-and-7-to-10",
        "Claim 1 and 7 to 10 are rejected under 35 U.S.C. 103 as being unpatentable over Moore (US "
        "2010/0304050).",
        [("103", "103", [1, 7, 8, 9, 10], ["US-20100304050"])],
        {"US-20100304050": ("us_publication", True)},
    ),
    Passage(
        "claims-2-to-6",
        "Claims 2 to 6 are rejected under 35 U.S.C. 102(a)(2) as being anticipated by Novak (US 10,606,060 "
        "B1).",
        [("102(a)(2)", "102", [2, 3, 4, 5, 6], ["US-10606060-B1"])],
        {"US-10606060-B1": ("us_patent", True)},
    ),
    Passage(
        "long-comma-and-list",
        "Claims 1, 2, 4, 8, 9, 11, 15, 17, 21 and 23 are rejected under 35 U.S.C. 103 as being unpatentable "
        "over "
        "Olsen (US 6,070,707).",
        [("103", "103", [1, 2, 4, 8, 9, 11, 15, 17, 21, 23], ["US-6070707"])],
        {"US-6070707": ("us_patent", True)},
    ),
    Passage(
        "section-sign-variants",
        "Claims 1-2 are rejected under 35 U.S.C. \u00a7 103 as being unpatentable over Price (US "
        "2008/0080808 A1). "
        "Claims 3-4 are rejected under 35 USC \u00a7102(b) as being anticipated by Price. Claim 5 is "
        "rejected under "
        "35 U.S.C. \u00a7\u00a7 112(b) as being indefinite.",
        [
            ("103", "103", [1, 2], ["US-20080080808-A1"]),
            ("102(b)", "102", [3, 4], ["US-20080080808-A1"]),
            ("112(b)", "112", [5], []),
        ],
        {"US-20080080808-A1": ("us_publication", True)},
    ),
    Passage(
        "compound-sentence-two-grounds",
        "Claims 1-3 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Quist (US 9,280,611 B2), "
        "and "
        "claims 4-5 are rejected under 35 U.S.C. 103 as being unpatentable over Quist in view of Reyes (US "
        "2013/0325348 A1).",
        [
            ("102(a)(1)", "102", [1, 2, 3], ["US-9280611-B2"]),
            ("103", "103", [4, 5], ["US-9280611-B2", "US-20130325348-A1"]),
        ],
        {"US-9280611-B2": ("us_patent", True), "US-20130325348-A1": ("us_publication", True)},
    ),
    Passage(
        "oc-style-letter",
        "DETAILED ACTION\nNotice of Pre-AIA  or AIA  Status\nThe present application, filed on or after "
        "March 16, "
        "2013, is being examined under the first inventor to file provisions of the AIA .\nClaim Rejections "
        "- 35 "
        "USC \u00a7 102\nIn the event the determination of the status of the application as subject to AIA "
        "35 "
        "U.S.C. 102 and 103 (or as subject to pre-AIA 35 U.S.C. 102 and 103) is incorrect, any correction of "
        "the "
        "statutory basis for the rejection will not be considered a new ground of rejection.\nClaim(s) 1-3 "
        "is/are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Stone (US 2017/0123123 "
        "A1).\nClaim "
        "Rejections - 35 USC \u00a7 103\nClaim(s) 4-6 is/are rejected under 35 U.S.C. 103 as being "
        "unpatentable "
        "over Stone (US 2017/0123123 A1) in view of Tate (US 9,321,321 B1).\nConclusion\nAny inquiry "
        "concerning "
        "this communication should be directed to ANNA LEE whose telephone number is (571)272-1234. The "
        "examiner "
        "can normally be reached Monday-Friday, 8am-5pm.",
        [
            ("102(a)(1)", "102", [1, 2, 3], ["US-20170123123-A1"]),
            ("103", "103", [4, 5, 6], ["US-20170123123-A1", "US-9321321-B1"]),
        ],
        {"US-20170123123-A1": ("us_publication", True), "US-9321321-B1": ("us_patent", True)},
    ),
    Passage(
        "oacs-style-numbered-paragraphs",
        "1. Claims 1-4 are rejected under 35 U.S.C. 102(b) as being anticipated by Underwood, U.S. Patent "
        "No. "
        "5,111,222. Underwood discloses a hinge having a pin (col. 3, lines 10-25).\n2. Claims 5-6 are "
        "rejected "
        "under 35 U.S.C. 103(a) as being unpatentable over Underwood in view of Vogel, U.S. Patent No. "
        "5,333,444.\n3. This application contains claims 7-9 drawn to an invention nonelected with traverse.",
        [
            ("102(b)", "102", [1, 2, 3, 4], ["US-5111222"]),
            ("103", "103", [5, 6], ["US-5111222", "US-5333444"]),
        ],
        {"US-5111222": ("us_patent", True), "US-5333444": ("us_patent", True)},
    ),
    Passage(
        "search-api-style-body",
        "Notice of Pre-AIA or AIA Status_x000d_\nThe present application is being examined under the pre-AIA "
        "first to invent provisions. _x000d_\n_x000d_\nClaims 1-12 are rejected under pre-AIA 35 U.S.C. "
        "103(a) as "
        "being unpatentable over Walsh (US 2006/0075466 A1) in view of Xiong (US-20060075467-A1)  .  "
        "_x000d_\n",
        [("103", "103", r(1, 12), ["US-20060075466-A1", "US-20060075467-A1"])],
        {"US-20060075466-A1": ("us_publication", True), "US-20060075467-A1": ("us_publication", True)},
    ),
    Passage(
        "reissue-design-plant-references",
        "Claim 1 is rejected under 35 U.S.C. 103 as being unpatentable over Doe (US RE38,124 E) in view of "
        "Roe (US "
        "D456,789 S) and Poe (PP12,345 P2).",
        [("103", "103", [1], ["US-RE38124-E", "US-D456789-S", "US-PP12345-P2"])],
        {
            "US-RE38124-E": ("us_reissue", True),
            "US-D456789-S": ("us_design", True),
            "US-PP12345-P2": ("us_plant", True),
        },
    ),
    Passage(
        "foreign-variety-as-references",
        "Claims 1-3 are rejected under 35 U.S.C. 103 as being unpatentable over Schmidt (DE 10 2016 012 345 "
        "A1) in "
        "view of Sato (JP2004-332099), Yamada (JP 01126157 A) and Weber (WO 99/12345).",
        [
            (
                "103",
                "103",
                [1, 2, 3],
                ["DE-102016012345-A1", "JP-2004332099", "JP-01126157-A", "WO-1999012345"],
            )
        ],
        {
            "DE-102016012345-A1": ("foreign", True),
            "JP-2004332099": ("foreign", True),
            "JP-01126157-A": ("foreign", True),
            "WO-1999012345": ("foreign", True),
        },
        summary={"cite103_max": 4},
    ),
    Passage(
        "malformed-serial-and-kind-typo-kept",
        "Claims 1-2 are rejected under 35 U.S.C. 103 as being unpatentable over Kumar (US 2013/02319061 A1) "
        "in "
        "view of Merkel (US 20090220736 A).",
        [("103", "103", [1, 2], ["US-201302319061-A1", "US-20090220736-A"])],
        {"US-201302319061-A1": ("us_publication", True), "US-20090220736-A": ("us_publication", True)},
    ),
    Passage(
        "bare-number-in-parentheses-and-glued-forms",
        "Claims 1-4 are rejected under 35 U.S.C. 103 as being unpatentable over Crawford et al. (7659971) in "
        "view "
        "of Dunn (US9280610B2) and Ebert (US20060075466A1).",
        [("103", "103", [1, 2, 3, 4], ["US-7659971", "US-9280610-B2", "US-20060075466-A1"])],
        {
            "US-7659971": ("us_patent", True),
            "US-9280610-B2": ("us_patent", True),
            "US-20060075466-A1": ("us_publication", True),
        },
    ),
    Passage(
        "bare-patent-number-in-reference-list",
        "Claims 1-2 are rejected under 35 U.S.C. 102(b) as being anticipated by Foster 4,123,456.",
        [("102(b)", "102", [1, 2], ["US-4123456"])],
        {"US-4123456": ("us_patent", True)},
    ),
    Passage(
        "never-documents-numbers",
        "Claims 1-2 are rejected under 35 U.S.C. 101 because the claimed invention is directed to an "
        "abstract "
        "idea. See Alice Corp. v. CLS Bank Int'l, 573 U.S. 208 (2014); KSR Int'l Co. v. Teleflex Inc., 550 "
        "U.S. "
        "398, 82 USPQ2d 1385 (2007); In re Kahn, 441 F.3d 977, 988, 78 USPQ2d 1329, 1336 (Fed. Cir. 2006). "
        "See MPEP "
        "\u00a7 2106.04(a)(2) and 37 CFR 1.111(b). The amendment filed 07/23/2021 and the remarks of "
        "2021-07-23 "
        "(pages 8-10, [0046], col. 8 lines 34-42) were considered. Claims 1, 2, 4, 8, 9, 11 and 15 are "
        "pending. "
        "Contact the examiner at (571) 272-1234, 571-272-1234 or 5712721234; fax 571-273-8300; Examiner "
        "70775; "
        "Alexandria, Virginia 22313-1450. The sample weighed 1,000,000 mg at 2014 degrees.",
        [("101", "101", [1, 2], [])],
        {},
    ),
    Passage(
        "as-evidenced-by-is-a-reference",
        "Claims 1-2 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Ortiz (US 2017/0001234 "
        "A1), as "
        "evidenced by Patel (US 7,111,222 B1).",
        [("102(a)(1)", "102", [1, 2], ["US-20170001234-A1", "US-7111222-B1"])],
        {"US-20170001234-A1": ("us_publication", True), "US-7111222-B1": ("us_patent", True)},
    ),
    Passage(
        "as-modified-by-and-official-notice",
        "Claims 3-5 are rejected under 35 U.S.C. 103 as being unpatentable over Reed (US 2014/0555555 A1) as "
        "modified by Shaw (US 8,999,999 B2), further in view of Official Notice.",
        [("103", "103", [3, 4, 5], ["US-20140555555-A1", "US-8999999-B2"])],
        {"US-20140555555-A1": ("us_publication", True), "US-8999999-B2": ("us_patent", True)},
    ),
    Passage(
        "applicant-admitted-prior-art",
        "Claims 1-2 are rejected under 35 U.S.C. 103 as being unpatentable over Applicant's Admitted Prior "
        "Art "
        "(AAPA) in view of Tran (US 10,101,101 B2).",
        [("103", "103", [1, 2], ["US-10101101-B2"])],
        {"US-10101101-B2": ("us_patent", True)},
    ),
    Passage(
        "unresolved-short-name",
        "Claims 3-4 are rejected under 35 U.S.C. 103 as being unpatentable over Ferris in view of Olsen (US "
        "9,000,001 B2).",
        [("103", "103", [3, 4], ["US-9000001-B2"])],
        {"US-9000001-B2": ("us_patent", True)},
        flags=("reference_name_unresolved",),
    ),
    Passage(
        "ground-without-references",
        "Claims 1-2 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by the reference of record.",
        [("102(a)(1)", "102", [1, 2], [])],
        {},
        flags=("ground_without_references",),
    ),
    Passage(
        "stand-rejected",
        "Claims 1-3 stand rejected under 35 U.S.C. 103 as being unpatentable over Ueda (JP 2010-111222 A).",
        [("103", "103", [1, 2, 3], ["JP-2010111222-A"])],
        {"JP-2010111222-A": ("foreign", True)},
    ),
    Passage(
        "conditional-rejection-and-duplicate-warning",
        "If claim 3 were rewritten in independent form, it would be rejected under 35 U.S.C. 102(a)(1) as "
        "being "
        "anticipated by Vega (US 2019/0999999 A1). Applicant is advised that should claim 5 be found "
        "allowable, "
        "claim 6 will be objected to under 37 CFR 1.75 as being a substantial duplicate thereof.",
        [],
        {"US-20190999999-A1": ("us_publication", False)},
        summary={"objection": True},
    ),
    Passage(
        "restriction-requirement-is-an-action",
        "Restriction to one of the following inventions is required under 35 U.S.C. 121: I. Claims 1-10, "
        "drawn to "
        "a method. II. Claims 11-20, drawn to an apparatus.",
        [],
        {},
        summary={"objection": False, "allowable_subject_matter": False},
    ),
    Passage(
        "non-action-text-flagged",
        "This communication is in response to the petition filed 03/02/2020. The petition is granted.",
        [],
        {},
        flags=("no_action_sentence",),
    ),
    Passage(
        "us-application-publication-and-pub-no-prefixes",
        "Claims 1-2 are rejected under 35 U.S.C. 103 as being unpatentable over Watts (U.S. Patent "
        "Application "
        "Publication No. 2015/0246810) in view of Xu (U.S. Pub. No. 2016/0135791 A1) and York (U.S. Pat. No. "
        "7,531,642).",
        [("103", "103", [1, 2], ["US-20150246810", "US-20160135791-A1", "US-7531642"])],
        {
            "US-20150246810": ("us_publication", True),
            "US-20160135791-A1": ("us_publication", True),
            "US-7531642": ("us_patent", True),
        },
    ),
    Passage(
        "foreign-by-country-word",
        "Claim 1 is rejected under 35 U.S.C. 102(a)(1) as being anticipated by Japanese Patent Publication "
        "No. "
        "2004-123456 to Mori.",
        [("102(a)(1)", "102", [1], ["JP-2004123456"])],
        {"JP-2004123456": ("foreign", True)},
    ),
    Passage(
        "control-number-header-is-not-a-citation",
        "Application/Control Number: 15/485,382 Page 2\nArt Unit: 2128\nClaims 1-2 are rejected under 35 "
        "U.S.C. "
        "103 as being unpatentable over Zane (US 2012/0345678 A1).",
        [("103", "103", [1, 2], ["US-20120345678-A1"])],
        {"US-20120345678-A1": ("us_publication", True)},
    ),
    Passage(
        "continuation-data-is-a-citation-not-relied-upon",
        "This application is a continuation of Application No. 14/123,456, filed 01/02/2014, now U.S. Patent "
        "No. "
        "9,555,666. Claims 1-2 are rejected under 35 U.S.C. 112(b) as being indefinite.",
        [("112(b)", "112", [1, 2], [])],
        {"14123456": ("us_application", False), "US-9555666": ("us_patent", False)},
    ),
    Passage(
        "kindless-mention-takes-the-kind",
        "Claims 1-2 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Abe (US 9,876,000). Abe "
        "(US "
        "9,876,000 B2) shows a gear.",
        [("102(a)(1)", "102", [1, 2], ["US-9876000-B2"])],
        {"US-9876000-B2": ("us_patent", True)},
    ),
    Passage(
        "therefore-also-rejected-after-which-clause",
        "Claim 11 is rejected under 35 U.S.C. 112(b) or 35 U.S.C. 112 (pre-AIA), second paragraph, as being "
        "indefinite. Claim 13, which depends from claim 10, is, therefore, also rejected under 35 USC 112, "
        "second "
        "paragraph.",
        [("112(b)", "112", [11, 13], [])],
        {},
    ),
    Passage(
        "accented-short-name-and-glued-design",
        "Claim(s) 6-11 are rejected under 35 USC 102(a)(1) as anticipated by Gr\u00fcnewald "
        "(USD658838S).\nClaims "
        "1-4 is/are rejected under 35 U.S.C. 103 as being unpatentable over Gr\u00fcnewald in view of "
        "Olszewski et "
        'al. (6205892), hereinafter "Olszewski".',
        [
            ("102(a)(1)", "102", r(6, 11), ["US-D658838-S"]),
            ("103", "103", [1, 2, 3, 4], ["US-D658838-S", "US-6205892"]),
        ],
        {"US-D658838-S": ("us_design", True), "US-6205892": ("us_patent", True)},
    ),
    Passage(
        "bare-number-to-inventor-and-double-period",
        "Claims 1 and 2 are rejected under 35 U.S.C. 102(a)(1) as anticipated by 7002317 to Lozano et al.. "
        "With "
        "respect to claim 1, Lozano discloses the method, and Ruiz teaches a valve.",
        [("102(a)(1)", "102", [1, 2], ["US-7002317"])],
        {"US-7002317": ("us_patent", True)},
    ),
    Passage(
        "short-application-serial-is-padded",
        "Claims 1-4 are provisionally rejected on the ground of nonstatutory double patenting as being "
        "unpatentable over claims 1-14 of copending U.S. Application No. 16/98,188 (reference application).",
        [("dp", "dp", [1, 2, 3, 4], ["16098188"])],
        {"16098188": ("us_application", True)},
    ),
    Passage(
        "made-of-record-surname-given-lists-and-npl",
        "Claim 1 is rejected under 35 U.S.C. 101 because the claimed invention is directed to an abstract "
        "idea.\n"
        "The prior art made of record and not relied upon is considered pertinent to applicant's "
        "disclosure.\n"
        'Steinhauer; Elena, 7356823\nZimmermann; Leila, US 20210403286\nKowalczyk, A. et al., "Robust Coffee '
        'Supply Chains," Wear, vol. 24, no. 10, pp. 13-25 (2020).\nSze (U.S. Patent No. 5,781,537 B1) - a '
        "predicted user interface.",
        [("101", "101", [1], [])],
        {
            "US-7356823": ("us_patent", False),
            "US-20210403286": ("us_publication", False),
            "US-5781537-B1": ("us_patent", False),
        },
        npl=1,
        npl_relied=0,
    ),
    Passage(
        "npl-in-reasons-for-allowance",
        "Claims 1-20 are allowed. The following is an examiner's statement of reasons for allowance: The "
        "closest "
        'prior art of record, Yanagisawa ("Modeling Edge Caching", Journal of Power Sources, vol. 8, pp. '
        "208-237, "
        "1998) and Petrovic et al. (US 10,161,736), teach a cache but not the claimed eviction.",
        [],
        {"US-10161736": ("us_patent", False)},
        npl=1,
        npl_relied=0,
        summary={"allowable_subject_matter": True},
    ),
    Passage(
        "npl-of-a-ground-listed-again-is-one-citation",
        'Claims 1-3 are rejected under 35 U.S.C. 103 as being unpatentable over Okafor ("Adaptive Beam '
        'Forming", '
        "IEEE Trans. Antennas, vol. 12, 2015) in view of Quinn (US 10,555,555 B1).\nThe prior art made of "
        "record "
        'and not relied upon: Okafor, B., "Adaptive beam forming," IEEE Trans. Antennas, vol. 12, pp. 1-9 '
        "(2015).",
        [("103", "103", [1, 2, 3], ["US-10555555-B1"])],
        {"US-10555555-B1": ("us_patent", True)},
        npl=1,
        npl_relied=1,
        summary={"cite103_max": 2},
    ),
    Passage(
        "petition-decision-is-not-an-action",
        "DECISION ON PETITION\nThis is a decision on the petition under 37 CFR 1.181, filed 12/01/2021, to "
        "withdraw the holding of abandonment. The petition is DISMISSED.",
        [],
        {},
    ),
    Passage(
        "pre-aia-102a-label",
        "Claims 1-2 are rejected under pre-AIA 35 U.S.C. 102(a) as being anticipated by Ueno (JP 2008-123456 "
        "A).",
        [("102(a)", "102", [1, 2], ["JP-2008123456-A"])],
        {"JP-2008123456-A": ("foreign", True)},
    ),
    Passage(
        "102a1-and-102a2-two-labels",
        "Claim 1 is rejected under 35 U.S.C. 102(a)(1) and 102(a)(2) as being anticipated by Vu (US "
        "2019/0123456 "
        "A1).",
        [("102(a)(1)", "102", [1], ["US-20190123456-A1"]), ("102(a)(2)", "102", [1], ["US-20190123456-A1"])],
        {"US-20190123456-A1": ("us_publication", True)},
    ),
    Passage(
        "pre-aia-102f-slash-103a",
        "Claims 1-3 are rejected under pre-AIA 35 U.S.C. 102(f)/103(a) as being unpatentable over Wolfe (US "
        "8,280,634 B1).",
        [("102(f)", "102", [1, 2, 3], ["US-8280634-B1"]), ("103", "103", [1, 2, 3], ["US-8280634-B1"])],
        {"US-8280634-B1": ("us_patent", True)},
    ),
    Passage(
        "line-break-inside-a-ground",
        "Claims 1-3 are rejected under 35 U.S.C. 103 as being unpatentable over\nXavier (US 2012/0222222 A1) "
        "in "
        "view of\nYates (US 7,333,333 B2).\nRegarding claim 1, Zorn (US 6,111,000) is cited for context.",
        [("103", "103", [1, 2, 3], ["US-20120222222-A1", "US-7333333-B2"])],
        {
            "US-20120222222-A1": ("us_publication", True),
            "US-7333333-B2": ("us_patent", True),
            "US-6111000": ("us_patent", False),
        },
    ),
    Passage(
        "double-patenting-over-two-copending-applications",
        "Claims 1-6 are provisionally rejected on the ground of nonstatutory double patenting as being "
        "unpatentable over claims 1-20 of copending Application No. 16/123,456 and claims 1-5 of copending "
        "Application No. 16/234,567 (reference applications).",
        [("dp", "dp", r(1, 6), ["16123456", "16234567"])],
        {"16123456": ("us_application", True), "16234567": ("us_application", True)},
    ),
    Passage(
        "remain-rejected-for-reasons-of-record",
        "Claims 1-3 remain rejected under 35 U.S.C. 103 as being unpatentable over Abbott (US 2013/0111111 "
        "A1) "
        "for the reasons of record set forth in the previous Office action.",
        [("103", "103", [1, 2, 3], ["US-20130111111-A1"])],
        {"US-20130111111-A1": ("us_publication", True)},
    ),
    Passage(
        "ptol-326-summary-lines-are-not-grounds",
        "4) Claim(s) 1-20 is/are pending in the application. 5) Claim(s) ___ is/are allowed. 6) Claim(s) "
        "1-20 "
        "is/are rejected. 7) Claim(s) ___ is/are objected to. 8) Claim(s) ___ are subject to restriction "
        "and/or "
        "election requirement.\nClaims 1-20 are rejected under 35 U.S.C. 101 because the claimed invention "
        "is "
        "directed to an abstract idea without significantly more.",
        [("101", "101", r(1, 20), [])],
        {},
        summary={"objection": False, "allowable_subject_matter": False},
    ),
    Passage(
        "maintained-rejections-and-moot-arguments",
        "The rejections of claims 1-5 under 35 U.S.C. 103 over Baird (US 2014/0018951 A1) are maintained. "
        "Applicant's arguments with respect to claim(s) 1-3 have been considered but are moot because the "
        "new "
        "ground of rejection does not rely on any reference applied in the prior rejection of record. Claims "
        "6-7 "
        "are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Baird.",
        [("102(a)(1)", "102", [6, 7], ["US-20140018951-A1"])],
        {"US-20140018951-A1": ("us_publication", True)},
    ),
    Passage(
        "empty-body",
        "   \n ",
        [],
        {},
        flags=("empty_text",),
        summary={"objection": False, "is_final": False, "cite103_max": 0},
    ),
]


@pytest.mark.parametrize("passage", PASSAGES, ids=[p.id for p in PASSAGES])
def test_passage(passage: Passage) -> None:
    result = extract(passage.text)
    grounds = [(g["label"], g["statute"], g["claims"], g["references"]) for g in result.rejections]
    assert grounds == passage.grounds
    assert [g["ground"] for g in result.rejections] == list(range(1, len(grounds) + 1))
    cited = {c["id"]: (c["kind"], c["relied_upon"]) for c in result.citations if c["kind"] != "npl"}
    assert cited == passage.cited
    npl = [c for c in result.citations if c["kind"] == "npl"]
    assert len(npl) == passage.npl
    assert all(c["id"] is None and c["key"] is None and c["raw"] for c in npl)
    if passage.npl_relied is not None:
        assert sum(c["relied_upon"] for c in npl) == passage.npl_relied
    assert result.summary["quality"] == sorted(passage.flags)
    for key, value in passage.summary.items():
        assert result.summary[key] == value, key


def test_there_are_at_least_sixty_passages() -> None:
    assert len({p.id for p in PASSAGES}) == len(PASSAGES) >= 60


def test_document_code_decides_whether_a_silent_letter_is_flagged() -> None:
    text = "Continuation of 11. does NOT place the application in condition for allowance because: see below."
    assert extract(text).summary["quality"] == ["no_action_sentence"]
    assert extract(text, "CTAV").summary["quality"] == ["no_action_sentence"]
    assert extract(text, "EXIN").summary["quality"] == []


def test_npl_reference_keeps_its_text_in_the_ground() -> None:
    result = extract(PASSAGES[[p.id for p in PASSAGES].index("data-format-npl-laderach")].text)
    assert result.rejections[0]["npl"] == [
        'Laderach et al. (Chapter 42 - "Predicted Impact of Climate Change on Coffee Supply Chains", pages '
        "703-724, \u2026, Nov 2009)"
    ]
    (npl,) = [c for c in result.citations if c["kind"] == "npl"]
    assert npl["relied_upon"] and npl["statutes"] == ["103"] and npl["raw"] == result.rejections[0]["npl"][0]


def test_citation_raw_is_the_mention_that_gave_its_kind() -> None:
    result = extract(
        "Abe (US 9,876,000) shows a gear. Abe (US 9,876,000 B2) shows a shaft. See US 9,876,000."
    )
    assert [(c["raw"], c["id"], c["key"]) for c in result.citations] == [
        ("US 9,876,000 B2", "US-9876000-B2", "US-9876000")
    ]
