"""Fetch the JVM packages a local session needs (Delta, hadoop-aws) into the local Ivy cache.

`make install` runs this once so later runs work offline: Spark's own resolver downloads the jars from
Maven Central into ~/.ivy2.5.2 (Spark 4) the first time a session asks for them, and reads the cache after.
"""

from __future__ import annotations

import sys
import tempfile

from oa_spark.config import load


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        # An s3a lake path makes the session ask for hadoop-aws as well as Delta; nothing is written there.
        cfg = load(overrides=["spark.master=local[1]", f"staging.path={tmp}", "lake.path=s3a://warm/lake"])
        from oa_spark.session import build_local, packages

        spark = build_local(cfg)
        print("jars ready:", ", ".join(packages(cfg)), "spark", spark.version)
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
