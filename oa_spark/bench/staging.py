"""Staging throughput against a local moto S3 server, next to a plain boto3 `download_file` loop.

Both sides copy the same objects from the same server in the same run. `staging_vs_download_file` compares
staging's data path, the span from its first download to its last file verified (size, sha256, every CRC),
fsynced and renamed into place, with the loop: that is the throughput, what grows with the bytes. The
job's fixed cost per run (reading `staged_files`, the `runs` and manifest commits: a few seconds of Spark
whatever the size) is reported beside it, with the end-to-end ratio, since against a local server that
fixed cost is as long as the whole transfer. The loop uses the same TransferConfig as staging, so both move
each file with the same multipart settings; the loop with boto3's default settings is shown too.
Objects are valid zips of random (incompressible) bytes, 20 × 60 MB by default, smaller with --records and
fewer with --weeks. Each measured run re-stages every week with --force into the same lake, so every file
is copied every time and the manifest commits are those of steady use (a MERGE superseding older rows).

A third loop, `download_fileobj` hashing sha256 on the way as staging does (or after, when parts came out
of order), is shown for attribution only
(no target): the sha256 staging must record is the largest cost the plain loop does not pay, and against a
server on the same few cores the copy is CPU-bound, so that loop is the floor staging's data path sits on.
The key keeps comparing with the plain loop.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from oa_spark.bench import BenchContext, BenchResult
from oa_spark.bench.common import BENCH_START, REALISTIC_RECORDS, best_of, wall_time

if TYPE_CHECKING:
    from oa_spark.stages.staging import StageReport

FILES = 20
FILE_MB = 60
REPEATS = 3
MB = 1024 * 1024
BUCKET = "bench"
PREFIX = "weekly/"


def sizes(ctx: BenchContext) -> tuple[int, int]:
    """(files, bytes per file): 20 × 60 MB, scaled down by --weeks / --records (60 MB ≈ 15,000 records)."""
    files = ctx.weeks or FILES
    records = ctx.records or REALISTIC_RECORDS
    return files, max(MB, FILE_MB * MB * min(records, REALISTIC_RECORDS) // REALISTIC_RECORDS)


def write_zip(path: Path, size: int, seed: int) -> None:
    """A valid zip of about `size` bytes: one stored member of random bytes, written in 4 MB chunks."""
    member = zipfile.ZipInfo("data.bin", date_time=(2022, 1, 1, 0, 0, 0))
    member.compress_type = zipfile.ZIP_STORED
    left = size - 200
    with zipfile.ZipFile(path, "w") as archive, archive.open(member, "w", force_zip64=True) as out:
        while left > 0:
            chunk = os.urandom(min(4 * MB, left))
            out.write(chunk)
            left -= len(chunk)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def moto_server(log_path: Path) -> Iterator[str]:
    """A moto S3 server process on 127.0.0.1, and the environment pointing boto3 at it, for the block."""
    import socket
    import time

    port = _free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
        )
        env = {
            "AWS_ENDPOINT_URL_S3": f"http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"moto server did not start; see {log_path}") from None
                    time.sleep(0.1)
            yield env["AWS_ENDPOINT_URL_S3"]
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def run(ctx: BenchContext) -> BenchResult:
    from boto3.s3.transfer import TransferConfig

    from oa_spark import config, s3io
    from oa_spark.session import get_spark
    from oa_spark.sources import HashingWriter
    from oa_spark.stages.staging import sha256_file, stage
    from oa_spark.weeks import consecutive, file_name

    files, size = sizes(ctx)
    weeks = consecutive(BENCH_START, files)
    work = ctx.workdir
    work.mkdir(parents=True, exist_ok=True)
    result = BenchResult("staging")
    with moto_server(work / "moto.log"):
        base = [
            "source.name=s3",
            f"source.url=s3://{BUCKET}/{PREFIX}",
            "spark.master=local[2]",
            "spark.shuffle_partitions=4",
        ]
        cfg = config.load(overrides=base)
        client = s3io.client(cfg.source.max_attempts)
        client.create_bucket(Bucket=BUCKET)
        sample = work / "sample.zip"
        for i, week in enumerate(weeks):
            write_zip(sample, size, seed=i)
            client.upload_file(str(sample), BUCKET, PREFIX + file_name(week))
        total = sample.stat().st_size * files
        sample.unlink()

        spark = get_spark(cfg)
        # One lake for every repeat, as in steady use; the warm-up stages one file (first Delta commits, JIT)
        # and each measured run re-stages every week with --force, so every file is copied every time.
        lake_cfg = config.load(
            overrides=[*base, f"lake.path={work / 'lake'}", f"staging.path={work / 'staging'}"]
        )
        stage(lake_cfg, weeks[:1], spark=spark)

        keys = [PREFIX + file_name(w) for w in weeks]
        same_transfer = s3io.transfer_config(cfg.staging)

        copy_seconds: list[float] = []

        def staging() -> float:
            report = stage(lake_cfg, weeks, force=True, spark=spark)
            _check(report, files)
            copy_seconds.append(report.copy_seconds)
            shutil.rmtree(work / "staging")
            return report.seconds

        def download_loop(transfer: TransferConfig | None) -> float:
            out = work / "downloads"
            out.mkdir(exist_ok=True)
            loop_client = s3io.client(cfg.source.max_attempts)
            seconds = wall_time(
                lambda: [
                    loop_client.download_file(BUCKET, k, str(out / k.rsplit("/", 1)[-1]), Config=transfer)
                    for k in keys
                ]
            )
            shutil.rmtree(out)
            return seconds

        def hashing_loop() -> float:
            out = work / "hashed"
            out.mkdir(exist_ok=True)
            loop_client = s3io.client(cfg.source.max_attempts)

            def copy(key: str) -> str:
                path = out / key.rsplit("/", 1)[-1]
                with path.open("wb") as f:
                    writer = HashingWriter(f)
                    loop_client.download_fileobj(BUCKET, key, writer, Config=same_transfer)
                return writer.hexdigest() or sha256_file(path)  # as staging: parts out of order, hash after

            seconds = wall_time(lambda: [copy(k) for k in keys])
            shutil.rmtree(out)
            return seconds

        loop_s, hashed_s, staging_s = best_of(
            ctx.repeats or REPEATS, lambda: download_loop(same_transfer), hashing_loop, staging
        )
        (default_s,) = best_of(1, lambda: download_loop(TransferConfig()))

    mb, data_path_s = total / MB, min(copy_seconds)
    result.add("files × MB", f"{files} × {size / MB:.0f}")
    result.add("download_file loop MB/s (same TransferConfig)", mb / loop_s)
    result.add("download_file loop MB/s (boto3 default TransferConfig)", mb / default_s)
    result.add("download_fileobj loop hashing sha256 on the way MB/s (same TransferConfig)", mb / hashed_s)
    result.add("staging data path MB/s (copy, verify, fsync, rename)", mb / data_path_s)
    result.add("staging job MB/s (plus manifest read and Delta commits)", mb / staging_s)
    result.add("staging job fixed cost per run, s (Delta bookkeeping)", staging_s - data_path_s)
    result.add("staging job ÷ download_file loop", loop_s / staging_s)
    result.add("staging data path ÷ loop hashing sha256 on the way (attribution)", hashed_s / data_path_s)
    result.add(
        "staging data path ÷ download_file loop",
        loop_s / data_path_s,
        "≥ 0.9",
        key="staging_vs_download_file",
    )
    return result


def _check(report: StageReport, files: int) -> None:
    staged = len(report.with_status("staged"))
    if staged != files:
        raise RuntimeError(f"staging bench: {staged} of {files} files staged: {report.outcomes}")
