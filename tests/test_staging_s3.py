"""Staging from the legacy bucket on a real moto server: listing or HEAD probing, idempotence, new versions,
S3 as the staging area."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from support.fault_proxy import FaultProxy
from support.moto_server import LEGACY_BUCKET, LEGACY_PREFIX, S3Env, moto_server, point_at, s3  # noqa: F401
from support.zips import weekly_zip

from oa_spark import config
from oa_spark.ledger import StagedFiles
from oa_spark.stages.staging import stage
from oa_spark.tables import Lake
from oa_spark.weeks import file_name

pytestmark = pytest.mark.spark

W1, W2, W3 = date(2022, 1, 2), date(2022, 1, 9), date(2022, 1, 16)
WEEKS = [W1, W2, W3]


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def legacy_cfg(tmp_path: Path, *more: str) -> config.Config:
    return config.load(
        overrides=[
            "source.name=legacy",
            "source.max_attempts=4",
            f"lake.path={tmp_path / 'lake'}",
            f"staging.path={tmp_path / 'staging'}",
            *more,
        ]
    )


def manifest(spark, cfg: config.Config) -> list[dict]:
    rows = Lake(spark, cfg.lake).read("staged_files").collect()
    return sorted((r.asDict() for r in rows), key=lambda r: (r["week"], r["version"]))


@pytest.fixture
def bucket(s3: S3Env) -> S3Env:  # noqa: F811
    """The public legacy bucket with weeks 1 and 3; week 2 is a hole."""
    s3.public_bucket()
    for week in (W1, W3):
        s3.put(LEGACY_BUCKET, LEGACY_PREFIX + file_name(week), weekly_zip(week))
    return s3


@pytest.fixture
def proxy(bucket: S3Env, monkeypatch: pytest.MonkeyPatch):
    p = FaultProxy(bucket.endpoint)
    point_at(monkeypatch, p.url)
    yield p
    p.stop()


def test_listing_allowed_and_refused_stage_the_same_weeks(spark, proxy, tmp_path: Path) -> None:
    listed_cfg, probed_cfg = legacy_cfg(tmp_path / "listed"), legacy_cfg(tmp_path / "probed")
    listed = stage(listed_cfg, WEEKS, spark=spark)
    proxy.refuse_list = True
    probed = stage(probed_cfg, WEEKS, spark=spark)

    assert "refused" in [what for _, _, what in proxy.log]
    for report in (listed, probed):
        assert [o.week for o in report.with_status("staged")] == [W1, W3]
        assert report.missing == [W2]
        assert report.exit_code == 0
    pick = ("week", "file_name", "sha256", "size_bytes", "version_tag", "version", "status")
    assert [{k: r[k] for k in pick} for r in manifest(spark, listed_cfg)] == [
        {k: r[k] for k in pick} for r in manifest(spark, probed_cfg)
    ]


def test_staged_files_land_under_their_week_with_the_manifest_row(spark, bucket, tmp_path: Path) -> None:
    cfg = legacy_cfg(tmp_path)
    stage(cfg, WEEKS, spark=spark)
    final = tmp_path / "staging" / f"week={W1}" / file_name(W1)
    assert final.read_bytes() == weekly_zip(W1)
    row = manifest(spark, cfg)[0]
    assert row["staged_path"] == str(final)
    assert (row["sha256"], row["size_bytes"], row["version"], row["status"]) == (
        sha(weekly_zip(W1)),
        len(weekly_zip(W1)),
        1,
        "staged",
    )
    assert (row["source"], row["source_url"]) == (
        "legacy",
        f"s3://{LEGACY_BUCKET}/{LEGACY_PREFIX}{file_name(W1)}",
    )
    assert not list((tmp_path / "staging").rglob("*.part"))


def test_a_rerun_copies_nothing(spark, proxy, tmp_path: Path) -> None:
    cfg = legacy_cfg(tmp_path)
    stage(cfg, WEEKS, spark=spark)
    before = len(proxy.log)
    again = stage(cfg, WEEKS, spark=spark)

    assert [o.week for o in again.with_status("skipped")] == [W1, W3]
    assert not [m for m, path, _ in proxy.log[before:] if m == "GET" and path.endswith(".zip")]
    assert len(manifest(spark, cfg)) == 2
    runs = Lake(spark, cfg.lake).read("runs").where(f"run_id = '{again.run_id}'").collect()
    assert sorted((r["week"], r["status"]) for r in runs) == [(W1, "skipped"), (W3, "skipped")]


def test_a_changed_object_is_staged_as_a_new_version_and_the_old_one_kept(
    spark, bucket, tmp_path: Path
) -> None:
    cfg = legacy_cfg(tmp_path)
    stage(cfg, WEEKS, spark=spark)
    changed = weekly_zip(W1, seed=1)
    bucket.put(LEGACY_BUCKET, LEGACY_PREFIX + file_name(W1), changed)
    report = stage(cfg, WEEKS, spark=spark)

    assert [o.week for o in report.with_status("staged")] == [W1]
    assert [o.week for o in report.with_status("skipped")] == [W3]
    rows = [(r["week"], r["version"], r["status"], r["sha256"]) for r in manifest(spark, cfg)]
    assert rows == [
        (W1, 1, "superseded", sha(weekly_zip(W1))),
        (W1, 2, "staged", sha(changed)),
        (W3, 1, "staged", sha(weekly_zip(W3))),
    ]
    week_dir = tmp_path / "staging" / f"week={W1}"
    assert (week_dir / file_name(W1)).read_bytes() == weekly_zip(W1)
    assert (week_dir / "v2" / file_name(W1)).read_bytes() == changed
    assert StagedFiles(Lake(spark, cfg.lake)).current()[W1]["staged_path"] == str(
        week_dir / "v2" / file_name(W1)
    )


def test_force_restages_every_week_as_a_new_version(spark, bucket, tmp_path: Path) -> None:
    cfg = legacy_cfg(tmp_path)
    stage(cfg, WEEKS, spark=spark)
    report = stage(cfg, WEEKS, spark=spark, force=True)

    assert [(o.week, o.version) for o in report.with_status("staged")] == [(W1, 2), (W3, 2)]
    current = StagedFiles(Lake(spark, cfg.lake)).current()
    assert {w: r["version"] for w, r in current.items()} == {W1: 2, W3: 2}
    assert len(manifest(spark, cfg)) == 4


def test_runs_get_a_running_then_a_done_row_per_week_with_a_file(spark, bucket, tmp_path: Path) -> None:
    cfg = legacy_cfg(tmp_path)
    report = stage(cfg, WEEKS, spark=spark)

    rows = Lake(spark, cfg.lake).read("runs").collect()
    assert {r["run_id"] for r in rows} == {report.run_id}
    assert sorted((r["week"], r["status"], r["input_sha256"]) for r in rows) == [
        (W1, "done", sha(weekly_zip(W1))),
        (W1, "running", None),
        (W3, "done", sha(weekly_zip(W3))),
        (W3, "running", None),
    ]


def test_staging_into_s3(spark, bucket, tmp_path: Path) -> None:
    bucket.client.create_bucket(Bucket="staging")
    cfg = legacy_cfg(tmp_path, "staging.path=s3://staging/area")
    stage(cfg, WEEKS, spark=spark)

    key = f"area/week={W1}/{file_name(W1)}"
    assert bucket.client.get_object(Bucket="staging", Key=key)["Body"].read() == weekly_zip(W1)
    keys = sorted(o["Key"] for o in bucket.client.list_objects_v2(Bucket="staging")["Contents"])
    assert keys == [key, f"area/week={W3}/{file_name(W3)}"]
    assert manifest(spark, cfg)[0]["staged_path"] == f"s3://staging/{key}"


def test_a_batch_across_a_year_end_lists_each_month_not_the_decade() -> None:
    from oa_spark.stages.staging import listing_prefixes

    rels = ["week=2021-12-26/a.zip", "week=2022-01-02/b.zip", "week=2022-01-09/v2/c.zip"]
    assert listing_prefixes(rels) == ["week=2021-12-26/a.zip", "week=2022-01-0"]
    assert listing_prefixes([]) == []


def test_a_rerun_into_s3_lists_the_staging_area_once_and_restages_a_deleted_object(
    spark, bucket, proxy, tmp_path: Path
) -> None:
    bucket.client.create_bucket(Bucket="staging")
    cfg = legacy_cfg(tmp_path, "staging.path=s3://staging/area")
    stage(cfg, WEEKS, spark=spark)
    before = len(proxy.log)
    again = stage(cfg, WEEKS, spark=spark)
    assert [o.week for o in again.with_status("skipped")] == [W1, W3]
    to_staging = [(m, path) for m, path, _ in proxy.log[before:] if path.startswith("/staging")]
    assert len(to_staging) == 1, to_staging  # one ListObjectsV2, no request per staged file
    assert to_staging[0][0] == "GET" and "list-type=2" in to_staging[0][1]
    assert "prefix=area%2Fweek%3D2022-01-" in to_staging[0][1]  # the weeks' shared prefix, not the area

    bucket.client.delete_object(Bucket="staging", Key=f"area/week={W3}/{file_name(W3)}")
    report = stage(cfg, WEEKS, spark=spark)
    assert [(o.week, o.version) for o in report.with_status("staged")] == [(W3, 2)]
    key = f"area/week={W3}/v2/{file_name(W3)}"
    assert bucket.client.get_object(Bucket="staging", Key=key)["Body"].read() == weekly_zip(W3)
