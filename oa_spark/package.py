"""`make package`: the wheel that spark-submit ships with `--py-files` and Databricks installs.

The wheel holds only `oa_spark` (pure Python; no pyspark inside). Its core dependencies (boto3, orjson,
ijson, pyarrow, smart_open) must be on the cluster's Python — `pip install dist/oa_spark-*.whl` on the nodes
(a bootstrap action or a Databricks library) installs them; `--py-files` then only needs the wheel itself.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path


def build_wheel(out: Path) -> Path:
    """Build the wheel into `out` with the current interpreter (no network, no build isolation)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("oa_spark-*.whl"):
        old.unlink()
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(out),
        ".",
    ]
    subprocess.run(cmd, check=True, cwd=Path(__file__).resolve().parents[1])
    (wheel,) = out.glob("oa_spark-*.whl")
    return wheel


def check_wheel(wheel: Path) -> list[str]:
    """Names inside the wheel; fails if pyspark (or anything but oa_spark) was packed in."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    stray = [n for n in names if not n.startswith(("oa_spark/", "oa_spark-"))]
    if stray:
        raise SystemExit(f"{wheel.name} holds files outside oa_spark: {stray[:5]}")
    return names


def main(argv: list[str] | None = None) -> int:
    out = Path((argv or sys.argv[1:] or ["dist"])[0])
    wheel = build_wheel(out)
    names = check_wheel(wheel)
    print(f"built {wheel} ({len(names)} files, {wheel.stat().st_size // 1024} KiB)")
    print(f"spark-submit --py-files {wheel} jobs/<stage>.py --conf conf/cluster.toml ...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
