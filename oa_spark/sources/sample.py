"""The built-in sample: weeks made by `oa_spark.synth.generate`, cached on disk, then served like `local`.

What is generated is fixed by the `[sample]` section (start, weeks, records, seed, faults), not by the range
asked for, so the sample is one deterministic dataset: a requested week outside it is a missing week. The
cache directory is `source.url` when set, else a folder under the system temp dir named after those
settings; it is generated into a sibling temporary folder and renamed into place, so a killed generation
never looks complete.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from oa_spark.sources.local import LocalSource
from oa_spark.weeks import consecutive, parse_date

if TYPE_CHECKING:
    from datetime import date

    from oa_spark.config import Config, SampleConfig

DONE = ".complete"


def sample_weeks(sample: SampleConfig) -> list[date]:
    """The Sundays the sample holds: `sample.weeks` of them from `sample.start`."""
    return consecutive(parse_date(sample.start), sample.weeks)


def cache_dir(sample: SampleConfig, url: str = "") -> Path:
    if url:
        return Path(url.removeprefix("file://")).expanduser().resolve()
    key = f"{sample.start}|{sample.weeks}|{sample.records}|{sample.seed}|{sample.faults}"
    name = f"oa-spark-sample-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    return Path(tempfile.gettempdir()) / name


def ensure_generated(sample: SampleConfig, directory: Path) -> Path:
    """Generate the sample into `directory` unless a complete generation is already there."""
    if (directory / DONE).exists():
        return directory
    from oa_spark import synth

    directory.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        synth.generate(
            work,
            weeks=sample.weeks,
            start=parse_date(sample.start),
            records=sample.records,
            seed=sample.seed,
            faults=sample.faults,
        )
        (work / DONE).write_text(f"{sample}\n", encoding="utf-8")
        if directory.exists() and not (directory / DONE).exists():  # an incomplete earlier attempt
            shutil.rmtree(directory)
        try:
            work.rename(directory)
        except OSError:
            if not (directory / DONE).exists():  # not merely another process finishing first
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return directory


class SampleSource(LocalSource):
    """Generated sample weeks, made once into a cache directory and then read like a local directory."""

    name = "sample"

    def __init__(self, sample: SampleConfig, directory: Path) -> None:
        super().__init__(ensure_generated(sample, directory))

    @classmethod
    def from_config(cls, cfg: Config) -> SampleSource:
        return cls(cfg.sample, cache_dir(cfg.sample, cfg.source.url))
