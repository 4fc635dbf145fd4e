"""Record serializations: the weekly flat form, the Search-API (Solr) form and the ODP variant.

Each record is built together with the normalized values a correct reader must produce from it
(docs/contracts.md), so the truth names exactly what was written: a trimmed document id, an 8-digit
application number (`9123456` is `09123456`), the mail date as written (a Solr `T05:00:00Z` date is the
same calendar day), null sentinels as None.

Beyond data-format.md, records may carry `publicationNumber`: the application's own pre-grant publication
(`US20180123456A1`), so the graph job can map cited publications to applications.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from oa_spark.synth.apps import App
from oa_spark.synth.text import Letter, LetterSpec

WEEKLY, SOLR, ODP = "weekly", "solr", "odp"
REJECTION_CODES = ("CTNF", "CTFR")
SECTION_IDS = (
    "officeActionIdentifier", "obsoleteDocumentIdentifier", "patentApplicationNumber",
    "legacyDocumentCodeIdentifier", "filingDate", "submissionDate", "grantDate", "techCenterNumber",
    "groupArtUnitNumber", "workGroupNumber", "nationalClass", "nationalSubclass", "examinerEmployeeNumber",
)  # fmt: skip
SECTION_TEXTS = (
    "section101RejectionText", "section102RejectionText", "section103RejectionText",
    "section112RejectionText", "section101RejectionFormParagraphText", "section102RejectionFormParagraphText",
    "section103RejectionFormParagraphText", "section112RejectionFormParagraphText", "summaryText",
    "detailCitationText", "withdrawalRejectionText", "terminalDisclaimerStatusText", "specificationTitleText",
    "proceedingAppendixText",
)  # fmt: skip
# Application fields that later years no longer ship (schema drift): dropped from 2024 on, the first five
# already from 2023 on.
DRIFT_FIELDS = (
    "applicantFileReference", "applicationDeemedWithdrawnDate", "nSRDCurrentLocationDate",
    "nSRDCurrentLocationNumber", "legacyCMSIdentifier", "businessAreaCategory", "customerNumber",
    "documentActiveIndicator", "examinationProgramCode", "figureQuantity", "priorityClaimIndicator",
    "priorityClaimRequirementMetIndicator", "lastModifiedUserIdentifier", "nationalClass", "nationalSubclass",
)  # fmt: skip


@dataclass(frozen=True)
class DocSpec:
    """One office-action document: the letter plus the document-level record fields."""

    document_id: str
    record_id: str
    code: str
    mail: date
    created: datetime
    source_system: str
    letter: LetterSpec
    app: App


@dataclass(frozen=True)
class Expected:
    """What a correct reader normalizes the record to (the key fields of a truth `document` line)."""

    document_id: str
    record_id: str
    application_number: str
    document_code: str
    mail_date: date
    art_unit: str
    tech_center: str
    examiner_id: str
    patent_number: str | None
    publication_number: str | None
    last_modified: datetime | None
    serialization: str


def record_id(seed: int, document_id: str) -> str:
    """56 hex characters, like the real `id`."""
    return hashlib.sha224(f"{seed}:{document_id}".encode()).hexdigest()


_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_ID_SPACE = 36**10
_ID_STRIDE = 1_517_216_503_441  # coprime with 36: counter -> suffix is a bijection on [0, 36**10)


def document_id(prefix: str, counter: int) -> str:
    """15 characters like `J8080VPBRXEAPX5`: a 5-character prefix and a scrambled counter, so every id of a
    sample is different by construction (no set of issued ids to remember)."""
    n = (counter * _ID_STRIDE) % _ID_SPACE
    digits = []
    for _ in range(10):
        n, d = divmod(n, 36)
        digits.append(_ID_ALPHABET[d])
    return prefix + "".join(digits)


def id_prefix(rng: random.Random) -> str:
    return "".join(rng.choice(_ID_ALPHABET) for _ in range(5))


class _Writer:
    """Writes values in one serialization's conventions."""

    def __init__(self, form: str, rng: random.Random) -> None:
        self.form, self.rng = form, rng

    def text(self, value: str) -> str | list[str]:
        return [value] if self.form == SOLR else value

    def day(self, value: date) -> str:
        if self.form != SOLR:
            return value.isoformat()
        if self.rng.random() < 0.2:
            return f"{value.isoformat()}T00:00:00"
        return f"{value.isoformat()}T{'04' if 3 <= value.month <= 10 else '05'}:00:00Z"

    def stamp(self, value: datetime) -> str:
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
        return text + "Z" if self.form == SOLR else text

    def null(self) -> object:
        """A null sentinel of this serialization (`_ABSENT` leaves the key out)."""
        if self.form == SOLR:
            return self.rng.choice((["null"], ["null"], [" "], _ABSENT))
        if self.form == ODP:
            return self.rng.choice((None, None, "", _ABSENT))
        return self.rng.choice(("", " ", "null", _ABSENT, None))

    def null_day(self) -> object:
        if self.form == SOLR:
            return self.rng.choice(("0001-01-01T05:00:00Z", "0000-12-30T05:00:00Z", "0001-01-03T00:00:00"))
        return self.rng.choice(("0001-01-01", "0001-01-01", None, _ABSENT))


_ABSENT = object()


def build(
    doc: DocSpec,
    letter: Letter,
    form: str,
    week: date,
    modified: datetime | None,
    status: int,
    rng: random.Random,
) -> tuple[dict, Expected]:
    """The record of `doc` in `form` as the file of `week` ships it, and what it normalizes to."""
    app, w = doc.app, _Writer(form, rng)
    fields: dict[str, object] = {}
    patent = app.patent_on(week)
    grant = app.grant_date if patent is not None else None

    number = app.number
    if form != SOLR and number.startswith("0") and rng.random() < 0.7:
        number = number[1:]  # `9123456`: the leading zero of an old series dropped
    elif rng.random() < 0.02:
        number += " "
    doc_id = doc.document_id + (" " if rng.random() < 0.03 else "")
    code = doc.code
    r = rng.random()
    if r < 0.02:
        code += " "
    elif r < 0.03:
        code = code.lower()
    examiner = app.examiner.employee + (" " if rng.random() < 0.5 else "")
    art_unit = str(app.art_unit)

    fields["id"] = doc.record_id
    fields["obsoleteDocumentIdentifier"] = w.text(doc_id)
    fields["patentApplicationNumber"] = w.text(number)
    fields["documentCode" if form == ODP else "legacyDocumentCodeIdentifier"] = w.text(code)
    fields["submissionDate"] = w.day(doc.mail)
    fields["oaText" if form == ODP else "bodyText"] = w.text(letter.body)
    fields["accessLevelCategory"] = w.text("PUBLIC")
    if rng.random() < 0.7:
        aia = app.effective >= date(2013, 3, 16)
        fields["aiaIndicator"] = aia if rng.random() < 0.6 else ("true" if aia else "false")
    fields["applicantFileReference"] = w.text(app.reference)
    fields["applicationDeemedWithdrawnDate"] = w.null_day()
    fields["applicationStatusNumber"] = status
    fields["applicationTypeCategory"] = w.text("DESIGN" if app.design else "REGULAR")
    fields["businessAreaCategory"] = w.text("PATENT")
    fields["businessEntityStatusCategory"] = w.text(app.entity)
    fields["customerNumber"] = app.customer
    fields["documentActiveIndicator"] = w.text("1")
    fields["documentDirectionCategory"] = w.text("OUTGOING")
    fields["effectiveClaimTotalQuantity"] = app.claims
    fields["effectiveFilingDate"] = w.day(app.effective)
    fields["examinationProgramCode"] = w.text(rng.choice(("NORMAL", "NORMAL", "TRACK ONE", "PPH")))
    fields["examinerEmployeeNumber"] = w.text(examiner)
    fields["figureQuantity"] = rng.randrange(1, 30)
    fields["filingDate"] = w.day(app.filing)
    fields["grantDate"] = w.day(grant) if grant else w.null_day()
    fields["groupArtUnitNumber"] = app.art_unit if form == WEEKLY else w.text(art_unit)
    fields["independentClaimTotalQuantity"] = max(1, app.claims // 7)
    fields["inventionSubjectMatterCategory"] = w.text("DESIGN" if app.design else "UTILITY")
    fields["inventionTitle"] = w.text(app.title)
    fields["lastModifiedTimestamp"] = w.stamp(modified) if modified else w.null_day()
    fields["lastModifiedUserIdentifier"] = w.text("OC-PROCESS" if doc.source_system == "OC" else "OACS")
    fields["legacyCMSIdentifier"] = w.text(doc.document_id[::-1])
    fields["nSRDCurrentLocationDate"] = w.day(doc.mail + timedelta(days=rng.randrange(1, 20)))
    fields["nSRDCurrentLocationNumber"] = w.text(str(rng.choice((7100, 7200, 9200))))
    fields["nationalClass"] = w.text(app.us_class[0])
    fields["nationalSubclass"] = w.text(app.us_class[1])
    fields["patentApplicationConfirmationNumber"] = app.confirmation
    fields["priorityClaimIndicator"] = w.text("true" if app.effective < app.filing else "false")
    fields["priorityClaimRequirementMetIndicator"] = w.text("true")
    fields["sourceSystemName"] = w.text(doc.source_system)
    fields["systemCreateTimestamp"] = w.stamp(doc.created)
    fields["systemLastModifiedTimestamp"] = w.stamp(modified or doc.created)
    fields["techCenter"] = w.text(f"{app.art_unit // 100 * 100}")
    fields["workgroup" if rng.random() < 0.15 else "workGroup"] = w.text(f"{app.art_unit // 10 * 10}")
    fields["patentNumber"] = w.text(patent.number) if patent else w.null()
    if app.publication is not None:
        fields["publicationNumber"] = w.text(f"US{app.publication.number}{app.publication.kind}")
    if form != WEEKLY:
        fields["createDateTime"] = w.stamp(doc.created)
    if form != SOLR and letter.rejections:
        fields["rejections"] = _hints(letter, rng)
    elif form != SOLR and doc.code == "CTAV" and rng.random() < 0.5:
        fields["rejections"] = [{"label": "112(b)", "paragraph": "b", "position": "389", "type": "112"}]
    if form == SOLR:
        fields["_version_"] = rng.randrange(1 << 60, 1 << 62)
    _add_sections(fields, doc, letter, form, w, rng, doc_id, number, art_unit, examiner, grant)
    for name in _dropped(week):
        fields.pop(name, None)

    record = {k: fields[k] for k in sorted(fields) if fields[k] is not _ABSENT}
    expected = Expected(
        document_id=doc.document_id,
        record_id=doc.record_id,
        application_number=app.number,
        document_code=doc.code,
        mail_date=doc.mail,
        art_unit=art_unit,
        tech_center=f"{app.art_unit // 100 * 100}",
        examiner_id=app.examiner.employee,
        patent_number=patent.number if patent else None,
        publication_number=app.publication.canonical(app.publication.kind) if app.publication else None,
        last_modified=modified,
        serialization=form,
    )
    return record, expected


def _dropped(week: date) -> tuple[str, ...]:
    if week.year >= 2024:
        return DRIFT_FIELDS
    if week.year == 2023:
        return DRIFT_FIELDS[:5]
    return ()


def _hints(letter: Letter, rng: random.Random) -> list[dict[str, str]]:
    """USPTO's noisy `rejections` hint: labels like `103()`, repeats, positions that are not offsets."""
    hints = []
    for ground in letter.rejections:
        label = ground["label"] if ground["label"] != "dp" else "DP"
        if label == "103" and rng.random() < 0.5:
            label = "103()"
        paragraph = label[4:5] if label.startswith("112(") else ""
        hint = {
            "label": label,
            "paragraph": paragraph,
            "position": str(rng.randrange(50, 9000)),
            "type": ground["statute"],
        }
        hints.append(hint)
        if rng.random() < 0.2:
            hints.append(dict(hint))
    return hints


def _add_sections(
    fields: dict[str, object],
    doc: DocSpec,
    letter: Letter,
    form: str,
    w: _Writer,
    rng: random.Random,
    doc_id: str,
    number: str,
    art_unit: str,
    examiner: str,
    grant: date | None,
) -> None:
    """`sections` (nested, or dotted keys in the Solr form): only on CTNF/CTFR, texts are body substrings."""
    if doc.code not in REJECTION_CODES or rng.random() < 0.1:
        return
    app = doc.app
    ids: dict[str, object] = {
        "officeActionIdentifier": doc.record_id,
        "obsoleteDocumentIdentifier": doc_id,
        "patentApplicationNumber": number,
        "legacyDocumentCodeIdentifier": doc.code,
        "filingDate": w.day(app.filing),
        "submissionDate": w.day(doc.mail),
        "grantDate": w.day(grant) if grant else w.null_day(),
        "techCenterNumber": f"{app.art_unit // 100 * 100}",
        "groupArtUnitNumber": art_unit,
        "workGroupNumber": f"{app.art_unit // 10 * 10}",
        "nationalClass": app.us_class[0],
        "nationalSubclass": app.us_class[1],
        "examinerEmployeeNumber": examiner,
    }
    texts = {name: letter.sections.get(name, "") for name in SECTION_TEXTS}
    if form == SOLR:
        for name, value in ids.items():
            if isinstance(value, str):  # dates are already written; other strings are wrapped
                fields[f"sections.{name}"] = value if name.endswith("Date") else [value]
        for name, value in texts.items():
            if value:
                fields[f"sections.{name}"] = [value]
        return
    nested = {k: v for k, v in ids.items() if v is not _ABSENT}
    nested.update(texts)
    fields["sections"] = nested
