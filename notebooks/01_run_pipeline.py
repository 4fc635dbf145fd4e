# Databricks notebook source
# MAGIC %md
# MAGIC # oa-spark: run the pipeline
# MAGIC
# MAGIC Stage → ingest → extract → graphs over a range of weeks with the library the scheduled jobs run
# MAGIC (`oa_spark.stages.pipeline`), then what each stage did in this run, the status of every stage and the
# MAGIC HTML report. The last cell fails when a week failed, so a job running this notebook fails too. Each
# MAGIC stage skips weeks already done with the same input and code, so running it again is safe and cheap.
# MAGIC
# MAGIC * **On Databricks**: the widgets `catalog`, `schema`, `volume` and `secret_scope` name the target's
# MAGIC   tables, staging volume and ODP key; the bundle's `oa_spark_notebooks` job fills them from its job
# MAGIC   parameters (`docs/databricks.md`). There is no default schema: an empty one is an error, never prod.
# MAGIC * **Anywhere else** (`python notebooks/01_run_pipeline.py`): no widgets, so the built-in local profile
# MAGIC   and its sample weeks, or the weeks `OA_NOTEBOOK_FROM` to `OA_NOTEBOOK_TO`; override any key with
# MAGIC   `OA_SPARK__SECTION__KEY` environment variables, e.g. `OA_SPARK__LAKE__PATH=/tmp/lake`.

# COMMAND ----------

import os
from pathlib import Path

from pyspark.sql import functions as F

from oa_spark import report, status
from oa_spark.config import load
from oa_spark.ledger import JOBS, utcnow
from oa_spark.session import get_spark
from oa_spark.stages import pipeline
from oa_spark.tables import Lake
from oa_spark.weeks import parse_date, sundays

WIDGETS = {  # name: (default, label)
    "catalog": ("", "Unity Catalog catalog"),
    "schema": ("", "Schema of the tables"),
    "volume": ("staging", "Volume for staging and the report"),
    "secret_scope": ("", "Secret scope of the ODP key"),
    "from": ("", "First week (YYYY-MM-DD)"),
    "to": ("", "Last week (YYYY-MM-DD)"),
}
dbutils = globals().get("dbutils")  # only defined on Databricks
if dbutils is not None:
    for name, (default, label) in WIDGETS.items():
        dbutils.widgets.text(name, default, label)
    widget = {name: dbutils.widgets.get(name).strip() for name in WIDGETS}
else:  # plain Python: the widgets' defaults, and the weeks from the environment if given
    widget = {name: default for name, (default, _) in WIDGETS.items()}
    widget |= {"from": os.environ.get("OA_NOTEBOOK_FROM", ""), "to": os.environ.get("OA_NOTEBOOK_TO", "")}

# COMMAND ----------

conf_files, overrides = [], []
REPORT_DIR = os.environ.get("OA_REPORT_DIR", "report")
if dbutils is not None:
    if not (widget["catalog"] and widget["schema"]):
        raise ValueError(
            "set the catalog and schema widgets (the bundle's notebooks job sets them per target)"
        )
    volume = f"/Volumes/{widget['catalog']}/{widget['schema']}/{widget['volume']}"
    conf_files = ["../conf/databricks.toml"]  # relative to this notebook, as synced by the bundle
    overrides = [
        f"lake.catalog={widget['catalog']}",
        f"lake.schema={widget['schema']}",
        f"staging.path={volume}",
        f"graphs.checkpoint_dir={volume}/_graphs_checkpoints",
    ]
    REPORT_DIR = f"{volume}/_report"
    if widget["secret_scope"] and not os.environ.get("USPTO_API_KEY"):
        os.environ["USPTO_API_KEY"] = dbutils.secrets.get(widget["secret_scope"], "uspto-api-key")

cfg = load(conf_files, overrides)
# Databricks defines `spark`; elsewhere get_spark takes the active session or builds a local one
spark = globals().get("spark") or get_spark(cfg)
weeks = (
    sundays(parse_date(widget["from"]), parse_date(widget["to"])) if widget["from"] and widget["to"] else None
)
show = globals().get("display") or (lambda df: df.show(50, truncate=False))

# COMMAND ----------

# MAGIC %md
# MAGIC ## Run
# MAGIC `0` = every week done; `1` = some weeks failed (the others are committed; the next cells name them).

# COMMAND ----------

started = utcnow()
result = pipeline.run(cfg, weeks, spark=spark)
exit_code = result.code
print(f"pipeline exit code: {exit_code}; records ingested in the run's weeks: {result.records_out}")
show(spark.createDataFrame(result.rows(), "stage string, status string, weeks int, range string"))

# COMMAND ----------

# MAGIC %md
# MAGIC ## What each stage did in this run
# MAGIC The `runs` rows this run wrote: per stage and outcome, the weeks and the first message.

# COMMAND ----------

this_run = (
    Lake(spark, cfg.lake)
    .read("runs")
    .where((F.col("started_at") >= F.lit(started)) & (F.col("status") != "running"))
)
outcomes = (
    this_run.groupBy("job", "status")
    .agg(
        F.count(F.lit(1)).alias("rows"),
        F.array_sort(F.collect_set("week")).alias("weeks"),
        F.first("message", ignorenulls=True).alias("message"),
    )
    .orderBy(F.array_position(F.array(*map(F.lit, JOBS)), F.col("job")), "status")
)
show(outcomes)

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

# COMMAND ----------

# MAGIC %md
# MAGIC ## Outcome
# MAGIC Fails when a week failed, so the notebook task (and the job) fails and its notifications go out.

# COMMAND ----------

if exit_code != 0 or result.failed:
    failed = [
        f"{r['job']} {r['week'] or ''}: {r['message']}"
        for r in this_run.where(F.col("status") == "failed").orderBy("job", "week").collect()
    ]
    raise RuntimeError(
        f"oa-spark pipeline exit code {exit_code}; failed in this run: {failed or 'see the log'}"
    )
