"""The staging job: copy each requested week's zip from the source into the staging area, verified.

Per file: download to a temporary name, check size, sha256 and the zip (`zipsafe.verify_zip`: every CRC, one
member, the inflate caps), then move into place, and only then record it in `staged_files`; so an interrupted
copy never looks staged, and the manifest never names a file that is not complete.

Layout under `staging.path` (a directory or `s3://bucket/prefix`):

    week=YYYY-MM-DD/<file name>          version 1
    week=YYYY-MM-DD/v<N>/<file name>     version N ≥ 2 (the upstream file changed, or --force)

Older versions stay where they are (their rows become `superseded`), and the file keeps its USPTO name.
Readers take `staged_path` of the `staged` row from the manifest rather than globbing.

A week is skipped without reading it when the source's size and version tag (ETag, last-modified) equal its
staged row's; when the tag differs (or the source gives none) the file is downloaded and, if its sha256
equals the staged one, dropped again: unchanged bytes are never a new version. `--force` always re-stages.
Before skipping, the staged files are checked against the manifest (a stat per file, or on S3 one listing
under the weeks' shared key prefix): a file deleted, expired or overwritten since is copied again, as a new
version.

On S3 the file is verified on local disk and then uploaded straight to its final key: a PUT or a multipart
upload only becomes visible when complete, so a temporary key and a copy would move the bytes twice for
nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from oa_spark import logs, s3io
from oa_spark.config import Config, is_remote
from oa_spark.ledger import RunRow, RunState, new_run_id, utcnow
from oa_spark.reader.zipsafe import WeekFileError, verify_zip
from oa_spark.sources import Entry, Source, SourceError, make_source
from oa_spark.tables import Lake
from oa_spark.weeks import require_sunday

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger("oa_spark.staging")

JOB = "stage"
STAGED, SKIPPED, FAILED, MISSING, PLANNED = "staged", "skipped", "failed", "missing", "planned"
RUN_STATUS = {STAGED: "done", SKIPPED: "skipped", FAILED: "failed"}
MB = 1024 * 1024
COMMIT_EVERY_S = 60.0  # while copies remain, commit finished files at most this often


# -- layout --------------------------------------------------------------------------------------------------
def staged_relpath(week: date, name: str, version: int) -> str:
    """Where version `version` of a week's file goes, relative to `staging.path`."""
    folder = f"week={week.isoformat()}"
    return f"{folder}/{name}" if version <= 1 else f"{folder}/v{version}/{name}"


# -- verification --------------------------------------------------------------------------------------------
class VerifyError(Exception):
    """The copied bytes are not the file the source announced (its size)."""


def sha256_file(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def verify(entry: Entry, path: Path, cfg: Config) -> int:
    """Size against what the source announced, then the whole zip (every CRC, the single member, the inflate
    caps of `ingest`); returns the size. Raises VerifyError or WeekFileError. (No source states a digest: the
    sha256 is recorded, and compared with the staged version's to recognise unchanged bytes.)"""
    size = path.stat().st_size
    if entry.size is not None and size != entry.size:
        raise VerifyError(f"size {size} != {entry.size} announced by the source")
    verify_zip(
        path,
        name=entry.file_name,
        max_inflated_bytes=cfg.ingest.max_inflated_mb * MB,
        max_ratio=cfg.ingest.max_ratio,
    )
    return size


# -- destinations --------------------------------------------------------------------------------------------
class Destination(ABC):
    """The staging area: where a file is downloaded first, and how it is put under its final name."""

    @abstractmethod
    def location(self, rel: str) -> str:
        """The final location of `rel` as recorded in `staged_path`."""

    @abstractmethod
    def scratch(self, rel: str, run_id: str) -> Path:
        """A local temporary file for the download of `rel` by this run."""

    @abstractmethod
    def install(self, tmp: Path, rel: str) -> str:
        """Put the verified `tmp` under its final name, atomically; returns `location(rel)`."""

    @abstractmethod
    def sizes(self, locations: Iterable[str]) -> dict[str, int | None]:
        """The size of each staged file (`location` values, as the manifest records them); None where there
        is no such file in this staging area."""

    def close(self) -> None:  # noqa: B027 - most destinations hold nothing
        """Release what the destination holds (temporary space)."""


class LocalDestination(Destination):
    """A directory; the temporary file `.<name>.<run_id>.part` sits in the week's folder (the same filesystem
    as every version's final name), so `os.replace` is atomic. The data is fsynced before the rename, so a
    `staged` row survives a power cut."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(str(root).removeprefix("file://")).expanduser().resolve()

    def location(self, rel: str) -> str:
        return str(self.root / rel)

    def _week_dir(self, rel: str) -> Path:
        return self.root / rel.split("/", 1)[0]

    def scratch(self, rel: str, run_id: str) -> Path:
        week_dir = self._week_dir(rel)
        week_dir.mkdir(parents=True, exist_ok=True)
        return week_dir / f".{Path(rel).name}.{run_id}.part"

    def install(self, tmp: Path, rel: str) -> str:
        final = self.root / rel
        final.parent.mkdir(parents=True, exist_ok=True)
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync(final.parent)
        for stale in self._week_dir(rel).glob(f".{final.name}.*.part"):  # left by killed runs
            stale.unlink(missing_ok=True)
        return str(final)

    def sizes(self, locations: Iterable[str]) -> dict[str, int | None]:
        def size(location: str) -> int | None:
            try:
                return Path(location).stat().st_size if "://" not in location else None
            except OSError:
                return None

        return {location: size(location) for location in locations}


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class S3Destination(Destination):
    """`s3://bucket/prefix`: download and verify in a local spool directory, then upload to the final key."""

    def __init__(self, url: str, cfg: Config) -> None:
        self.scheme = urlsplit(url).scheme
        self.bucket, self.prefix = s3io.parse_s3_url(url)
        self.transfer = s3io.transfer_config(cfg.staging)
        pool = s3io.pool_size(cfg.staging)
        self.client = s3io.client(
            cfg.source.max_attempts, timeout_s=cfg.source.timeout_s, max_pool_connections=pool
        )
        self.spool = Path(tempfile.mkdtemp(prefix="oa-spark-stage-"))

    def location(self, rel: str) -> str:
        return f"{self.scheme}://{self.bucket}/{self.prefix}{rel}"

    def scratch(self, rel: str, run_id: str) -> Path:
        return self.spool / f"{rel.replace('/', '_')}.{run_id}.part"

    def install(self, tmp: Path, rel: str) -> str:
        self.client.upload_file(str(tmp), self.bucket, self.prefix + rel, Config=self.transfer)
        tmp.unlink()
        return self.location(rel)

    def sizes(self, locations: Iterable[str]) -> dict[str, int | None]:
        """One paginated listing (a request per 1,000 files, not one per week) per month the locations fall
        in, under the longest prefix its weeks share: a batch lists its own months, not the history, even
        across a year's end. A location outside the staging area counts as absent (not held here)."""
        root = self.location("")
        locations = list(locations)
        inside = [loc.removeprefix(root) for loc in locations if loc.startswith(root)]
        listed: dict[str, int] = {}
        paginator = self.client.get_paginator("list_objects_v2")
        for shared in listing_prefixes(inside):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + shared):
                listed |= {
                    self.location(o["Key"][len(self.prefix) :]): o["Size"] for o in page.get("Contents", [])
                }
        return {loc: listed.get(loc) if loc.startswith(root) else None for loc in locations}

    def close(self) -> None:
        shutil.rmtree(self.spool, ignore_errors=True)


def listing_prefixes(rels: list[str]) -> list[str]:
    """Key prefixes that list these staged files: one per month of their `week=YYYY-MM-DD/` folders, the
    longest its files share (a key prefix, not a path: `week=2022-01-02/…` and `week=2022-01-16/…` share
    `week=2022-01-`)."""
    months: dict[str, list[str]] = {}
    for rel in rels:
        months.setdefault(rel.split("/", 1)[0][:-2], []).append(rel)
    return [os.path.commonprefix(group) for _, group in sorted(months.items())]  # noqa: RUF071


def make_destination(cfg: Config) -> Destination:
    path = cfg.staging.path
    if is_remote(path):
        return S3Destination(path, cfg)
    return LocalDestination(path)


# -- report --------------------------------------------------------------------------------------------------
@dataclass
class StagedWeek:
    """What happened to one requested week (`planned` only in a dry run)."""

    week: date
    status: str
    entry: Entry | None = None
    version: int | None = None
    sha256: str | None = None
    size: int | None = None
    staged_path: str | None = None
    message: str = ""
    attempts: int = 0
    seconds: float = 0.0
    started_at: datetime | None = None


@dataclass
class StageReport:
    """One `stage` run's result: each week staged, skipped, failed, missing or (dry run) planned."""

    run_id: str
    source: str
    weeks: list[date]
    dry_run: bool = False
    outcomes: dict[date, StagedWeek] = field(default_factory=dict)
    seconds: float = 0.0

    def with_status(self, status: str) -> list[StagedWeek]:
        return [o for _, o in sorted(self.outcomes.items()) if o.status == status]

    @property
    def missing(self) -> list[date]:
        return [o.week for o in self.with_status(MISSING)]

    @property
    def bytes_copied(self) -> int:
        return sum(o.size or 0 for o in self.with_status(STAGED))

    @property
    def copy_seconds(self) -> float:
        """Wall time of the data path alone: from the first download's start to the last file in place."""
        spans = [
            (o.started_at, o.started_at + timedelta(seconds=o.seconds))
            for o in self.outcomes.values()
            if o.started_at is not None
        ]
        if not spans:
            return 0.0
        return (max(end for _, end in spans) - min(start for start, _ in spans)).total_seconds()

    @property
    def found_any(self) -> bool:
        return any(o.status != MISSING for o in self.outcomes.values())

    @property
    def exit_code(self) -> int:
        """Design §5: 1 when a week failed or the range holds no file at all, else 0."""
        return 1 if self.with_status(FAILED) or not self.found_any else 0


class Progress:
    """Files and bytes on a terminal (a redrawn line), and one structured log line per week in any case."""

    def __init__(self, files: int, total_bytes: int) -> None:
        self.bar = logs.Progress("stage", files, unit="files")
        self.total_bytes = total_bytes
        self.done_bytes = 0
        self._drawn = 0.0
        self._lock = threading.Lock()

    def _detail(self) -> str:
        return f"{self.done_bytes / MB:,.1f}/{self.total_bytes / MB:,.1f} MB"

    def add_bytes(self, n: int) -> None:
        with self._lock:
            self.done_bytes += n
            if self.bar.enabled and time.monotonic() - self._drawn > 0.2:
                self.bar.advance(0, self._detail())
                self._drawn = time.monotonic()

    def week_done(self, o: StagedWeek) -> None:
        level = logging.ERROR if o.status == FAILED else logging.INFO
        fields = {
            "week": o.week.isoformat(),
            "file": o.entry.file_name if o.entry else None,
            "version": o.version,
            "bytes": o.size,
            "sha256": o.sha256,
            "attempts": o.attempts or None,
            "seconds": round(o.seconds, 2) if o.seconds else None,
            "path": o.staged_path,
            "message": o.message or None,
        }
        logs.event(log, f"week_{o.status}", level, **{k: v for k, v in fields.items() if v is not None})
        with self._lock:
            self.bar.advance(1, self._detail())

    def close(self) -> None:
        self.bar.close()


# -- copying one file ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CopyJob:
    """One upstream file to copy into staging, and the version number it is staged as."""

    entry: Entry
    version: int
    staged_sha256: str | None  # the current staged row's digest: equal bytes are not a new version
    why: str = ""  # why a week the manifest holds unchanged upstream is copied again


def copy_one(
    source: Source,
    dest: Destination,
    job: CopyJob,
    run_id: str,
    cfg: Config,
    progress: Callable[[int], None] | None = None,
) -> StagedWeek:
    """Download, verify, install one file. A failed verification downloads the whole file again, up to
    `staging.checksum_retries` times, unless the same bytes came twice (then the source's file is bad and
    retrying cannot help). Never raises: a failure is an outcome naming the file and the reason."""
    entry = job.entry
    rel = staged_relpath(entry.week, entry.file_name, job.version)
    clock = time.monotonic()
    outcome = StagedWeek(entry.week, FAILED, entry, job.version, started_at=utcnow())
    retries = max(0, cfg.staging.checksum_retries)
    previous: str | None = None
    for attempt in range(1, retries + 2):
        outcome.attempts = attempt
        tmp = dest.scratch(rel, run_id)
        digest = None
        try:
            with tmp.open("wb") as f:
                digest = source.download(entry, f, progress)
            digest = digest or sha256_file(tmp)
            size = verify(entry, tmp, cfg)
            if digest == job.staged_sha256:
                tmp.unlink()
                outcome.status, outcome.sha256, outcome.size, outcome.version = SKIPPED, digest, size, None
                outcome.message = "bytes unchanged upstream (same sha256 as the staged version)"
                break
            outcome.staged_path = dest.install(tmp, rel)
            outcome.status, outcome.sha256, outcome.size, outcome.message = STAGED, digest, size, job.why
            break
        except (VerifyError, WeekFileError) as exc:
            tmp.unlink(missing_ok=True)
            outcome.message = str(exc) if isinstance(exc, WeekFileError) else f"{entry.file_name}: {exc}"
            again = attempt <= retries and digest != previous
            logs.event(
                log,
                "verify_failed",
                logging.WARNING,
                week=entry.week.isoformat(),
                file=entry.file_name,
                attempt=attempt,
                retry=again,
                message=outcome.message,
            )
            if not again:
                break
            previous = digest
        except Exception as exc:  # one week fails alone, with its reason
            tmp.unlink(missing_ok=True)
            outcome.message = f"{entry.file_name}: {type(exc).__name__}: {exc}"
            break
    outcome.seconds = time.monotonic() - clock
    return outcome


# -- the job -------------------------------------------------------------------------------------------------
def plan(
    entries: Iterable[Entry],
    current: dict[date, dict[str, Any]],
    highest: dict[date, int],
    force: bool,
    on_disk: dict[str, int | None] | None = None,
) -> tuple[list[CopyJob], list[StagedWeek]]:
    """Which files to copy (and as which version), and which weeks are already staged as they are upstream.
    `on_disk`: the staged files' sizes (`Destination.sizes`); a week whose staged file is gone or not the
    size the manifest recorded (deleted, expired by a lifecycle rule, overwritten) is copied again, as a new
    version whatever its bytes."""
    jobs, skipped = [], []
    for entry in entries:
        row = current.get(entry.week)
        unchanged = (
            row is not None
            and entry.version_tag is not None
            and row["version_tag"] == entry.version_tag
            and (entry.size is None or row["size_bytes"] == entry.size)
        )
        lost = _lost(row, on_disk) if row is not None else ""
        if unchanged and not force and not lost:
            assert row is not None
            skipped.append(
                StagedWeek(
                    entry.week,
                    SKIPPED,
                    entry,
                    row["version"],
                    row["sha256"],
                    row["size_bytes"],
                    row["staged_path"],
                    message="unchanged upstream (same size and version tag)",
                )
            )
            continue
        version = highest.get(entry.week, 0) + 1
        if lost:
            jobs.append(CopyJob(entry, version, None, lost))
            continue
        jobs.append(CopyJob(entry, version, None if force or row is None else row["sha256"]))
    return jobs, skipped


def _lost(row: dict[str, Any], on_disk: dict[str, int | None] | None) -> str:
    """Why the manifest's staged file is not there as recorded ('' when it is, or was not checked)."""
    path = row["staged_path"]
    if on_disk is None or path not in on_disk or on_disk[path] == row["size_bytes"]:
        return ""
    if on_disk[path] is None:
        return f"staged again: the staged file {path} is gone"
    size, recorded = on_disk[path], row["size_bytes"]
    return f"staged again: the staged file {path} is {size} bytes, the manifest says {recorded}"


def _session(cfg: Config, spark: SparkSession | None, dry_run: bool) -> SparkSession | None:
    """The given or active session; a new one only when tables will be written (not in a dry run)."""
    if spark is not None:
        return spark
    if dry_run:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            return None
        return SparkSession.getActiveSession()
    from oa_spark.session import get_spark

    return get_spark(cfg)


def _manifest_row(o: StagedWeek, source: Source, run_id: str) -> dict[str, Any]:
    assert o.entry is not None
    return {
        "week": o.week,
        "file_name": o.entry.file_name,
        "source": source.name,
        "source_url": o.entry.url,
        "size_bytes": o.size,
        "sha256": o.sha256,
        "staged_path": o.staged_path,
        "staged_at": utcnow(),
        "status": "staged",
        "version_tag": o.entry.version_tag,
        "version": o.version,
        "run_id": run_id,
    }


def _run_row(o: StagedWeek, run_id: str) -> RunRow:
    row = RunRow(run_id, JOB, o.week, "running", started_at=o.started_at or utcnow())
    return row.finish(RUN_STATUS[o.status], input_sha256=o.sha256, message=o.message or None)


def _commit(
    state: RunState, outcomes: list[StagedWeek], source: Source, run_id: str, final: bool = False
) -> None:
    """Manifest first (one commit), then the weeks' `runs` rows: a crash in between leaves a `running` row
    for a week the manifest already holds, which the next run then skips as unchanged. A file downloaded
    only to find its bytes unchanged gets its new version tag recorded, so it is not downloaded again.
    The last commit of a stage defers its `runs` rows to the next stage's commit (`Ledger.defer`)."""
    state.manifest.add(_manifest_row(o, source, run_id) for o in outcomes if o.status == STAGED)
    state.manifest.retag(
        {o.week: o.entry.version_tag for o in outcomes if o.status == SKIPPED and o.attempts and o.entry}
    )
    rows = [_run_row(o, run_id) for o in outcomes]
    if final:
        state.ledger.defer(rows)
    else:
        state.ledger.record(rows)


def print_plan(
    report: StageReport, jobs: Sequence[CopyJob], out: TextIO | None = None, manifest_read: bool = True
) -> None:
    """The dry run's answer: what would be copied, skipped, or is missing, with bytes. Without the manifest
    (no Spark session) every listed file is a copy, and the plan says so."""
    out = out or sys.stdout
    todo = sum(j.entry.size or 0 for j in jobs)
    first, last = report.weeks[0], report.weeks[-1]
    print(
        f"stage plan ({report.source}, {first} .. {last}): {len(report.weeks)} weeks,"
        f" {len(jobs)} files to copy, {todo / MB:,.1f} MB;"
        f" {len(report.with_status(SKIPPED))} unchanged, {len(report.missing)} missing",
        file=out,
    )
    by_week = {j.entry.week: j for j in jobs}
    for week, o in sorted(report.outcomes.items()):
        if o.status == PLANNED:
            j = by_week[week]
            size = f"{j.entry.size / MB:,.1f} MB" if j.entry.size is not None else "size unknown"
            why = f"  ({j.why})" if j.why else ""
            print(
                f"  {week}  copy  {j.entry.file_name}  {size}  as v{j.version}  from {j.entry.url}{why}",
                file=out,
            )
        elif o.status == SKIPPED:
            print(f"  {week}  skip  {o.entry.file_name if o.entry else ''}  staged v{o.version}", file=out)
        else:
            print(f"  {week}  missing", file=out)
    if not manifest_read:
        print(
            "the manifest (staged_files) was not read: a dry run starts no Spark session, so weeks already"
            " staged show as copies; run it where a session is active (a notebook, pyspark) to see them",
            file=out,
        )
    if not report.found_any:
        print(f"no file in {report.source} for {first} .. {last}", file=out)


def stage(
    cfg: Config,
    weeks: Sequence[date],
    *,
    force: bool = False,
    dry_run: bool = False,
    spark: SparkSession | None = None,
    source: Source | None = None,
    run_id: str | None = None,
    out: TextIO | None = None,
    entries: Sequence[Entry] | None = None,
    state: RunState | None = None,
) -> StageReport:
    """Stage the given Sundays; returns what happened per week. Raises SourceError when the source cannot be
    listed at all (nothing is written then).

    A run that already listed the source passes its `entries` (only those of `weeks` are used) and its
    `state`; the `runs` rows of the last commit are then left for the caller's next commit (or flush)."""
    weeks = sorted({require_sunday(w) for w in weeks})
    if not weeks:
        raise ValueError("no weeks to stage")
    clock = time.monotonic()
    source = source or make_source(cfg)
    report = StageReport(run_id or new_run_id(), source.describe(), weeks, dry_run)
    if entries is None:
        entries = source.list(weeks)
    else:
        wanted = set(weeks)
        entries = [e for e in entries if e.week in wanted]
    listed = {e.week for e in entries}
    for week in weeks:
        if week not in listed:
            report.outcomes[week] = StagedWeek(week, MISSING, message=f"no file in {source.describe()}")
    if report.missing:
        missing = ",".join(w.isoformat() for w in report.missing)
        logs.event(log, "weeks_missing", logging.WARNING, source=source.describe(), weeks=missing)
    if not entries:
        logs.event(log, "no_file", logging.ERROR, source=source.describe(), range=f"{weeks[0]}..{weeks[-1]}")
        if dry_run:
            print_plan(report, [], out)
        return report

    owned = state is None
    if state is None:
        session = _session(cfg, spark, dry_run)
        state = RunState.open(Lake(session, cfg.lake)) if session is not None else None
    current, highest = state.manifest.snapshot(weeks) if state is not None else ({}, {})
    on_disk = (
        staged_sizes(cfg, [r["staged_path"] for r in current.values()]) if current and not force else None
    )
    jobs, skipped = plan(entries, current, highest, force, on_disk)
    report.outcomes.update((o.week, o) for o in skipped)
    if dry_run:
        report.outcomes.update(
            (j.entry.week, StagedWeek(j.entry.week, PLANNED, j.entry, j.version)) for j in jobs
        )
        if state is None:
            logs.event(log, "manifest_not_read", logging.WARNING, reason="no Spark session in a dry run")
        print_plan(report, jobs, out, manifest_read=state is not None)
    else:
        assert state is not None
        try:
            _copy_all(cfg, state, source, jobs, skipped, report)
        finally:
            if owned:
                state.ledger.flush()
    report.seconds = time.monotonic() - clock
    return report


def staged_sizes(cfg: Config, locations: list[str]) -> dict[str, int | None] | None:
    """The staged files' sizes in the staging area, or None (unchecked, logged) when it cannot be listed."""
    dest = make_destination(cfg)
    try:
        return dest.sizes(locations)
    except Exception as exc:  # a listing refused (no s3:ListBucket) must not stop the copies
        logs.event(log, "staged_files_unchecked", logging.WARNING, error=f"{type(exc).__name__}: {exc}")
        return None
    finally:
        dest.close()


def _copy_all(
    cfg: Config,
    state: RunState,
    source: Source,
    jobs: list[CopyJob],
    skipped: list[StagedWeek],
    report: StageReport,
) -> None:
    """Copy on a bounded pool while this (the driver's) thread does all the Spark work: the `running` rows
    first (a small commit: on a busy driver it would otherwise compete with the copies' hashing for CPU),
    then the manifest and `runs` for finished files, at most every
    COMMIT_EVERY_S while copies remain and once at the end; so a killed run keeps what it finished (losing at
    most about that much copying), and a short run pays for one commit of each table only. Weeks with no file
    get no `runs` row: `status` shows them as missing, not as done."""
    run_id = report.run_id
    total = sum(j.entry.size or 0 for j in jobs)
    logs.event(
        log,
        "stage_plan",
        run_id=run_id,
        source=source.describe(),
        copy=len(jobs),
        bytes=total,
        unchanged=len(skipped),
        missing=len(report.missing),
    )
    progress = Progress(len(jobs) + len(skipped), total)
    for outcome in skipped:
        progress.week_done(outcome)
    dest = make_destination(cfg) if jobs else None
    pending: list[StagedWeek] = list(skipped)
    if jobs:  # before any copy: a run killed at once still shows its weeks as interrupted
        state.ledger.record(RunRow(run_id, JOB, j.entry.week, "running") for j in jobs)
    try:
        with ThreadPoolExecutor(max(1, cfg.staging.threads), thread_name_prefix="stage") as pool:
            futures: set[Future[StagedWeek]] = {
                pool.submit(copy_one, source, dest, job, run_id, cfg, progress.add_bytes)
                for job in jobs
                if dest is not None  # there is a destination whenever there are jobs
            }
            try:
                committed = time.monotonic()
                while futures:
                    done, futures = wait(futures, return_when=FIRST_COMPLETED)
                    for future in done:
                        outcome = future.result()
                        report.outcomes[outcome.week] = outcome
                        progress.week_done(outcome)
                        pending.append(outcome)
                    if futures and time.monotonic() - committed >= COMMIT_EVERY_S:
                        _commit(state, pending, source, run_id)
                        pending, committed = [], time.monotonic()
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        _commit(state, pending, source, run_id, final=True)
    finally:
        progress.close()
        if dest is not None:
            dest.close()


def main(
    cfg: Config,
    weeks: list[date] | None,
    force: bool = False,
    dry_run: bool = False,
    spark: SparkSession | None = None,
    source: Source | None = None,
    entries: Sequence[Entry] | None = None,
    state: RunState | None = None,
) -> int:
    """`oa-spark stage`: 0 when every week with a file is staged or unchanged; 1 when a week failed or the
    range holds no file at all (docs/design.md §5). `weeks` None: the sample's weeks (other sources need a
    range).
    Configuration errors raise ConfigError (the CLI's exit 2). `run` passes its source, listing and state."""
    if weeks is None:
        from oa_spark.sources import default_weeks

        weeks = default_weeks(cfg)
    try:
        report = stage(
            cfg, weeks, force=force, dry_run=dry_run, spark=spark, source=source, entries=entries, state=state
        )
    except SourceError as exc:
        logs.event(log, "source_failed", logging.ERROR, message=str(exc))
        return 1
    if not dry_run:
        logs.event(
            log,
            "stage_done",
            run_id=report.run_id,
            staged=len(report.with_status(STAGED)),
            skipped=len(report.with_status(SKIPPED)),
            failed=len(report.with_status(FAILED)),
            missing=len(report.missing),
            bytes=report.bytes_copied,
            seconds=round(report.seconds, 1),
        )
        for o in report.with_status(FAILED):
            logs.event(log, "failed_week", logging.ERROR, week=o.week.isoformat(), message=o.message)
    return report.exit_code
