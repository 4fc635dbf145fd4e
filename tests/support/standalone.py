"""A Spark standalone cluster on 127.0.0.1: one master and workers, each its own JVM started with pyspark's
`spark-class`, under a scrubbed environment (no PYTHONPATH, no PYSPARK_PYTHON, no venv on PATH), so
executors find nothing of the test's Python: what they import comes from what the job ships."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pyspark

from support.moto_server import free_port, wait_for_port

SPARK_HOME = Path(pyspark.__file__).resolve().parent
BARE_PATH = f"{SPARK_HOME / 'bin'}:/usr/local/bin:/usr/bin:/bin"


def scrubbed_env(**extra: str) -> dict[str, str]:
    """What a fresh cluster node has: Java, a Spark installation, a system PATH; no Python packages."""
    env = {
        "PATH": BARE_PATH,
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "SPARK_HOME": str(SPARK_HOME),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_DAEMON_MEMORY": "256m",
    }
    if "JAVA_HOME" in os.environ:
        env["JAVA_HOME"] = os.environ["JAVA_HOME"]
    env.update(extra)
    return env


class Daemon:
    """One `spark-class <main>` process with its log file, stopped by its own pid."""

    def __init__(self, main: str, args: list[str], log: Path, env: dict[str, str]) -> None:
        self.log = log
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            [str(SPARK_HOME / "bin" / "spark-class"), main, *args],
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )

    def wait_for(self, pattern: str, timeout_s: float = 60.0) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            text = self.log.read_text(errors="replace")
            found = re.search(pattern, text)
            if found:
                return found.group(0)
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.log.name} exited {self.process.returncode}: {text[-2000:]}")
            time.sleep(0.2)
        raise TimeoutError(f"{self.log.name}: no {pattern!r} after {timeout_s}s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._out.close()


class StandaloneCluster:
    """A master and `workers` workers (1 core, `memory` each) on 127.0.0.1, on free ports."""

    def __init__(self, root: Path, workers: int = 2, memory: str = "1g") -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.daemons: list[Daemon] = []
        try:
            self._start(workers, memory)
        except BaseException:
            self.stop()
            raise

    def _start(self, workers: int, memory: str) -> None:
        master = Daemon(
            "org.apache.spark.deploy.master.Master",
            ["--host", "127.0.0.1", "--port", str(self.port), "--webui-port", str(free_port())],
            self.root / "master.log",
            scrubbed_env(),
        )
        self.daemons.append(master)
        wait_for_port(self.port, master.process, timeout_s=90)
        master.wait_for("I have been elected leader", timeout_s=90)
        for n in range(workers):
            work = self.root / f"worker-{n}"
            (work / "local").mkdir(parents=True)
            self.daemons.append(
                Daemon(
                    "org.apache.spark.deploy.worker.Worker",
                    [
                        "--host",
                        "127.0.0.1",
                        "--cores",
                        "1",
                        "--memory",
                        memory,
                        "--webui-port",
                        str(free_port()),
                        "--work-dir",
                        str(work / "apps"),
                        self.url,
                    ],
                    self.root / f"worker-{n}.log",
                    scrubbed_env(SPARK_LOCAL_DIRS=str(work / "local")),
                )
            )
        for worker in self.daemons[1:]:
            worker.wait_for("Successfully registered with master", timeout_s=90)

    def executor_logs(self) -> str:
        """Every executor's stdout and stderr so far (the workers keep them under their work dirs)."""
        return "\n".join(
            p.read_text(errors="replace") for p in sorted(self.root.glob("worker-*/apps/*/*/std*"))
        )

    def stop(self) -> None:
        for daemon in reversed(self.daemons):
            daemon.stop()
