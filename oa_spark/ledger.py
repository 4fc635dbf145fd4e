"""The `runs` ledger and the `staged_files` manifest: what each stage has done, week by week.

Both are small Delta tables appended to in one commit per batch, so a killed job leaves them at their last
commit and the next run can tell what is done, what failed and what never finished.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from oa_spark import __version__

if TYPE_CHECKING:
    from oa_spark.tables import Lake

JOBS = ("stage", "ingest", "extract", "graphs")
STATUSES = ("running", "done", "failed", "skipped")


def new_run_id() -> str:
    """Sortable and unique: UTC time plus a random suffix."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def utcnow() -> datetime:
    """Naive UTC (the session time zone is UTC), so Spark stores it unshifted."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class RunRow:
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


class Ledger:
    """Appends to and reads `runs`."""

    def __init__(self, lake: Lake) -> None:
        self.lake = lake

    def record(self, rows: Iterable[RunRow]) -> None:
        from oa_spark.schemas import RUNS

        rows = list(rows)
        if rows:
            data = [asdict(r) for r in rows]
            self.lake.append("runs", self.lake.spark.createDataFrame(data, RUNS))

    def latest(self, job: str) -> dict[date, dict[str, Any]]:
        """The newest row per week for `job` (a `running` row with no later one = interrupted)."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        if not self.lake.exists("runs"):
            return {}
        df = self.lake.read("runs").where(F.col("job") == job).where(F.col("week").isNotNull())
        order = Window.partitionBy("week").orderBy(
            F.coalesce("finished_at", "started_at").desc(), F.col("status").desc()
        )
        newest = df.withColumn("_n", F.row_number().over(order)).where("_n = 1").drop("_n")
        return {r["week"]: r.asDict() for r in newest.collect()}


class StagedFiles:
    """The `staged_files` manifest: one row per staged zip version; `status` staged or superseded."""

    def __init__(self, lake: Lake) -> None:
        self.lake = lake

    def current(self) -> dict[date, dict[str, Any]]:
        """The staged (not superseded) row per week, newest version first."""
        return self.snapshot()[0]

    def snapshot(self) -> tuple[dict[date, dict[str, Any]], dict[date, int]]:
        """From one read: the current staged row per week, and the highest version per week of any status
        (the next version of a week goes above it, so an older file is never overwritten)."""
        if not self.lake.exists("staged_files"):
            return {}, {}
        rows = [r.asDict() for r in self.lake.read("staged_files").collect()]
        current: dict[date, dict[str, Any]] = {}
        highest: dict[date, int] = {}
        for row in sorted(rows, key=lambda r: (r["version"] or 0, r["staged_at"])):
            highest[row["week"]] = max(highest.get(row["week"], 0), row["version"] or 0)
            if row["status"] == "staged":
                current[row["week"]] = row
        return current, highest

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Add one new version per week; the week's `staged` row becomes `superseded` in the same commit.

        One MERGE: each new row appears twice in its source, once keyed by its week (it matches the week's
        staged row, which it supersedes) and once with a null key (it never matches, so it is inserted).
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
        keyed = new.withColumn("_supersedes", F.col("week"))
        source = keyed.unionByName(new.withColumn("_supersedes", F.lit(None).cast("date")))
        self.lake.merge(
            "staged_files",
            source,
            "t.status = 'staged' AND t.week = s._supersedes",
            "WHEN MATCHED THEN UPDATE SET t.status = 'superseded'",
            f"WHEN NOT MATCHED AND s._supersedes IS NULL THEN {insert_clause(names(STAGED_FILES))}",
        )

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
