# Databricks notebook source
# MAGIC %md
# MAGIC # oa-spark: run the pipeline
# MAGIC
# MAGIC Stage → ingest → extract → graphs over a range of weeks with the library the scheduled job runs
# MAGIC (`oa_spark.pipeline.main`), then the status of every stage and the HTML report. Each stage skips weeks
# MAGIC already done with the same input and code, so running this notebook again is safe and cheap.
# MAGIC
# MAGIC * **On Databricks**: attach a cluster with the `oa_spark` wheel installed (`docs/databricks.md`).
# MAGIC   The widgets choose the weeks and the config file (by default `conf/databricks.toml` as synced by the
# MAGIC   bundle: Unity Catalog tables `main.uspto_oa.*`).
# MAGIC * **Anywhere else** (`python notebooks/01_run_pipeline.py`): the built-in local profile and its sample
# MAGIC   weeks; override any key with `OA_SPARK__SECTION__KEY` environment variables, e.g.
# MAGIC   `OA_SPARK__LAKE__PATH=/tmp/lake`.

# COMMAND ----------

import os
from pathlib import Path

from oa_spark import pipeline, report, status
from oa_spark.config import load
from oa_spark.session import get_spark
from oa_spark.weeks import parse_date, sundays

dbutils = globals().get("dbutils")  # only defined on Databricks
if dbutils is not None:
    dbutils.widgets.text("from", "", "First week (YYYY-MM-DD)")
    dbutils.widgets.text("to", "", "Last week (YYYY-MM-DD)")
    dbutils.widgets.text("conf", "../conf/databricks.toml", "Config file")
    dbutils.widgets.text("report_dir", "/Volumes/main/uspto_oa/staging/_report", "Report folder")
    WEEK_FROM, WEEK_TO = dbutils.widgets.get("from"), dbutils.widgets.get("to")
    CONF_FILES = [dbutils.widgets.get("conf")]
    REPORT_DIR = dbutils.widgets.get("report_dir")
else:
    WEEK_FROM, WEEK_TO = "", ""  # empty: the sample source's configured weeks
    CONF_FILES = []
    REPORT_DIR = os.environ.get("OA_REPORT_DIR", "report")

# COMMAND ----------

cfg = load(CONF_FILES)
# Databricks defines `spark`; elsewhere get_spark takes the active session or builds a local one
spark = globals().get("spark") or get_spark(cfg)
weeks = sundays(parse_date(WEEK_FROM), parse_date(WEEK_TO)) if WEEK_FROM and WEEK_TO else None

# COMMAND ----------

# MAGIC %md
# MAGIC ## Run
# MAGIC `0` = every week done; `1` = some weeks failed (the others are committed; the log names each one).

# COMMAND ----------

exit_code = pipeline.main(cfg, weeks)
print(f"pipeline exit code: {exit_code}")

# COMMAND ----------

# MAGIC %md
# MAGIC ## Status of each stage

# COMMAND ----------

status.main(cfg, weeks, spark=spark)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Report
# MAGIC One self-contained HTML page (`docs/report.md`); shown inline on Databricks.

# COMMAND ----------

report.main(cfg, Path(REPORT_DIR), spark=spark)
displayHTML = globals().get("displayHTML")  # only defined on Databricks
if displayHTML is not None:
    displayHTML(Path(REPORT_DIR, "index.html").read_text(encoding="utf-8"))
