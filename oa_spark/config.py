"""Configuration: layered TOML into frozen, typed dataclasses (docs/design.md §6).

Layers, later wins: the defaults below (= `conf/default.toml`) → each `--conf FILE` → environment
`OA_SPARK__SECTION__KEY` → `--set section.key=value`. An unknown key or a wrong type stops the job before any
work, naming the key. Secrets never live here: the ODP key and AWS credentials come from the environment.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_PREFIX = "OA_SPARK__"


class ConfigError(ValueError):
    """A configuration problem; the message names the key. The CLI turns it into exit code 2."""


@dataclass(frozen=True)
class SparkConfig:
    master: str = "local[*]"
    remote: str = ""  # Spark Connect: sc://host:port, or local[N] for a local Connect server; '' = classic
    app_name: str = "oa-spark"
    driver_memory: str = "4g"
    shuffle_partitions: int = 8
    packages: tuple[str, ...] = ()
    s3a_package: str = "org.apache.hadoop:hadoop-aws:3.5.0"
    conf: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LakeConfig:
    path: str = "./lake"
    catalog: str = ""
    schema: str = ""
    compression: str = "zstd"  # Parquet codec of every write: text takes about half of snappy's space

    @property
    def where(self) -> str:
        """The lake as a person looks for it: its path, or catalog.schema for Unity Catalog tables."""
        return f"{self.catalog}.{self.schema}" if self.catalog else self.path


@dataclass(frozen=True)
class SourceConfig:
    name: str = "sample"
    url: str = ""
    index_url: str = ""
    odp_url: str = "https://api.uspto.gov/api/v1/datasets/products/OACT"
    legacy_bucket: str = "developer-hub"
    legacy_prefix: str = "bdr-oa-bulkdata/weekly/"
    timeout_s: float = 60.0
    max_attempts: int = 5


@dataclass(frozen=True)
class StagingConfig:
    path: str = "./staging"
    threads: int = 4
    multipart_threshold_mb: int = 64
    multipart_chunksize_mb: int = 16
    checksum_retries: int = 2


@dataclass(frozen=True)
class IngestConfig:
    max_inflated_mb: int = 4096
    max_ratio: float = 200.0
    spool_dir: str = ""


@dataclass(frozen=True)
class ExtractConfig:
    partitions: int = 0  # 0 = the session's spark.sql.shuffle.partitions


@dataclass(frozen=True)
class GraphsConfig:
    min_series: int = 12
    checkpoint_dir: str = ""
    max_iterations: int = 100


@dataclass(frozen=True)
class RunConfig:
    batch_mb: int = 512  # zipped MB of weeks per batch (oa_spark.batches)
    batch_weeks: int = 0  # the most weeks in one batch; 0 = no cap (batch_mb decides)
    maintenance_retention_hours: int = 168


@dataclass(frozen=True)
class SampleConfig:
    weeks: int = 3
    records: int = 120
    seed: int = 42
    start: str = "2022-01-02"
    faults: bool = False


@dataclass(frozen=True)
class LogConfig:
    level: str = "INFO"
    format: str = "kv"


@dataclass(frozen=True)
class Config:
    """Every setting of a run, one frozen section per TOML table; built by `load` from the layers."""

    spark: SparkConfig = field(default_factory=SparkConfig)
    lake: LakeConfig = field(default_factory=LakeConfig)
    source: SourceConfig = field(default_factory=SourceConfig)
    staging: StagingConfig = field(default_factory=StagingConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    graphs: GraphsConfig = field(default_factory=GraphsConfig)
    run: RunConfig = field(default_factory=RunConfig)
    sample: SampleConfig = field(default_factory=SampleConfig)
    log: LogConfig = field(default_factory=LogConfig)


_CHOICES: dict[str, frozenset[str]] = {
    "source.name": frozenset({"legacy", "odp", "s3", "local", "sample"}),
    "log.level": frozenset({"DEBUG", "INFO", "WARNING", "ERROR"}),
    "log.format": frozenset({"kv", "json"}),
    "lake.compression": frozenset({"zstd", "snappy", "lz4_raw", "gzip", "uncompressed"}),
}
_MINIMUM: dict[str, int] = {"run.batch_mb": 1, "run.batch_weeks": 0}


def _sections() -> dict[str, type]:
    return {f.name: typing.get_type_hints(Config)[f.name] for f in dataclasses.fields(Config)}


def _coerce(key: str, value: Any, hint: Any) -> Any:
    """Check one value against its annotation; ints are accepted where floats are expected."""
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"config key {key} must be a list of strings, got {value!r}")
        return tuple(value)
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ConfigError(f"config key {key} must be a table of strings, got {value!r}")
        return {str(k): str(v) for k, v in value.items()}
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if (hint is int and isinstance(value, bool)) or not isinstance(value, hint):
        name = getattr(hint, "__name__", str(hint))
        raise ConfigError(f"config key {key} must be {name}, got {type(value).__name__} {value!r}")
    if key in _CHOICES and value not in _CHOICES[key]:
        raise ConfigError(f"config key {key} must be one of {sorted(_CHOICES[key])}, got {value!r}")
    if key in _MINIMUM and value < _MINIMUM[key]:
        raise ConfigError(f"config key {key} must be at least {_MINIMUM[key]}, got {value!r}")
    return value


def _merge(
    base: dict[str, dict[str, Any]], layer: Mapping[str, Any], origin: str, text: bool = False
) -> None:
    """Check and lay `layer` over `base`. `text`: the values are strings typed by a user (`--set`, the
    environment), read as TOML except where the key is a string (`2022-01-02` stays a date string)."""
    sections = _sections()
    for section, values in layer.items():
        if section not in sections:
            raise ConfigError(f"unknown config section [{section}] in {origin}")
        if not isinstance(values, Mapping):
            raise ConfigError(f"config [{section}] in {origin} must be a table")
        hints = typing.get_type_hints(sections[section])
        for key, value in values.items():
            if key not in hints:
                raise ConfigError(f"unknown config key {section}.{key} in {origin}")
            if text:
                value = _parse_scalar(value, hints[key])
            base.setdefault(section, {})[key] = _coerce(f"{section}.{key}", value, hints[key])


def _parse_scalar(text: str, hint: Any) -> Any:
    """A value from the environment or `--set`: TOML syntax when it parses, else the plain string; a string
    key takes the text as typed unless it is a quoted TOML string."""
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    return text if hint is str and not isinstance(value, str) else value


def _dotted(pairs: Iterable[tuple[str, str]], origin: str) -> dict[str, dict[str, Any]]:
    layer: dict[str, dict[str, Any]] = {}
    for dotted, raw in pairs:
        section, _, key = dotted.partition(".")
        if not key:
            raise ConfigError(f"{origin}: expected section.key, got {dotted!r}")
        layer.setdefault(section, {})[key] = raw
    return layer


def _build(values: dict[str, dict[str, Any]]) -> Config:
    return Config(**{name: cls(**values.get(name, {})) for name, cls in _sections().items()})


def load(
    files: Iterable[str | Path] = (),
    overrides: Iterable[str] = (),
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Default → files → OA_SPARK__SECTION__KEY → `--set section.key=value` overrides."""
    merged: dict[str, dict[str, Any]] = {}
    for path in files:
        try:
            layer = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file not found: {path}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        _merge(merged, layer, str(path))
    env = os.environ if environ is None else environ
    env_pairs = [
        (name[len(ENV_PREFIX) :].replace("__", ".", 1).lower(), value)
        for name, value in sorted(env.items())
        if name.startswith(ENV_PREFIX)
    ]
    _merge(merged, _dotted(env_pairs, "environment"), "environment", text=True)
    set_pairs = []
    for item in overrides:
        dotted, sep, raw = item.partition("=")
        if not sep:
            raise ConfigError(f"--set expects section.key=value, got {item!r}")
        set_pairs.append((dotted.strip(), raw.strip()))
    _merge(merged, _dotted(set_pairs, "--set"), "--set", text=True)
    return _build(merged)


def as_dict(cfg: Config) -> dict[str, Any]:
    """Plain nested dict (for logging the effective config; holds no secrets)."""
    return dataclasses.asdict(cfg)


def uses_catalog(lake: LakeConfig) -> bool:
    return bool(lake.catalog and lake.schema)


def is_remote(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def on_databricks() -> bool:
    """Whether this process runs on a Databricks node (a cluster, a job, serverless compute)."""
    return bool(os.environ.get("DATABRICKS_RUNTIME_VERSION"))


def is_volume(path: str) -> bool:
    """A Unity Catalog volume's path (mounted on Databricks nodes only)."""
    return path.startswith("/Volumes/")


def is_shared(path: str) -> bool:
    """Whether every node of a cluster sees `path`: a file-system URL other than file:// (s3://, s3a://,
    hdfs://, abfss://, gs://, dbfs:/...), or a Unity Catalog volume on a Databricks node (/Volumes/... is
    mounted on each of them; anywhere else it is a folder of this machine's disk)."""
    return is_remote(path) or path.startswith("dbfs:") or (is_volume(path) and on_databricks())


def _node_local_paths(cfg: Config) -> list[tuple[str, str, str]]:
    """(key, path, what shared storage looks like) of each configured path on this machine's local disk."""
    paths = {"staging.path": (cfg.staging.path, "s3://bucket/prefix, s3a://bucket/prefix")}
    if not uses_catalog(cfg.lake):
        paths["lake.path"] = (cfg.lake.path, "s3a://bucket/prefix, hdfs://namenode/path")
    if cfg.graphs.checkpoint_dir:
        paths["graphs.checkpoint_dir"] = (
            cfg.graphs.checkpoint_dir,
            "s3a://bucket/prefix, hdfs://namenode/path",
        )
    return [(key, path, shared) for key, (path, shared) in paths.items() if not is_shared(path)]


_ON_DATABRICKS = (
    "; or run oa-spark on Databricks (a job, a notebook, serverless), where a Unity Catalog volume "
    "(/Volumes/catalog/schema/volume/...) is shared"
)


def _on_disk(path: str, whose: str) -> str:
    """Where a path that is not shared lives; off Databricks a /Volumes path is a folder of that disk too."""
    if is_volume(path):
        return f"a folder on {whose}'s disk (a Unity Catalog volume is mounted only on Databricks nodes)"
    return f"a path on {whose}'s disk"


def check_shared_storage(cfg: Config, master: str) -> None:
    """Under a cluster master, refuse a staging area, lake or graphs checkpoint directory on the driver's
    local disk: executors would not find it (or each would write its own). Local masters and Databricks
    (which mounts its volumes on every node) are left alone."""
    if master.startswith("local") or on_databricks():
        return
    for key, path, shared in _node_local_paths(cfg):
        raise ConfigError(
            f"{key} is {path!r}, {_on_disk(path, 'the driver')}, but the Spark master is {master!r}: "
            f"executors cannot read it. Put {key} on shared storage: {shared}{_ON_DATABRICKS}"
        )


def connect_host(remote: str) -> str:
    """The host of a Spark Connect URL, `sc://host:port/;param=value…`."""
    from urllib.parse import urlsplit

    return urlsplit(remote.split(";", 1)[0]).hostname or ""


def is_this_machine(host: str) -> bool:
    """Whether a server's host is this machine (its disk is this machine's disk)."""
    import socket

    return host in ("localhost", "::1", socket.gethostname()) or host.startswith("127.")


def driver_sees(location: str, server_host: str) -> bool:
    """Whether this process sees a path as a Spark Connect server on `server_host` does: a URL (s3://, …)
    is the same store from anywhere; another path only when the server runs on this machine."""
    return is_remote(location) or is_this_machine(server_host)


def check_connect_storage(cfg: Config, remote: str) -> None:
    """With a Spark Connect server on another machine, refuse a staging area, lake or graphs checkpoint
    directory on this machine's disk: staging writes here, but the server reads and writes on its own side.
    A local server (`local[N]`, or an `sc://` host that is this machine) shares the disk."""
    if remote.startswith("local") or on_databricks():
        return
    host = connect_host(remote)
    if is_this_machine(host):
        return
    for key, path, shared in _node_local_paths(cfg):
        raise ConfigError(
            f"{key} is {path!r}, {_on_disk(path, 'this machine')}, but the Spark Connect server runs on "
            f"{host!r}: it cannot read it. Put {key} on storage both sides reach: {shared}{_ON_DATABRICKS}"
        )


__all__ = ["Config", "ConfigError", "as_dict", "check_connect_storage", "check_shared_storage", "load"]
