"""End-to-end checks shared by the legs that run the whole pipeline elsewhere (Spark Connect, Spark 4.0):
run the CLI in its own process, then compare the lake with the generated truth and with another lake."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from oa_spark.stages.pipeline import SUMMARY_TABLES

# Columns that differ between two correct runs: when and by which run something happened, and where.
VOLATILE = frozenset(
    {
        "ingested_at",
        "staged_at",
        "quarantined_at",
        "started_at",
        "finished_at",
        "run_id",
        "build_id",
        "staged_path",
        "built_at",
        "extracted_at",
    }
)
COMPARED = (
    *(t for t in SUMMARY_TABLES if t != "runs"),  # `runs` is compared by its newest rows
    "rejection_stats",
    "application_timeline",
)
COUNTS = ("records_in", "records_out", "duplicates", "quarantined")


def truth(sample: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (sample / "truth.jsonl").read_text().splitlines()]


def sample_weeks(sample: Path) -> list[str]:
    return sorted(p.name.rsplit("_", 1)[1].removesuffix(".zip") for p in sample.glob("*.zip"))


def cli(
    python: str, root: Path, sample: Path, *args: str, sets: tuple[str, ...] = (), env: dict | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m oa_spark.cli` over the sample as a local source, lake and staging under `root`, run
    from `root` (never the source tree)."""
    cmd = [
        python,
        "-m",
        "oa_spark.cli",
        "--set",
        f"lake.path={root / 'lake'}",
        "--set",
        f"staging.path={root / 'staging'}",
        "--set",
        "source.name=local",
        "--set",
        f"source.url={sample}",
        "--set",
        "spark.master=local[2]",
        "--set",
        "spark.driver_memory=1g",
        "--set",
        "spark.shuffle_partitions=4",
        *[x for s in sets for x in ("--set", s)],
        *args,
    ]
    full_env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", **(env or {})}
    full_env.pop("PYSPARK_PYTHON", None)
    full_env.pop("PYSPARK_DRIVER_PYTHON", None)
    root.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        cmd, cwd=root, env=full_env, capture_output=True, text=True, timeout=1500, check=False
    )


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _plain(v)) for k, v in value.items()))
    if hasattr(value, "asDict"):
        return _plain(value.asDict())
    return value


def snapshot(spark, lake_path: Path, tables: tuple[str, ...] = COMPARED) -> dict[str, list[tuple]]:
    """Each table's rows without volatile columns, sorted: equal snapshots = the same tables."""
    out = {}
    for table in tables:
        df = spark.read.format("delta").load(str(lake_path / table))
        keep = sorted(c for c in df.columns if c not in VOLATILE)
        out[table] = sorted((tuple(_plain(r[c]) for c in keep) for r in df.collect()), key=repr)
    return out


def newest_runs(spark, lake_path: Path) -> dict[tuple[str, date], tuple]:
    """(job, week) → (status, input_sha256, code_version, counts) of its newest `runs` row."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    runs = spark.read.format("delta").load(str(lake_path / "runs")).where("week IS NOT NULL")
    order = Window.partitionBy("job", "week").orderBy(F.coalesce("finished_at", "started_at").desc())
    newest = runs.withColumn("_n", F.row_number().over(order)).where("_n = 1").collect()
    return {
        (r["job"], r["week"]): (r["status"], r["input_sha256"], r["code_version"], *[r[c] for c in COUNTS])
        for r in newest
    }


def check_truth(spark, lake_path: Path, sample: Path) -> None:
    """office_actions holds exactly the truth's documents; every good week reconciles with the truth's
    counts; every bad file failed its own week with its reason, and no other week failed."""
    lines = truth(sample)
    docs = {(d["week"], d["document_id"]) for d in lines if d["kind"] == "document"}
    rows = spark.read.format("delta").load(str(lake_path / "office_actions")).collect()
    assert {(r["week"].isoformat(), r["document_id"]) for r in rows} == docs
    runs = newest_runs(spark, lake_path)
    newest = {(job, w.isoformat()): v for (job, w), v in runs.items()}
    bad = {w["week"] for w in lines if w["kind"] == "week" and w["status"] != "ok"}
    for w in lines:
        if w["kind"] != "week":
            continue
        if w["week"] in bad:  # staging's own checks or ingest's catch it; either way the week failed
            stages = [newest.get((job, w["week"]), ("missing",))[0] for job in ("stage", "ingest")]
            assert "failed" in stages, (w, stages)
            continue
        status, *_, records_in, records_out, duplicates, quarantined = newest[("ingest", w["week"])]
        assert status == "done", w
        assert records_in == records_out + duplicates + quarantined
        assert (records_in, records_out, duplicates, quarantined) == tuple(w[c] for c in COUNTS), w
    failed = {w for (job, w), v in newest.items() if v[0] == "failed" and job in ("stage", "ingest")}
    assert failed == bad
    quarantine = spark.read.format("delta").load(str(lake_path / "quarantine"))
    files = quarantine.where("line_number IS NULL").collect()
    reasons = {(r["week"].isoformat(), r["reason"]) for r in files}
    expected = {(w["week"], w["status"]) for w in lines if w["kind"] == "week" and w["status"] != "ok"}
    assert reasons <= expected  # the files that reached ingest failed there with their own reason
