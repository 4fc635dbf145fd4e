"""A real cluster: README's standalone spark-submit line against a master and two workers (each its own
JVM) whose executors start from a bare environment, with staging and lake on a moto S3 server.

Only what `make package` builds reaches the cluster: the executors' Python is the shipped
`dist/oa_spark_env.tar.gz` (the preflight reports its prefix), the driver's is the env it was packed from,
and spark-submit runs in a directory holding `conf/`, `jobs/`, `dist/` and `build/` but not the source tree.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import boto3
import pytest
from support.moto_server import MotoServer, free_port
from support.standalone import StandaloneCluster, scrubbed_env

from oa_spark import package
from oa_spark.synth import generate

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(2400)]

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "my-oa-lake"  # conf/cluster.toml's lake and staging bucket
SOURCE = f"s3://{BUCKET}/incoming/"
GOOD_WEEKS = ("2024-01-07", "2024-01-14")  # inside README's --from 2024-01-07 --to 2024-03-31
BAD_WEEK = "2024-01-21"  # the sample's first broken file: zip_truncated
SUBMIT_TIMEOUT_S = 1200
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A submitting machine's checkout after `make package`: conf/, jobs/, dist/, build/ (no oa_spark/)."""
    root = tmp_path_factory.mktemp("submit")
    for name in ("conf", "jobs"):
        shutil.copytree(ROOT / name, root / name)
    package.build(root / "dist", root / "build")
    return root


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MotoServer, StandaloneCluster]]:
    """moto and the cluster, stopped by their own pids whatever the tests did."""
    root = tmp_path_factory.mktemp("services")
    moto = MotoServer(root / "moto.log")
    try:
        cluster = StandaloneCluster(root / "spark", workers=2, memory="1g")
        try:
            yield moto, cluster
        finally:
            cluster.stop()
    finally:
        moto.stop()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, services) -> Path:
    """Two good weeks with record faults and one truncated file, uploaded to the source bucket."""
    moto, _ = services
    out = tmp_path_factory.mktemp("sample")
    generate(
        out,
        weeks=len(GOOD_WEEKS),
        records=30,
        seed=5,
        start=date(2024, 1, 7),
        faults=True,
        bomb_bytes=1 << 20,
    )
    client = boto3.session.Session().client("s3", endpoint_url=moto.url, **_client_credentials())
    client.create_bucket(Bucket=BUCKET)
    for week in (*GOOD_WEEKS, BAD_WEEK):
        zip_path = out / f"bdr_oa_bulkdata_weekly_{week}.zip"
        client.upload_file(str(zip_path), BUCKET, f"incoming/{zip_path.name}")
    return out


def _client_credentials() -> dict[str, str]:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "region_name": CREDENTIALS["AWS_DEFAULT_REGION"],
    }


def readme_command(master: str, *job_args: str) -> str:
    """README's standalone line with the S3 stand-in settings, pointed at `master`."""
    line = package.SUBMIT_LINES["standalone"].replace("spark://HOST:7077", master)
    line = line.replace("    jobs/run.py", f"{package.S3_STAND_IN}\n    jobs/run.py")
    return " ".join([line, *job_args])


def submit(workdir: Path, command: str, endpoint: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a spark-submit command line in `workdir` with a node's environment: no venv, no PYTHONPATH."""
    full_env = scrubbed_env(AWS_ENDPOINT_URL_S3=endpoint, **CREDENTIALS, **env)
    return subprocess.run(
        ["bash", "-c", command],
        cwd=workdir,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=SUBMIT_TIMEOUT_S,
        check=False,
    )


def events(result: subprocess.CompletedProcess[str], name: str) -> list[str]:
    return [ln for ln in (result.stdout + result.stderr).splitlines() if f"event={name} " in ln]


def field(line: str, key: str) -> str:
    found = re.search(rf"\b{key}=(\"[^\"]*\"|\S+)", line)
    assert found, f"no {key} in {line}"
    return found.group(1).strip('"')


def delta(endpoint: str, table: str):
    from deltalake import DeltaTable

    options = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "AWS_REGION": CREDENTIALS["AWS_DEFAULT_REGION"],
        "AWS_ALLOW_HTTP": "true",
    }
    return DeltaTable(f"s3://{BUCKET}/lake/{table}", storage_options=options)


SOURCE_ENV = {"OA_SPARK__SOURCE__NAME": "s3", "OA_SPARK__SOURCE__URL": SOURCE}
TABLES = ("staged_files", "office_actions", "quarantine", "rejections", "citations", "citation_edges")


@pytest.fixture(scope="module")
def first_run(workdir: Path, services, sample: Path) -> subprocess.CompletedProcess[str]:
    moto, cluster = services
    result = submit(workdir, readme_command(cluster.url), moto.url, **SOURCE_ENV)
    if not events(result, "executors_ready"):
        print(result.stdout[-5000:], result.stderr[-5000:], cluster.executor_logs()[-5000:])
    return result


def test_the_readme_line_runs_every_stage_and_fails_only_the_bad_week(first_run) -> None:
    assert first_run.returncode == 1, first_run.stderr[-3000:]
    failed = events(first_run, "failed_week")
    assert [field(ln, "week") for ln in failed] == [BAD_WEEK]
    assert "zip_truncated" in failed[0]
    assert events(first_run, "graphs_done"), "the run stopped before graphs"


def test_the_run_s_summary_names_the_bad_week_with_its_reason(first_run) -> None:
    failed = first_run.stdout.split("\nfailed (", 1)[-1].splitlines()[1:]
    assert [line for line in failed if BAD_WEEK in line and "zip_truncated" in line], first_run.stdout[-2000:]


def test_executors_ran_the_shipped_environment(first_run, services) -> None:
    _, cluster = services
    (ready,) = events(first_run, "executors_ready")
    prefixes = field(ready, "python_prefix").split(",")
    for prefix in prefixes:
        assert prefix.startswith(str(cluster.root)), prefix  # unpacked by a worker, not the driver's env
        assert prefix.endswith("/environment"), prefix


def test_the_driver_imported_oa_spark_from_the_packed_env(first_run, workdir: Path) -> None:
    (start,) = events(first_run, "start")
    assert field(start, "code").startswith(str(workdir / "build" / package.ENV_DIR)), start


def _truth(sample: Path) -> list[dict]:
    return [json.loads(line) for line in (sample / "truth.jsonl").read_text().splitlines()]


def test_office_actions_on_s3_equal_the_truth(first_run, services, sample: Path) -> None:
    moto, _ = services
    expected = {(d["week"], d["document_id"]) for d in _truth(sample) if d["kind"] == "document"}
    rows = delta(moto.url, "office_actions").to_pyarrow_table(columns=["week", "document_id"]).to_pylist()
    got = [(r["week"].isoformat(), r["document_id"]) for r in rows]
    assert len(got) == len(set(got))
    assert set(got) == expected
    assert {w for w, _ in got} == set(GOOD_WEEKS)


def test_quarantine_on_s3_holds_each_good_weeks_faulty_records(first_run, services, sample: Path) -> None:
    moto, _ = services
    expected = {
        d["week"]: d["quarantined"] for d in _truth(sample) if d["kind"] == "week" and d["week"] in GOOD_WEEKS
    }
    rows = delta(moto.url, "quarantine").to_pyarrow_table(columns=["week"]).to_pylist()
    assert Counter(r["week"].isoformat() for r in rows) == expected


def test_a_rerun_changes_no_table(first_run, workdir: Path, services) -> None:
    moto, cluster = services
    before = {t: delta(moto.url, t).version() for t in TABLES}
    again = submit(workdir, readme_command(cluster.url), moto.url, **SOURCE_ENV)
    assert again.returncode == 1, again.stderr[-3000:]
    assert [field(ln, "week") for ln in events(again, "failed_week")] == [BAD_WEEK]
    assert {t: delta(moto.url, t).version() for t in TABLES} == before
    (ingest,) = events(again, "ingest_done")
    assert field(ingest, "weeks") == "0"
    assert field(ingest, "skipped") == str(len(GOOD_WEEKS))


def _without(archive: Path, out: Path, module: str) -> Path:
    """A copy of the packed environment lacking one dependency's package directory."""
    out.parent.mkdir(parents=True, exist_ok=True)
    dropped = re.compile(rf"lib/python[\d.]+/site-packages/{module}/")
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz", compresslevel=1) as dst:
        for member in src:
            if dropped.match(member.name):
                continue
            dst.addfile(member, src.extractfile(member) if member.isfile() else None)
    return out


def test_executors_lacking_a_dependency_stop_the_job_naming_it(
    workdir: Path, services, tmp_path: Path
) -> None:
    moto, cluster = services
    broken = tmp_path / "machine"
    for name in ("conf", "jobs", "build"):
        (broken / name).parent.mkdir(parents=True, exist_ok=True)
        (broken / name).symlink_to(workdir / name)
    _without(workdir / "dist" / package.ENV_ARCHIVE, broken / "dist" / package.ENV_ARCHIVE, "isal")
    started = time.monotonic()
    result = submit(broken, readme_command(cluster.url), moto.url, **SOURCE_ENV)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert "executors cannot import isal" in output
    assert "--archives dist/oa_spark_env.tar.gz#environment" in output
    assert "Traceback" not in output
    assert time.monotonic() - started < SUBMIT_TIMEOUT_S


def test_a_driver_local_staging_path_under_a_cluster_master_exits_2_naming_the_key(workdir: Path) -> None:
    nowhere = f"spark://127.0.0.1:{free_port()}"  # no cluster there: the check runs before any session
    result = submit(workdir, readme_command(nowhere, "--set", "staging.path=./staging"), "http://127.0.0.1:9")
    output = result.stdout + result.stderr  # spark-submit passes the driver's stderr on as its stdout
    assert result.returncode == 2, output[-3000:]
    assert "staging.path is './staging'" in output
    assert "s3://bucket/prefix" in output
    assert "Traceback" not in output


def test_readme_shows_the_submit_lines_make_package_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, line in package.SUBMIT_LINES.items():
        assert line in readme, f"README lacks the {name} line"
    assert package.S3_STAND_IN in readme


def test_the_packed_environment_holds_oa_spark_and_its_dependencies_but_no_pyspark(workdir: Path) -> None:
    names = package.check_env(workdir / "dist" / package.ENV_ARCHIVE)
    site = {n.split("/site-packages/")[1].split("/")[0] for n in names if "/site-packages/" in n}
    for module in ("oa_spark", "pyarrow", "pandas", "orjson", "ijson", "isal", "boto3", "smart_open"):
        assert module in site, module
    assert "pyspark" not in site
    assert os.access(workdir / "build" / package.ENV_DIR / "bin" / "python", os.X_OK)
