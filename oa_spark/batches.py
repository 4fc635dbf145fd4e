"""How a run groups weeks into batches: each batch is one Spark job and one Delta commit per table.

A batch takes consecutive weeks until their zipped bytes reach `run.batch_mb` (always at least one week),
and never more than `run.batch_weeks` weeks when that is set (> 0). The fixed costs of a batch (its jobs,
its commits, its ledger rows) are paid once per batch, so a backfill of small weeks runs in a few large
batches, while realistic weeks (~67 MB zipped) come about 8 to a batch at the default 512 MB, which bounds
what a failure or a kill makes the next run redo.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
MB = 1024 * 1024
UNKNOWN_SHARE = 8  # a week whose size nobody states counts as 1/8 of the budget (8 to a batch)


def by_size(
    items: Sequence[T], size_of: Callable[[T], int | None], batch_mb: int, batch_weeks: int = 0
) -> list[list[T]]:
    """`items` in order, cut into batches of at most `batch_mb` MB (by `size_of`, bytes; None = unknown)
    and at most `batch_weeks` items when `batch_weeks` > 0; every batch holds at least one item."""
    budget = max(1, batch_mb) * MB
    unknown = budget // UNKNOWN_SHARE
    out: list[list[T]] = []
    batch: list[T] = []
    used = 0
    for item in items:
        size = size_of(item)
        size = unknown if size is None else max(0, size)
        full = batch and (used + size > budget or (batch_weeks > 0 and len(batch) >= batch_weeks))
        if full:
            out.append(batch)
            batch, used = [], 0
        batch.append(item)
        used += size
    if batch:
        out.append(batch)
    return out
