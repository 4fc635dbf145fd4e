"""Fixed texts of office actions: statute quotations, form-paragraph boilerplate, and how statutes are cited.

The quotations are traps by design: they name 35 U.S.C. 102(a)(2), 112(f), section 122(b) and so on without
rejecting anything, exactly as real letters do. Only the composer's rejection sentences are grounds.
"""

from __future__ import annotations

import random

NBSP = "\u00a0"

QUOTE_101 = (
    "35 U.S.C. 101 reads as follows:\nWhoever invents or discovers any new and useful process, machine, "
    "manufacture, or composition of matter, or any new and useful improvement thereof, may obtain a patent "
    "therefor, subject to the conditions and requirements of this title."
)

QUOTE_112B = (
    "The following is a quotation of 35 U.S.C. 112(b):\n(b) CONCLUSION.—The specification shall conclude "
    "with one or more claims particularly pointing out and distinctly claiming the subject matter which the "
    "inventor or a joint inventor regards as the invention.\n\nThe following is a quotation of 35 U.S.C. 112 "
    "(pre-AIA), second paragraph:\nThe specification shall conclude with one or more claims particularly "
    "pointing out and distinctly claiming the subject matter which the applicant regards as his invention."
)

QUOTE_112A = (
    "The following is a quotation of the first paragraph of 35 U.S.C. 112(a):\n(a) IN GENERAL.—The "
    "specification shall contain a written description of the invention, and of the manner and process of "
    "making and using it, in such full, clear, concise, and exact terms as to enable any person skilled in "
    "the art to which it pertains, or with which it is most nearly connected, to make and use the same, and "
    "shall set forth the best mode contemplated by the inventor or joint inventor of carrying out the "
    "invention.\n\nThe following is a quotation of the first paragraph of pre-AIA 35 U.S.C. 112:\nThe "
    "specification shall contain a written description of the invention, and of the manner and process of "
    "making and using it, in such full, clear, concise, and exact terms as to enable any person skilled in "
    "the art to which it pertains, or with which it is most nearly connected, to make and use the same, and "
    "shall set forth the best mode contemplated by the inventor of carrying out his invention."
)

QUOTE_112D = (
    "The following is a quotation of 35 U.S.C. 112(d):\n(d) REFERENCE IN DEPENDENT FORMS.—Subject to "
    "subsection (e), a claim in dependent form shall contain a reference to a claim previously set forth and "
    "then specify a further limitation of the subject matter claimed. A claim in dependent form shall be "
    "construed to incorporate by reference all the limitations of the claim to which it refers."
)

QUOTE_112F = (
    "The following is a quotation of 35 U.S.C. 112(f):\n(f) Element in Claim for a Combination. – An element "
    "in a claim for a combination may be expressed as a means or step for performing a specified function "
    "without the recital of structure, material, or acts in support thereof, and such claim shall be "
    "construed to cover the corresponding structure, material, or acts described in the specification and "
    "equivalents thereof.\n\nThe following is a quotation of pre-AIA 35 U.S.C. 112, sixth paragraph:\nAn "
    "element in a claim for a combination may be expressed as a means or step for performing a specified "
    "function without the recital of structure, material, or acts in support thereof, and such claim shall "
    "be construed to cover the corresponding structure, material, or acts described in the specification and "
    "equivalents thereof."
)

QUOTE_102_AIA = (
    "The following is a quotation of the appropriate paragraphs of 35 U.S.C. 102 that form the basis for the "
    "rejections under this section made in this Office action:\nA person shall be entitled to a patent "
    "unless –\n(a)(1) the claimed invention was patented, described in a printed publication, or in public "
    "use, on sale, or otherwise available to the public before the effective filing date of the claimed "
    "invention.\n(a)(2) the claimed invention was described in a patent issued under section 151, or in an "
    "application for patent published or deemed published under section 122(b), in which the patent or "
    "application, as the case may be, names another inventor and was effectively filed before the effective "
    "filing date of the claimed invention."
)

QUOTE_102_PRE = (
    "The following is a quotation of the appropriate paragraphs of pre-AIA 35 U.S.C. 102 that form the basis "
    "for the rejections under this section made in this Office action:\nA person shall be entitled to a "
    "patent unless –\n(b) the invention was patented or described in a printed publication in this or a "
    "foreign country or in public use or on sale in this country, more than one year prior to the date of "
    "application for patent in the United States.\n(e) the invention was described in (1) an application for "
    "patent, published under section 122(b), by another filed in the United States before the invention by "
    "the applicant for patent or (2) a patent granted on an application for patent by another filed in the "
    "United States before the invention by the applicant for patent."
)

QUOTE_103_AIA = (
    "The following is a quotation of 35 U.S.C. 103 which forms the basis for all obviousness rejections set "
    "forth in this Office action:\nA patent for a claimed invention may not be obtained, notwithstanding "
    "that the claimed invention is not identically disclosed as set forth in section 102, if the differences "
    "between the claimed invention and the prior art are such that the claimed invention as a whole would "
    "have been obvious before the effective filing date of the claimed invention to a person having ordinary "
    "skill in the art to which the claimed invention pertains. Patentability shall not be negated by the "
    "manner in which the invention was made."
)

QUOTE_103_PRE = (
    "The following is a quotation of pre-AIA 35 U.S.C. 103(a) which forms the basis for all obviousness "
    "rejections set forth in this Office action:\n(a) A patent may not be obtained though the invention is "
    "not identically disclosed or described as set forth in section 102, if the differences between the "
    "subject matter sought to be patented and the prior art are such that the subject matter as a whole "
    "would have been obvious at the time the invention was made to a person having ordinary skill in the art "
    "to which said subject matter pertains. Patentability shall not be negatived by the manner in which the "
    "invention was made."
)

GRAHAM = (
    "The factual inquiries for establishing a background for determining obviousness under 35 U.S.C. 103 are "
    "summarized as follows:\n1. Determining the scope and contents of the prior art.\n2. Ascertaining the "
    "differences between the prior art and the claims at issue.\n3. Resolving the level of ordinary skill in "
    "the pertinent art.\n4. Considering objective evidence present in the application indicating obviousness "
    "or nonobviousness."
)

JOINT_INVENTORS = (
    "This application currently names joint inventors. In considering patentability of the claims the "
    "examiner presumes that the subject matter of the various claims was commonly owned as of the effective "
    "filing date of the claimed invention(s) absent any evidence to the contrary. Applicant is advised of "
    "the obligation under 37 CFR 1.56 to point out the inventor and effective filing dates of each claim "
    "that was not commonly owned as of the effective filing date of the later invention in order for the "
    "examiner to consider the applicability of 35 U.S.C. 102(b)(2)(C) for any potential 35 U.S.C. 102(a)(2) "
    "prior art against the later invention."
)

AIA_STATUS_CORRECTION = (
    "In the event the determination of the status of the application as subject to AIA 35 U.S.C. 102 and 103 "
    "(or as subject to pre-AIA 35 U.S.C. 102 and 103) is incorrect, any correction of the statutory basis "
    "(i.e., changing from AIA to pre-AIA) for the rejection will not be considered a new ground of rejection "
    "if the prior art relied upon, and the rationale supporting the rejection, would be the same under "
    "either status."
)

DOUBLE_PATENTING = (
    "The nonstatutory double patenting rejection is based on a judicially created doctrine grounded in "
    "public policy (a policy reflected in the statute) so as to prevent the unjustified or improper timewise "
    "extension of the “right to exclude” granted by a patent and to prevent possible harassment by multiple "
    "assignees. A nonstatutory double patenting rejection is appropriate where the conflicting claims are "
    "not identical, but at least one examined application claim is not patentably distinct from the "
    "reference claim(s) because the examined application claim is either anticipated by, or would have been "
    "obvious over, the reference claim(s). See, e.g., In re Berg, 140 F.3d 1428, 46 USPQ2d 1226 (Fed. Cir. "
    "1998); In re Goodman, 11 F.3d 1046, 29 USPQ2d 2010 (Fed. Cir. 1993); In re Longi, 759 F.2d 887, 225 "
    "USPQ 645 (Fed. Cir. 1985); In re Van Ornum, 686 F.2d 937, 214 USPQ 761 (CCPA 1982); In re Vogel, 422 "
    "F.2d 438, 164 USPQ 619 (CCPA 1970); In re Thorington, 418 F.2d 528, 163 USPQ 644 (CCPA 1969).\nA timely "
    "filed terminal disclaimer in compliance with 37 CFR 1.321(c) or 1.321(d) may be used to overcome an "
    "actual or provisional rejection based on nonstatutory double patenting provided the reference "
    "application or patent either is shown to be commonly owned with the examined application, or claims an "
    "invention made as a result of activities undertaken within the scope of a joint research agreement. See "
    "MPEP § 717.02 for applications subject to examination under the first inventor to file provisions of "
    "the AIA as explained in MPEP § 2159.\nThe filing of a terminal disclaimer by itself is not a complete "
    "reply to a nonstatutory double patenting (NSDP) rejection. A complete reply requires that the terminal "
    "disclaimer be accompanied by a reply requesting reconsideration of the prior Office action.\nThe USPTO "
    "Internet website contains terminal disclaimer forms which may be used. Please visit "
    "www.uspto.gov/patent/patents-forms."
)

STATUTORY_DP = (
    "A rejection based on double patenting of the “same invention” type finds its support in the language of "
    "35 U.S.C. 101 which states that “whoever invents or discovers any new and useful process... may obtain "
    "a patent therefor...” (Emphasis added). Thus, the term “same invention,” in this context, means an "
    "invention drawn to identical subject matter. See Miller v. Eagle Mfg. Co., 151 U.S. 186 (1894); In re "
    "Vogel, 422 F.2d 438, 164 USPQ 619 (CCPA 1970); In re Ockert, 245 F.2d 467, 114 USPQ 330 (CCPA 1957)."
)

CLAIM_INTERPRETATION = (
    "The claims in this application are given their broadest reasonable interpretation using the plain "
    "meaning of the claim language in light of the specification as it would be understood by one of "
    "ordinary skill in the art. The broadest reasonable interpretation of a claim element (also commonly "
    "referred to as a claim limitation) is limited by the description in the specification when 35 U.S.C. "
    "112(f) or pre-AIA 35 U.S.C. 112, sixth paragraph, is invoked."
)

RCE = (
    "A request for continued examination under 37 CFR 1.114, including the fee set forth in 37 CFR 1.17(e), "
    "was filed in this application after final rejection. Since this application is eligible for continued "
    "examination under 37 CFR 1.114, and the fee set forth in 37 CFR 1.17(e) has been timely paid, the "
    "finality of the previous Office action has been withdrawn pursuant to 37 CFR 1.114. Applicant's "
    "submission filed on {date} has been entered."
)

FINAL = (
    "Applicant's amendment necessitated the new ground(s) of rejection presented in this Office action. "
    "Accordingly, THIS ACTION IS MADE FINAL. See MPEP § 706.07(a). Applicant is reminded of the extension of "
    "time policy as set forth in 37 CFR 1.136(a).\nA shortened statutory period for reply to this final "
    "action is set to expire THREE MONTHS from the mailing date of this action. In the event a first reply "
    "is filed within TWO MONTHS of the mailing date of this final action and the advisory action is not "
    "mailed until after the end of the THREE-MONTH shortened statutory period, then the shortened statutory "
    "period will expire on the date the advisory action is mailed."
)

FINAL_IDS = (
    "Applicant's submission of an information disclosure statement under 37 CFR 1.97(c) with the fee set "
    "forth in 37 CFR 1.17(p) on {date} prompted the new ground(s) of rejection presented in this Office "
    "action. Accordingly, THIS ACTION IS MADE FINAL. See MPEP § 609.04(b). Applicant is reminded of the "
    "extension of time policy as set forth in 37 CFR 1.136(a)."
)

CONTACT = (
    "Any inquiry concerning this communication or earlier communications from the examiner should be "
    "directed to {examiner} whose telephone number is {phone}. The examiner can normally be reached on "
    "Monday-Friday 8:30-5:00.\nExaminer interviews are available via telephone, in-person, and video "
    "conferencing using a USPTO supplied web-based collaboration tool. To schedule an interview, applicant "
    "is encouraged to use the USPTO Automated Interview Request (AIR) at "
    "http://www.uspto.gov/interviewpractice.\nIf attempts to reach the examiner by telephone are "
    "unsuccessful, the examiner's supervisor, {spe}, can be reached on {spe_phone}. The fax phone number for "
    "the organization where this application or proceeding is assigned is 571-273-8300.\nInformation "
    "regarding the status of published or unpublished applications may be obtained from Patent Center. "
    "Should you have questions about access to Patent Center, contact the Electronic Business Center (EBC) "
    "at 866-217-9197 (toll-free)."
)

IDS = (
    "The information disclosure statement (IDS) submitted on {date} is in compliance with the provisions of "
    "37 CFR 1.97. Accordingly, the information disclosure statement is being considered by the examiner."
)

RESTRICTION_TAIL = (
    "Applicant is advised that the reply to this requirement to be complete must include (i) an election of "
    "an invention to be examined even though the requirement may be traversed (37 CFR 1.143) and (ii) "
    "identification of the claims encompassing the elected invention.\nA telephone call was not made to "
    "request an oral election to the above restriction requirement due to the complexity of the requirement."
)

QUAYLE = (
    "Prosecution on the merits is closed in accordance with the practice under Ex parte Quayle, 25 USPQ 74, "
    "453 O.G. 213 (Comm'r Pat. 1935).\nA shortened statutory period for reply to this action is set to "
    "expire TWO MONTHS from the mailing date of this letter."
)

REASONS_TAIL = (
    "Any comments considered necessary by applicant must be submitted no later than the payment of the issue "
    "fee and, to avoid processing delays, should preferably accompany the issue fee. Such submissions should "
    "be clearly labeled “Comments on Statement of Reasons for Allowance.”"
)

EXAMINERS_AMENDMENT = (
    "EXAMINER'S AMENDMENT\nAn examiner's amendment to the record appears below. Should the changes and/or "
    "additions be unacceptable to applicant, an amendment may be filed as provided by 37 CFR 1.312. To "
    "ensure consideration of such an amendment, it MUST be submitted no later than the payment of the issue "
    "fee.\nAuthorization for this examiner's amendment was given in a telephone interview with {attorney} on "
    "{date}.\nThe application has been amended as follows:"
)

NOT_RELIED = (
    "The prior art made of record and not relied upon is considered pertinent to applicant's disclosure."
)

# Unfilled form paragraphs (`form_brackets_unfilled`): placeholders, never grounds.
FORM_BRACKETS: tuple[str, ...] = (
    "Claim [ 1 ] is/are rejected under 35 U.S.C. 103 as being unpatentable over [ 2 ] as applied to claim [ "
    "3 ] above, and further in view of [ 4 ].",
    "Claim(s) [ 1 ] is/are rejected under 35 U.S.C. 102(a)(1) as being anticipated by [ 2 ].",
    "Claim [ 1 ] is/are rejected under 35 U.S.C. 103 as being unpatentable over [ 2 ].",
)


def statute(label: str, aia: bool, rng: random.Random) -> str:
    """How a rejection sentence names the statute of `label` (every variant means exactly that label)."""
    pick = rng.choice
    usc = pick(("35 U.S.C.", "35 U.S.C.", "35 U.S.C.", "35 USC", "35 U.S.C. §", f"35{NBSP}U.S.C."))
    if label == "101":
        return f"{usc} 101"
    if label in ("102(a)(1)", "102(a)(2)"):
        return f"{usc} {label}"
    if label == "102":
        return f"{usc} 102"
    if label in ("102(a)", "102(b)", "102(e)"):
        return pick((f"{usc} {label}", f"pre-AIA 35 U.S.C. {label}"))
    if label == "103":
        if aia:
            return f"{usc} 103"
        return pick(("35 U.S.C. 103(a)", "pre-AIA 35 U.S.C. 103(a)", f"{usc} 103"))
    if label == "112(b)":
        if aia:
            return pick(
                (
                    "35 U.S.C. 112(b) or 35 U.S.C. 112 (pre-AIA), second paragraph",
                    "35 U.S.C. 112(b) or 35 U.S.C. 112 (pre-AIA), second paragraph",
                    f"{usc} 112(b)",
                    "35 U.S.C. 112, second paragraph",
                )
            )
        return pick(
            (
                "35 U.S.C. 112, second paragraph",
                "35 U.S.C. 112 (pre-AIA), second paragraph",
                "35 USC 112, second paragraph",
            )
        )
    if label == "112(a)":
        if aia:
            return pick(("35 U.S.C. 112(a) or 35 U.S.C. 112 (pre-AIA), first paragraph", f"{usc} 112(a)"))
        return pick(("35 U.S.C. 112, first paragraph", "35 U.S.C. 112 (pre-AIA), first paragraph"))
    if label == "112(d)":
        if aia:
            return pick(("35 U.S.C. 112(d) or pre-AIA 35 U.S.C. 112, 4th paragraph", f"{usc} 112(d)"))
        return pick(("35 U.S.C. 112, fourth paragraph", "pre-AIA 35 U.S.C. 112, fourth paragraph"))
    if label == "112":
        return "35 U.S.C. 112"
    raise ValueError(f"no statute text for label {label!r}")
