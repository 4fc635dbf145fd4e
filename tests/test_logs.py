"""Structured log lines and progress: what people running a long job see."""

from __future__ import annotations

import io

from oa_spark import logs


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_in_batches_yields_each_batch_and_counts_its_items_on_a_terminal() -> None:
    screen = Terminal()
    seen = list(logs.in_batches([[0, 1, 2], [3]], "ingest", stream=screen))
    assert seen == [[0, 1, 2], [3]]
    assert "ingest: 4/4 weeks" in screen.getvalue()


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
