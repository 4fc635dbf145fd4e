"""The generated sample, checked from the outside: the zips and truth.jsonl are read back with code written
independently of the generator (the dedupe rule, fault classification, id shapes re-implemented here)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import statistics
import zipfile
import zlib
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from oa_spark import reasons
from oa_spark.synth import generate
from oa_spark.synth.ids import SHAPE_NAMES

START = date(2022, 1, 2)
MARKER = re.compile(r"number='\d+'")
NULLS = {"", "null"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, weeks=2, start=START, records=300, seed=7, faults=True)
    return out


@pytest.fixture(scope="module")
def truth(sample: Path) -> list[dict]:
    return [json.loads(line) for line in (sample / "truth.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def documents(truth: list[dict]) -> list[dict]:
    return [t for t in truth if t["kind"] == "document"]


@pytest.fixture(scope="module")
def member_lines(sample: Path, truth: list[dict]) -> dict[str, list[bytes]]:
    """Good week file -> its member's lines (a trailing blank line removed, the BOM kept)."""
    out = {}
    for week in (t for t in truth if t["kind"] == "week" and t["status"] == "ok"):
        with zipfile.ZipFile(sample / week["file"]) as zf:
            (name,) = zf.namelist()
            data = zf.read(name)
        lines = data.split(b"\n")
        assert lines[-1] == b""
        lines.pop()
        if lines and lines[-1] == b"":
            lines.pop()  # the trailing blank line some weeks end with
        out[week["file"]] = lines
    return out


@pytest.fixture(scope="module")
def bodies(
    sample: Path, documents: list[dict], member_lines: dict[str, list[bytes]]
) -> list[tuple[dict, str]]:
    """(truth document, body with page markers stripped)."""
    out = []
    for doc in documents:
        record = json.loads(member_lines[doc["file"]][doc["line_number"] - 1].removeprefix(b"\xef\xbb\xbf"))
        out.append((doc, MARKER.sub("", _body(record))))
    return out


# ---------------------------------------------------------------- an independent reader


def _one(value: object) -> object:
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _text(value: object) -> str | None:
    value = _one(value)
    if value is None or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    return None if text.lower() in NULLS else text


def _body(record: dict) -> str:
    return _one(record.get("bodyText", record.get("oaText")))


def _day(value: object) -> date | None:
    text = _text(value)
    if text is None:
        return None
    day = date.fromisoformat(text[:10]) if not text.startswith(("0000", "0001")) else None
    return day


def _stamp(value: object) -> datetime | None:
    text = _text(value)
    if text is None or text.startswith(("0000", "0001")):
        return None
    return datetime.fromisoformat(text.removesuffix("Z"))


def _application(value: object) -> str | None:
    text = _text(value)
    if text is None:
        return None
    digits = text.replace("/", "").replace(",", "")
    return digits.zfill(8) if digits.isdigit() and len(digits) <= 8 else "bad"


def _classify(line: bytes) -> str:
    """The reason a correct reader gives a line, per docs/contracts.md ("ok" for a good record)."""
    try:
        text = line.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return reasons.INVALID_UTF8
    try:
        record = json.loads(text)
    except json.JSONDecodeError:
        return reasons.INVALID_JSON
    if not isinstance(record, dict):
        return reasons.NOT_OBJECT
    if _text(record.get("obsoleteDocumentIdentifier")) is None:
        return reasons.MISSING_DOCUMENT_ID
    number = _application(record.get("patentApplicationNumber"))
    if number is None:
        return reasons.MISSING_APPLICATION_NUMBER
    if number == "bad":
        return reasons.BAD_APPLICATION_NUMBER
    try:
        _day(record.get("submissionDate"))
    except ValueError:
        return reasons.BAD_DATE
    if not isinstance(_one(record.get("bodyText", record.get("oaText"))), str):
        return reasons.BAD_BODY
    return "ok"


def _serialization(record: dict) -> str:
    if any("." in key for key in record) or isinstance(record.get("bodyText"), list):
        return "solr"
    return "odp" if "oaText" in record else "weekly"


# ---------------------------------------------------------------- files


def test_file_names_are_consecutive_sundays(sample: Path) -> None:
    names = sorted(p.name for p in sample.glob("*.zip"))
    days = [date.fromisoformat(n.removeprefix("bdr_oa_bulkdata_weekly_").removesuffix(".zip")) for n in names]
    assert len(days) == 2 + 5
    assert days[0] == START
    assert all(d.weekday() == 6 for d in days)
    assert all(b - a == timedelta(days=7) for a, b in pairwise(days))
    assert not list(sample.glob(".*")), "temporary files left behind"


def test_good_zips_have_one_deflated_member_and_a_sane_ratio(sample: Path, truth: list[dict]) -> None:
    for week in (t for t in truth if t["kind"] == "week" and t["status"] == "ok"):
        with zipfile.ZipFile(sample / week["file"]) as zf:
            infos = zf.infolist()
            assert len(infos) == 1
            assert infos[0].compress_type == zipfile.ZIP_DEFLATED
            assert infos[0].file_size / infos[0].compress_size < 50  # far from a bomb's ratio
            assert zf.testzip() is None


def test_whole_file_faults(sample: Path, truth: list[dict]) -> None:
    failing = {t["status"]: sample / t["file"] for t in truth if t["kind"] == "week" and t["status"] != "ok"}
    marked = {t["fault"] for t in truth if t["kind"] == "fault" and "line_number" not in t}
    assert set(failing) == marked == set(reasons.FILE_REASONS)

    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(failing[reasons.ZIP_TRUNCATED])
    assert failing[reasons.ZIP_TRUNCATED].read_bytes()[:4] == b"PK\x03\x04"
    with zipfile.ZipFile(failing[reasons.ZIP_EMPTY]) as zf:
        assert zf.namelist() == []
    with zipfile.ZipFile(failing[reasons.ZIP_MULTI_MEMBER]) as zf:
        assert len(zf.namelist()) == 2
    bomb = failing[reasons.ZIP_BOMB]
    with zipfile.ZipFile(bomb) as zf:
        (info,) = zf.infolist()
        assert info.file_size >= 1 << 30
        assert info.file_size / info.compress_size > 200
        assert bomb.stat().st_size < 4_000_000
        with zf.open(info) as member:
            assert member.read(1 << 20) == bytes(1 << 20)
    with zipfile.ZipFile(failing[reasons.ZIP_CORRUPT]) as zf, pytest.raises((zipfile.BadZipFile, zlib.error)):
        for info in zf.infolist():
            zf.read(info)


# ---------------------------------------------------------------- truth against the files


def test_week_counts_reconcile_with_the_files(
    truth: list[dict], member_lines: dict[str, list[bytes]]
) -> None:
    weeks = [t for t in truth if t["kind"] == "week" and t["status"] == "ok"]
    assert len(weeks) == 2
    for week in weeks:
        lines = member_lines[week["file"]]
        documents = [t for t in truth if t["kind"] == "document" and t["file"] == week["file"]]
        faults = [t for t in truth if t["kind"] == "fault" and t["file"] == week["file"]]
        assert week["records_in"] == len(lines)
        assert week["records_in"] == week["records_out"] + week["duplicates"] + week["quarantined"]
        assert week["records_out"] == len(documents) == 300
        assert week["quarantined"] == len(faults)


def test_every_line_is_what_truth_says(truth: list[dict], member_lines: dict[str, list[bytes]]) -> None:
    """Faults classify to their reason; every other line is a good record; documents point at their line."""
    for file, lines in member_lines.items():
        faults = {t["line_number"]: t for t in truth if t["kind"] == "fault" and t["file"] == file}
        assert {f["fault"] for f in faults.values()} == set(reasons.RECORD_REASONS) - {reasons.BAD_FIELD}
        for number, line in enumerate(lines, start=1):
            expected = faults[number]["fault"] if number in faults else "ok"
            assert _classify(line) == expected, (file, number, line[:200])
        for fault in faults.values():
            if "document_id" in fault:
                record = json.loads(lines[fault["line_number"] - 1])
                assert _text(record.get("obsoleteDocumentIdentifier")) == fault["document_id"]
        for doc in (t for t in truth if t["kind"] == "document" and t["file"] == file):
            line = lines[doc["line_number"] - 1].removeprefix(b"\xef\xbb\xbf")
            assert hashlib.sha256(line).hexdigest() == doc["record_hash"]
            record = json.loads(line)
            assert _text(record["obsoleteDocumentIdentifier"]) == doc["document_id"]
            assert _application(record["patentApplicationNumber"]) == doc["application_number"]
            assert (
                _text(record.get("legacyDocumentCodeIdentifier", record.get("documentCode"))).upper()
                == doc["document_code"]
            )
            assert _day(record["submissionDate"]).isoformat() == doc["mail_date"]
            assert _serialization(record) == doc["serialization"]
            assert _text(record.get("examinerEmployeeNumber")) == doc["examiner_id"]
            assert _text(record.get("patentNumber")) == doc["patent_number"]
            modified = _stamp(record.get("lastModifiedTimestamp"))
            assert (modified.isoformat() if modified else None) == doc["last_modified"]
            assert len(_body(record)) == doc["body_chars"]


def test_dedupe_rule_picks_the_truth_version(truth: list[dict], member_lines: dict[str, list[bytes]]) -> None:
    """Exact copies collapse; among versions the latest lastModified wins (None oldest), ties by hash."""
    for file, lines in member_lines.items():
        groups: dict[tuple[str, str], set[bytes]] = defaultdict(set)
        total: Counter[tuple[str, str]] = Counter()
        for line in lines:
            if _classify(line) != "ok":
                continue
            line = line.removeprefix(b"\xef\xbb\xbf")
            record = json.loads(line)
            key = (
                _application(record["patentApplicationNumber"]),
                _text(record["obsoleteDocumentIdentifier"]),
            )
            groups[key].add(line)
            total[key] += 1

        def rank(line: bytes) -> tuple[bool, datetime, str]:
            modified = _stamp(json.loads(line).get("lastModifiedTimestamp"))
            return (modified is not None, modified or datetime.min, hashlib.sha256(line).hexdigest())

        winners = {
            key: hashlib.sha256(max(versions, key=rank)).hexdigest() for key, versions in groups.items()
        }
        documents = {
            (t["application_number"], t["document_id"]): t
            for t in truth
            if t["kind"] == "document" and t["file"] == file
        }
        assert winners == {key: doc["record_hash"] for key, doc in documents.items()}
        week = next(t for t in truth if t["kind"] == "week" and t["file"] == file)
        assert week["duplicates"] == sum(n - 1 for n in total.values())
        assert any(len(v) > 1 for v in groups.values()), "no document with two versions"
        assert any(total[k] > len(groups[k]) for k in groups), "no exact duplicate line"


# ---------------------------------------------------------------- what the letters contain

ID_SHAPED = re.compile(
    r"\b\d{7,}\b|\b\d{1,3},\d{3},\d{3}\b|\b(?:19|20)\d\d/\d{6,7}\b|\b(?:RE|PP|D)\d{1,3},?\d{3}\b"
    r"|\b(?:US|JP|WO|EP|CN|KR|DE)[ -]?\d|Application (?:Serial )?No\.|Patent No\.|Pub\. No\."
)


def test_every_written_number_is_in_truth_and_nothing_else_looks_like_one(
    bodies: list[tuple[dict, str]],
) -> None:
    for doc, body in bodies:
        raws = sorted({raw for raw, _, _ in doc["cited_raw"]}, key=len, reverse=True)
        for raw in raws:
            assert raw in body, (doc["document_id"], raw)
        rest = body
        for raw in raws:
            rest = rest.replace(raw, " ")
        stray = ID_SHAPED.findall(rest)
        assert not stray, (doc["document_id"], stray)
        assert doc["citations"] == list(dict.fromkeys(cid for _, cid, _ in doc["cited_raw"]))


def _canonical(raw: str) -> str:
    """docs/contracts.md's canonical id of one written number, derived here without the generator's code."""
    m = re.fullmatch(r"(?:U\.S\. )?Application (?:Serial )?No\. (\d\d)/(\d{3}),(\d{3})", raw)
    if m:
        return "".join(m.groups())
    text = re.sub(
        r"^U\.S\. (?:Patent|Pat\.|Pub\.|Patent Application Publication|Design Patent|Plant Patent) No\. ",
        "US ",
        raw,
    )
    m = re.match(r"(US|JP|WO|EP|CN|KR|DE)[ -]?", text)
    country, rest = (m.group(1), text[m.end() :]) if m else ("US", text)
    m = re.fullmatch(r"(.*?\d)[ -]?([A-Z]\d?)", rest)
    number, kind = (m.group(1), m.group(2)) if m else (rest, None)
    number = re.sub(r"[ ,/-]", "", number)
    return f"{country}-{number}" + (f"-{kind}" if kind else "")


def test_written_numbers_mean_their_ids(documents: list[dict]) -> None:
    pairs = {(raw, cid) for d in documents for raw, cid, _ in d["cited_raw"]}
    assert len(pairs) > 1000
    wrong = [(raw, cid, _canonical(raw)) for raw, cid in pairs if _canonical(raw) != cid]
    assert not wrong, wrong[:10]


def test_grounds_are_well_formed(documents: list[dict]) -> None:
    statutes = {"101": "101", "102": "102", "103": "103", "112": "112", "dp": "dp"}
    labels = {"101", "102(a)(1)", "102(a)(2)", "102(a)", "102(b)", "102(e)", "102", "103", "112(a)", "112(b)",
              "112(d)", "112", "dp"}  # fmt: skip
    for doc in documents:
        keys = set()
        relied = set()
        for ground in doc["rejections"]:
            assert ground["label"] in labels
            assert statutes[ground["statute"]] == ground["statute"]
            assert ground["label"].startswith(ground["statute"]) or ground["statute"] == "dp"
            assert ground["claims"] == sorted(set(ground["claims"])) and ground["claims"]
            assert all(isinstance(c, int) and c > 0 for c in ground["claims"])
            if ground["statute"] in ("101", "112"):
                assert ground["references"] == []
            key = (ground["statute"], ground["label"], tuple(ground["references"]))
            assert key not in keys, "restated grounds must be merged"
            keys.add(key)
            relied.update(ground["references"])
        assert relied <= set(doc["citations"])
        assert set(doc["not_relied_upon"]) <= set(doc["citations"])
        assert not relied & set(doc["not_relied_upon"])
        if doc["document_code"] not in ("CTNF", "CTFR"):
            assert doc["rejections"] == []
        else:
            assert doc["rejections"], doc["document_id"]


def test_flags_match_the_text(bodies: list[tuple[dict, str]]) -> None:
    allowable = re.compile(r"would be allowable|\b(?:is|are) allowed\b")
    for doc, body in bodies:
        assert doc["is_final"] == ("THIS ACTION IS MADE FINAL" in body) == (doc["document_code"] == "CTFR")
        assert doc["objection"] == ("objected to" in body)
        assert doc["allowable_subject_matter"] == bool(allowable.search(body))
        assert ("form_brackets_unfilled" in doc["flags"]) == ("[ 1 ]" in body)


def test_body_lengths_are_realistic(documents: list[dict]) -> None:
    sizes = [d["body_chars"] for d in documents]
    rejections = [d["body_chars"] for d in documents if d["document_code"] in ("CTNF", "CTFR")]
    allowances = [d["body_chars"] for d in documents if d["document_code"] == "NOA"]
    assert 35_000 < statistics.median(sizes) < 60_000
    assert statistics.median(rejections) > 45_000
    assert statistics.median(allowances) < 20_000
    assert max(sizes) <= 122_000
    assert sorted(sizes)[int(len(sizes) * 0.9)] > 65_000


def test_document_code_mix(documents: list[dict]) -> None:
    codes = Counter(d["document_code"] for d in documents)
    assert set(codes) == {"CTNF", "NOA", "CTFR", "CTRS", "CTEQ", "CTAV", "PETDEC", "PPH.DECISION"}
    assert codes["CTNF"] > codes["NOA"] > codes["CTRS"] > codes["CTEQ"]
    assert codes["CTFR"] > codes["CTRS"]


def test_application_series(documents: list[dict]) -> None:
    series = Counter(d["series"] for d in documents)
    assert series[29] > 0
    assert any(s < 12 for s in series)
    assert sum(n for s, n in series.items() if 12 <= s <= 18) > 0.8 * len(documents)
    assert all(len(d["application_number"]) == 8 and d["application_number"].isdigit() for d in documents)


def test_serializations_and_record_quirks(
    member_lines: dict[str, list[bytes]], documents: list[dict]
) -> None:
    assert {d["serialization"] for d in documents} == {"weekly", "solr", "odp"}
    seen: Counter[str] = Counter()
    for lines in member_lines.values():
        for line in lines:
            if _classify(line) != "ok":
                continue
            record = json.loads(line.removeprefix(b"\xef\xbb\xbf"))
            if any(k.startswith("sections.") for k in record):
                seen["dotted sections"] += 1
            if isinstance(record.get("patentApplicationNumber"), list):
                seen["one-element arrays"] += 1
            if str(record.get("submissionDate", "")).endswith(("T04:00:00Z", "T05:00:00Z")):
                seen["T0x:00:00Z dates"] += 1
            if "workgroup" in record:
                seen["workgroup"] += 1
            if "workGroup" in record:
                seen["workGroup"] += 1
            if str(_one(record.get("examinerEmployeeNumber"))).endswith(" "):
                seen["padded examiner"] += 1
            if record.get("grantDate") in ("0001-01-01", "0001-01-01T05:00:00Z", "0000-12-30T05:00:00Z"):
                seen["date sentinel"] += 1
            if _one(record.get("patentNumber")) in ("null", " ", ""):
                seen["string null"] += 1
            if isinstance(record.get("sections"), dict):
                seen["nested sections"] += 1
                body = _body(record)
                assert all(v in body for k, v in record["sections"].items() if k.endswith("Text"))
            if len(str(_one(record["patentApplicationNumber"])).strip()) == 7:
                seen["7-digit application"] += 1
            if isinstance(record.get("rejections"), list):
                seen["rejection hints"] += 1
            if "publicationNumber" in record:
                seen["publicationNumber"] += 1
    expected = {
        "dotted sections", "one-element arrays", "T0x:00:00Z dates", "workgroup", "workGroup",
        "padded examiner",
        "date sentinel", "string null", "nested sections", "7-digit application", "rejection hints",
        "publicationNumber",
    }  # fmt: skip
    assert expected <= set(seen), expected - set(seen)


def test_bom_and_trailing_blank_line(sample: Path) -> None:
    second = sample / "bdr_oa_bulkdata_weekly_2022-01-09.zip"
    with zipfile.ZipFile(second) as zf:
        assert zf.read(zf.namelist()[0]).startswith(b"\xef\xbb\xbf{")


# ---------------------------------------------------------------- coverage of shapes and phrasings

FAMILIES = {
    "102(a)(1)": r"rejected under 35 U\.?S\.?C\.? ?§? ?102\(a\)\(1\)",
    "102(a)(2)": r"102\(a\)\(2\) as",
    "pre-AIA 102(b)": r"102\(b\) as",
    "pre-AIA 102(e)": r"102\(e\) as",
    "102 or in the alternative 103": r"or, in the alternative, under 35 U\.?S\.?C\.? ?§? ?103",
    "103 in view of": r"unpatentable over [^.]{3,200}? in view of ",
    "103 further in view of": r", further in view of ",
    "103 as applied above": r"as applied to claim \d+ above, (?:and further|in further) view of",
    "103(a)": r"103\(a\) as being",
    "herein short name": r"\), herein [A-Z]",
    "hereinafter": r"hereinafter",
    "112(b)": r"rejected under 35 U\.?S\.?C\.? ?§? ?112\(b\)",
    "112 second paragraph": r"rejected under (?:pre-AIA )?35 USC? ?\.?\s?112,? second paragraph",
    "112 pre-AIA first paragraph": r"112 \(pre-AIA\), first paragraph|112, first paragraph",
    "112(a)": r"112\(a\)",
    "112(d)": r"112\(d\)|112, fourth paragraph",
    "therefore also rejected": r"(?:are|is), therefore, also rejected under 35 USC 112, second paragraph",
    "112(f) interpretation": r"interpreted under 35 U\.S\.C\. 112\(f\)",
    "101 judicial exception": r"under 35 U\.?S\.?C\.? ?§? ?101 because the claimed invention is directed to",
    "double patenting over a patent": r"double patenting as being unpatentable over claims [^.]+ of U",
    "double patenting over a co-pending application": r"copending (?:U\.S\. )?Application",
    "statutory double patenting": r"as claiming the same invention as that of claims",
    "objection, dependent claim": r"objected to as being dependent upon a rejected base claim",
    "objection, informalities": r"objected to because of the following informalities",
    "allowable if rewritten": r"would be allowable if rewritten",
    "claims allowed": r"\b(?:are|is) allowed\.",
    "withdrawn rejection": r"has been\s+withdrawn",
    "quotation of 102": r"A person shall be entitled to a patent unless",
    "quotation of 103": r"A patent for a claimed invention may not be|A patent may not be obtained though",
    "quotation of 112": r"The following is a quotation of 35 U\.S\.C\. 112\(b\)",
    "not relied upon": r"made of record and not relied upon",
    "made final": r"THIS ACTION IS MADE FINAL",
    "finality withdrawn": r"finality of the previous Office action has been withdrawn",
    "reasons for allowance": r"statement of reasons for allowance",
    "restriction": r"Restriction to one of the following inventions is required",
    "quayle": r"Ex parte Quayle",
    "advisory": r"does NOT place the application in condition for allowance",
    "petition": r"DECISION ON PETITION",
    "pph": r"PATENT PROSECUTION HIGHWAY",
    "claims with en dash": r"Claims? [\d, ]*\d+–\d+",
    "claims with to": r"Claims? [\d, ]*\d+ to \d+",
    "claims is/are": r"is/are rejected",
    "claims and": r"Claims [\d, –-]+ and \d+ (?:are|is/are) rejected",
    "claims without verb": r"Claims [\d ,and–to-]+ rejected under",
    "unfilled form brackets": r"\[ 1 \] is/are rejected",
    "image stub": r"PNG media_image\d+\.png \d+ \d+ media_image\d+\.png Greyscale",
    "x000d": r"_x000d_",
    "double space": r"\S  \S",
    "space before period": r"\w \.",
    "page headers": r"Application/Control Number: \d\d/\d{3},\d{3} Page \d+",
    "case law": r"F\.\d?d \d+",
    "semicolon listing": r"[A-Z][\w-]+; [A-Z][a-z]+, (?:US|WO|JP|EP|CN|KR|DE|RE|D|PP|\d)",
}


def test_every_phrasing_family_appears(bodies: list[tuple[dict, str]]) -> None:
    text = "\n".join(body for _, body in bodies)
    missing = [name for name, pattern in FAMILIES.items() if not re.search(pattern, text)]
    assert not missing


def test_every_identifier_shape_appears(documents: list[dict]) -> None:
    used = {shape for d in documents for _, _, shape in d["cited_raw"]}
    assert set(SHAPE_NAMES) <= used, set(SHAPE_NAMES) - used
    kinds = {cid.rsplit("-", 1)[-1] for d in documents for cid in d["citations"] if cid.count("-") == 2}
    assert "A" in kinds  # the kind-code typo `US 20090220736 A`
    assert any(d["npl"] for d in documents)


def test_generator_reports_its_rare_constructions(documents: list[dict]) -> None:
    families = {f for d in documents for f in d["families"]}
    rare = {
        "103_name_only_reference", "restated_verbatim", "103_restated_more_claims",
        "112_restated_more_claims",
        "marker_in_citation", "103_npl_primary", "withdrawn_with_reference", "argument_full_citation",
        "dp_with_secondary", "112_no_paragraph", "102_no_subsection", "altcontent",
    }  # fmt: skip
    artifacts = {a for d in documents for a in d["artifacts"]}
    assert rare - {"altcontent"} <= families, rare - families
    assert {"page_markers", "page_headers", "image_stub", "x000d", "altcontent"} <= artifacts


def test_citation_graph_has_application_links(documents: list[dict]) -> None:
    """Citations of other sample applications' publications, and documents cited by several applications."""
    own = {}
    for d in documents:
        if d["publication_number"]:
            own[d["publication_number"].rsplit("-", 1)[0]] = d["application_number"]
    cited_by: defaultdict[str, set[str]] = defaultdict(set)
    for d in documents:
        for cid in d["citations"]:
            key = cid if cid.isdigit() else "-".join(cid.split("-")[:2])
            cited_by[key].add(d["application_number"])
    app_links = [k for k, apps in cited_by.items() if k in own and own[k] not in apps]
    copending = [k for k in cited_by if k.isdigit()]
    assert len(app_links) >= 5
    assert copending
    assert sum(1 for apps in cited_by.values() if len(apps) >= 3) >= 10


# ---------------------------------------------------------------- other runs


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    def run(name: str, seed: int) -> dict[str, bytes]:
        generate(tmp_path / name, weeks=2, records=40, seed=seed, faults=True, bomb_bytes=8 << 20)
        return {p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())}

    first, again, other = run("a", 3), run("b", 3), run("c", 4)
    assert first == again
    assert first.keys() == other.keys()
    assert first["truth.jsonl"] != other["truth.jsonl"]
    assert first["bdr_oa_bulkdata_weekly_2022-01-02.zip"] != other["bdr_oa_bulkdata_weekly_2022-01-02.zip"]


def test_reappearing_documents_carry_their_grant(tmp_path: Path) -> None:
    generate(tmp_path, weeks=16, records=40, seed=5)
    docs = [json.loads(line) for line in (tmp_path / "truth.jsonl").read_text().splitlines()]
    docs = [d for d in docs if d["kind"] == "document"]
    seen: dict[tuple[str, str], dict] = {}
    granted = 0
    for doc in docs:
        key = (doc["application_number"], doc["document_id"])
        if doc["reappearance"]:
            first = seen[key]
            assert first["week"] < doc["week"]
            assert (first["rejections"], first["citations"], first["body_chars"]) == (
                doc["rejections"],
                doc["citations"],
                doc["body_chars"],
            )
            if doc["patent_number"] and not first["patent_number"]:
                granted += 1
        seen.setdefault(key, doc)
    assert granted >= 3


def test_later_years_drop_application_fields(tmp_path: Path) -> None:
    generate(tmp_path, weeks=1, start=date(2024, 3, 3), records=30, seed=1)
    with zipfile.ZipFile(tmp_path / "bdr_oa_bulkdata_weekly_2024-03-03.zip") as zf:
        lines = zf.read(zf.namelist()[0]).splitlines()
    keys = set().union(*(json.loads(line.removeprefix(b"\xef\xbb\xbf")).keys() for line in lines if line))
    assert "customerNumber" not in keys and "nationalClass" not in keys
    assert "filingDate" in keys


def test_arguments_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Sunday"):
        generate(tmp_path, weeks=1, start=date(2022, 1, 3))
    with pytest.raises(ValueError):
        generate(tmp_path, weeks=0)


def test_progress_reports_each_file(tmp_path: Path) -> None:
    seen = []
    summary = generate(tmp_path, weeks=1, records=5, faults=True, progress=seen.append, bomb_bytes=1 << 20)
    assert [w.file for w in seen] == summary.files and len(seen) == 6
    assert summary.documents == 5 and summary.json_bytes > 0
    assert io.BytesIO((tmp_path / "truth.jsonl").read_bytes()).read(1) == b"{"
