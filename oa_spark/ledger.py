"""The `runs` ledger and the `staged_files` manifest: what each stage has done, week by week.

Both are small Delta tables written in one commit per batch, so a killed job leaves them at their last
commit and the next run can tell what is done, what failed and what never finished. A run reads the rows
of the weeks it works on once (pruned to those weeks) and keeps them current with what it writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from oa_spark import __version__

if TYPE_CHECKING:
    from oa_spark.tables import Lake

WEEKLY_JOBS = ("stage", "ingest", "extract")  # per week, in the order a run does them
JOBS = (*WEEKLY_JOBS, "graphs")  # graphs spans the history: one row per build, no week
STATUSES = ("running", "done", "failed", "skipped")


def new_run_id() -> str:
    """Sortable and unique: UTC time plus a random suffix."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def utcnow() -> datetime:
    """Naive UTC (the session time zone is UTC), so Spark stores it unshifted."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class RunRow:
    """One row of the `runs` ledger: a stage's attempt at a week, its outcome and its record counts."""

    run_id: str
    job: str
    week: date | None
    status: str
    input_sha256: str | None = None
    code_version: str = __version__
    records_in: int | None = None
    records_out: int | None = None
    duplicates: int | None = None
    quarantined: int | None = None
    started_at: datetime = field(default_factory=utcnow)
    finished_at: datetime | None = None
    message: str | None = None

    def finish(self, status: str, **counts: Any) -> RunRow:
        """A copy closed with `status` (done, failed, skipped) and its counts."""
        return RunRow(**{**asdict(self), **counts, "status": status, "finished_at": utcnow()})


def up_to_date(row: Mapping[str, Any] | None, code_version: str, input_sha256: str | None = None) -> bool:
    """The one rule for "this week is done and need not run again": its newest `runs` row says done, by
    this code version, and (when the input is known) from the same input bytes."""
    return (
        row is not None
        and row["status"] == "done"
        and row["code_version"] == code_version
        and (input_sha256 is None or row["input_sha256"] == input_sha256)
    )


def _order(row: dict[str, Any]) -> tuple[datetime, str]:
    """Which of two rows of a week is newer: the later end (or start), then status descending (the rule
    `status` and every stage's plan have always used)."""
    return (row["finished_at"] or row["started_at"], row["status"])


def _within(weeks: Iterable[date] | None) -> set[date] | None:
    return None if weeks is None else set(weeks)


class _ReadWeeks:
    """The weeks of a table a run has read already (or all of them), so each is read from the lake once."""

    def __init__(self) -> None:
        self.weeks: set[date] = set()
        self.all = False

    def unread(self, weeks: Iterable[date] | None) -> tuple[bool, set[date] | None]:
        """(whether anything is left to read, the weeks to read; None = every week)."""
        if self.all:
            return False, None
        wanted = _within(weeks)
        todo = None if wanted is None else wanted - self.weeks
        return todo is None or bool(todo), todo

    def mark(self, todo: set[date] | None) -> None:
        if todo is None:
            self.all = True
        else:
            self.weeks |= todo


class Ledger:
    """Appends to and reads `runs`, for one run.

    The rows of the weeks a run works on are read once (one query, pruned to those weeks) and kept up to
    date with what the run records, so planning a stage never reads the table again. Rows given to `defer`
    wait and go out in the same commit as the next `record` (or `flush`): a stage's outcome rides with the
    next stage's `running` rows, one `runs` commit per stage instead of two.
    """

    def __init__(self, lake: Lake) -> None:
        self.lake = lake
        self._newest: dict[tuple[str, date], dict[str, Any]] = {}
        self._read = _ReadWeeks()
        self._pending: list[RunRow] = []

    # -- write ---------------------------------------------------------------------------------------------
    def record(self, rows: Iterable[RunRow]) -> None:
        """Commit `rows`, with any deferred ones, in one append."""
        from oa_spark.schemas import RUNS

        rows = [*self._pending, *rows]
        self._pending = []
        if rows:
            self.lake.append("runs", self.lake.spark.createDataFrame([asdict(r) for r in rows], RUNS))
        self._note(rows)

    def defer(self, rows: Iterable[RunRow]) -> None:
        """Keep `rows` for the next commit: a kill before it leaves the `running` rows (interrupted)."""
        rows = list(rows)
        self._pending += rows
        self._note(rows)

    def flush(self) -> None:
        if self._pending:
            self.record([])

    def _note(self, rows: Iterable[RunRow]) -> None:
        for row in rows:
            if row.week is not None:
                self._keep(asdict(row))

    def _keep(self, row: dict[str, Any]) -> None:
        key = (row["job"], row["week"])
        known = self._newest.get(key)
        if known is None or _order(row) >= _order(known):
            self._newest[key] = row

    # -- read ----------------------------------------------------------------------------------------------
    def load(self, weeks: Iterable[date] | None = None) -> None:
        """Read the rows of these weeks (every week when None) that this run has not read yet: one query."""
        from pyspark.sql import functions as F

        more, todo = self._read.unread(weeks)
        if not more:
            return
        if self.lake.exists("runs"):
            df = self.lake.read("runs", todo).where(F.col("week").isNotNull())
            for row in df.collect():
                self._keep(row.asDict())
        self._read.mark(todo)

    def latest(self, job: str, weeks: Iterable[date] | None = None) -> dict[date, dict[str, Any]]:
        """The newest row per week for `job`, of these weeks or all (a `running` row with no later one is
        an interrupted week)."""
        wanted = _within(weeks)
        self.load(wanted)
        return {
            week: row
            for (kind, week), row in self._newest.items()
            if kind == job and (wanted is None or week in wanted)
        }

    def weeks(self) -> set[date]:
        """Every week any stage has a row for (all weeks read: a week that failed before it was staged is
        one too)."""
        self.load(None)
        return {week for (_, week) in self._newest if week is not None}


class StagedFiles:
    """The `staged_files` manifest: one row per staged zip version; `status` staged or superseded.

    Like `Ledger`, one object serves a run: the weeks it asks about are read once and what it adds is kept.
    """

    def __init__(self, lake: Lake) -> None:
        self.lake = lake
        self._rows: dict[date, list[dict[str, Any]]] = {}
        self._read = _ReadWeeks()

    def load(self, weeks: Iterable[date] | None = None) -> None:
        more, todo = self._read.unread(weeks)
        if not more:
            return
        if self.lake.exists("staged_files"):
            for row in self.lake.read("staged_files", todo).collect():
                self._rows.setdefault(row["week"], []).append(row.asDict())
        self._read.mark(todo)

    def current(self, weeks: Iterable[date] | None = None) -> dict[date, dict[str, Any]]:
        """The staged (not superseded) row per week."""
        return self.snapshot(weeks)[0]

    def snapshot(
        self, weeks: Iterable[date] | None = None
    ) -> tuple[dict[date, dict[str, Any]], dict[date, int]]:
        """The current staged row per week, and the highest version per week of any status (the next
        version of a week goes above it, so an older file is never overwritten); of these weeks or all."""
        wanted = _within(weeks)
        self.load(wanted)
        current: dict[date, dict[str, Any]] = {}
        highest: dict[date, int] = {}
        for week, rows in self._rows.items():
            if wanted is not None and week not in wanted:
                continue
            for row in sorted(rows, key=lambda r: (r["version"] or 0, r["staged_at"])):
                highest[week] = max(highest.get(week, 0), row["version"] or 0)
                if row["status"] == "staged":
                    current[week] = row
        return current, highest

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Add one new version per week; the week's `staged` row becomes `superseded` in the same commit.

        When no week has a staged row yet (a backfill) that is a plain append. Otherwise one MERGE: each new
        row appears twice in its source, once keyed by its week (it matches the week's staged row, which it
        supersedes) and once with a null key (it never matches, so it is inserted).
        """
        from pyspark.sql import functions as F

        from oa_spark.schemas import STAGED_FILES, names
        from oa_spark.tables import insert_clause

        rows = list(rows)
        if not rows:
            return
        weeks = [r["week"] for r in rows]
        if len(set(weeks)) != len(weeks):
            raise ValueError("StagedFiles.add takes at most one new version per week")
        new = self.lake.spark.createDataFrame(rows, STAGED_FILES)
        if not self.current(weeks):
            self.lake.append("staged_files", new)
        else:
            keyed = new.withColumn("_supersedes", F.col("week"))
            source = keyed.unionByName(new.withColumn("_supersedes", F.lit(None).cast("date")))
            self.lake.merge(
                "staged_files",
                source,
                "t.status = 'staged' AND t.week = s._supersedes",
                "WHEN MATCHED THEN UPDATE SET t.status = 'superseded'",
                f"WHEN NOT MATCHED AND s._supersedes IS NULL THEN {insert_clause(names(STAGED_FILES))}",
            )
        for row in rows:
            for old in self._rows.get(row["week"], []):
                if old["status"] == "staged":
                    old["status"] = "superseded"
            self._rows.setdefault(row["week"], []).append(dict(row))

    def retag(self, tags: dict[date, str | None]) -> None:
        """Record a new upstream version tag on the weeks' staged rows, in one commit: for a file whose tag
        changed but whose bytes did not, so the next run skips it without downloading it again."""
        from pyspark.sql.types import DateType, StringType, StructField, StructType

        if not tags:
            return
        schema = StructType(
            [StructField("week", DateType(), False), StructField("version_tag", StringType())]
        )
        source = self.lake.spark.createDataFrame(sorted(tags.items()), schema)
        self.lake.merge(
            "staged_files",
            source,
            "t.status = 'staged' AND t.week = s.week",
            "WHEN MATCHED THEN UPDATE SET t.version_tag = s.version_tag",
        )
        for week, tag in tags.items():
            for row in self._rows.get(week, []):
                if row["status"] == "staged":
                    row["version_tag"] = tag


@dataclass
class RunState:
    """What one run reads once and hands from stage to stage: the lake (which remembers the tables it has
    seen), the `runs` ledger and the `staged_files` manifest, each read only for the weeks asked about."""

    lake: Lake
    ledger: Ledger
    manifest: StagedFiles

    @classmethod
    def open(cls, lake: Lake) -> RunState:
        return cls(lake, Ledger(lake), StagedFiles(lake))
