"""The Spark session: take the one that exists, or build a local classic or Spark Connect one.

spark-submit, Databricks and notebooks own their session and its configuration; the library never
overrides them. A session is built here only for a `local[...]` master (classic) or for `spark.remote` /
pyspark's `SPARK_REMOTE` (Spark Connect: `sc://host:port`, or `local[N]` for a local Connect server), with
Delta (and hadoop-aws when the lake or staging is on S3) fetched through Spark's own package mechanism
once, then named by file (`jars`).
Whatever the session, Delta must be usable on it: otherwise the command stops with exit 2, saying how
to add it.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
import weakref
from typing import TYPE_CHECKING

from oa_spark import jars, logs
from oa_spark.config import (
    Config,
    ConfigError,
    check_connect_storage,
    check_shared_storage,
    on_databricks,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from pyspark.sql import SparkSession

log = logging.getLogger("oa_spark.session")

DELTA_VERSION = "4.4.0"  # the Delta jar; pyproject's `spark` extra pins the matching delta-spark
DELTA_SQL = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
}


class DeltaMissing(ConfigError):
    """The session cannot read or write Delta tables (no jar, or no SQL extension)."""


def delta_package(spark_version: str) -> str:
    """Delta's Maven coordinate for a Spark version: its artifacts are named per Spark minor version."""
    major, minor = spark_version.split(".")[:2]
    return f"io.delta:delta-spark_{major}.{minor}_2.13:{DELTA_VERSION}"


def needs_s3a(cfg: Config) -> bool:
    """Whether Spark itself touches S3 (the lake or the staging area it reads)."""
    return any(p.startswith(("s3a://", "s3://")) for p in (cfg.lake.path, cfg.staging.path))


def local_conf(cfg: Config) -> dict[str, str]:
    """Spark properties of a locally built session (conf/spark/local.conf, kept by hand, gives spark-submit
    the same)."""
    conf = {
        **DELTA_SQL,
        "spark.sql.session.timeZone": "UTC",
        "spark.driver.memory": cfg.spark.driver_memory,
        "spark.sql.shuffle.partitions": str(cfg.spark.shuffle_partitions),
        "spark.ui.showConsoleProgress": "false",
        "spark.log.level": "ERROR",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.driver.extraJavaOptions": "-Dderby.system.home=/tmp/oa-spark-derby",
        "spark.databricks.delta.snapshotPartitions": "2",
    }
    if needs_s3a(cfg):
        conf["spark.hadoop.fs.s3a.impl"] = "org.apache.hadoop.fs.s3a.S3AFileSystem"
        endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        if endpoint:  # a local S3 stand-in (moto, MinIO): path-style, plain HTTP
            conf["spark.hadoop.fs.s3a.endpoint"] = endpoint
            conf["spark.hadoop.fs.s3a.path.style.access"] = "true"
            conf["spark.hadoop.fs.s3a.connection.ssl.enabled"] = str(endpoint.startswith("https")).lower()
    conf.update(cfg.spark.conf)
    return conf


def packages(cfg: Config) -> list[str]:
    """Maven packages of a locally built session: Delta for this pyspark, hadoop-aws for S3, the extras."""
    import pyspark

    extra = [delta_package(pyspark.__version__), *cfg.spark.packages]
    if needs_s3a(cfg) and cfg.spark.s3a_package:
        extra.append(cfg.spark.s3a_package)
    return extra


def remote_of(cfg: Config) -> str:
    """The Spark Connect URL asked for: `spark.remote`, else pyspark's own `SPARK_REMOTE`; '' = classic."""
    return cfg.spark.remote or os.environ.get("SPARK_REMOTE", "")


def kind(spark: SparkSession) -> str:
    """`databricks`, `connect` or `classic`: what the session is, for logs and for the Delta check."""
    if on_databricks():
        return "databricks"
    return "connect" if type(spark).__module__.startswith("pyspark.sql.connect") else "classic"


# Whether this process is the `oa-spark` command (`cli.main` sets it): only then does Ctrl-C on a session
# built here end with Spark's log off (a notebook's interrupted cell must leave its session as it was).
COMMAND = False

# The sessions `get_spark` built in this process, in order: the ones a command cut by Ctrl-C stops. (After
# the interrupt, pyspark's active session cannot be asked for: it is a JVM thread-local of the py4j
# connection the interrupt closed.)
_BUILT: list[SparkSession] = []


def built_count() -> int:
    return len(_BUILT)


def built_since(count: int) -> list[SparkSession]:
    """The sessions `get_spark` built after it had built `count`."""
    return _BUILT[count:]


def get_spark(cfg: Config) -> SparkSession:
    """The active session if there is one; else a Connect one when asked; else spark-submit's or
    Databricks'; else a local classic one for `local[...]` masters. Logs its kind; checks Delta."""
    from pyspark.sql import SparkSession

    spark = SparkSession.getActiveSession()
    if spark is None:
        remote = remote_of(cfg)
        if remote:
            check_connect_storage(cfg, remote)  # before connecting: nothing to wait for if it would fail
            spark = build_connect(cfg, remote)
        elif os.environ.get("PYSPARK_GATEWAY_PORT") or on_databricks():
            # Launched by spark-submit, or on a Databricks cluster: their configuration and packages rule.
            if not on_databricks():  # before the session costs cluster time
                check_shared_storage(cfg, cfg.spark.conf.get("spark.master") or submitted_master())
            builder = SparkSession.builder.appName(cfg.spark.app_name)
            for key, value in cfg.spark.conf.items():
                builder = builder.config(key, value)
            spark = builder.getOrCreate()
        elif cfg.spark.master.startswith("local"):
            spark = build_local(cfg)
        else:
            raise ConfigError(
                f"spark.master is {cfg.spark.master!r} but no Spark session is active: run under "
                "spark-submit or Databricks, use a local[...] master, or set spark.remote=sc://host:port"
            )
        _BUILT.append(spark)
        if COMMAND and kind(spark) == "classic":
            quiet_interrupts(spark)
    what = kind(spark)
    require_delta(spark, what)
    logs.event(log, "session", session=what, spark=spark.version)
    check_cluster(cfg, spark, what)
    return spark


_CHECKED: weakref.WeakSet[SparkSession] = weakref.WeakSet()


def check_cluster(cfg: Config, spark: SparkSession, what: str) -> None:
    """Once per session, where the Python workers are not this process's (Databricks installs libraries on
    every node, so not there): under a cluster master, shared storage and then the executor preflight; on
    a remote Spark Connect server (`sc://`), the preflight with the fix for a server."""
    if what == "databricks" or spark in _CHECKED:
        return
    from oa_spark.executors import CONNECT_FIX, preflight

    master = str(spark.conf.get("spark.master", "") or "")
    cluster = bool(master) and not master.startswith("local")
    if cluster:
        check_shared_storage(cfg, master)
    if what == "connect" and not remote_of(cfg).startswith("local"):
        preflight(spark, CONNECT_FIX)
    elif cluster:
        preflight(spark)
    _CHECKED.add(spark)


def submitted_master() -> str:
    """spark.master as spark-submit set it, read from its JVM before any context starts (classic only:
    this branch runs only under spark-submit's gateway)."""
    from pyspark import SparkConf, SparkContext

    SparkContext._ensure_initialized()
    return SparkConf().get("spark.master", "")


def _prepare_local_python() -> None:
    """Local workers run this interpreter, so they import the same packages as the driver."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable


def build_local(cfg: Config, resolve: bool = False) -> SparkSession:
    """A local classic session with Delta (`resolve`: resolve the packages even when their files are
    recorded)."""
    from pyspark.sql import SparkSession

    _prepare_local_python()
    builder = SparkSession.builder.master(cfg.spark.master).appName(cfg.spark.app_name)
    asked = packages(cfg)
    wanted = jars.jar_conf(asked, cfg.spark.conf, resolve)
    for key, value in {**local_conf(cfg), **wanted}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    jars.remember(asked, wanted, spark)
    return spark


def build_connect(cfg: Config, remote: str) -> SparkSession:
    """A Spark Connect session. `local[N]` starts a local Connect server the way pyspark does, configured
    like a local classic session (Delta on the server); `sc://…` joins a running server as configured."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.remote(remote).appName(cfg.spark.app_name)
    asked = packages(cfg)
    wanted: dict[str, str] = {}
    if remote.startswith("local"):
        _prepare_local_python()
        wanted = jars.jar_conf(asked, cfg.spark.conf)
        conf = {**local_conf(cfg), **wanted}
    else:
        conf = dict(cfg.spark.conf)
    for key, value in conf.items():
        builder = builder.config(key, value)
    with warnings.catch_warnings():
        # The local server takes static settings (packages, extensions) at start; pyspark then also tries
        # to set them on the session and warns that they cannot change. They are in effect.
        warnings.filterwarnings("ignore", message="Failed to set spark")
        spark = builder.getOrCreate()
    if remote.startswith("local"):
        quiet_server_errors()
    jars.remember(asked, wanted, spark)
    return spark


# The Connect server's logger for every error it returns to a client
CONNECT_ERRORS_LOGGER = "org.apache.spark.sql.connect.utils.ErrorUtils"


def quiet_server_errors() -> None:
    """Turn off a local Connect server's own log of the errors it returns. The server runs in this process's
    JVM and writes to its terminal: each error (an interrupted query, a missing table a probe asks for)
    would print an ERROR line and a Java stack trace there, on top of the client's own report of it (the
    command's one-line message). Kept with `--verbose`, for debugging."""
    from pyspark import SparkContext

    jvm = SparkContext._jvm
    if jvm is None or logging.getLogger("oa_spark").isEnabledFor(logging.DEBUG):
        return
    log4j = jvm.org.apache.logging.log4j
    log4j.core.config.Configurator.setLevel(CONNECT_ERRORS_LOGGER, log4j.Level.OFF)


# what Spark says when a class of Delta's jar is not on its classpath: as a data source, as a catalog
JAR_MISSING = ("DATA_SOURCE_NOT_FOUND", "Failed to find the data source", "Cannot find catalog plugin class")


def delta_probe(spark: SparkSession) -> Callable[[], object]:
    """A call that fails when the session has no Delta jar. With Delta's catalog set, asking for the current
    database loads that class and succeeds on a good setup; otherwise only reading a (missing) Delta path
    looks the jar up, and that error is logged by a Connect server as an ERROR with a stack trace."""
    if "DeltaCatalog" in str(spark.conf.get("spark.sql.catalog.spark_catalog", "") or ""):
        return spark.catalog.currentDatabase
    return lambda: spark.read.format("delta").load("/oa-spark-delta-probe/no-such-table").schema


def require_delta(spark: SparkSession, what: str) -> None:
    """Stop with exit 2, saying how to add it, when the session cannot use Delta (Databricks has it)."""
    if what == "databricks":
        return
    fix = (
        f"add it with `--packages {delta_package(spark.version)}` and the Delta SQL settings "
        f"(`--conf spark.sql.extensions={DELTA_SQL['spark.sql.extensions']} --conf "
        f"spark.sql.catalog.spark_catalog={DELTA_SQL['spark.sql.catalog.spark_catalog']}`), or "
        "`--properties-file conf/spark/cluster.conf` (conf/spark/local.conf for a local run); "
        "on a Spark Connect server, start it with the same settings"
    )
    try:
        delta_probe(spark)()
    except Exception as exc:
        if any(sign in str(exc) for sign in JAR_MISSING):
            raise DeltaMissing(f"this Spark session has no Delta Lake jar: {fix}") from None
    extensions = str(spark.conf.get("spark.sql.extensions", "") or "")
    if "DeltaSparkSessionExtension" not in extensions:
        raise DeltaMissing(f"this Spark session lacks Delta's SQL extension (spark.sql.extensions): {fix}")


def quiet_interrupts(spark: SparkSession) -> None:
    """Ctrl-C turns Spark's log off, then raises KeyboardInterrupt. pyspark's own handler cancels the jobs
    from inside the signal handler: a py4j call made while the interrupted one still holds the connection,
    which fails with two tracebacks; and the cut call's JVM thread then logs the aborted write. The
    command interrupts the queries once the interrupt has reached it (`stop_after_interrupt`). Only for a
    session the `oa-spark` command builds (`COMMAND`): any other keeps pyspark's handler."""
    import signal
    import threading

    def interrupted(signum: int, frame: object) -> None:
        quiet(spark)
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, interrupted)


def quiet(spark: SparkSession, timeout_s: float = 5.0) -> None:
    """Turn a classic session's log off from a thread of its own (with its own py4j connection: the main
    thread's may be held by the call a signal cut), waiting at most `timeout_s`."""
    import threading

    def off() -> None:
        try:
            spark.sparkContext.setLogLevel("OFF")
        except Exception as exc:  # the JVM is going or gone: nothing left to print
            log.debug("log not silenced: %r", exc)

    if kind(spark) == "classic":
        worker = threading.Thread(target=off, name="quiet-spark-log", daemon=True)
        worker.start()
        worker.join(timeout_s)


def quiet_built() -> None:
    """Silence every session `get_spark` built (SIGTERM's first step, as Ctrl-C's)."""
    for spark in _BUILT:
        quiet(spark)


def active_session() -> SparkSession | None:
    """The active session (classic or Connect), without importing pyspark when nothing has used it."""
    if "pyspark" not in sys.modules:
        return None
    from pyspark.sql import SparkSession

    try:
        return SparkSession.getActiveSession()
    except Exception:  # a half-stopped session or a lost Connect server: nothing left to stop
        return None


def stop_after_interrupt(spark: SparkSession, own: bool) -> None:
    """After Ctrl-C or SIGTERM: interrupt the session's running queries, and stop the session when this
    command built it (`own`), with Spark's log silenced first (a cut write logs its abort). Otherwise the
    process exits with tasks still running, and the JVM prints a stack trace for each (the Python side it
    reports to is gone). Best effort: the command is ending whatever happens here, so nothing raised here
    reaches the user."""
    what = kind(spark)
    if what == "databricks":  # the platform's session: its own job cancellation applies
        return
    try:
        if own:
            quiet(spark)  # a Connect server's log is the server's
        spark.interruptAll()  # Spark Connect, and classic sessions since Spark 4.0
        if own:
            spark.stop()
    except BaseException as exc:  # a second Ctrl-C included
        log.debug("session not stopped cleanly after the interrupt: %r", exc)
