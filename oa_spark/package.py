"""`make package`: what a cluster needs, built the way PySpark's packaging guide does it.

Two artifacts in `dist/`:

* the wheel, `oa_spark-<version>-py3-none-any.whl` (only `oa_spark`; what Databricks and `pip` install);
* `oa_spark_env.tar.gz`, a relocatable virtual environment (venv-pack) holding that wheel and every runtime
  dependency, installed non-editable into a fresh venv under `build/`. spark-submit ships it with
  `--archives dist/oa_spark_env.tar.gz#environment` and `spark.pyspark.python=./environment/bin/python`, so
  executors need nothing installed but a CPython of the same version at the same path as the one that
  built it (venv-pack links the interpreter rather than copying it). pyspark is not inside: executors and
  spark-submit's driver take it from the Spark installation (`$SPARK_HOME/python/lib`), and Delta's Python
  API from the Delta jar that `--packages` adds.

Only the standard library is imported here, so `make package` runs from a small tools venv (pip,
setuptools, wheel, venv-pack) instead of the full development install.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV_ARCHIVE = "oa_spark_env.tar.gz"
ENV_DIR = "oa_spark_env"  # under build/: the venv that is packed; the client-mode driver's Python

# The spark-submit lines README shows and `make package` prints; tests/test_cluster.py runs `standalone`.
SUBMIT_LINES = {
    "standalone": """\
spark-submit --master spark://HOST:7077 --properties-file conf/spark/cluster.conf \\
    --conf spark.sql.shuffle.partitions=4 --conf spark.databricks.delta.snapshotPartitions=2 \\
    --archives dist/oa_spark_env.tar.gz#environment \\
    --conf spark.pyspark.python=./environment/bin/python \\
    --conf spark.pyspark.driver.python=build/oa_spark_env/bin/python \\
    jobs/run.py --conf conf/cluster.toml --from 2024-01-07 --to 2024-03-31""",
    "yarn": """\
spark-submit --master yarn --deploy-mode cluster --properties-file conf/spark/cluster.conf \\
    --archives dist/oa_spark_env.tar.gz#environment \\
    --conf spark.pyspark.python=./environment/bin/python \\
    --files conf/cluster.toml \\
    jobs/run.py --conf cluster.toml --from 2024-01-07 --to 2024-03-31""",
    "kubernetes": """\
spark-submit --master k8s://https://K8S_API:6443 --deploy-mode cluster \\
    --properties-file conf/spark/cluster.conf \\
    --conf spark.kubernetes.container.image=SPARK_4_2_IMAGE \\
    --conf spark.kubernetes.file.upload.path=s3a://my-oa-lake/spark-uploads \\
    --archives dist/oa_spark_env.tar.gz#environment \\
    --conf spark.pyspark.python=./environment/bin/python \\
    --files conf/cluster.toml \\
    jobs/run.py --conf cluster.toml --from 2024-01-07 --to 2024-03-31""",
}

# Added to a line above when S3 is a local stand-in (MinIO, moto) rather than AWS: executors learn the
# endpoint and credentials only through Spark (instance roles / IRSA make the credential lines unneeded).
S3_STAND_IN = """\
    --conf spark.hadoop.fs.s3a.endpoint=$AWS_ENDPOINT_URL_S3 \\
    --conf spark.hadoop.fs.s3a.path.style.access=true \\
    --conf spark.hadoop.fs.s3a.connection.ssl.enabled=false \\
    --conf spark.executorEnv.AWS_ENDPOINT_URL_S3=$AWS_ENDPOINT_URL_S3 \\
    --conf spark.executorEnv.AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID \\
    --conf spark.executorEnv.AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY \\
    --conf spark.executorEnv.AWS_DEFAULT_REGION=$AWS_DEFAULT_REGION \\"""


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, cwd=ROOT)


def build_wheel(out: Path) -> Path:
    """The wheel, built by pip from the source tree with this interpreter's setuptools (no network)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("oa_spark-*.whl"):
        old.unlink()
    # setuptools builds in-tree under build/lib and reuses it: a module deleted from the source would stay.
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), "."]
    )
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


def build_env(wheel: Path, prefix: Path) -> Path:
    """A fresh venv at `prefix` with the wheel, its runtime dependencies and the `cluster` extra (what
    PySpark's Arrow path imports on executors: pandas, numpy); no pip, no pyspark inside."""
    shutil.rmtree(prefix, ignore_errors=True)
    _run([sys.executable, "-m", "venv", "--without-pip", str(prefix)])
    python = prefix / "bin" / "python"
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", f"{wheel.resolve()}[cluster]"]
    )
    return prefix


def pack_env(prefix: Path, archive: Path) -> Path:
    import venv_pack

    archive.parent.mkdir(parents=True, exist_ok=True)
    venv_pack.pack(prefix=str(prefix), output=str(archive), force=True)
    return archive


def check_env(archive: Path) -> list[str]:
    """Names inside the archive; fails unless it holds a python, oa_spark and no pyspark."""
    with tarfile.open(archive) as tf:
        names = tf.getnames()
    site = [n for n in names if "/site-packages/" in n]
    if "bin/python" not in names or not any(n.endswith("/site-packages/oa_spark/__init__.py") for n in site):
        raise SystemExit(f"{archive} lacks bin/python or oa_spark")
    if any("/site-packages/pyspark/" in n for n in site):
        raise SystemExit(f"{archive} holds pyspark; executors take it from the Spark installation")
    return names


def build(dist: Path, work: Path) -> tuple[Path, Path]:
    """Both artifacts: (wheel, env archive)."""
    wheel = build_wheel(dist)
    check_wheel(wheel)
    archive = pack_env(build_env(wheel, work / ENV_DIR), dist / ENV_ARCHIVE)
    check_env(archive)
    return wheel, archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oa_spark.package", description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="where the artifacts go")
    parser.add_argument("--build", type=Path, default=Path("build"), help="where the env is assembled")
    args = parser.parse_args(argv)
    wheel, archive = build(args.dist.resolve(), args.build.resolve())
    print(f"built {wheel} ({wheel.stat().st_size // 1024} KiB)")
    print(f"built {archive} ({archive.stat().st_size // 2**20} MiB; python, oa_spark and its dependencies)")
    for name, line in SUBMIT_LINES.items():
        print(f"\n# {name}\n{line}")
    print(f"\n# S3 stand-in (MinIO, moto): add before jobs/run.py\n{S3_STAND_IN}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
