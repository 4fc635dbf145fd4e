"""`status`: the graphs job's newest build and what the next build will take, and the source's newest week
(no JVM)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest

from oa_spark.status import GraphsStatus, builds, render_graphs


@pytest.fixture(autouse=True)
def utc_here(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process in UTC (PySpark hands timestamps over as naive local times)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _row(run_id: str, status: str, hour: int, message: str | None = None) -> dict:
    started = datetime(2026, 12, 5, hour)
    finished = None if status == "running" else started.replace(minute=30)
    return {
        "run_id": run_id,
        "status": status,
        "started_at": started,
        "finished_at": finished,
        "message": message,
    }


def test_a_builds_outcome_row_stands_for_it_over_its_running_row() -> None:
    newest, done = builds([_row("a", "done", 1), _row("a", "running", 1)])
    assert (newest["status"], done["run_id"]) == ("done", "a")


def test_the_newest_build_is_the_latest_started_and_the_last_good_one_skips_failures() -> None:
    rows = [
        _row("a", "running", 1),
        _row("a", "done", 1),
        _row("b", "running", 2),
        _row("b", "failed", 2, "boom"),
    ]
    newest, done = builds(rows)
    assert (newest["run_id"], newest["status"], done["run_id"]) == ("b", "failed", "a")


def test_a_build_with_no_outcome_row_is_shown_as_running_or_killed() -> None:
    newest, done = builds([_row("a", "skipped", 1), _row("b", "running", 2)])
    lines = render_graphs(GraphsStatus(newest, done, 0))
    assert lines[0].startswith("graphs: build b started 2026-12-05 02:00 UTC has no end")
    assert lines[1] == "  last good build: 2026-12-05 01:30 UTC; 0 week(s) extracted since"


def test_a_failed_build_shows_its_reason_and_the_weeks_the_next_build_will_take() -> None:
    newest, done = builds([_row("a", "done", 1), _row("b", "failed", 2, "ConcurrentBuild: x")])
    assert render_graphs(GraphsStatus(newest, done, 3)) == [
        "graphs: last build failed 2026-12-05 02:30 UTC: ConcurrentBuild: x",
        "  last good build: 2026-12-05 01:30 UTC; 3 week(s) extracted since",
    ]


def test_a_lake_never_built_says_so() -> None:
    assert render_graphs(GraphsStatus(None, None, 4)) == ["graphs: never built; 4 week(s) extracted since"]


def test_times_are_shown_in_utc_whatever_this_machine_s_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    newest, done = builds([_row("a", "done", 21)])  # 21:30 New York time, as PySpark would hand it over
    assert render_graphs(GraphsStatus(newest, done, 0))[0].startswith(
        "graphs: last build done 2026-12-06 02:30 UTC"
    )


def test_a_source_with_no_recent_file_says_how_far_back_status_looked() -> None:
    from oa_spark.status import LOOKBACK_WEEKS, StageStatus, render

    text = render([StageStatus("ingest")], None)
    assert f"source newest week: unknown (no file in the {LOOKBACK_WEEKS} weeks before this one" in text
