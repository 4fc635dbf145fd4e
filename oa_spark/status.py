"""`oa-spark status`: per stage, which weeks are done, failed, stale, interrupted or missing, and the lag;
then the graphs job's newest build and how many extracted weeks it has not taken yet.

Read from the `runs` ledger (newest row per week and stage) and `staged_files`; the source is asked for its
newest week so the lag behind upstream shows (a source that cannot be reached is reported, not fatal).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from oa_spark.config import Config
from oa_spark.ledger import JOBS

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger("oa_spark.status")


@dataclass
class StageStatus:
    """One stage's expected weeks sorted by their newest `runs` row, for the status table and the lag."""

    job: str
    done: list[date] = field(default_factory=list)
    failed: list[date] = field(default_factory=list)
    stale: list[date] = field(default_factory=list)
    interrupted: list[date] = field(default_factory=list)
    missing: list[date] = field(default_factory=list)

    @property
    def newest_done(self) -> date | None:
        return max(self.done + self.stale, default=None)


def current_versions() -> dict[str, str]:
    """The code version each stage stamps today: rows from other versions are stale."""
    from oa_spark.extract import EXTRACTOR_VERSION
    from oa_spark.ledger import __version__
    from oa_spark.stages.ingest import INGEST_VERSION

    return {
        "stage": __version__,
        "ingest": INGEST_VERSION,
        "extract": EXTRACTOR_VERSION,
        "graphs": __version__,
    }


def classify(job: str, latest: dict[date, dict[str, Any]], expected: list[date], version: str) -> StageStatus:
    """Sort each expected week of one stage by its newest `runs` row."""
    status = StageStatus(job)
    for week in expected:
        row = latest.get(week)
        if row is None:
            status.missing.append(week)
        elif row["status"] == "failed":
            status.failed.append(week)
        elif row["status"] == "running":
            status.interrupted.append(week)
        elif row["code_version"] != version and job != "stage":
            status.stale.append(week)
        else:
            status.done.append(week)
    return status


@dataclass
class GraphsStatus:
    """The graphs job from its `runs` rows (one `running` row per build, then its outcome): the newest
    build's last row, the newest build that ended done or skipped, and the weeks extracted since that one
    started (what the next build takes; all extracted weeks when none did)."""

    newest: dict[str, Any] | None
    last_done: dict[str, Any] | None
    weeks_behind: int


def builds(rows: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The newest build's last row (its outcome, or its `running` row while it has none) and the newest
    build that ended done or skipped, from the graphs job's `runs` rows."""
    last: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen = last.get(row["run_id"])
        if seen is None or seen["status"] == "running":
            last[row["run_id"]] = row
    ordered = sorted(last.values(), key=lambda r: r["started_at"])
    ended = [r for r in ordered if r["status"] in ("done", "skipped")]
    return (ordered[-1] if ordered else None), (ended[-1] if ended else None)


def graphs_status(lake: Lake) -> GraphsStatus:
    """One read of the graphs job's rows of `runs`, and one of the extract rows since its last good build."""
    from pyspark.sql import functions as F

    from oa_spark.stages.graphs.build import extracted_since

    if not lake.exists("runs"):
        return GraphsStatus(None, None, 0)
    rows = (
        lake.read("runs")
        .where(F.col("job") == "graphs")
        .select("run_id", "status", "started_at", "finished_at", "message")
        .collect()
    )
    newest, last_done = builds([r.asDict() for r in rows])
    since = last_done["started_at"] if last_done else datetime(1970, 1, 1)
    return GraphsStatus(newest, last_done, len(extracted_since(lake, since)))


def render_graphs(g: GraphsStatus) -> list[str]:
    """The status lines of the graphs job."""

    def at(row: dict[str, Any]) -> str:
        # PySpark hands timestamps over as naive datetimes in this process's time zone
        return f"{(row['finished_at'] or row['started_at']).astimezone(UTC):%Y-%m-%d %H:%M} UTC"

    behind = f"{g.weeks_behind} week(s) extracted since"
    if g.newest is None:
        return [f"graphs: never built; {behind}"]
    newest = g.newest
    if newest["status"] == "running":
        lines = [
            f"graphs: build {newest['run_id']} started {at(newest)} has no end (still running, or killed)"
        ]
    elif newest["status"] == "failed":
        lines = [f"graphs: last build failed {at(newest)}: {(newest['message'] or '')[:300]}"]
    else:
        return [f"graphs: last build {newest['status']} {at(newest)}; {behind}"]
    done = g.last_done
    lines.append(f"  last good build: {at(done)}; {behind}" if done else f"  no good build yet; {behind}")
    return lines


LOOKBACK_WEEKS = 8  # how far back `status` asks the source for its newest week


def source_newest(
    cfg: Config, today: date | None = None, lookback_weeks: int = LOOKBACK_WEEKS
) -> date | None:
    """The newest week the source has in the last `lookback_weeks` Sundays (None if none or unreachable)."""
    from oa_spark.sources import SourceError, make_source
    from oa_spark.weeks import week_of

    if cfg.source.name == "sample":
        from oa_spark.sources.sample import sample_weeks

        return sample_weeks(cfg.sample)[-1]
    end = week_of(today or date.today()) - timedelta(weeks=1)
    weeks = [end - timedelta(weeks=i) for i in range(lookback_weeks)]
    try:
        entries = make_source(cfg).list(sorted(weeks))
    except SourceError as exc:
        log.warning("source not reachable for status: %s", exc)
        return None
    return max((e.week for e in entries), default=None)


def collect(
    cfg: Config, spark: SparkSession, weeks: list[date] | None, lake: Lake | None = None
) -> tuple[list[StageStatus], date | None]:
    """Each stage's weeks from one read of `staged_files` and one of `runs`, both pruned to `weeks` when
    given (a weekly check of one week reads that week's rows, not the history)."""
    from oa_spark.ledger import RunState
    from oa_spark.tables import Lake

    state = RunState.open(lake if lake is not None else Lake(spark, cfg.lake))
    staged = state.manifest.current(weeks)
    state.ledger.load(weeks)
    # without a range: every week staged or tried (a week whose staging failed was never staged)
    expected = sorted(weeks) if weeks is not None else sorted(set(staged) | state.ledger.weeks())
    versions = current_versions()
    stages = [
        classify(job, state.ledger.latest(job, expected), expected, versions[job])
        for job in JOBS
        if job != "graphs"
    ]
    return stages, source_newest(cfg)


def render(stages: list[StageStatus], newest: date | None) -> str:
    def fmt(days: list[date]) -> str:
        if not days:
            return "-"
        shown = ", ".join(d.isoformat() for d in days[:4])
        return shown + (f" (+{len(days) - 4} more)" if len(days) > 4 else "")

    lines = [f"{'job':<8} {'done':>5} {'failed':>6} {'stale':>5} {'interr.':>7} {'missing':>7}  newest done"]
    for s in stages:
        lines.append(
            f"{s.job:<8} {len(s.done):>5} {len(s.failed):>6} {len(s.stale):>5} {len(s.interrupted):>7} "
            f"{len(s.missing):>7}  {s.newest_done or '-'}"
        )
    for s in stages:
        for label, days in (
            ("failed", s.failed),
            ("stale", s.stale),
            ("interrupted", s.interrupted),
            ("missing", s.missing),
        ):
            if days:
                lines.append(f"  {s.job} {label}: {fmt(days)}")
    ingest = next(s for s in stages if s.job == "ingest")
    if newest is None:
        lines.append(
            f"source newest week: unknown (no file in the {LOOKBACK_WEEKS} weeks before this one,"
            " or the source is unreachable: see the log)"
        )
    else:
        done = ingest.newest_done
        lag = (newest - done).days // 7 if done else None
        lines.append(f"source newest week: {newest}; ingest lag: {lag if lag is not None else 'all'} week(s)")
    return "\n".join(lines)


def main(cfg: Config, weeks: list[date] | None = None, spark: SparkSession | None = None) -> int:
    from oa_spark.session import get_spark
    from oa_spark.tables import Lake

    spark = spark or get_spark(cfg)
    lake = Lake(spark, cfg.lake)
    print(f"lake: {cfg.lake.where}")
    if not lake.exists("runs"):
        print("no run has written to this lake yet (no `runs` table): is lake.path the one the runs use?")
    stages, newest = collect(cfg, spark, weeks, lake)
    print(render(stages, newest))
    print("\n".join(render_graphs(graphs_status(lake))))
    return 0
