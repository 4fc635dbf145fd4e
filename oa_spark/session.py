"""The Spark session: take the one that exists, build a local one only for the local profile.

spark-submit, Databricks and notebooks own their session and its configuration; the library never
overrides them. Only `spark.master = local[...]` builds a session here, with Delta (and hadoop-aws when
the lake or staging is on S3) fetched through Spark's own package mechanism.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from oa_spark.config import Config, ConfigError, check_shared_storage

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DELTA_SQL = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
}


def needs_s3a(cfg: Config) -> bool:
    """Whether Spark itself touches S3 (the lake or the staging area it reads)."""
    return any(p.startswith(("s3a://", "s3://")) for p in (cfg.lake.path, cfg.staging.path))


def local_conf(cfg: Config) -> dict[str, str]:
    """Spark properties of a locally built session (also written to conf/spark/local.conf)."""
    conf = {
        **DELTA_SQL,
        "spark.sql.session.timeZone": "UTC",
        "spark.driver.memory": cfg.spark.driver_memory,
        "spark.sql.shuffle.partitions": str(cfg.spark.shuffle_partitions),
        "spark.ui.showConsoleProgress": "false",
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
    extra = list(cfg.spark.packages)
    if needs_s3a(cfg) and cfg.spark.s3a_package:
        extra.append(cfg.spark.s3a_package)
    return extra


def get_spark(cfg: Config) -> SparkSession:
    """The active session if there is one; else spark-submit's; else a local one for `local[...]` masters."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    # Launched by spark-submit, or on a Databricks cluster: their configuration and packages rule.
    databricks = bool(os.environ.get("DATABRICKS_RUNTIME_VERSION"))
    if os.environ.get("PYSPARK_GATEWAY_PORT") or databricks:
        master = "" if databricks else cfg.spark.conf.get("spark.master") or submitted_master()
        on_cluster = not databricks and not master.startswith("local")
        if on_cluster:  # before the session: a wrong setup costs no cluster time
            check_shared_storage(cfg, master)
        builder = SparkSession.builder.appName(cfg.spark.app_name)
        for key, value in cfg.spark.conf.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
        if on_cluster:
            from oa_spark.executors import preflight

            preflight(spark)
        return spark
    if not cfg.spark.master.startswith("local"):
        raise ConfigError(
            f"spark.master is {cfg.spark.master!r} but no Spark session is active: "
            "run under spark-submit or Databricks, or use a local[...] master"
        )
    return build_local(cfg)


def submitted_master() -> str:
    """spark.master as spark-submit set it, read from the launched JVM without starting a context."""
    from pyspark import SparkConf, SparkContext

    SparkContext._ensure_initialized()
    return SparkConf().get("spark.master", "")


def build_local(cfg: Config) -> SparkSession:
    """A local session with Delta; Python workers use this interpreter so they see the project."""
    from delta import configure_spark_with_delta_pip
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    builder = SparkSession.builder.master(cfg.spark.master).appName(cfg.spark.app_name)
    for key, value in local_conf(cfg).items():
        builder = builder.config(key, value)
    spark = configure_spark_with_delta_pip(builder, extra_packages=packages(cfg)).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
