"""The library uses nothing that Spark Connect lacks: no SparkContext, RDDs, accumulators, JVM handles or the
`delta.tables` Python API. Checked on the source's syntax tree, so a new use anywhere fails here."""

from __future__ import annotations

import ast
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[1] / "oa_spark"
FORBIDDEN_ATTRIBUTES = frozenset({"sparkContext", "_jvm", "_jsc", "parallelize", "accumulator"})
FORBIDDEN_MODULES = ("delta.tables", "pyspark.accumulators", "pyspark.rdd", "pyspark.context")
# The allowed places, each on a path with a JVM in this process: the ingest benchmark reads the JVM's pid
# for its CPU accounting; a command cut by Ctrl-C silences the log of the classic session it started; a
# local Connect server (`spark.remote=local[N]`) runs in this process's JVM, whose error log is turned off.
ALLOWED = {
    "bench/ingest.py": frozenset({"sparkContext", "_jvm"}),
    "session.py": frozenset({"sparkContext", "_jvm"}),
}


def violations(source: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """`line: what` for every Connect-unsafe use in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES - allowed:
            found.append(f"{node.lineno}: .{node.attr}")
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found += [f"{node.lineno}: import {m}" for m in modules if m.startswith(FORBIDDEN_MODULES)]
    return found


def test_the_checker_finds_each_kind_of_connect_unsafe_use() -> None:
    source = (
        "from delta.tables import DeltaTable\n"
        "import pyspark.rdd\n"
        "from delta import tables\n"
        "spark.sparkContext.parallelize([1])\n"
        "spark._jvm.java\n"
        "spark._jsc.hadoopConfiguration()\n"
        "sc.accumulator(0)\n"
    )
    found = violations(source)
    for what in ("DeltaTable", "pyspark.rdd", "delta.tables", "sparkContext", "parallelize", "_jvm", "_jsc"):
        assert any(what in v for v in found), (what, found)
    assert any("accumulator" in v for v in found)


def test_the_library_uses_nothing_spark_connect_lacks() -> None:
    found = {}
    for path in sorted(LIBRARY.rglob("*.py")):
        rel = path.relative_to(LIBRARY).as_posix()
        bad = violations(path.read_text(), ALLOWED.get(rel, frozenset()))
        if bad:
            found[rel] = bad
    assert not found, f"Connect-unsafe calls outside {sorted(ALLOWED)}: {found}"
