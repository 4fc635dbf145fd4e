"""A real moto S3 server process on 127.0.0.1 for the whole test session, reset before each test.

Test modules import the fixtures (`from support.moto_server import moto_server, s3`). The `s3` fixture points
every boto3 client at the server through `AWS_ENDPOINT_URL_S3` (boto3 reads it by itself) with dummy
credentials, and hides any AWS configuration of the machine.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import requests

LEGACY_BUCKET = "developer-hub"
LEGACY_PREFIX = "bdr-oa-bulkdata/weekly/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server process exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout_s}s")


class MotoServer:
    """`python -m moto.server -H 127.0.0.1 -p PORT` as a child process, stopped by its own pid."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process)

    def reset(self) -> None:
        requests.post(f"{self.url}/moto-api/reset", timeout=10).raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self._log.close()


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    server = MotoServer(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server
    server.stop()


@dataclass
class S3Env:
    """The moto endpoint the environment points at, and a client that talks to moto directly."""

    endpoint: str
    client: object

    def public_bucket(self, name: str = LEGACY_BUCKET) -> None:
        """A bucket anyone may GET and HEAD (as the legacy Developer Hub bucket was)."""
        self.client.create_bucket(Bucket=name)
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["s3:GetObject", "s3:HeadObject"],
                    "Resource": f"arn:aws:s3:::{name}/*",
                }
            ],
        }
        self.client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))

    def put(self, bucket: str, key: str, body: bytes) -> str:
        """Upload and return the ETag (unquoted)."""
        return self.client.put_object(Bucket=bucket, Key=key, Body=body)["ETag"].strip('"')


def point_at(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Route every new boto3 client to `endpoint` (moto, or a proxy in front of it)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", endpoint)


@pytest.fixture
def s3(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> S3Env:
    moto_server.reset()
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    point_at(monkeypatch, moto_server.url)
    client = boto3.session.Session().client("s3", endpoint_url=moto_server.url)
    return S3Env(moto_server.url, client)
