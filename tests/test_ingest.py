"""Ingest job on generated weeks with faults: counts equal truth, faults quarantined with their reason,
reconciliation, atomic per-week rewrites, bad files failing alone, an independent Delta reader agreeing."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from oa_spark import config
from oa_spark.ledger import Ledger, RunState, StagedFiles
from oa_spark.stages import ingest
from oa_spark.synth import generate
from oa_spark.tables import Lake
from oa_spark.weeks import week_from_name

pytestmark = pytest.mark.spark


def truth_lines(sample: Path) -> list[dict]:
    return [json.loads(line) for line in (sample / "truth.jsonl").read_text().splitlines()]


def register_staged(lake: Lake, sample: Path) -> None:
    """Put every generated zip in `staged_files` as the staging job would, bad files included (a file can be
    damaged after staging, and ingest must cope), so ingest meets each fault."""
    rows = []
    for path in sorted(sample.glob("*.zip")):
        data = path.read_bytes()
        rows.append(
            {
                "week": week_from_name(path.name),
                "file_name": path.name,
                "source": "local",
                "source_url": str(path),
                "size_bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "staged_path": str(path),
                "staged_at": datetime(2022, 1, 1),
                "status": "staged",
                "version_tag": "t",
                "version": 1,
                "run_id": "t",
            }
        )
    StagedFiles(lake).add(rows)


@pytest.fixture(scope="module")
def ingested(spark, tmp_path_factory):
    """Two good weeks with record faults plus five broken files, ingested once."""
    root = tmp_path_factory.mktemp("ingest")
    sample = root / "sample"
    generate(sample, weeks=2, records=40, seed=11, faults=True, bomb_bytes=64 * 1024 * 1024)
    cfg = config.load(
        overrides=[f"lake.path={root / 'lake'}", "spark.master=local[2]", "run.batch_weeks=8"], environ={}
    )
    lake = Lake(spark, cfg.lake)
    register_staged(lake, sample)
    code = ingest.main(cfg, None, spark=spark)
    return cfg, lake, sample, code


def test_exit_code_is_1_when_some_weeks_fail(ingested) -> None:
    assert ingested[3] == 1


def test_office_actions_rows_equal_truth_exactly(ingested) -> None:
    _, lake, sample, _ = ingested
    expected = {
        (d["week"], d["application_number"], d["document_id"])
        for d in truth_lines(sample)
        if d["kind"] == "document"
    }
    rows = lake.read("office_actions").select("week", "application_number", "document_id").collect()
    got = [(r["week"].isoformat(), r["application_number"], r["document_id"]) for r in rows]
    assert len(got) == len(set(got)), "a document appears twice in one week"
    assert set(got) == expected


def test_normalized_key_fields_match_truth(ingested) -> None:
    _, lake, sample, _ = ingested
    truth = {d["document_id"]: d for d in truth_lines(sample) if d["kind"] == "document"}
    for row in lake.read("office_actions").collect():
        t = truth[row["document_id"]]
        assert row["document_code"] == t["document_code"]
        assert (row["mail_date"].isoformat() if row["mail_date"] else None) == t["mail_date"]
        assert row["serialization"] == t["serialization"]
        assert row["application_series"] == t["series"]


def test_every_record_fault_is_quarantined_with_its_reason_and_line(ingested) -> None:
    _, lake, sample, _ = ingested
    expected = {
        (f["week"], f["line_number"], f["fault"])
        for f in truth_lines(sample)
        if f["kind"] == "fault" and f.get("line_number")
    }
    rows = lake.read("quarantine").where("line_number IS NOT NULL").collect()
    got = {(r["week"].isoformat(), r["line_number"], r["reason"]) for r in rows}
    assert got == expected
    assert all(len(r["raw_sha256"]) == 64 and r["raw_prefix"] is not None for r in rows)


def test_every_bad_file_fails_its_week_alone_with_its_reason(ingested) -> None:
    _, lake, sample, _ = ingested
    bad = {w["week"]: w["status"] for w in truth_lines(sample) if w["kind"] == "week" and w["status"] != "ok"}
    latest = Ledger(lake).latest("ingest")
    failed = {w.isoformat(): r["message"].split(":")[0] for w, r in latest.items() if r["status"] == "failed"}
    assert failed == bad
    file_rows = lake.read("quarantine").where("line_number IS NULL").collect()
    assert {(r["week"].isoformat(), r["reason"]) for r in file_rows} == set(bad.items())
    assert lake.read("office_actions").where(f"week IN ({','.join(repr(w) for w in bad)})").count() == 0


def test_runs_reconcile_and_match_truth_counts(ingested) -> None:
    _, lake, sample, _ = ingested
    latest = Ledger(lake).latest("ingest")
    for w in truth_lines(sample):
        if w["kind"] != "week" or w["status"] != "ok":
            continue
        row = latest[date.fromisoformat(w["week"])]
        assert row["status"] == "done"
        assert row["records_in"] == row["records_out"] + row["duplicates"] + row["quarantined"]
        for key in ("records_in", "records_out", "duplicates", "quarantined"):
            assert row[key] == w[key], key
        assert len(row["input_sha256"]) == 64


def test_a_rerun_skips_weeks_done_from_the_same_bytes(ingested) -> None:
    _, lake, _, _ = ingested
    tasks, skipped, missing = ingest.plan(RunState.open(lake), None, force=False)
    good = {w for w, r in Ledger(lake).latest("ingest").items() if r["status"] == "done"}
    assert set(skipped) == good
    assert {t.week for t in tasks}.isdisjoint(good)
    assert missing == []


def test_reingesting_a_week_gives_the_same_rows_in_one_commit_touching_only_that_week(ingested) -> None:
    cfg, lake, _, _ = ingested
    week = date(2022, 1, 9)
    cols = ["week", "document_id", "application_number", "record_hash", "body_text", "line_number"]
    before = sorted(tuple(r) for r in lake.read("office_actions").select(*cols).collect())
    version = lake.version("office_actions")
    assert ingest.main(cfg, [week], force=True, spark=lake.spark) == 0
    after = sorted(tuple(r) for r in lake.read("office_actions").select(*cols).collect())
    assert after == before
    assert lake.version("office_actions") == version + 1
    commit = lake.history("office_actions").where(f"version = {version + 1}").collect()[0]
    assert commit["operation"] == "WRITE"
    assert "2022-01-09" in commit["operationParameters"]["predicate"]
    assert "2022-01-02" not in commit["operationParameters"]["predicate"]


def test_a_reader_during_a_rewrite_never_sees_a_mixed_week(ingested) -> None:
    cfg, lake, _, _ = ingested
    week = date(2022, 1, 2)
    expected = lake.read("office_actions", [week]).count()
    seen: list[tuple[int, int]] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            rows = lake.read("office_actions", [week]).select("ingested_at").collect()
            seen.append((len(rows), len({r["ingested_at"] for r in rows})))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        assert ingest.main(cfg, [week], force=True, spark=lake.spark) == 0
    finally:
        stop.set()
        thread.join()
    assert seen
    assert all(n == expected and stamps == 1 for n, stamps in seen), Counter(seen)


def test_tables_open_in_delta_rs_with_the_same_counts_and_partitions(ingested) -> None:
    from deltalake import DeltaTable

    _, lake, _, _ = ingested
    for table in ("office_actions", "quarantine", "staged_files", "runs"):
        arrow = DeltaTable(lake.location(table)).to_pyarrow_table()
        assert arrow.num_rows == lake.read(table).count(), table
    weeks_rs = set(
        DeltaTable(lake.location("office_actions"))
        .to_pyarrow_table(columns=["week"])
        .column("week")
        .to_pylist()
    )
    weeks_spark = {r["week"] for r in lake.read("office_actions").select("week").distinct().collect()}
    assert weeks_rs == weeks_spark


def test_latest_view_keeps_one_row_per_document(ingested) -> None:
    from oa_spark.latest import office_actions_latest

    _, lake, _, _ = ingested
    latest = office_actions_latest(lake)
    keys = latest.select("application_number", "document_id")
    assert keys.count() == keys.distinct().count()
    assert lake.spark.table("office_actions_latest").count() == keys.count()


def test_a_killed_ingest_leaves_tables_at_their_last_commit_and_a_rerun_finishes(
    spark, tmp_path: Path
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    sample = tmp_path / "sample"
    generate(sample, weeks=3, records=30, seed=5)
    lake_path = tmp_path / "lake"
    cfg = config.load(
        overrides=[f"lake.path={lake_path}", "spark.master=local[2]", "run.batch_weeks=1"], environ={}
    )
    lake = Lake(spark, cfg.lake)
    register_staged(lake, sample)
    cmd = [
        sys.executable,
        "-m",
        "oa_spark.cli",
        "--set",
        f"lake.path={lake_path}",
        "--set",
        "run.batch_weeks=1",
        "--set",
        "spark.master=local[1]",
        "ingest",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    log_dir = lake_path / "office_actions" / "_delta_log"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            commits = sorted(log_dir.glob("*.json")) if log_dir.is_dir() else []
            # created, then weeks 1 and 2 written (every table exists by then): kill during week 3
            if len(commits) >= 3:
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the job finished before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    truth = [d for d in truth_lines(sample) if d["kind"] == "document"]
    per_week = Counter(d["week"] for d in truth)
    counts = {
        r["week"].isoformat(): r["count"]
        for r in lake.read("office_actions").groupBy("week").count().collect()
    }
    assert counts, "the first week's commit should have survived"
    assert all(counts[w] == per_week[w] for w in counts), "a week is partially written"

    assert ingest.main(cfg, None, spark=spark) == 0
    counts = {
        r["week"].isoformat(): r["count"]
        for r in lake.read("office_actions").groupBy("week").count().collect()
    }
    assert counts == dict(per_week)


def _one_week_lake(spark, root: Path, faults: bool, seed: int) -> tuple[config.Config, Lake, Path]:
    sample = root / ("faulty" if faults else "clean")
    generate(sample, weeks=1, records=20, seed=seed, faults=faults, bomb_bytes=1024 * 1024)
    for broken in [p for p in sample.glob("*.zip") if "2022-01-02" not in p.name]:
        broken.unlink()  # keep the good week only (fault samples add broken files on later Sundays)
    cfg = config.load(overrides=[f"lake.path={root / 'lake'}", "spark.master=local[2]"], environ={})
    return cfg, Lake(spark, cfg.lake), sample


def test_a_week_reingested_from_clean_bytes_loses_its_old_quarantine_rows(spark, tmp_path: Path) -> None:
    cfg, lake, faulty = _one_week_lake(spark, tmp_path, faults=True, seed=3)
    register_staged(lake, faulty)
    assert ingest.main(cfg, None, spark=spark) == 0
    assert lake.read("quarantine").count() > 0, "the faulty week should have quarantined records"

    _, _, clean = _one_week_lake(spark, tmp_path, faults=False, seed=3)
    register_staged(lake, clean)  # a new staged version of the same week
    assert ingest.main(cfg, None, spark=spark) == 0
    assert lake.read("quarantine").count() == 0


def test_a_clean_batch_adds_no_quarantine_version_but_the_table_exists(spark, tmp_path: Path) -> None:
    cfg, lake, clean = _one_week_lake(spark, tmp_path, faults=False, seed=4)
    register_staged(lake, clean)
    assert ingest.main(cfg, None, spark=spark) == 0
    assert lake.exists("quarantine")
    before = lake.version("quarantine")
    assert ingest.main(cfg, None, force=True, spark=spark) == 0
    assert lake.version("quarantine") == before
    assert lake.read("quarantine").count() == 0


def test_a_staged_zip_replaced_since_staging_fails_its_week_naming_the_fix(spark, tmp_path: Path) -> None:
    cfg, lake, clean = _one_week_lake(spark, tmp_path, faults=False, seed=5)
    register_staged(lake, clean)
    staged = next(clean.glob("*.zip"))
    other = tmp_path / "other"
    generate(other, weeks=1, records=7, seed=6)  # another lake's input, staged over this one's file
    staged.write_bytes(next(other.glob("*2022-01-02*.zip")).read_bytes())
    assert ingest.main(cfg, None, spark=spark) == 1
    row = lake.read("runs").where("job = 'ingest' AND status = 'failed'").first()
    assert row is not None and "staged_file_changed" in row["message"] and "stage --force" in row["message"]
    assert not lake.exists("office_actions") or lake.read("office_actions").count() == 0
