"""Preflight on a cluster or a remote Spark Connect server: can the workers' Python import what the tasks
import?

Executors take their Python from the job (`--archives dist/oa_spark_env.tar.gz#environment` with
`spark.pyspark.python=./environment/bin/python`), not from the driver. Without it, or with an incomplete
environment, every ingest task fails on the same ImportError, `spark.task.maxFailures` times per week, and
the log is a wall of task errors. So one tiny job at start tries the imports on the executors and stops the
command with exit 2 naming what is missing. A remote Spark Connect server's workers run the server's own
Python, where the package must be installed: the same probe, another fix. The probe is defined inside a
function, so cloudpickle ships it by value: it runs even where `oa_spark` itself cannot be imported.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from oa_spark import logs
from oa_spark.config import ConfigError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger("oa_spark.executors")

# What ingest and extract tasks import (third-party first, so a missing dependency is named rather than the
# oa_spark module that needs it), and what PySpark's Arrow path imports on the workers.
MODULES = (
    "pyarrow",
    "pandas",
    "numpy",
    "orjson",
    "ijson",
    "isal",
    "boto3",
    "smart_open",
    "requests",
    "oa_spark.reader.weekfile",
    "oa_spark.extract",
)
FIX = (
    "ship the environment `make package` builds: --archives dist/oa_spark_env.tar.gz#environment "
    "--conf spark.pyspark.python=./environment/bin/python"
)
CONNECT_FIX = (
    "install the package where the Spark Connect server's Python workers run: `pip install` the wheel "
    "`make package` builds (dist/oa_spark-*.whl) into the server's PYSPARK_PYTHON, then restart the server "
    "(Databricks Connect: add the wheel to the cluster's libraries or the serverless environment)"
)


def make_probe(modules: tuple[str, ...]) -> Callable[[int], str]:
    """A function for a Python UDF: the executor's interpreter, prefix and modules it cannot import."""

    def probe(_: int) -> str:
        import importlib
        import json
        import sys

        missing = {}
        for name in modules:
            try:
                importlib.import_module(name)
            except ImportError as exc:
                missing[name] = f"{type(exc).__name__}: {exc}"
        return json.dumps({"python": sys.executable, "prefix": sys.prefix, "missing": missing})

    return probe


def probe_executors(spark: SparkSession, tasks: int = 2) -> list[dict[str, Any]]:
    """Run the probe in `tasks` tasks: a plain pickled UDF, which needs neither pyarrow nor pandas to start
    and runs on classic and Connect sessions alike. Every executor unpacks the same archive, so a couple of
    tasks tell."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    probe = F.udf(make_probe(MODULES), StringType(), useArrow=False)
    rows = spark.range(0, tasks, 1, tasks).select(probe("id").alias("report")).collect()
    return [json.loads(r["report"]) for r in rows]


def missing_message(reports: list[dict[str, Any]], fix: str = FIX) -> str | None:
    """The exit-2 message for the first module some executor cannot import, or None when all import."""
    for report in reports:
        for name, error in report["missing"].items():
            return f"executors cannot import {name} ({error}; executor Python {report['python']}): {fix}"
    return None


def task_failure(text: str) -> str:
    """The reason in a failed job's error: the task's own exception when Spark quotes it, else the first
    line that is not Py4J's wrapper."""
    found = re.search(r"most recent failure: Lost task .*?\): (.+)", text)
    if found:
        return found.group(1).strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return next((ln for ln in lines if not ln.startswith("An error occurred while calling")), text.strip())


def preflight(spark: SparkSession, fix: str = FIX) -> None:
    """Stop with a ConfigError (exit 2), saying `fix`, unless the executors can import every module the
    tasks need."""
    started = time.monotonic()
    try:
        reports = probe_executors(spark)
    except Exception as exc:  # the Python workers did not even start (no interpreter, wrong version)
        raise ConfigError(f"executors could not run Python ({task_failure(str(exc))[:400]}): {fix}") from exc
    message = missing_message(reports, fix)
    if message:
        raise ConfigError(message)
    prefixes = sorted({r["prefix"] for r in reports})
    logs.event(
        log, "executors_ready", python_prefix=",".join(prefixes), seconds=round(time.monotonic() - started, 2)
    )
