"""How a run cuts its weeks into batches: by zipped bytes, capped by a week count, never empty."""

from __future__ import annotations

from oa_spark.batches import MB, UNKNOWN_SHARE, by_size


def sizes(mapping: dict[str, int | None]):
    return mapping.get


def test_small_weeks_fill_one_batch_up_to_the_byte_budget() -> None:
    weeks = [f"w{i}" for i in range(520)]
    assert by_size(weeks, lambda _: MB // 4, batch_mb=512) == [weeks]


def test_a_batch_closes_before_the_week_that_would_pass_the_budget() -> None:
    size = sizes({"a": 300 * MB, "b": 200 * MB, "c": 100 * MB, "d": 10 * MB})
    assert by_size(["a", "b", "c", "d"], size, batch_mb=512) == [["a", "b"], ["c", "d"]]


def test_realistic_weeks_come_about_eight_to_a_batch_by_default() -> None:
    weeks = list(range(24))
    assert [len(b) for b in by_size(weeks, lambda _: 67 * MB, batch_mb=512)] == [7, 7, 7, 3]


def test_a_week_larger_than_the_budget_is_a_batch_of_its_own() -> None:
    size = sizes({"a": 10 * MB, "huge": 4096 * MB, "b": 10 * MB})
    assert by_size(["a", "huge", "b"], size, batch_mb=512) == [["a"], ["huge"], ["b"]]


def test_batch_weeks_caps_the_weeks_in_a_batch() -> None:
    assert by_size(list(range(7)), lambda _: 1, batch_mb=512, batch_weeks=3) == [[0, 1, 2], [3, 4, 5], [6]]


def test_weeks_of_unknown_size_count_as_a_share_of_the_budget() -> None:
    batches = by_size(list(range(20)), lambda _: None, batch_mb=512)
    assert [len(b) for b in batches] == [UNKNOWN_SHARE, UNKNOWN_SHARE, 20 - 2 * UNKNOWN_SHARE]


def test_order_is_kept_and_every_week_appears_once() -> None:
    weeks = list(range(50))
    batches = by_size(weeks, lambda w: (w % 7) * 40 * MB, batch_mb=100)
    assert [w for b in batches for w in b] == weeks
    assert all(batches)
