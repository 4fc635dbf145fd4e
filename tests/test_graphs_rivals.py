"""A graph build must write alone: which commits since it started show another writer (no JVM)."""

from __future__ import annotations

from oa_spark.stages.graphs.build import rival_commits


def _commits(*operations: str, start: int = 10) -> list[dict]:
    """Commits numbered from `start`, oldest first (the build started from `start`)."""
    return [{"version": start + i, "operation": op} for i, op in enumerate(operations)]


def test_the_builds_own_write_alone_has_no_rival() -> None:
    assert rival_commits(_commits("MERGE", "MERGE"), 10, committed=True) == []


def test_a_write_before_the_builds_own_is_a_rival_and_both_are_named() -> None:
    assert rival_commits(_commits("MERGE", "WRITE", "MERGE"), 10, committed=True) == [11, 12]


def test_a_write_when_the_build_wrote_nothing_is_a_rival() -> None:
    assert rival_commits(_commits("WRITE", "WRITE"), 10, committed=False) == [11]


def test_compaction_properties_and_table_creation_are_no_rivals() -> None:
    commits = _commits("CREATE TABLE", "OPTIMIZE", "SET TBLPROPERTIES", "WRITE", "VACUUM START", start=-1)
    assert rival_commits(commits, -1, committed=True) == []


def test_commits_up_to_the_start_are_the_previous_builds() -> None:
    assert rival_commits(_commits("WRITE", "MERGE", "MERGE"), 11, committed=True) == []
