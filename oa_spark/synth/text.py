"""The letter composer: `compose(spec)` writes an office action's text and, as it writes, the truth about it.

Rejection letters are in `rejections`, the shared machinery in `composer`; the other kinds of letter
(allowance, restriction, Quayle, advisory, petition decisions) are here.
"""

from __future__ import annotations

from oa_spark.synth import forms
from oa_spark.synth.claims import claim_groups, claim_list
from oa_spark.synth.composer import Letter, LetterSpec, fmt_date
from oa_spark.synth.ids import PatentDoc
from oa_spark.synth.rejections import RejectionWriter
from oa_spark.synth.vocab import CPC_GROUPS, GIVEN_NAMES, SURNAMES

__all__ = ["Letter", "LetterSpec", "compose"]

REJECTION_CODES = frozenset({"CTNF", "CTFR"})


class _LetterWriter(RejectionWriter):
    """Every kind of letter, chosen by document code."""

    def write(self) -> Letter:
        code = self.spec.code
        if code in REJECTION_CODES:
            self.rejection_letter()
        elif code == "NOA":
            self.allowance_letter()
        elif code == "CTRS":
            self.restriction_letter()
        elif code == "CTEQ":
            self.quayle_letter()
        elif code == "CTAV":
            self.advisory_letter()
        else:
            self.petition_letter()
        return self.finish()

    def allowance_letter(self) -> None:
        s, rng = self.spec, self.rng
        self.header()
        pending = list(range(1, s.claims_total + 1))
        if s.history:
            self.add(
                "This communication is in response to the amendment filed on "
                f"{fmt_date(s.mail_date.replace(day=1))}."
            )
        if rng.random() < 0.35:
            self.fam("examiners_amendment")
            self.add(
                forms.EXAMINERS_AMENDMENT.format(
                    attorney=f"{rng.choice(GIVEN_NAMES)} {rng.choice(SURNAMES)}", date=fmt_date(s.mail_date)
                )
            )
            self.fill("claims", 1.5)
        self.allowable = True
        self.fam("noa_reasons")
        noun, verb = ("Claims", "are") if len(pending) > 1 else ("Claim", "is")
        self.add(f"Allowable Subject Matter\n{noun} {claim_list(pending, rng)} {verb} allowed.")
        closest = [d for d in s.prior_art[:2]]
        text = "The following is an examiner's statement of reasons for allowance:"
        if closest:
            text += " The closest prior art of record, " + " and ".join(self.intro(d) for d in closest) + ", "
            text += f"teaches a {self.thing()}."
        self.add(text)
        self.fill("reasons", 1.0, names=tuple(d.name for d in closest))
        self.add(forms.REASONS_TAIL)
        self.conclusion()
        self.contact()

    def restriction_letter(self) -> None:
        s, rng = self.spec, self.rng
        self.header()
        self.fam("restriction")
        total = s.claims_total
        groups = claim_groups(total, rng)
        lines = [
            "Election/Restrictions",
            "Restriction to one of the following inventions is required under 35 U.S.C. 121:",
        ]
        for i, g in enumerate(groups):
            numeral = ("I", "II", "III", "IV")[min(i, 3)]
            noun = "Claims" if len(g) > 1 else "Claim"
            lines.append(
                f"{numeral}. {noun} {claim_list(g, rng)}, drawn to {self.thing()}, classified in CPC "
                f"{rng.choice(CPC_GROUPS)}."
            )
        self.add("\n".join(lines))
        self.add(
            "The inventions are independent or distinct, each from the other because the inventions as "
            "claimed have a materially different design, mode of operation, function, or effect."
        )
        self.fill("species", 1.0)
        self.add(forms.RESTRICTION_TAIL)
        self.contact()

    def quayle_letter(self) -> None:
        s, rng = self.spec, self.rng
        self.header()
        self.fam("quayle")
        self.objection = self.allowable = True
        self.add(
            "This application is in condition for allowance except for the following formal matters:\nThe "
            f"drawings are objected to because the reference character “{rng.randrange(10, 99)}” has been "
            f"used to designate both a {self.thing()} and a {self.thing()}. Corrected drawing sheets are "
            "required."
        )
        self.add(forms.QUAYLE)
        pending = list(range(1, s.claims_total + 1))
        noun, verb = ("Claims", "are") if len(pending) > 1 else ("Claim", "is")
        self.add(f"Allowable Subject Matter\n{noun} {claim_list(pending, rng)} {verb} allowed.")
        self.fill("reasons", 1.0, names=())
        self.contact()

    def advisory_letter(self) -> None:
        s, rng = self.spec, self.rng
        self.fam("advisory")
        self.add(
            "Continuation of 3. NOTE: The proposed amendments filed after a final rejection will not be "
            "entered because they raise new issues that would require further consideration and/or search."
        )
        lead = "Continuation of 11. does NOT place the application in condition for allowance because:"
        docs = [d for d in s.prior_art if isinstance(d, PatentDoc)]
        if docs and rng.random() < 0.5:
            lead += f" Applicant argues that {self.intro(docs[0])} fails to teach the amended limitation."
        self.add(lead)
        self.fill("arguments", 1.0, names=tuple(d.name for d in docs[:1] if d.name in self.named))
        pending = list(range(1, s.claims_total + 1))
        self.add(
            "The status of the claim(s) is (or will be) as follows:\nClaim(s) rejected: "
            f"{claim_list(pending, rng)}."
        )
        self.add(f"/{s.examiner}/\nPrimary Examiner, Art Unit {s.art_unit}")

    def petition_letter(self) -> None:
        s, rng = self.spec, self.rng
        filed = fmt_date(s.mail_date.replace(day=1))
        if s.code == "PPH.DECISION":
            self.fam("pph")
            self.add(
                "DECISION ON REQUEST TO PARTICIPATE IN PATENT PROSECUTION HIGHWAY PROGRAM AND PETITION TO "
                f"MAKE SPECIAL UNDER 37 CFR 1.102(a)\nThe request filed on {filed} to participate in the "
                "Patent Prosecution Highway program and the petition to make the above-identified "
                "application special are GRANTED."
            )
        else:
            self.fam("petition")
            kind = rng.choice(
                (
                    (
                        "37 CFR 1.102(e)",
                        "to make the above-identified application special under the prioritized examination "
                        "program",
                        "GRANTED",
                    ),
                    ("37 CFR 1.137(a)", "to revive the above-identified application", "GRANTED"),
                    ("37 CFR 1.181", "to withdraw the holding of abandonment", "DISMISSED"),
                )
            )
            self.add(
                f"DECISION ON PETITION\nThis is a decision on the petition under {kind[0]}, filed {filed}, "
                f"{kind[1]}. The petition is {kind[2]}."
            )
        self.add(
            "Telephone inquiries concerning this decision should be directed to the Office of Petitions at "
            "571-272-3282."
        )
        self.add(
            f"/{rng.choice(GIVEN_NAMES)} {rng.choice(SURNAMES)}/\nPetitions Examiner, Office of Petitions"
        )


def compose(spec: LetterSpec) -> Letter:
    """The letter of `spec` with its truth; deterministic in `spec`."""
    return _LetterWriter(spec).write()
