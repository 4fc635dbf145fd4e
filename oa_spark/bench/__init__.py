"""Benchmarks: each module measures one stage against a baseline *in the same run* and reports ratios.

The machine is shared and noisy, so absolute times mean little; a ratio of two things measured back to back
on the same input does. Each benchmark module exposes `run(ctx: BenchContext) -> BenchResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class BenchContext:
    """What every benchmark gets: a scratch directory, the size of the generated input, a seed."""

    workdir: Path
    weeks: int | None = None  # None: the benchmark's realistic default (docs/design.md §8)
    records: int | None = None  # records per generated week; None: 15,000
    seed: int = 7
    repeats: int | None = None  # timed runs per figure, the best kept; None: the benchmark's own default


@dataclass
class BenchResult:
    """Fixed docs/design.md §8 keys (`figures`) plus human-readable rows `(metric, value, target)` for the
    table."""

    name: str
    figures: dict[str, float] = field(default_factory=dict)
    rows: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, metric: str, value: float | str, target: str = "", key: str | None = None) -> None:
        """Record one row; when `key` is given the value is also a fixed JSON figure."""
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        self.rows.append((metric, shown, target))
        if key is not None:
            self.figures[key] = float(value)

    def figure(self, key: str, value: float, target: str = "") -> None:
        """A fixed docs/design.md §8 figure, shown in the table under its own key."""
        self.add(key, value, target, key=key)
