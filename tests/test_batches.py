"""How a run cuts its weeks into batches: by zipped bytes, capped by a week count, never empty."""

from __future__ import annotations

from datetime import date

from oa_spark import config
from oa_spark.batches import MB, UNKNOWN_SHARE, by_size
from oa_spark.sources import Entry
from oa_spark.stages.pipeline import plan_batches
from oa_spark.weeks import consecutive


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


class Manifest:
    """What `plan_batches` reads of the `staged_files` manifest: the staged rows of some weeks."""

    def __init__(self, sizes: dict[date, int]) -> None:
        self.sizes = sizes

    def current(self, weeks):
        return {w: {"size_bytes": n} for w, n in self.sizes.items() if w in weeks}


def entry(week: date, size: int | None) -> Entry:
    return Entry(week, f"bdr_oa_bulkdata_weekly_{week}.zip", size, None, f"file:///{week}.zip")


RANGE = consecutive(date(2024, 1, 7), 13)


def test_weeks_the_source_has_no_file_for_do_not_cut_a_range_into_batches() -> None:
    cfg = config.load(overrides=["run.batch_mb=512"], environ={})
    listed = [entry(w, None) for w in RANGE[:3]]  # sizes unknown: 1/8 of the budget each
    assert plan_batches(cfg, RANGE, listed, Manifest({})) == [RANGE]


def test_a_staged_copy_s_size_weighs_a_week_the_source_gives_no_size_for() -> None:
    cfg = config.load(overrides=["run.batch_mb=512"], environ={})
    staged = Manifest({RANGE[0]: 400 * MB, RANGE[1]: 400 * MB})
    assert plan_batches(cfg, RANGE[:2], [entry(w, None) for w in RANGE[:2]], staged) == [
        [RANGE[0]],
        [RANGE[1]],
    ]


def test_without_a_listing_unstaged_weeks_count_as_unknown() -> None:
    cfg = config.load(overrides=["run.batch_mb=512"], environ={})
    batches = plan_batches(cfg, RANGE, None, Manifest({}))
    assert [len(b) for b in batches] == [UNKNOWN_SHARE, len(RANGE) - UNKNOWN_SHARE]
