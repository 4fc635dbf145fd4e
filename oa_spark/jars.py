"""The JVM packages a local session needs (Delta, hadoop-aws): resolved once, then named by file.

Spark resolves `spark.jars.packages` with Ivy at every session start: about a second, and some 90 lines
of Ivy's report on stderr above the job's own output. The first local session (or `make install`, which
runs this module) resolves them that way and records the jar files Spark resolved in
`~/.cache/oa-spark/jars.json` (`$XDG_CACHE_HOME` honoured); later sessions pass those files as
`spark.jars` and skip Ivy. A record whose files are gone, or a configuration that sets its own `spark.jars*`
keys, falls back to resolving the packages.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from oa_spark.config import load

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger("oa_spark.session")


def cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "oa-spark" / "jars.json"


def _key(packages: list[str]) -> str:
    import pyspark

    return f"pyspark {pyspark.__version__}: {','.join(packages)}"


def _path(jar: str) -> Path:
    return Path(urlparse(jar).path) if jar.startswith("file:") else Path(jar)


def _present(jars: list[str]) -> bool:
    return bool(jars) and all(_path(j).is_file() for j in jars)


def _records(path: Path) -> dict[str, list[str]]:
    try:
        records = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}


def recorded_jars(packages: list[str], path: Path | None = None) -> list[str] | None:
    """The jar files recorded for these packages (and this pyspark), or None: none recorded, or one gone."""
    jars = _records(path or cache_file()).get(_key(packages))
    return list(jars) if jars and _present(jars) else None


def covers(packages: list[str], jars: list[str]) -> bool:
    """Whether `jars` hold a file of each package (Ivy names it `group_artifact-version.jar`): a session
    started elsewhere, with other packages, is not recorded under these."""
    names = [_path(j).name for j in jars]
    coordinates = [p.split(":") for p in packages]
    if any(len(c) != 3 for c in coordinates):  # a classifier or a typo: let Ivy resolve it every time
        return False
    return all(
        any(n.endswith(f"{artifact}-{version}.jar") for n in names) for _, artifact, version in coordinates
    )


def record_jars(packages: list[str], jars: list[str], path: Path | None = None) -> None:
    """Record the files Spark resolved for these packages; a cache that cannot be written is skipped."""
    path = path or cache_file()
    if not covers(packages, jars) or not _present(jars):
        return
    records = _records(path) | {_key(packages): jars}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(records, indent=1))
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("jar record not written: %s", exc)


def jar_conf(packages: list[str], own: dict[str, str], resolve: bool = False) -> dict[str, str]:
    """`spark.jars` with the recorded files, else `spark.jars.packages` (Ivy resolves them): when `resolve`
    is asked, or `own` (the configuration's Spark settings) sets any `spark.jars*` key of its own."""
    mine = resolve or any(k.startswith("spark.jars") for k in own)
    jars = None if mine else recorded_jars(packages)
    if jars:
        return {"spark.jars": ",".join(jars)}
    return {"spark.jars.packages": ",".join(packages)}


def remember(packages: list[str], conf: dict[str, str], spark: SparkSession) -> None:
    """After a session resolved `packages` (conf has spark.jars.packages), record the files it resolved."""
    if "spark.jars.packages" not in conf:
        return
    try:
        resolved = str(spark.conf.get("spark.jars", "") or "")
    except Exception as exc:  # a session that does not show it: resolve again next time
        log.debug("resolved jars not readable: %s", exc)
        return
    record_jars(packages, [j for j in resolved.split(",") if j])


def resolve(lake: str) -> None:
    """Resolve and record the packages a local session on `lake` asks for (its scheme decides whether
    hadoop-aws is one); nothing is written there."""
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load(overrides=["spark.master=local[1]", f"staging.path={tmp}", f"lake.path={lake}"])
        from oa_spark.session import build_local, packages

        spark = build_local(cfg, resolve=True)
        print("jars ready:", ", ".join(packages(cfg)), "spark", spark.version)
        spark.stop()


# A local lake's session asks for Delta; an S3 lake's for hadoop-aws too: each package list is recorded.
LAKES = ("/tmp/oa-spark-local-lake", "s3a://warm/lake")


def main(argv: list[str] | None = None) -> int:
    """`make install` / `make jars`: both package lists, each in a process of its own (Spark reads
    `spark.jars.packages` once per JVM); `python -m oa_spark.jars LAKE`: one."""
    lakes = sys.argv[1:] if argv is None else argv
    if lakes:
        for lake in lakes:
            resolve(lake)
        return 0
    for lake in LAKES:
        subprocess.run([sys.executable, "-m", "oa_spark.jars", lake], check=True)
    print("recorded in", cache_file())
    return 0


if __name__ == "__main__":
    sys.exit(main())
