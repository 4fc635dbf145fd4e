"""The sample generator: realistic weekly zips of office actions and the exact truth about them.

    generate(out_dir, weeks, start=None, records=200, seed=0, faults=False, progress=None) -> SampleSummary
    main(argv) -> int                      (also `python -m oa_spark.synth --help`)

Pure Python, deterministic (same arguments, same bytes). Modules: `apps` (who gets which action, what is
cited), `text` (`compose`: the letter and its truth; `composer` holds the primitives that record truth as
they write, `rejections` the grounds), `claims` (claim lists), `forms` (form paragraphs, statute
phrasings), `pools` (filler paragraphs), `ids` (document-number shapes and canonical ids), `records`
(serializations), `faults`, `generator` (weeks, zips, truth.jsonl), `cli`.

Truth conventions where docs/contracts.md is silent (the extractor is measured against these):

* Grounds are listed in order of first appearance; grounds with the same (statute, label, references)
  are merged. A ground's `references` are the patent documents named in its rejection sentence, including
  those named there by a short name introduced earlier in the letter with a number ("over Beall in view of
  Giunta as applied to claim 1 above, and further in view of Crawford (US 8204846)" has three). Non-patent
  literature and a reference named without any number anywhere in the letter have no id and are left out.
  Documents cited only in the analysis, the arguments or a withdrawn rejection are not ground references.
* Double patenting is `dp`/`dp`, also the statutory kind written "rejected under 35 U.S.C. 101 as claiming
  the same invention as that of claims 1-5 of prior U.S. Patent No. ...". Its references are the patent or
  the co-pending application (its 8-digit number) and any "in view of" reference; the reference's claim
  numbers ("over claims 1-18 of ...") are not the ground's claims. In "as applied to claim 1 above", claim 1
  is not one of the ground's claims.
* "Claims 9-14, which depend from claim 8, are, therefore, also rejected under 35 USC 112, second
  paragraph" adds 9-14 to the 112(b) ground (8 is always already in it).
* Not grounds: statute quotations; the AIA-status and joint-inventor paragraphs; 112(f) interpretation
  notes; withdrawn rejections (also "arguments ... with respect to the rejection(s) of claim(s) 1-3 under
  35 U.S.C. 103 as being unpatentable over X ... are persuasive"); unfilled form paragraphs "Claim [ 1 ]
  is/are rejected ... over [ 2 ]" (flag `form_brackets_unfilled` only); "would be allowable if rewritten to
  overcome the rejection(s) under 35 U.S.C. 112(b)" (those claims are in the 112(b) ground anyway);
  "is rejected for the same reasons as claim 1"; "Claim(s) rejected: 1-20" on advisory actions; restriction
  under 35 U.S.C. 121; petitions under 37 CFR 1.102(e). Only CTNF and CTFR letters have grounds.
* `citations`: every patent-document number written anywhere in the letter (grounds, withdrawn
  rejections, arguments, reasons for allowance, art made of record, double patenting targets, co-pending
  applications as bare 8-digit numbers), unique, in order of first appearance. A letter writes each
  document always with its kind or always without, so its id is unambiguous; a kind typo is kept (`A`).
  Not citations: the application's own number in page headers ("Application/Control Number: 16/773,069
  Page 2"), case law ("573 U.S. 208", "988 F.2d 1181"), MPEP and CFR sections, CPC symbols, phone numbers,
  paragraph, column, page and reference numerals.
* `npl`: the number of distinct non-patent documents cited; each is written in full once (later by name
  only). Case law is not NPL. `not_relied_upon`: only the documents listed after "The prior art made of
  record and not relied upon ..."; never in a ground.
* `flags` holds only `form_brackets_unfilled`. `is_final`: the letter says THIS ACTION IS MADE FINAL
  (every CTFR and only CTFR; "finality ... withdrawn" after an RCE and an advisory's "after a final
  rejection" are not). `objection`: the letter objects to claims, drawings or the specification ("objected
  to"). `allowable_subject_matter`: claims "are allowed" or "would be allowable" (NOA and CTEQ always);
  an advisory's "condition for allowance" is not.
* Document lines also carry `record_id`, `art_unit`, `tech_center`, `examiner_id` (trimmed),
  `publication_number` (canonical id of the application's own pre-grant publication, shipped in the extra
  record field `publicationNumber` as `US20180123456A1`), `last_modified` (naive ISO, None for a sentinel),
  `record_hash` (sha256 of the kept line without BOM and newline), `line_number` (1-based line of the kept
  version in the member), `reappearance`, `body_chars`, `artifacts`, `families` and `cited_raw`
  ([text as written without page markers, id, shape]). `patent_number` is what the record ships, None
  before the grant.
* Week lines: `records_in` counts non-blank lines (some weeks end with one blank line; line numbers are
  physical lines, and a BOM may start line 1); `records_out` equals `records` for every good week.
  Record faults (one per reason code per good week, `invalid_utf8` and `bad_application_number`
  included, each line with exactly one defect) carry `line_number`, and `document_id` only when the line is
  an object with one. A broken file has one `fault` line without `line_number` and a `week` line whose
  status is the reason and whose counts are 0; `zip_empty` is a valid zip with no member.
"""

from oa_spark.synth.cli import main
from oa_spark.synth.generator import DEFAULT_START, SampleSummary, WeekSummary, generate

__all__ = ["DEFAULT_START", "SampleSummary", "WeekSummary", "generate", "main"]
