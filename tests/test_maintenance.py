"""`oa-spark maintain`: compaction of a week range, a safe VACUUM, and the lake's properties on old tables."""

from __future__ import annotations

from datetime import date

import pytest

from oa_spark.config import ConfigError

pytestmark = pytest.mark.spark

W1, W2 = date(2022, 1, 2), date(2022, 1, 9)


def _append_rows(spark, lake, week: date, count: int) -> None:
    from oa_spark.schemas import QUARANTINE

    for i in range(count):  # one commit, one small file each
        row = {"week": week, "source_file": f"f{i}", "line_number": i, "reason": "r", "message": "m"}
        lake.append("quarantine", spark.createDataFrame([row], QUARANTINE))


def _files(lake, week: date) -> int:
    return len(lake.read("quarantine", [week]).inputFiles())


def test_maintain_compacts_only_the_given_weeks_and_keeps_every_row(spark, lake, lake_cfg) -> None:
    from oa_spark import maintenance

    _append_rows(spark, lake, W1, 3)
    _append_rows(spark, lake, W2, 3)

    assert maintenance.main(lake_cfg, [W1], ["quarantine"], spark=spark) == 0

    assert _files(lake, W1) == 1
    assert _files(lake, W2) == 3
    assert lake.read("quarantine").count() == 6


def test_maintain_gives_a_table_created_by_an_older_version_the_lakes_properties(
    spark, lake, lake_cfg
) -> None:
    from oa_spark import maintenance
    from oa_spark.schemas import QUARANTINE

    old = {"week": W1, "source_file": "f", "line_number": 1, "reason": "r", "message": "m"}
    path = lake.location("quarantine")
    spark.createDataFrame([old], QUARANTINE).write.format("delta").partitionBy("week").save(path)

    def properties() -> dict[str, str]:
        return {r["key"]: r["value"] for r in spark.sql(f"SHOW TBLPROPERTIES delta.`{path}`").collect()}

    assert "delta.checkpointInterval" not in properties()
    maintenance.main(lake_cfg, None, ["quarantine"], spark=spark)
    assert properties()["delta.checkpointInterval"] == "10"
    assert properties()["delta.logRetentionDuration"] == "interval 30 days"
    assert lake.align_properties("quarantine") == []  # already aligned: no further commit


def test_vacuum_below_the_safe_retention_is_refused_before_touching_the_lake(spark, lake_cfg) -> None:
    from dataclasses import replace

    from oa_spark import maintenance

    cfg = replace(lake_cfg, run=replace(lake_cfg.run, maintenance_retention_hours=1))
    with pytest.raises(ConfigError, match="maintenance_retention_hours=1"):
        maintenance.main(cfg, None, ["quarantine"], vacuum=True, spark=spark)


def test_vacuum_lists_files_in_the_session_s_shuffle_partitions_of_tasks_not_ten_thousand(
    spark, lake, lake_cfg
) -> None:
    from oa_spark import maintenance
    from oa_spark.tables import LISTING_PARALLELISM

    _append_rows(spark, lake, W1, 1)
    tracker, group = spark.sparkContext.statusTracker(), "vacuum-tasks"
    spark.sparkContext.setJobGroup(group, "vacuum")
    try:
        assert maintenance.main(lake_cfg, None, ["quarantine"], vacuum=True, spark=spark) == 0
    finally:
        spark.sparkContext.setLocalProperty("spark.jobGroup.id", None)
    stages = [
        tracker.getStageInfo(stage)
        for job in tracker.getJobIdsForGroup(group)
        for stage in tracker.getJobInfo(job).stageIds
    ]
    most = max(info.numTasks for info in stages if info is not None)
    assert most <= int(spark.conf.get("spark.sql.shuffle.partitions"))
    assert spark.conf.get(LISTING_PARALLELISM) == "10000"  # the session's own again


def test_maintain_between_graph_builds_keeps_the_next_build_incremental(spark, lake) -> None:
    from oa_spark.schemas import REJECTION_EDGES
    from oa_spark.stages.graphs.build import changed_since
    from oa_spark.stages.graphs.state import GRAPH_TABLES

    edge = {"application_number": "12000001", "document_id": "d", "ground": 1, "statute": "102", "claim": 1}
    for table in GRAPH_TABLES:
        lake.ensure(table)
    for _ in range(2):  # two small files to compact
        lake.append("rejection_edges", spark.createDataFrame([edge], REJECTION_EDGES))
    versions = {t: lake.version(t) for t in GRAPH_TABLES}

    assert lake.optimize("rejection_edges")["numFilesRemoved"] == 2
    properties = "TBLPROPERTIES ('delta.checkpointInterval' = '20')"
    spark.sql(f"ALTER TABLE {lake.ref('rejection_stats')} SET {properties}")
    assert changed_since(lake, versions) is None

    lake.append("rejection_edges", spark.createDataFrame([edge], REJECTION_EDGES))
    assert changed_since(lake, versions) == "rejection_edges"


def test_the_weekly_default_compacts_the_summary_every_graph_build_appends_to(spark, lake, lake_cfg) -> None:
    from datetime import UTC, datetime

    from oa_spark import maintenance
    from oa_spark.schemas import GRAPH_SUMMARY

    for i in range(3):  # three builds, one small file each
        build = {"build_id": f"b{i}", "built_at": datetime.now(UTC)}
        row = {f.name: None for f in GRAPH_SUMMARY.fields} | build
        lake.append("graph_summary", spark.createDataFrame([row], GRAPH_SUMMARY))
    assert len(lake.read("graph_summary").inputFiles()) == 3

    maintenance.main(lake_cfg, [W1], list(maintenance.WEEKLY_TABLES), spark=spark)

    assert len(lake.read("graph_summary").inputFiles()) == 1
    assert sorted(r["build_id"] for r in lake.read("graph_summary").collect()) == ["b0", "b1", "b2"]


def test_vacuum_removes_checkpoint_folders_a_killed_build_left_and_keeps_recent_ones(
    spark, lake_cfg, tmp_path
) -> None:
    from pathlib import Path

    from support.files import aged_folder

    from oa_spark import maintenance

    root = Path(lake_cfg.lake.path) / "_graphs_checkpoints"
    aged_folder(root, "killed", file_days_old=9)
    aged_folder(root, "running", file_days_old=0)
    maintenance.main(lake_cfg, None, [], vacuum=True, spark=spark)
    assert sorted(p.name for p in root.iterdir()) == ["running"]
