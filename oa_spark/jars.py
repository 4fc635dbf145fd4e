"""The JVM packages a local session needs (Delta, hadoop-aws): resolved once, then named by file.

Spark resolves `spark.jars.packages` with Ivy at every session start: about a second, and some 90 lines
of Ivy's report on stderr above the job's own output. The first local session (or `make install`, which
runs this module) resolves them that way and records the jar files Spark resolved in
`~/.cache/oa-spark/jars.json` (`$XDG_CACHE_HOME` honoured); later sessions pass those files as
`spark.jars` and skip Ivy. A record whose files are gone, or a configuration that sets its own `spark.jars*`
keys, falls back to resolving the packages.

Delta's and hadoop-aws's Maven closures also name older copies of libraries Spark ships itself (Hadoop's
client jars, Parquet, Jackson, log4j, zstd and snappy: ~75 MB of the ~90 MB beside the AWS SDK). Spark's
class loaders look in Spark's own jars first, so those copies are never used, yet every session carries
them, a cluster ships them to each executor, and `spark.{driver,executor}.userClassPathFirst` would let
the older ones win. Resolution excludes each one the running Spark has (`spark.jars.excludes`).
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


# In Delta 4.4.0's or hadoop-aws 3.5.0's closure, and in Spark 4.x's own jars folder
SHIPPED_WITH_SPARK = (
    "com.fasterxml.jackson.core:jackson-annotations",
    "com.fasterxml.jackson.core:jackson-core",
    "com.fasterxml.jackson.core:jackson-databind",
    "com.github.luben:zstd-jni",
    "com.google.code.findbugs:jsr305",
    "commons-pool:commons-pool",
    "io.airlift:aircompressor",
    "org.apache.hadoop:hadoop-client-api",
    "org.apache.hadoop:hadoop-client-runtime",
    "org.apache.logging.log4j:log4j-api",
    "org.apache.logging.log4j:log4j-core",
    "org.apache.logging.log4j:log4j-slf4j2-impl",
    "org.apache.parquet:parquet-column",
    "org.apache.parquet:parquet-common",
    "org.apache.parquet:parquet-encoding",
    "org.apache.parquet:parquet-format-structures",
    "org.apache.parquet:parquet-hadoop",
    "org.apache.parquet:parquet-jackson",
    "org.locationtech.jts:jts-core",
    "org.roaringbitmap:RoaringBitmap",
    "org.slf4j:slf4j-api",
    "org.xerial.snappy:snappy-java",
)


def spark_jars_folder() -> Path:
    """The jars of the Spark a local session runs: `$SPARK_HOME`'s when set, else pyspark's own."""
    from pyspark.find_spark_home import _find_spark_home

    return Path(_find_spark_home()) / "jars"


def excludes(folder: Path | None = None) -> list[str]:
    """The modules of `SHIPPED_WITH_SPARK` this Spark's jars folder holds: only those are left out, so a
    Spark without one still gets it from Maven."""
    names = [p.name for p in (folder or spark_jars_folder()).glob("*.jar")]

    def shipped(module: str) -> bool:
        artifact = module.split(":")[1]
        return any(
            n.startswith(f"{artifact}-") and n[len(artifact) + 1 : len(artifact) + 2].isdigit() for n in names
        )

    return [m for m in SHIPPED_WITH_SPARK if shipped(m)]


def _key(packages: list[str], left_out: list[str]) -> str:
    import pyspark

    return f"pyspark {pyspark.__version__}: {','.join(packages)}; without {','.join(left_out)}"


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


def recorded_jars(packages: list[str], left_out: list[str], path: Path | None = None) -> list[str] | None:
    """The jar files recorded for these packages (and this pyspark, and these modules left out), or None:
    none recorded, or one gone."""
    jars = _records(path or cache_file()).get(_key(packages, left_out))
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


def record_jars(packages: list[str], left_out: list[str], jars: list[str], path: Path | None = None) -> None:
    """Record the files Spark resolved for these packages; a cache that cannot be written is skipped."""
    path = path or cache_file()
    if not covers(packages, jars) or not _present(jars):
        return
    records = _records(path) | {_key(packages, left_out): jars}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(records, indent=1))
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("jar record not written: %s", exc)


def jar_conf(packages: list[str], own: dict[str, str], resolve: bool = False) -> dict[str, str]:
    """`spark.jars` with the recorded files, else `spark.jars.packages` (Ivy resolves them, leaving out
    what Spark ships: `excludes`): when `resolve` is asked, or `own` (the configuration's Spark settings)
    sets any `spark.jars*` key of its own (then its settings rule, exclusions included)."""
    if any(k.startswith("spark.jars") for k in own):
        return {"spark.jars.packages": ",".join(packages)}
    left_out = excludes()
    jars = None if resolve else recorded_jars(packages, left_out)
    if jars:
        return {"spark.jars": ",".join(jars)}
    return {"spark.jars.packages": ",".join(packages), "spark.jars.excludes": ",".join(left_out)}


def remember(packages: list[str], conf: dict[str, str], spark: SparkSession) -> None:
    """After a session resolved `packages` (conf has spark.jars.packages), record the files it resolved
    (under the exclusions it resolved them with; a configuration's own are not recorded)."""
    if "spark.jars.excludes" not in conf:
        return
    try:
        resolved = str(spark.conf.get("spark.jars", "") or "")
    except Exception as exc:  # a session that does not show it: resolve again next time
        log.debug("resolved jars not readable: %s", exc)
        return
    left_out = [m for m in conf["spark.jars.excludes"].split(",") if m]
    record_jars(packages, left_out, [j for j in resolved.split(",") if j])


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
