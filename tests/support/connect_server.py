"""A Spark Connect server as its own process (spark-submit of `SparkConnectServer`), the way a user runs one
for `spark.remote=sc://…`; stopped by its own process group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT_S = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def connect_server(
    log: Path, master: str, conf: dict[str, str], packages: str = "", python: str = sys.executable
) -> Iterator[str]:
    """Start a server with these settings (and `--packages` when given), from the log's folder; yields its
    `sc://` URL. Its Python workers run `python` (this interpreter unless told otherwise)."""
    import pyspark

    port = _free_port()
    env = {
        **os.environ,
        "SPARK_HOME": str(Path(pyspark.__file__).parent),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_PYTHON": python,
    }
    env.pop("PYTHONPATH", None)
    settings = {**conf, "spark.connect.grpc.binding.port": str(port)}
    cmd = [str(Path(sys.executable).parent / "spark-submit"), "--master", master]
    cmd += [arg for key, value in settings.items() for arg in ("--conf", f"{key}={value}")]
    cmd += ["--packages", packages] if packages else []
    cmd += ["--class", "org.apache.spark.sql.connect.service.SparkConnectServer", "spark-internal"]
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=log.parent, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _listening(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Connect server did not start: {log.read_text()[-2000:]}")
            time.sleep(1)
        yield f"sc://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
