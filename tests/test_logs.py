"""Structured log lines and progress: what people running a long job see."""

from __future__ import annotations

import io

from oa_spark import logs


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_in_batches_covers_every_item_once_in_order_in_batches_of_the_size() -> None:
    assert list(logs.in_batches(list(range(7)), 3, "ingest")) == [[0, 1, 2], [3, 4, 5], [6]]


def test_in_batches_takes_at_least_one_item_per_batch() -> None:
    assert list(logs.in_batches(["a", "b"], 0, "extract")) == [["a"], ["b"]]


def test_progress_counts_on_a_terminal_and_ends_its_line() -> None:
    screen = Terminal()
    progress = logs.Progress("ingest", 3, stream=screen)
    progress.advance(2)
    progress.close()
    assert "ingest: 2/3 weeks" in screen.getvalue()
    assert screen.getvalue().endswith("\n")


def test_progress_is_silent_when_not_on_a_terminal() -> None:
    quiet = io.StringIO()
    progress = logs.Progress("ingest", 3, stream=quiet)
    progress.advance(3)
    progress.close()
    assert quiet.getvalue() == ""
