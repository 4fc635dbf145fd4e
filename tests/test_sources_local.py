"""The local and sample sources, and the source factory (no JVM, no network)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from support.zips import weekly_zip

from oa_spark import config
from oa_spark.sources import make_source
from oa_spark.sources.local import LocalSource
from oa_spark.weeks import file_name

W1, W2, W3 = date(2022, 1, 2), date(2022, 1, 9), date(2022, 1, 16)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for week in (W1, W3):
        (tmp_path / file_name(week)).write_bytes(weekly_zip(week))
    (tmp_path / "notes.txt").write_text("not a weekly file")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / file_name(W2)).write_bytes(weekly_zip(W2))  # sub-folders are not listed
    return tmp_path


def test_local_lists_the_directorys_weekly_files_of_the_range(folder: Path) -> None:
    entries = LocalSource(folder).list([W1, W2, W3])
    assert [(e.week, e.file_name, e.size) for e in entries] == [
        (W1, file_name(W1), len(weekly_zip(W1))),
        (W3, file_name(W3), len(weekly_zip(W3))),
    ]
    assert entries[0].url == (folder / file_name(W1)).as_uri()


def test_local_version_tag_changes_when_the_file_is_rewritten(folder: Path) -> None:
    before = LocalSource(folder).list([W1])[0].version_tag
    (folder / file_name(W1)).write_bytes(weekly_zip(W1, seed=9))
    assert LocalSource(folder).list([W1])[0].version_tag != before


def test_local_download_streams_and_hashes_in_one_pass(folder: Path) -> None:
    import hashlib

    source = LocalSource(folder)
    out = io.BytesIO()
    digest = source.download(source.list([W1])[0], out)
    assert out.getvalue() == weekly_zip(W1)
    assert digest == hashlib.sha256(weekly_zip(W1)).hexdigest()


def test_a_missing_directory_is_a_source_error(tmp_path: Path) -> None:
    from oa_spark.sources import SourceError

    with pytest.raises(SourceError, match="cannot list"):
        LocalSource(tmp_path / "nowhere").list([W1])


def test_factory_builds_the_configured_source(folder: Path) -> None:
    source = make_source(config.load(overrides=["source.name=local", f"source.url={folder}"]))
    assert isinstance(source, LocalSource) and source.directory == folder.resolve()
    with pytest.raises(config.ConfigError, match=r"source\.url"):
        make_source(config.load(overrides=["source.name=local"]))


def test_sample_source_generates_its_configured_weeks_once(tmp_path: Path) -> None:
    synth = pytest.importorskip("oa_spark.synth", reason="the sample generator is not written yet")
    if not hasattr(synth, "generate"):
        pytest.skip("oa_spark.synth.generate is not written yet")
    cfg = config.load(
        overrides=[
            "source.name=sample",
            f"source.url={tmp_path / 'cache'}",
            'sample.start="2022-01-02"',
            "sample.weeks=2",
            "sample.records=5",
        ]
    )
    source = make_source(cfg)
    entries = source.list([W1, W2, W3])
    assert [e.week for e in entries] == [W1, W2]
    first = [(e.file_name, e.size, e.version_tag) for e in entries]
    assert [(e.file_name, e.size, e.version_tag) for e in make_source(cfg).list([W1, W2])] == first
