"""Delta helpers: creation, atomic week replacement, reads."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.spark

W1, W2 = date(2022, 1, 2), date(2022, 1, 9)


def _rows(spark, week: date, n: int, tag: str):
    from oa_spark.schemas import QUARANTINE

    data = [
        {"week": week, "source_file": f"f-{tag}", "line_number": i, "reason": tag, "message": "m"}
        for i in range(n)
    ]
    return spark.createDataFrame(data, QUARANTINE)


def test_ensure_creates_an_empty_partitioned_table(lake) -> None:
    lake.ensure("quarantine")
    assert lake.exists("quarantine")
    assert lake.read("quarantine").count() == 0
    detail = lake.detail("quarantine")
    assert list(detail["partitionColumns"]) == ["week"]


def test_a_table_whose_creation_was_killed_is_created_by_the_next_write(spark, lake) -> None:
    # A job killed while creating a table leaves `_delta_log` with no commit (maybe a temp file in it);
    # Delta then refuses to create the table there, so every rerun would fail.
    log_dir = Path(lake.location("quarantine")) / "_delta_log"
    log_dir.mkdir(parents=True)
    (log_dir / ".00000000000000000000.json.0f3a.tmp").write_text("{")
    lake.replace_weeks("quarantine", _rows(spark, W1, 2, "after-kill"), [W1])
    assert lake.read("quarantine").count() == 2


def test_replace_weeks_touches_only_the_given_week(spark, lake) -> None:
    lake.append("quarantine", _rows(spark, W1, 3, "old").unionByName(_rows(spark, W2, 2, "old")))
    lake.replace_weeks("quarantine", _rows(spark, W1, 5, "new"), [W1])
    got = {
        (r["week"], r["reason"]): r["n"]
        for r in lake.read("quarantine")
        .groupBy("week", "reason")
        .count()
        .withColumnRenamed("count", "n")
        .collect()
    }
    assert got == {(W1, "new"): 5, (W2, "old"): 2}


def test_replace_weeks_rejects_rows_of_other_weeks_and_keeps_previous_version(spark, lake) -> None:
    lake.append("quarantine", _rows(spark, W1, 3, "old"))
    before = lake.version("quarantine")
    with pytest.raises(Exception, match=r"(?i)replaceWhere|DELTA_REPLACE_WHERE_MISMATCH|does not conform"):
        lake.replace_weeks("quarantine", _rows(spark, W2, 4, "bad"), [W1])
    assert lake.version("quarantine") == before
    assert lake.read("quarantine").count() == 3


def test_a_reader_never_sees_old_and_new_rows_of_a_week_together(spark, lake) -> None:
    lake.append("quarantine", _rows(spark, W1, 50, "v0"))
    seen: list[set[str]] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            reasons = {
                r["reason"] for r in lake.read("quarantine", [W1]).select("reason").distinct().collect()
            }
            seen.append(reasons)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(1, 4):
            lake.replace_weeks("quarantine", _rows(spark, W1, 50, f"v{i}"), [W1])
    finally:
        stop.set()
        thread.join()
    assert seen, "the reader never ran"
    assert all(len(s) == 1 for s in seen), seen


def test_read_by_week_filters_partitions(spark, lake) -> None:
    lake.append("quarantine", _rows(spark, W1, 3, "a").unionByName(_rows(spark, W2, 2, "b")))
    assert lake.read("quarantine", [W2]).count() == 2


def test_location_uses_catalog_names_when_catalog_and_schema_are_set(spark) -> None:
    from oa_spark.config import LakeConfig
    from oa_spark.tables import Lake

    assert Lake(spark, LakeConfig(catalog="main", schema="oa")).location("runs") == "main.oa.runs"
    assert Lake(spark, LakeConfig(path="s3a://b/p/")).location("runs") == "s3a://b/p/runs"


def _parquet_codecs(lake, table: str) -> set[str]:
    """The codec in each current data file's name (Spark names files part-...<codec>.parquet)."""
    files = lake.spark.read.format("delta").load(lake.location(table)).inputFiles()
    return {f.rsplit(".", 2)[-2] for f in files}


def test_writes_use_the_lakes_parquet_codec(spark, lake) -> None:
    lake.append("quarantine", _rows(spark, W1, 3, "z"))
    assert _parquet_codecs(lake, "quarantine") == {"zstd"}


def test_merge_uses_the_lakes_codec_and_leaves_the_session_setting_alone(spark, lake) -> None:
    key = "spark.sql.parquet.compression.codec"
    before = spark.conf.get(key, None)
    assert before in (None, "snappy"), "the session's own codec should differ from the lake's zstd"
    from oa_spark.schemas import QUARANTINE, names
    from oa_spark.tables import insert_clause, keys_match, set_clause

    columns = names(QUARANTINE)
    lake.merge(
        "quarantine",
        _rows(spark, W1, 2, "m"),
        keys_match(["week", "source_file", "line_number"]),
        f"WHEN MATCHED THEN {set_clause(columns)}",
        f"WHEN NOT MATCHED THEN {insert_clause(columns)}",
    )
    assert _parquet_codecs(lake, "quarantine") == {"zstd"}
    assert spark.conf.get(key, None) == before
