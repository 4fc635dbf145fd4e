"""Writing graph tables in place: a swap of the touched applications' rows, and the layout that lets it (and
the MERGEs) leave the other applications' files alone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

pytestmark = pytest.mark.spark

APPS = [f"16{n:06d}" for n in range(0, 80_000, 1_000)]  # 80 applications


def _edges(spark, apps: list[str], label: str, documents: int = 1):
    from oa_spark.schemas import REJECTION_EDGES

    rows = [
        (a, f"{a}-d{d}", date(2022, 1, 3), 1, "102", label, 1, None) for a in apps for d in range(documents)
    ]
    return spark.createDataFrame(rows, REJECTION_EDGES)


def _removed_files(lake, table: str) -> int:
    return int(lake.history(table, 1).collect()[0]["operationMetrics"]["numRemovedFiles"])


@pytest.fixture
def uncoalesced(lake) -> Iterator[None]:
    """Shuffle partitions kept as planned (AQE would merge this test's tiny ones into a single file)."""
    with lake.session_conf("spark.sql.adaptive.coalescePartitions.enabled", "false"):
        yield


def test_a_swap_makes_the_touched_applications_rows_exactly_the_new_ones(spark, lake) -> None:
    from oa_spark.stages.graphs.merge import commit_metrics, swap_applications

    lake.overwrite("rejection_edges", _edges(spark, APPS, "old"))
    new = _edges(spark, [APPS[3]], "new").unionByName(_edges(spark, [APPS[3]], "new2"))
    assert swap_applications(lake, "rejection_edges", new, [APPS[3], APPS[5]])
    got = {(r["application_number"], r["label"]) for r in lake.read("rejection_edges").collect()}
    assert got == {(a, "old") for a in APPS if a not in (APPS[3], APPS[5])} | {
        (APPS[3], "new"),
        (APPS[3], "new2"),
    }
    metrics = commit_metrics(lake, "rejection_edges")
    assert (metrics["inserted"], metrics["deleted"]) == (2, 2)


def test_a_swap_refuses_rows_of_an_untouched_application_and_keeps_the_table(spark, lake) -> None:
    from oa_spark.stages.graphs.merge import StrayRows, swap_applications

    lake.overwrite("rejection_edges", _edges(spark, APPS, "old"))
    before = lake.version("rejection_edges")
    with pytest.raises(StrayRows, match=APPS[1]):
        swap_applications(lake, "rejection_edges", _edges(spark, [APPS[1]], "new"), [APPS[2]])
    assert lake.version("rejection_edges") == before


def test_a_swap_leaves_delta_s_replace_where_check_as_the_session_had_it(spark, lake) -> None:
    from oa_spark.stages.graphs.merge import REPLACE_WHERE_CHECK, swap_applications

    lake.overwrite("rejection_edges", _edges(spark, APPS, "old"))
    before = spark.conf.get(REPLACE_WHERE_CHECK, None)
    swap_applications(lake, "rejection_edges", _edges(spark, [APPS[3]], "new"), [APPS[3]])
    assert spark.conf.get(REPLACE_WHERE_CHECK, None) == before


def test_a_session_refusing_the_check_setting_gets_a_merge_with_the_same_rows(
    spark, lake, monkeypatch
) -> None:
    from oa_spark.stages.graphs.merge import REPLACE_WHERE_CHECK, commit_metrics, swap_applications

    set_conf = spark.conf.set

    def refusing(key: str, value: str) -> None:  # as a serverless session refuses settings off its list
        if key == REPLACE_WHERE_CHECK:
            raise RuntimeError(f"[CONFIG_NOT_AVAILABLE] Configuration {key} is not available.")
        set_conf(key, value)

    lake.overwrite("rejection_edges", _edges(spark, APPS, "old"))
    monkeypatch.setattr(spark.conf, "set", refusing)
    assert swap_applications(lake, "rejection_edges", _edges(spark, [APPS[3]], "new"), [APPS[3], APPS[5]])
    got = {(r["application_number"], r["label"]) for r in lake.read("rejection_edges").collect()}
    assert got == {(a, "old") for a in APPS if a not in (APPS[3], APPS[5])} | {(APPS[3], "new")}
    assert commit_metrics(lake, "rejection_edges")["operation"] == "MERGE"


def test_a_swap_with_nothing_touched_makes_no_commit(spark, lake) -> None:
    from oa_spark.stages.graphs.merge import swap_applications

    lake.overwrite("rejection_edges", _edges(spark, APPS, "old"))
    before = lake.version("rejection_edges")
    assert not swap_applications(lake, "rejection_edges", _edges(spark, [], "new"), [])
    assert lake.version("rejection_edges") == before


def _document(spark, app: str, document: str, label: str):
    from oa_spark.schemas import REJECTION_EDGES

    return spark.createDataFrame(
        [(app, document, date(2022, 1, 3), 1, "102", label, 1, None)], REJECTION_EDGES
    )


def _labels(lake) -> set[tuple[str, str, str]]:
    return {
        (r["application_number"], r["document_id"], r["label"])
        for r in lake.read("rejection_edges").collect()
    }


def test_a_new_document_of_a_stored_application_is_appended_and_no_file_rewritten(spark, lake) -> None:
    from oa_spark.stages.graphs.merge import rewrite_documents

    lake.overwrite("rejection_edges", _edges(spark, APPS, "old"))
    before = _labels(lake)
    # the application's rows as the build computes them: its stored document and the new one
    rows = _edges(spark, [APPS[3]], "old").unionByName(_document(spark, APPS[3], "new-doc", "new"))
    assert rewrite_documents(lake, "rejection_edges", rows, [(APPS[3], "new-doc")])
    assert _labels(lake) == before | {(APPS[3], "new-doc", "new")}
    metrics = lake.history("rejection_edges", 1).collect()[0]["operationMetrics"]
    assert (metrics["numRemovedFiles"], metrics["numCopiedRows"], metrics["numOutputRows"]) == ("0", "0", "1")


def test_a_revised_document_s_rows_replace_its_own_and_its_application_s_others_stay(spark, lake) -> None:
    from oa_spark.stages.graphs.merge import commit_metrics, rewrite_documents

    lake.overwrite("rejection_edges", _edges(spark, APPS, "old", documents=2))
    before = _labels(lake)
    revised = f"{APPS[3]}-d1"
    rows = _document(spark, APPS[3], f"{APPS[3]}-d0", "old").unionByName(
        _document(spark, APPS[3], revised, "new")
    )
    assert rewrite_documents(lake, "rejection_edges", rows, [(APPS[3], revised)])
    assert _labels(lake) == before - {(APPS[3], revised, "old")} | {(APPS[3], revised, "new")}
    metrics = commit_metrics(lake, "rejection_edges")
    assert (metrics["operation"], metrics["inserted"], metrics["deleted"]) == ("WRITE", 1, 1)


def test_a_write_of_more_documents_than_a_swap_takes_is_a_merge_of_exactly_them(
    spark, lake, monkeypatch
) -> None:
    from oa_spark.stages.graphs import merge

    monkeypatch.setattr(merge, "SWAP_MAX_APPLICATIONS", 1)
    lake.overwrite("rejection_edges", _edges(spark, APPS, "old", documents=2))
    before = _labels(lake)
    gone, revised = (APPS[3], f"{APPS[3]}-d0"), (APPS[5], f"{APPS[5]}-d1")  # one vanished, one revised
    rows = (
        _edges(spark, [APPS[3], APPS[5]], "old", documents=2)
        .where(f"document_id NOT IN ('{gone[1]}', '{revised[1]}')")
        .unionByName(_document(spark, *revised, "new"))
    )
    assert merge.rewrite_documents(lake, "rejection_edges", rows, [gone, revised])
    assert _labels(lake) == before - {(*gone, "old"), (*revised, "old")} | {(*revised, "new")}
    assert merge.commit_metrics(lake, "rejection_edges")["operation"] == "MERGE"


def test_a_write_of_no_document_makes_no_commit(spark, lake) -> None:
    from oa_spark.stages.graphs.merge import rewrite_documents

    lake.overwrite("rejection_edges", _edges(spark, APPS, "old"))
    before = lake.version("rejection_edges")
    assert not rewrite_documents(lake, "rejection_edges", _edges(spark, [], "new"), [])
    assert lake.version("rejection_edges") == before


def test_a_one_application_swap_rewrites_one_file_of_a_table_laid_out_by_application(
    spark, lake, uncoalesced
) -> None:
    from oa_spark.stages.graphs.merge import clustered, swap_applications

    rows, touched = _edges(spark, APPS, "old", documents=8), [APPS[40]]
    new = _edges(spark, touched, "new", documents=8)
    lake.overwrite("rejection_edges", rows.repartition(8))  # any application's rows in many files
    swap_applications(lake, "rejection_edges", new, touched)
    scattered = _removed_files(lake, "rejection_edges")
    lake.overwrite("rejection_edges", clustered("rejection_edges", rows))
    assert int(lake.detail("rejection_edges")["numFiles"]) >= 4
    swap_applications(lake, "rejection_edges", new, touched)
    assert _removed_files(lake, "rejection_edges") == 1 < scattered


def test_maintain_sorts_a_per_application_table_back_into_ranges(spark, lake, lake_cfg) -> None:
    from oa_spark import maintenance
    from oa_spark.stages.graphs.merge import swap_applications

    rows, touched = _edges(spark, APPS, "old", documents=8), [APPS[40]]
    lake.overwrite("rejection_edges", rows.repartition(8))  # as weekly writes leave it: ranges mixed
    # several output files from these few rows
    with lake.session_conf("spark.databricks.delta.optimize.maxFileSize", str(4 * 1024)):
        maintenance.main(lake_cfg, None, ["rejection_edges"], spark=spark)
    assert int(lake.detail("rejection_edges")["numFiles"]) >= 4
    assert lake.read("rejection_edges").count() == len(APPS) * 8
    swap_applications(lake, "rejection_edges", _edges(spark, touched, "new", documents=8), touched)
    assert _removed_files(lake, "rejection_edges") == 1


def test_a_write_of_a_week_s_few_applications_is_a_swap(spark, lake) -> None:
    from oa_spark.stages.graphs.merge import commit_metrics, rewrite_applications

    lake.overwrite("rejection_edges", _edges(spark, APPS, "old"))
    assert rewrite_applications(lake, "rejection_edges", _edges(spark, [APPS[3]], "new"), [APPS[3], APPS[5]])
    assert commit_metrics(lake, "rejection_edges")["operation"] == "WRITE"


def test_a_write_of_more_applications_than_a_swap_takes_is_a_merge_with_the_same_rows(
    spark, lake, monkeypatch
) -> None:
    from oa_spark.stages.graphs import merge

    monkeypatch.setattr(merge, "SWAP_MAX_APPLICATIONS", 1)
    lake.overwrite("rejection_edges", _edges(spark, APPS, "old"))
    new = _edges(spark, [APPS[3]], "new")
    assert merge.rewrite_applications(lake, "rejection_edges", new, [APPS[3], APPS[5]])
    got = {(r["application_number"], r["label"]) for r in lake.read("rejection_edges").collect()}
    assert got == {(a, "old") for a in APPS if a not in (APPS[3], APPS[5])} | {(APPS[3], "new")}
    assert merge.commit_metrics(lake, "rejection_edges")["operation"] == "MERGE"


def _files_read(df) -> int:
    """Files the Parquet scans of `df`'s last execution opened (Spark's own scan metric)."""
    pending, total = [df._jdf.queryExecution().executedPlan()], 0
    while pending:
        node = pending.pop()
        if node.nodeName() == "AdaptiveSparkPlan":
            pending.append(node.executedPlan())
            continue
        if node.nodeName().endswith("QueryStage"):  # a stage AQE ran: its plan is not a child
            pending.append(node.plan())
            continue
        if node.metrics().contains("numFiles"):
            total += node.metrics().apply("numFiles").value()
        children = node.children().iterator()
        while children.hasNext():
            pending.append(children.next())
    return total


def test_a_read_of_a_few_keys_opens_only_the_files_whose_range_holds_one(spark, lake, uncoalesced) -> None:
    from oa_spark.stages.graphs.merge import KeySet, clustered

    lake.overwrite("rejection_edges", clustered("rejection_edges", _edges(spark, APPS, "old", documents=8)))
    files = int(lake.detail("rejection_edges")["numFiles"])
    keys = spark.createDataFrame([(APPS[40],)], "application_number string")
    read = KeySet.of(keys).rows_in(lake.read("rejection_edges"), "application_number")
    assert {r["document_id"] for r in read.collect()} == {f"{APPS[40]}-d{d}" for d in range(8)}
    assert _files_read(read) == 1 < files


def test_a_read_of_more_keys_than_a_literal_list_takes_joins_them_with_the_same_rows(
    spark, lake, monkeypatch
) -> None:
    from oa_spark.stages.graphs import merge

    lake.overwrite("rejection_edges", _edges(spark, APPS, "old"))
    keys = spark.createDataFrame([(APPS[3],), (APPS[5],), (None,)], "application_number string")
    listed = {
        r["application_number"]
        for r in merge.KeySet.of(keys).rows_in(lake.read("rejection_edges"), "application_number").collect()
    }
    monkeypatch.setattr(merge, "LITERAL_MAX_KEYS", 1)
    joined = merge.KeySet.of(keys).rows_in(lake.read("rejection_edges"), "application_number")
    assert "Join" in joined._jdf.queryExecution().optimizedPlan().toString()
    assert {r["application_number"] for r in joined.collect()} == listed == {APPS[3], APPS[5]}
