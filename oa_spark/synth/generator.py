"""Writes the weekly zips and truth.jsonl: one week at a time, one record at a time.

A week is planned first (cheap: which application gets which action), then each letter is composed,
serialized and streamed into the zip member, and forgotten. Only the few lines that must appear again
later in the same file (duplicate copies, the other version of a document) wait in memory.
"""

from __future__ import annotations

import hashlib
import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, BinaryIO

import orjson

from oa_spark import reasons
from oa_spark.synth import faults, records
from oa_spark.synth.apps import App, Universe
from oa_spark.synth.records import DocSpec, Expected
from oa_spark.synth.text import Letter, LetterSpec, compose
from oa_spark.weeks import consecutive, file_name, require_sunday

DEFAULT_START = date(2022, 1, 2)
TRUTH_NAME = "truth.jsonl"
BOM = b"\xef\xbb\xbf"
ZIP_LEVEL = 1
BOMB_BYTES = 1 << 30
# Document-code mix of data-format.md §5; the rare codes are raised a little so a few hundred records
# show every kind of letter.
CODE_MIX: tuple[tuple[str, float], ...] = (
    ("CTNF", 0.445),
    ("NOA", 0.235),
    ("CTFR", 0.22),
    ("CTRS", 0.06),
    ("CTEQ", 0.013),
    ("CTAV", 0.013),
    ("PETDEC", 0.008),
    ("PPH.DECISION", 0.006),
)
# Median body length (characters) and log-normal spread by code: median ~45k over all records, tail to 118k.
BODY_SIZE: dict[str, tuple[int, float]] = {
    "CTNF": (56_000, 0.33),
    "CTFR": (56_000, 0.33),
    "NOA": (9_000, 0.5),
    "CTRS": (12_000, 0.4),
    "CTEQ": (14_000, 0.4),
    "CTAV": (6_000, 0.4),
    "PETDEC": (2_000, 0.2),
    "PPH.DECISION": (2_000, 0.2),
}
FORM_MIX = ((records.WEEKLY, 0.78), (records.SOLR, 0.17), (records.ODP, 0.05))
FILE_FAULTS = (
    reasons.ZIP_TRUNCATED,
    reasons.ZIP_EMPTY,
    reasons.ZIP_MULTI_MEMBER,
    reasons.ZIP_BOMB,
    reasons.ZIP_CORRUPT,
)


@dataclass(frozen=True)
class WeekSummary:
    """One written file: its counts as a correct reader must reconcile them, and its sizes."""

    week: date
    file: Path
    status: str  # "ok", or the file reason when the whole file must fail
    records_in: int
    duplicates: int
    quarantined: int
    records_out: int
    json_bytes: int
    zip_bytes: int


@dataclass(frozen=True)
class SampleSummary:
    """What `generate` wrote."""

    out_dir: Path
    truth: Path
    weeks: tuple[WeekSummary, ...]

    @property
    def files(self) -> list[Path]:
        return [w.file for w in self.weeks]

    @property
    def documents(self) -> int:
        return sum(w.records_out for w in self.weeks)

    @property
    def records_in(self) -> int:
        return sum(w.records_in for w in self.weeks)

    @property
    def json_bytes(self) -> int:
        return sum(w.json_bytes for w in self.weeks)

    @property
    def zip_bytes(self) -> int:
        return sum(w.zip_bytes for w in self.weeks)


Progress = Callable[[WeekSummary], None]


def derive(seed: int, *parts: object) -> int:
    """An independent sub-seed: the same parts always give the same stream, whatever ran before."""
    text = ":".join(str(p) for p in (seed, *parts))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


@dataclass
class _Plan:
    """One document of a week, before its letter is composed."""

    doc: DocSpec
    status: int
    reappearance: bool
    copies: int = 0  # extra identical lines
    version: str | None = None  # "later", "tie" or "null": a second version of the document this week


@dataclass
class _Line:
    """A line waiting for its place in the file, with the truth it completes when written."""

    data: bytes
    truth: dict | None = None
    fault: dict | None = None


@dataclass
class _WeekWriter:
    """Streams one week's lines into the zip member and the truth file, counting as a reader must."""

    member: IO[bytes]
    truth: BinaryIO
    bom: bool
    lines: int = 0
    json_bytes: int = 0
    duplicates: int = 0
    quarantined: int = 0
    documents: int = 0

    def write(self, line: _Line) -> None:
        data = line.data
        if self.lines == 0 and self.bom:
            data = BOM + data
        self.member.write(data)
        self.member.write(b"\n")
        self.lines += 1
        self.json_bytes += len(data) + 1
        if line.truth is not None:
            line.truth["line_number"] = self.lines
            self.truth.write(orjson.dumps(line.truth) + b"\n")
            self.documents += 1
        if line.fault is not None:
            line.fault["line_number"] = self.lines
            self.truth.write(orjson.dumps(line.fault) + b"\n")


class Generator:
    """One sample: the application universe and the per-week state that carries across weeks."""

    def __init__(self, seed: int, start: date, records_per_week: int, with_faults: bool) -> None:
        self.seed = seed
        self.records = records_per_week
        self.faults = with_faults
        self.universe = Universe(random.Random(derive(seed, "universe")), start)
        self.reappear: dict[int, list[tuple[DocSpec, bool]]] = {}
        self.issues: dict[int, list[App]] = {}
        self.id_prefix = records.id_prefix(random.Random(derive(seed, "ids")))
        self.ids_issued = 0

    # ------------------------------------------------------------ planning

    def plan_week(self, index: int, week: date, rng: random.Random) -> list[_Plan]:
        for app in self.issues.pop(index, []):
            self.universe.issued(app)
        due = self.reappear.pop(index, [])
        keep = due[: self.records // 3]
        if len(due) > len(keep):  # too many for this week: they wait a week more
            self.reappear.setdefault(index + 1, []).extend(due[len(keep) :])
        plans = [_Plan(doc, doc.app.status if not granted else 150, True) for doc, granted in keep]
        while len(plans) < self.records:
            plans.append(self.new_document(index, week, rng))
        rng.shuffle(plans)
        self.mark_repeats(plans, rng)
        return plans

    def new_document(self, index: int, week: date, rng: random.Random) -> _Plan:
        u = self.universe
        code = rng.choices([c for c, _ in CODE_MIX], [w for _, w in CODE_MIX])[0]
        mail = week - timedelta(days=6 - rng.randrange(0, 5))
        if rng.random() < 0.08:
            mail -= timedelta(days=7 * rng.randrange(1, 4))
        app = u.app_for(code, index, mail)
        history = tuple(app.history)
        if code in ("CTNF", "CTFR") and history and rng.random() < 0.4 and len(app.prior_art) < 7:
            app.prior_art.extend(u.pick_art(app, 1, avoid={d.name for d in app.prior_art}))
        rejection = code in ("CTNF", "CTFR")
        median, sigma = BODY_SIZE[code]
        if app.design and rejection:
            median = 14_000
        source = "OC" if mail.year >= 2017 and rng.random() < 0.85 else "OACS"
        letter = LetterSpec(
            seed=derive(self.seed, "letter", index, rng.random()),
            code=code,
            app_number=app.number,
            domain=app.domain,
            aia=app.aia,
            claims_total=app.claims,
            art_unit=app.art_unit,
            examiner=app.examiner.name,
            examiner_phone=app.examiner.phone,
            supervisor=app.examiner.supervisor,
            supervisor_phone=app.examiner.supervisor_phone,
            style=source,
            prior_art=tuple(app.prior_art),
            other_art=tuple(u.other_art(app, app.prior_art)) if code != "CTRS" else (),
            dp_targets=tuple(u.dp_targets(app, mail)) if rejection else (),
            target_chars=int(min(115_000, max(1_500, rng.lognormvariate(0, sigma) * median))),
            history=history,
            mail_date=mail,
            filing_date=app.filing,
        )
        doc_id = self.new_doc_id()
        created = datetime.combine(mail, time(rng.randrange(5, 20), rng.randrange(60), rng.randrange(60)))
        doc = DocSpec(
            document_id=doc_id,
            record_id=records.record_id(self.seed, doc_id),
            code=code,
            mail=mail,
            created=created,
            source_system=source,
            letter=letter,
            app=app,
        )
        u.acted(app, code, index)
        if code == "NOA":
            issue = u.grant(app, mail)
            issue_index = index + ((issue - week).days + 6) // 7  # the file of the week it issues in
            self.issues.setdefault(issue_index, []).append(app)
            self.reappear.setdefault(issue_index, []).append((doc, True))
        elif code in ("CTNF", "CTFR", "CTRS") and rng.random() < 0.03:
            self.reappear.setdefault(index + rng.randrange(1, 5), []).append((doc, False))
        return _Plan(doc, app.status, False)

    def new_doc_id(self) -> str:
        self.ids_issued += 1
        return records.document_id(self.id_prefix, self.ids_issued)

    def mark_repeats(self, plans: list[_Plan], rng: random.Random) -> None:
        """Exact duplicate lines and second versions: a few per week, at least one of each kind."""
        for plan in plans:
            r = rng.random()
            if r < 0.01:
                plan.copies = rng.choice((1, 1, 1, 2, 2, 3, 8))
            elif r < 0.025:
                plan.version = "later"
            elif r < 0.027:
                plan.version = rng.choice(("tie", "null"))
        forced = ["copies", "later"] + (["tie", "null"] if len(plans) >= 40 else [])
        picks = rng.sample(range(len(plans)), min(len(plans), len(forced)))
        for kind, i in zip(forced, picks, strict=False):
            plans[i].copies, plans[i].version = (rng.randrange(1, 9), None) if kind == "copies" else (0, kind)

    # ------------------------------------------------------------ writing

    def good_week(self, index: int, week: date, out_dir: Path, truth: BinaryIO) -> WeekSummary:
        rng = random.Random(derive(self.seed, "week", index))
        plans = self.plan_week(index, week, rng)
        name = file_name(week)
        bad = self.bad_lines(week, rng, len(plans)) if self.faults else {}
        deferred: dict[int, list[_Line]] = {}
        tmp = out_dir / f".{name}.tmp"
        with zipfile.ZipFile(tmp, "w") as zf:
            info = faults.zip_info(f"{name[:-4]}.json", ZIP_LEVEL)
            with zf.open(info, "w", force_zip64=True) as member:
                out = _WeekWriter(member, truth, bom=index % 3 == 1)
                for i, plan in enumerate(plans):
                    now, later = self.lines_of(plan, week, name, rng)
                    for line in now:
                        out.write(line)
                    for line in later:
                        target = i if rng.random() < 0.3 else min(len(plans) - 1, i + rng.randrange(1, 60))
                        deferred.setdefault(target, []).append(line)
                    out.duplicates += plan.copies + (1 if plan.version else 0)
                    for line in deferred.pop(i, []) + bad.pop(i, []):
                        out.write(line)
                        out.quarantined += line.fault is not None
                if index % 3 == 2:
                    member.write(b"\n")  # a trailing blank line: not a record
        os.replace(tmp, out_dir / name)
        summary = WeekSummary(
            week=week,
            file=out_dir / name,
            status="ok",
            records_in=out.lines,
            duplicates=out.duplicates,
            quarantined=out.quarantined,
            records_out=out.documents,
            json_bytes=out.json_bytes,
            zip_bytes=(out_dir / name).stat().st_size,
        )
        truth.write(orjson.dumps(_week_truth(summary)) + b"\n")
        return summary

    def lines_of(
        self, plan: _Plan, week: date, file: str, rng: random.Random
    ) -> tuple[list[_Line], list[_Line]]:
        """The lines of one document: those written now and those placed later in the same file."""
        doc = plan.doc
        letter = compose(doc.letter)
        end = datetime.combine(week, time(23, 0))
        modified = min(end, doc.created + timedelta(days=rng.randrange(0, 4), minutes=rng.randrange(1, 600)))
        if plan.reappearance:
            modified = datetime.combine(
                week - timedelta(days=rng.randrange(0, 5)), time(rng.randrange(1, 22))
            )
        data, expected = self.serialize(doc, letter, week, modified, plan.status, rng)
        if plan.copies:
            truth = self.document_truth(doc, letter, expected, data, week, file, plan)
            return [_Line(data, truth)], [_Line(data) for _ in range(plan.copies)]
        if not plan.version:
            return [_Line(data, self.document_truth(doc, letter, expected, data, week, file, plan))], []
        if plan.version == "later":
            other_modified: datetime | None = min(end, modified + timedelta(minutes=rng.randrange(1, 3000)))
        elif plan.version == "tie":
            other_modified = modified
        else:
            other_modified = None
        other_status = plan.status + rng.randrange(1, 9)
        other, other_expected = self.serialize(doc, letter, week, other_modified, other_status, rng)
        if data == other:  # identical bytes would be an exact duplicate, not a version
            other_status += 100
            other, other_expected = self.serialize(doc, letter, week, other_modified, other_status, rng)
        versions = [(data, expected), (other, other_expected)]
        rng.shuffle(versions)
        best = max(range(2), key=lambda k: _version_key(*versions[k]))
        lines = []
        for k, (line_data, line_expected) in enumerate(versions):
            best_truth = None
            if k == best:
                best_truth = self.document_truth(doc, letter, line_expected, line_data, week, file, plan)
            lines.append(_Line(line_data, best_truth))
        return lines[:1], lines[1:]

    def serialize(
        self,
        doc: DocSpec,
        letter: Letter,
        week: date,
        modified: datetime | None,
        status: int,
        rng: random.Random,
    ) -> tuple[bytes, Expected]:
        form = rng.choices([f for f, _ in FORM_MIX], [w for _, w in FORM_MIX])[0]
        record, expected = records.build(doc, letter, form, week, modified, status, rng)
        return orjson.dumps(record), expected

    def document_truth(
        self, doc: DocSpec, letter: Letter, exp: Expected, data: bytes, week: date, file: str, plan: _Plan
    ) -> dict:
        return {
            "kind": "document",
            "week": week.isoformat(),
            "file": file,
            "line_number": 0,
            "document_id": exp.document_id,
            "record_id": exp.record_id,
            "application_number": exp.application_number,
            "series": int(exp.application_number[:2]),
            "document_code": exp.document_code,
            "mail_date": exp.mail_date.isoformat(),
            "serialization": exp.serialization,
            "art_unit": exp.art_unit,
            "tech_center": exp.tech_center,
            "examiner_id": exp.examiner_id,
            "patent_number": exp.patent_number,
            "publication_number": exp.publication_number,
            "last_modified": exp.last_modified.isoformat() if exp.last_modified else None,
            "record_hash": hashlib.sha256(data).hexdigest(),
            "reappearance": plan.reappearance,
            "rejections": letter.rejections,
            "citations": letter.citations,
            "not_relied_upon": letter.not_relied_upon,
            "npl": letter.npl,
            "flags": letter.flags,
            "is_final": letter.is_final,
            "objection": letter.objection,
            "allowable_subject_matter": letter.allowable,
            "body_chars": len(letter.body),
            "artifacts": letter.artifacts,
            "families": letter.families,
            "cited_raw": letter.cited_raw,
        }

    def bad_lines(self, week: date, rng: random.Random, count: int) -> dict[int, list[_Line]]:
        """One line of every record fault, at random places (never the first line)."""
        out: dict[int, list[_Line]] = {}
        for n, reason in enumerate(sorted(faults.RECORD_FAULTS)):
            doc_id = self.new_doc_id()
            bad = faults.bad_line(reason, rng, week, doc_id, variant=n + week.toordinal() // 7)
            fault = {
                "kind": "fault",
                "week": week.isoformat(),
                "file": file_name(week),
                "fault": bad.reason,
                "line_number": 0,
            }
            if bad.document_id is not None:
                fault["document_id"] = bad.document_id
            out.setdefault(rng.randrange(0, count), []).append(_Line(bad.data, fault=fault))
        return out

    def bad_file(
        self, reason: str, week: date, out_dir: Path, truth: BinaryIO, bomb_bytes: int
    ) -> WeekSummary:
        """A weekly file that fails as a whole; its records never count."""
        rng = random.Random(derive(self.seed, "file-fault", reason))
        name = file_name(week)
        path = out_dir / name
        member = f"{name[:-4]}.json"
        lines = b"".join(
            orjson.dumps(faults.plain_record(rng, week, self.new_doc_id())) + b"\n" for _ in range(20)
        )
        if reason == reasons.ZIP_TRUNCATED:
            faults.write_truncated(path, member, lines)
        elif reason == reasons.ZIP_EMPTY:
            faults.write_empty(path)
        elif reason == reasons.ZIP_MULTI_MEMBER:
            faults.write_multi_member(path, [(member, lines), (f"{name[:-4]}-part2.json", lines)])
        elif reason == reasons.ZIP_BOMB:
            faults.write_bomb(path, member, bomb_bytes)
        else:
            faults.write_corrupt(path, member, lines)
        summary = WeekSummary(week, path, reason, 0, 0, 0, 0, 0, path.stat().st_size)
        fault = {"kind": "fault", "week": week.isoformat(), "file": name, "fault": reason}
        truth.write(orjson.dumps(fault) + b"\n")
        truth.write(orjson.dumps(_week_truth(summary)) + b"\n")
        return summary


def _version_key(data: bytes, expected: Expected) -> tuple[bool, datetime, str]:
    """The contract's choice of version: latest last_modified (None oldest), then the largest record_hash."""
    modified = expected.last_modified
    return (modified is not None, modified or datetime.min, hashlib.sha256(data).hexdigest())


def _week_truth(summary: WeekSummary) -> dict:
    return {
        "kind": "week",
        "week": summary.week.isoformat(),
        "file": summary.file.name,
        "records_in": summary.records_in,
        "duplicates": summary.duplicates,
        "quarantined": summary.quarantined,
        "records_out": summary.records_out,
        "status": summary.status,
    }


def generate(
    out_dir: Path,
    weeks: int,
    start: date | None = None,
    records: int = 200,
    seed: int = 0,
    faults: bool = False,
    progress: Progress | None = None,
    *,
    bomb_bytes: int = BOMB_BYTES,
) -> SampleSummary:
    """Write `weeks` weekly zips of `records` documents each (plus, with `faults`, five broken files in the
    weeks after) and truth.jsonl into `out_dir`. Byte-identical for the same arguments."""
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks}")
    if records < 1:
        raise ValueError(f"records must be at least 1, not {records}")
    start = require_sunday(start or DEFAULT_START)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sundays = consecutive(start, weeks + (len(FILE_FAULTS) if faults else 0))
    gen = Generator(seed, start, records, faults)
    summaries: list[WeekSummary] = []
    tmp = out_dir / f".{TRUTH_NAME}.tmp"
    try:
        with tmp.open("wb") as truth:
            for index, week in enumerate(sundays[:weeks]):
                summaries.append(gen.good_week(index, week, out_dir, truth))
                if progress:
                    progress(summaries[-1])
            for reason, week in zip(FILE_FAULTS if faults else (), sundays[weeks:], strict=True):
                summaries.append(gen.bad_file(reason, week, out_dir, truth, bomb_bytes))
                if progress:
                    progress(summaries[-1])
        os.replace(tmp, out_dir / TRUTH_NAME)
    finally:  # a failed run leaves no half-written file behind
        for leftover in out_dir.glob(".*.tmp"):
            leftover.unlink()
    return SampleSummary(out_dir, out_dir / TRUTH_NAME, tuple(summaries))
