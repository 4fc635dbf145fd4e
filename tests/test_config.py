"""Config layering (README, Configuration): defaults → files → environment → --set; unknown keys and wrong
types named."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from oa_spark import config
from oa_spark.config import ConfigError, load

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_are_the_local_profile() -> None:
    cfg = load(environ={})
    assert (cfg.spark.master, cfg.lake.path, cfg.source.name, cfg.graphs.min_series) == (
        "local[*]",
        "./lake",
        "sample",
        12,
    )


def test_conf_default_toml_lists_every_key_with_its_builtin_value() -> None:
    documented = tomllib.loads((ROOT / "conf" / "default.toml").read_text())
    builtin = config.as_dict(load(environ={}))
    as_lists = {
        s: {k: list(v) if isinstance(v, tuple) else v for k, v in keys.items()} for s, keys in builtin.items()
    }
    assert documented == as_lists


def test_every_key_in_default_toml_has_a_comment_above_it() -> None:
    lines = (ROOT / "conf" / "default.toml").read_text().splitlines()
    for i, line in enumerate(lines):
        if "=" in line and not line.startswith("#") and not line.startswith("["):
            j = i - 1
            while j >= 0 and "=" in lines[j] and not lines[j].startswith("#"):
                j -= 1  # keys that share one comment (e.g. catalog / schema)
            assert lines[j].startswith("#"), f"no comment for {line!r}"


@pytest.mark.parametrize("profile", ["local.toml", "cluster.toml", "databricks.toml"])
def test_shipped_profiles_load(profile: str) -> None:
    load([ROOT / "conf" / profile], environ={})


def test_later_layers_win(tmp_path: Path) -> None:
    a = tmp_path / "a.toml"
    a.write_text('[lake]\npath = "/a"\n[staging]\nthreads = 2\n')
    b = tmp_path / "b.toml"
    b.write_text('[lake]\npath = "/b"\n')
    env = {"OA_SPARK__STAGING__THREADS": "6", "OA_SPARK__LAKE__PATH": "/env"}
    cfg = load([a, b], ["lake.path=/set"], environ=env)
    assert cfg.lake.path == "/set"
    assert cfg.staging.threads == 6
    assert load([a, b], environ={}).lake.path == "/b"
    assert load([a, b], environ=env).lake.path == "/env"


def test_set_values_are_parsed_as_toml_scalars_and_lists() -> None:
    cfg = load(
        overrides=["ingest.max_ratio=50", "sample.faults=true", 'spark.packages=["g:a:1"]'], environ={}
    )
    assert cfg.ingest.max_ratio == 50.0
    assert cfg.sample.faults is True
    assert cfg.spark.packages == ("g:a:1",)


def test_a_string_key_keeps_the_text_as_typed_even_when_it_reads_as_another_toml_type() -> None:
    cfg = load(
        overrides=["sample.start=2022-01-02", "lake.schema=2024", 'lake.catalog="main"'],
        environ={"OA_SPARK__SPARK__DRIVER_MEMORY": "8"},
    )
    assert cfg.sample.start == "2022-01-02"
    assert cfg.lake.schema == "2024"
    assert cfg.lake.catalog == "main"
    assert cfg.spark.driver_memory == "8"


def test_config_is_frozen() -> None:
    cfg = load(environ={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.lake.path = "/elsewhere"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ("lake.pth=/x", "lake.pth"),
        ("lakes.path=/x", "[lakes]"),
        ("staging.threads=many", "staging.threads"),
        ("sample.faults=1", "sample.faults"),
        ("source.name=ftp", "source.name"),
        ("graphs.min_series=true", "graphs.min_series"),
    ],
)
def test_unknown_key_or_wrong_type_names_the_key(override: str, named: str) -> None:
    with pytest.raises(ConfigError, match=named.replace("[", r"\[").replace("]", r"\]")):
        load(overrides=[override], environ={})


def test_unknown_key_in_a_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[lake]\nfolder = 1\n")
    with pytest.raises(ConfigError, match=r"lake\.folder in .*bad\.toml"):
        load([bad], environ={})


def test_missing_or_invalid_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load([tmp_path / "nope.toml"], environ={})
    broken = tmp_path / "broken.toml"
    broken.write_text("[lake\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load([broken], environ={})


def test_unknown_environment_key_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"lake\.nope in environment"):
        load(environ={"OA_SPARK__LAKE__NOPE": "1"})


def test_catalog_tables_need_both_catalog_and_schema() -> None:
    assert not config.uses_catalog(load(overrides=["lake.catalog=main"], environ={}).lake)
    assert config.uses_catalog(load(overrides=["lake.catalog=main", "lake.schema=oa"], environ={}).lake)


def test_an_unknown_parquet_codec_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"lake.compression must be one of .*zstd"):
        load(overrides=["lake.compression=brotli-ish"], environ={})
