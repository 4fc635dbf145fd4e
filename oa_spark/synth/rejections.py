"""Rejection letters (CTNF, CTFR): which grounds a letter has, and every way of writing them.

Each sentence that states a ground calls `ground()` with exactly the claims and documents it writes; the
traps around the grounds (quotations, withdrawn rejections, 112(f) notes, unfilled form paragraphs) are
written without one.
"""

from __future__ import annotations

from oa_spark.synth import forms
from oa_spark.synth.claims import claim_groups, claim_list, claims_subject
from oa_spark.synth.composer import Composer, Doc, fmt_date
from oa_spark.synth.ids import FOREIGN, NplDoc, PatentDoc


class RejectionWriter(Composer):
    """The parts of a non-final or final rejection."""

    def rejection_letter(self) -> None:
        s, rng = self.spec, self.rng
        groups = claim_groups(s.claims_total, rng)
        canceled: list[int] = []
        if s.history and s.claims_total > 6:
            deps = [c for g in groups for c in g[1:]]
            canceled = sorted(rng.sample(deps, min(len(deps) // 3, rng.randrange(0, 3))))
        groups = [[c for c in g if c not in canceled] for g in groups]
        pending = [c for g in groups for c in g]
        deps = [c for g in groups for c in g[1:]]

        self.header()
        self.status(pending, canceled)
        if s.history and rng.random() < 0.5:
            self.withdrawn(pending)

        dependent_allowable = (
            sorted(rng.sample(deps, rng.randrange(1, 4))) if len(deps) >= 4 and rng.random() < 0.22 else []
        )
        allowed = groups[-1] if len(groups) >= 2 and rng.random() < 0.05 else []
        rejectable = [c for c in pending if c not in dependent_allowable and c not in allowed]
        if not rejectable:
            dependent_allowable, allowed, rejectable = [], [], pending
        rewrite: list[int] = []
        want = self.choose_grounds(rejectable)
        if "112(b)" in want and not dependent_allowable and rng.random() < 0.15:
            cands = [c for c in deps if c in rejectable]
            rewrite = sorted(rng.sample(cands, min(len(cands), rng.randrange(1, 3))))
        art_claims = [c for c in rejectable if c not in rewrite]

        if rng.random() < 0.12:
            self.interpretation_112f(pending)
        order = rng.choice((("dp", "101", "112"), ("112", "dp", "101"), ("101", "112", "dp")))
        for part in order:
            if part == "dp" and "dp" in want:
                self.double_patenting(art_claims or rejectable)
            elif part == "101" and "101" in want:
                self.eligibility(art_claims or rejectable)
            elif part == "112":
                self.section_112(want, rejectable, rewrite, groups)
        if "art" in want and art_claims:
            self.prior_art(art_claims, groups)
        if not self.grounds:  # every rejection letter rejects something
            self.section_112({"112(b)"}, rejectable, [], groups)
        self.objections(rejectable, dependent_allowable, allowed, rewrite)
        if s.code == "CTFR" or (s.history and rng.random() < 0.5):
            self.arguments()
        self.conclusion()
        if s.code == "CTFR":
            text = forms.FINAL if rng.random() < 0.85 else forms.FINAL_IDS
            self.add(text.format(date=fmt_date(s.mail_date.replace(day=1))))
            self.is_final = True
            self.fam("final")
        self.contact()

    def choose_grounds(self, rejectable: list[int]) -> set[str]:
        rng, s = self.rng, self.spec
        p101 = {"software": 0.4, "electrical": 0.08, "mechanical": 0.03, "chemical": 0.12, "design": 0.0}
        want: set[str] = set()
        if rng.random() < p101[s.domain]:
            want.add("101")
        if rng.random() < 0.33:
            want.add("112(b)")
        if rng.random() < 0.1 and s.domain != "design":
            want.add("112(a)")
        if rng.random() < 0.06 and s.claims_total > 3:
            want.add("112(d)")
        if rng.random() < 0.02:
            want.add("112")
        if s.dp_targets and rng.random() < 0.12:
            want.add("dp")
        if s.prior_art and rng.random() < 0.9:
            want.add("art")
        return want

    def withdrawn(self, pending: list[int]) -> None:
        s, rng = self.spec, self.rng
        self.fam("withdrawn")
        claims = sorted(rng.sample(pending, min(len(pending), rng.randrange(1, 6))))
        label = rng.choice(("112(b)", "101", "103"))
        noun = "claims" if len(claims) > 1 else "claim"
        text = (
            f"The rejection of {noun} {claim_list(claims, rng)} under {forms.statute(label, s.aia, rng)} has "
            "been withdrawn in view of Applicant's amendments."
        )
        old = [d for d in s.other_art if isinstance(d, PatentDoc) and d.family != FOREIGN]
        if label == "103" and old and rng.random() < 0.6:
            doc = old[-1]
            self.named.add(doc.name)
            self.fam("withdrawn_with_reference")
            text = (
                f"Applicant's arguments, see pages {rng.randrange(6, 10)}-{rng.randrange(10, 16)}, filed "
                f"{fmt_date(s.mail_date.replace(day=1))}, with respect to the rejection(s) of claim(s) "
                f"{claim_list(claims, rng)} under {forms.statute('103', s.aia, rng)} as being unpatentable "
                f"over {doc.name} ({self.number(doc)}) have been fully considered and are persuasive. "
                "Therefore, the rejection has been withdrawn. However, upon further consideration, a new "
                "ground(s) of rejection is made in view of the references set forth below."
            )
        self.add(text, "withdrawalRejectionText")

    def interpretation_112f(self, pending: list[int]) -> None:
        rng = self.rng
        self.fam("112f_note")
        claim = rng.choice(pending)
        verb = rng.choice(self.words["verbs"])
        self.add("Claim Interpretation")
        self.add(forms.QUOTE_112F)
        self.add(forms.CLAIM_INTERPRETATION)
        self.add(
            "This application includes one or more claim limitations that do not use the word “means,” but "
            "are nonetheless being interpreted under 35 U.S.C. 112(f) or pre-AIA 35 U.S.C. 112, sixth "
            "paragraph, because the claim limitation(s) uses a generic placeholder that is coupled with "
            "functional language without reciting sufficient structure to perform the recited function and "
            "the generic placeholder is not preceded by a structural modifier. Such claim limitation(s) "
            f"is/are: “a {self.thing()} configured to {verb}” in claim {claim}."
        )

    def eligibility(self, claims: list[int]) -> None:
        s, rng = self.spec, self.rng
        self.add("Claim Rejections - 35 USC § 101")
        self.add(forms.QUOTE_101)
        subj, st = claims_subject(claims, rng), forms.statute("101", s.aia, rng)
        r = rng.random()
        if r < 0.75:
            self.fam("101_judicial_exception")
            exc = rng.choice(
                (
                    "a judicial exception (i.e., a law of nature, a natural phenomenon, or an abstract idea)",
                    "an abstract idea",
                    "a judicial exception (an abstract idea)",
                )
            )
            text = (
                f"{subj} rejected under {st} because the claimed invention is directed to {exc} without "
                "significantly more."
            )
        elif r < 0.9:
            self.fam("101_non_statutory")
            text = (
                f"{subj} rejected under {st} because the claimed invention is directed to non-statutory "
                "subject matter. The claim(s) does/do not fall within at least one of the four categories "
                f"of patent eligible subject matter because the claimed {self.thing()} is software per se."
            )
        else:
            self.fam("101_utility")
            text = (
                f"{subj} rejected under {st} because the disclosed invention is inoperative and therefore "
                "lacks utility."
            )
        self.sentence(text)
        self.ground("101", "101", claims, [])
        self.fill("eligibility", 1.5, claims=tuple(claims))

    def section_112(
        self, want: set[str], rejectable: list[int], rewrite: list[int], groups: list[list[int]]
    ) -> None:
        s, rng = self.spec, self.rng
        labels = [x for x in ("112(b)", "112(a)", "112(d)", "112") if x in want]
        if not labels or not rejectable:
            return
        self.add("Claim Rejections - 35 USC § 112")
        if "112(b)" in labels:
            self.add(forms.QUOTE_112B, "section112RejectionFormParagraphText")
        if "112(a)" in labels:
            self.add(forms.QUOTE_112A)
        if "112(d)" in labels:
            self.add(forms.QUOTE_112D)
        for label in labels:
            if label == "112(b)":
                self.indefinite(rejectable, rewrite, groups)
            elif label == "112(a)":
                claims = sorted(rng.sample(rejectable, min(len(rejectable), rng.randrange(1, 6))))
                st = forms.statute("112(a)", s.aia, rng)
                self.fam("112a", "112a_pre_aia_first" if "first paragraph" in st else "112a_letter")
                what = rng.choice(("written description", "enablement"))
                self.sentence(
                    f"{claims_subject(claims, rng)} rejected under {st} as failing to comply with the {what} "
                    "requirement. The claim(s) contains subject matter which was not described in the "
                    "specification in such a way as to reasonably convey to one skilled in the relevant art "
                    "that the inventor or a joint inventor, or for applications subject to pre-AIA 35 "
                    "U.S.C. 112, the inventor(s), at the time the application was filed, had possession of "
                    "the claimed invention.",
                    "section112RejectionText",
                )
                self.ground("112(a)", "112", claims, [])
            elif label == "112(d)":
                deps = [c for g in groups for c in g[1:] if c in rejectable]
                if not deps:
                    continue
                claims = sorted(rng.sample(deps, min(len(deps), rng.randrange(1, 3))))
                st = forms.statute("112(d)", s.aia, rng)
                self.fam("112d")
                self.sentence(
                    f"{claims_subject(claims, rng)} rejected under {st}, as being of improper dependent form "
                    "for failing to further limit the subject matter of the claim upon which it depends, or "
                    "for failing to include all the limitations of the claim upon which it depends.",
                    "section112RejectionText",
                )
                self.ground("112(d)", "112", claims, [])
            else:
                claims = sorted(rng.sample(rejectable, min(len(rejectable), rng.randrange(1, 4))))
                self.fam("112_no_paragraph")
                self.sentence(
                    f"{claims_subject(claims, rng)} rejected under 35 U.S.C. 112 as being incomplete for "
                    "omitting essential elements, such omission amounting to a gap between the elements. "
                    "See MPEP § 2172.01.",
                    "section112RejectionText",
                )
                self.ground("112", "112", claims, [])

    def indefinite(self, rejectable: list[int], rewrite: list[int], groups: list[list[int]]) -> None:
        s, rng = self.spec, self.rng
        base = sorted(set(rng.sample(rejectable, min(len(rejectable), rng.randrange(1, 5)))) | set(rewrite))
        st = forms.statute("112(b)", s.aia, rng)
        if "second paragraph" in st and "112(b)" not in st:
            self.fam("112_second_paragraph")
        elif "or 35 U.S.C. 112 (pre-AIA)" in st:
            self.fam("112b_or_pre_aia")
        else:
            self.fam("112b")
        who = (
            "the inventor or a joint inventor (or for applications subject to pre-AIA 35 U.S.C. 112, the "
            "applicant), regards as the invention."
            if s.aia
            else "applicant regards as the invention."
        )
        self.sentence(
            f"{claims_subject(base, rng)} rejected under {st}, as being indefinite for failing to "
            f"particularly point out and distinctly claim the subject matter which {who}",
            "section112RejectionText",
        )
        self.ground("112(b)", "112", base, [])
        self.fill("indefinite", 0.4, claims=tuple(base))
        if rng.random() < 0.2 and len(rejectable) > len(base):
            more = sorted(rng.sample([c for c in rejectable if c not in base], 1))
            self.fam("112_restated_more_claims")
            self.sentence(
                f"{claims_subject(more, rng)} rejected under {forms.statute('112(b)', s.aia, rng)}, as being "
                "indefinite for failing to particularly point out and distinctly claim the subject matter "
                f"which {who}"
            )
            self.ground("112(b)", "112", more, [])
            base = sorted(set(base) | set(more))
        if rng.random() < 0.35:
            for group in groups:
                head = next((c for c in group if c in base), None)
                if head is None:
                    continue
                later = [c for c in group if c > head and c in rejectable and c not in base][:5]
                if not later:
                    continue
                self.fam("112_therefore_also")
                subject = claim_list(later, rng)
                if len(later) > 1:
                    lead = f"Claims {subject}, which depend from claim {head}, are"
                else:
                    lead = f"Claim {subject}, which depends from claim {head}, is"
                self.sentence(f"{lead}, therefore, also rejected under 35 USC 112, second paragraph.")
                self.ground("112(b)", "112", later, [])
                break

    def double_patenting(self, claims: list[int]) -> None:
        s, rng = self.spec, self.rng
        target = rng.choice(s.dp_targets)
        self.add("Double Patenting")
        ref_claims = claim_list(list(range(1, rng.randrange(3, 25))), rng)
        subj = claims_subject(claims, rng)
        patno = ("pat_patno", "pat_patno_plain", "pat_patno_kind")
        if target.family == "us_application":
            self.add(forms.DOUBLE_PATENTING)
            self.fam("dp_copending_application")
            text = (
                f"{subj} provisionally rejected on the ground of nonstatutory double patenting as being "
                f"unpatentable over claims {ref_claims} of copending {self.number(target)} (reference "
                "application). Although the claims at issue are not identical, they are not patentably "
                "distinct from each other because the claims of the instant application are broader than "
                "the reference claims."
            )
            self.sentence(text)
            self.ground("dp", "dp", claims, [target])
            return
        if rng.random() < 0.1:
            self.add(forms.STATUTORY_DP)
            self.fam("dp_statutory")
            self.sentence(
                f"{subj} rejected under 35 U.S.C. 101 as claiming the same invention as that of claims "
                f"{ref_claims} of prior {self.number(target, patno)}. This is a statutory double patenting "
                "rejection."
            )
            self.ground("dp", "dp", claims, [target])
            return
        self.add(forms.DOUBLE_PATENTING)
        self.fam("dp_patent")
        docs: list[Doc] = [target]
        text = (
            f"{subj} rejected on the ground of nonstatutory double patenting as being unpatentable over "
            f"claims {ref_claims} of {self.number(target, patno)}"
        )
        secondary = [d for d in s.prior_art if isinstance(d, PatentDoc)]
        if secondary and rng.random() < 0.25:
            self.fam("dp_with_secondary")
            docs.append(secondary[-1])
            text += f" in view of {self.ref(secondary[-1])}"
        self.sentence(text + ".")
        self.add(
            "Although the claims at issue are not identical, they are not patentably distinct from each "
            "other because the instant claims are anticipated by the reference claims."
        )
        self.ground("dp", "dp", claims, docs)

    def prior_art(self, claims: list[int], groups: list[list[int]]) -> None:
        s, rng = self.spec, self.rng
        docs = list(s.prior_art)
        heads = {g[0] for g in groups}
        deps = [c for c in claims if c not in heads]
        n_ext = min(max(0, len(docs) - 2), rng.choice((0, 1, 1, 2, 3)), len(deps) // 2)
        ext_docs, main = docs[len(docs) - n_ext :], docs[: len(docs) - n_ext]
        ext_claims: list[list[int]] = []
        for _ in ext_docs:
            pick = sorted(rng.sample(deps, min(len(deps), rng.randrange(1, 4))))
            if not pick:
                break
            deps = [c for c in deps if c not in pick]
            ext_claims.append(pick)
        ext_docs = ext_docs[: len(ext_claims)]
        taken = {c for p in ext_claims for c in p}
        rest = [c for c in claims if c not in taken]
        if not rest:  # the extensions took everything: give them back to the main ground
            rest, ext_docs, ext_claims = claims, [], []

        # A lone 102 reference takes every claim, so no 103 ground can share its (label, references) key.
        use_102 = isinstance(main[0], PatentDoc) and rng.random() < 0.45
        g102: list[int] = []
        if use_102:
            group = rng.choice([g for g in groups if any(c in rest for c in g)])
            g102 = [c for c in group if c in rest] if len(main) > 1 else rest
        g103 = [c for c in rest if c not in g102]
        if g102 and isinstance(main[0], PatentDoc):  # g102 is only ever filled for a patent
            self.section_102(g102, main[0], alt=rng.random() < 0.1)
        placed: dict[int, list[Doc]] = {c: [main[0]] for c in g102}
        if g103:
            self.section_103_base(g103, main, split=rng.random() < 0.08)
            placed.update({c: list(main) for c in g103})
        for doc, pick in zip(ext_docs, ext_claims, strict=True):
            head = max((h for h in heads if h <= pick[0]), default=None)
            base_claim = head if head in placed else next(iter(placed))
            self.section_103_extension(pick, placed[base_claim], base_claim, doc)
        if rng.random() < 0.04:
            self.flags.append("form_brackets_unfilled")
            self.fam("form_brackets")
            self.add(rng.choice(forms.FORM_BRACKETS))
        if self.sentences and rng.random() < 0.06:
            self.fam("restated_verbatim")
            self.add(rng.choice(self.sentences))

    def section_102(self, claims: list[int], doc: PatentDoc, alt: bool) -> None:
        s, rng = self.spec, self.rng
        self.add("Claim Rejections - 35 USC § 102")
        if rng.random() < 0.5:
            self.add(forms.AIA_STATUS_CORRECTION)
            self.fam("aia_status_correction")
        self.add(
            forms.QUOTE_102_AIA if s.aia else forms.QUOTE_102_PRE, "section102RejectionFormParagraphText"
        )
        self.fam("quote_102")
        if s.aia:
            label = rng.choices(("102(a)(1)", "102(a)(2)", "102"), (0.72, 0.25, 0.03))[0]
        else:
            label = rng.choices(("102(b)", "102(e)", "102(a)"), (0.6, 0.3, 0.1))[0]
        self.fam(
            {"102(a)(1)": "102a1", "102(a)(2)": "102a2", "102": "102_no_subsection"}.get(label, "102_pre_aia")
        )
        subj, st = claims_subject(claims, rng), forms.statute(label, s.aia, rng)
        if alt:
            self.add(forms.QUOTE_103_AIA if s.aia else forms.QUOTE_103_PRE)
            self.fam("102_alt_103")
            st103 = forms.statute("103", s.aia, rng)
            text = (
                f"{subj} rejected under {st} as anticipated by or, in the alternative, under {st103} as "
                f"obvious over {self.ref(doc)}."
            )
            self.sentence(text, "section102RejectionText")
            self.ground(label, "102", claims, [doc])
            self.ground("103", "103", claims, [doc])
        else:
            how = rng.choice(
                (
                    "as being anticipated by",
                    "as being anticipated by",
                    "as anticipated by",
                    "as being clearly anticipated by",
                )
            )
            self.sentence(f"{subj} rejected under {st} {how} {self.ref(doc)}.", "section102RejectionText")
            self.ground(label, "102", claims, [doc])
        self.fill("single", 3.0, names=(doc.name,), claims=tuple(claims))

    def heading_103(self) -> None:
        s, rng = self.spec, self.rng
        if self.has_103_heading:
            return
        self.has_103_heading = True
        self.add("Claim Rejections - 35 USC § 103")
        self.add(
            forms.QUOTE_103_AIA if s.aia else forms.QUOTE_103_PRE, "section103RejectionFormParagraphText"
        )
        self.fam("quote_103")
        if rng.random() < 0.5:
            self.add(forms.GRAHAM)
        if s.aia and rng.random() < 0.4:
            self.add(forms.JOINT_INVENTORS)
            self.fam("joint_inventors_102a2")

    def section_103_base(self, claims: list[int], chain: list[Doc], split: bool) -> None:
        s, rng = self.spec, self.rng
        self.heading_103()
        first, later = claims, []
        if split and len(claims) >= 2:
            cut = rng.randrange(1, len(claims))
            first, later = claims[:cut], claims[cut:]
        st = forms.statute("103", s.aia, rng)
        self.fam("103a_pre_aia" if "103(a)" in st else "103")
        refs = [self.ref(d) for d in chain]
        name_only = ""
        if len(chain) >= 2 and rng.random() < 0.03:
            name_only = self.spare_name()
            self.fam("103_name_only_reference")
        if isinstance(chain[0], NplDoc):
            self.fam("103_npl_primary")
        over = self.chain_text(refs)
        if name_only:
            over += f", and further in view of {name_only}"
        how = rng.choice(
            ("as being unpatentable over", "as being unpatentable over", "as being obvious over")
        )
        self.sentence(
            f"{claims_subject(first, rng)} rejected under {st} {how} {over}.", "section103RejectionText"
        )
        self.ground("103", "103", first, list(chain))
        names = tuple(d.name for d in chain[:2])
        self.fill("combo" if len(names) == 2 else "single", 3.0, names=names, claims=tuple(first))
        if later:
            self.fam("103_restated_more_claims")
            over2 = self.chain_text([d.name for d in chain])
            if name_only:
                over2 += f", and further in view of {name_only}"
            self.sentence(
                f"{claims_subject(later, rng)} rejected under {forms.statute('103', s.aia, rng)} as being "
                f"unpatentable over {over2}."
            )
            self.ground("103", "103", later, list(chain))
            self.fill("combo" if len(names) == 2 else "single", 1.0, names=names, claims=tuple(later))

    def chain_text(self, refs: list[str]) -> str:
        rng = self.rng
        if len(refs) == 1:
            self.fam("103_single_reference")
            return refs[0]
        if len(refs) == 2:
            self.fam("103_in_view_of")
            return f"{refs[0]} in view of {refs[1]}"
        r = rng.random()
        if r < 0.4:
            self.fam("103_further_in_view_of")
            text = f"{refs[0]} in view of {refs[1]}"
            for more in refs[2:]:
                text += f", further in view of {more}"
            return text
        if r < 0.6:
            self.fam("103_and_further_in_view_of")
            return f"{refs[0]} in view of {refs[1]}, and further in view of " + " and ".join(refs[2:])
        if r < 0.8:
            self.fam("103_in_view_of_and")
            return f"{refs[0]} in view of " + ", ".join(refs[1:-1]) + f" and {refs[-1]}"
        self.fam("103_comma_list")
        return ", ".join(refs[:-1]) + f", and {refs[-1]}"

    def section_103_extension(self, claims: list[int], base: list[Doc], base_claim: int, doc: Doc) -> None:
        s, rng = self.spec, self.rng
        self.heading_103()
        self.fam("103_as_applied")
        st = forms.statute("103", s.aia, rng)
        names = [self.ref(d) for d in base]
        if len(names) == 1:
            over = names[0]
        elif rng.random() < 0.5:
            over = f"{names[0]} in view of " + " and ".join(names[1:])
        else:
            over = "the combination of " + ", ".join(names[:-1]) + f" and {names[-1]}"
        how = rng.choice(("and further in view of", "and further in view of", "in further view of"))
        text = (
            f"{claims_subject(claims, rng)} rejected under {st} as being unpatentable over {over} as applied "
            f"to claim {base_claim} above, {how} {self.ref(doc)}."
        )
        self.sentence(text)
        self.ground("103", "103", claims, [*base, doc])
        self.fill("combo", 1.5, names=(base[0].name, doc.name), claims=tuple(claims))

    def objections(
        self, rejectable: list[int], dependent: list[int], allowed: list[int], rewrite: list[int]
    ) -> None:
        rng = self.rng
        parts: list[str] = []
        if rng.random() < 0.12 and rejectable:
            claims = sorted(rng.sample(rejectable, min(len(rejectable), rng.randrange(1, 3))))
            subj = f"Claims {claim_list(claims, rng)} are" if len(claims) > 1 else f"Claim {claims[0]} is"
            noun = rng.choice(self.words["nouns"])
            parts.append(
                f"{subj} objected to because of the following informalities: in line {rng.randrange(2, 12)}, "
                f"“the {noun}” should read “the {rng.choice(self.words['adjectives'])} {noun}”. Appropriate "
                "correction is required."
            )
            self.fam("objection_informalities")
        if rng.random() < 0.06:
            parts.append(
                "The drawings are objected to under 37 CFR 1.83(a). The drawings must show every feature of "
                f"the invention specified in the claims. Therefore, the “{self.thing()}” must be shown or "
                "the feature(s) canceled from the claim(s). No new matter should be entered."
            )
            self.fam("objection_drawings")
        if rng.random() < 0.04:
            parts.append(
                "The specification is objected to as failing to provide proper antecedent basis for the "
                "claimed subject matter. See 37 CFR 1.75(d)(1) and MPEP § 608.01(o). Correction of the "
                f"following is required: “{self.thing()}”."
            )
            self.fam("objection_specification")
        if parts:
            self.objection = True
            self.add("Claim Objections\n" + "\n".join(parts))
        allow: list[str] = []
        if dependent:
            verb = "are" if len(dependent) > 1 else "is"
            noun = "Claims" if len(dependent) > 1 else "Claim"
            allow.append(
                f"{noun} {claim_list(dependent, rng)} {verb} objected to as being dependent upon a rejected "
                "base claim, but would be allowable if rewritten in independent form including all of the "
                "limitations of the base claim and any intervening claims."
            )
            self.objection = True
            self.fam("objection_dependent_allowable")
        if rewrite:
            noun = "Claims" if len(rewrite) > 1 else "Claim"
            allow.append(
                f"{noun} {claim_list(rewrite, rng)} would be allowable if rewritten to overcome the "
                "rejection(s) under 35 U.S.C. 112(b) or 35 U.S.C. 112 (pre-AIA), 2nd paragraph, set forth "
                "in this Office action and to include all of the limitations of the base claim and any "
                "intervening claims."
            )
            self.fam("allowable_rewrite_112")
        if allowed:
            noun, verb = ("Claims", "are") if len(allowed) > 1 else ("Claim", "is")
            allow.append(f"{noun} {claim_list(allowed, rng)} {verb} allowed.")
            self.fam("claims_allowed")
        if allow:
            self.allowable = True
            self.add("Allowable Subject Matter\n" + "\n".join(allow))
            self.add(
                "The following is a statement of reasons for the indication of allowable subject matter:"
            )
            self.fill("reasons", 0.6, names=self.art_names())

    def art_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.spec.prior_art if d.name in self.named)

    def arguments(self) -> None:
        s, rng = self.spec, self.rng
        self.fam("response_to_arguments")
        self.add("Response to Arguments")
        filed = fmt_date(s.mail_date.replace(day=1))
        self.add(
            f"Applicant's arguments filed {filed} have been fully considered but they are not persuasive."
        )
        known = [d for d in s.prior_art if isinstance(d, PatentDoc) and d.name in self.named]
        if known and rng.random() < 0.5:
            doc = rng.choice(known)
            self.fam("argument_full_citation")
            self.add(
                f"Applicant argues that {doc.name} ({self.number(doc)}) does not teach the amended "
                "limitation."
            )
        self.fill("arguments", 1.5, names=self.art_names())
