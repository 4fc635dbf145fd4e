"""Databricks serverless entry point: `oa-spark` with the ODP API key read from a secret scope.

    spark_python_task: jobs/databricks_serverless.py --api-key-secret SCOPE/KEY [oa-spark arguments]

Job clusters turn a secret into the USPTO_API_KEY environment variable (`spark_env_vars`); serverless compute
has no such setting, so this script reads the secret with dbutils and then calls the same CLI. Everything
after --api-key-secret is an ordinary `oa-spark` command line (resources/weekly_serverless.job.yml).
"""

from __future__ import annotations

import argparse
import os
import sys

from oa_spark.cli import main
from oa_spark.sources.odp import ENV_KEY


def split_args(argv: list[str]) -> tuple[str | None, list[str]]:
    """(SCOPE/KEY or None, the remaining `oa-spark` arguments)."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--api-key-secret", metavar="SCOPE/KEY")
    known, rest = parser.parse_known_args(argv)
    return known.api_key_secret, rest


def export_api_key(secret: str) -> None:
    """Put the secret into the environment the ODP source reads, unless it is already there."""
    if os.environ.get(ENV_KEY):
        return
    scope, _, key = secret.partition("/")
    from databricks.sdk.runtime import dbutils  # present on Databricks compute

    os.environ[ENV_KEY] = dbutils.secrets.get(scope=scope, key=key)


def run(argv: list[str]) -> int:
    secret, rest = split_args(argv)
    if secret is not None:
        if "/" not in secret.strip("/"):
            print(
                f"databricks_serverless: error: --api-key-secret expects SCOPE/KEY, got {secret!r}",
                file=sys.stderr,
            )
            return 2
        export_api_key(secret)
    return main(rest)


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
