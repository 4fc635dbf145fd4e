"""Delta helpers: where a table lives, create it if missing, replace weeks atomically, read it.

A table is a folder under `lake.path` or, when `lake.catalog` and `lake.schema` are both set, the managed
table `catalog.schema.<name>` (Unity Catalog). Every write here is a single Delta commit.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from oa_spark.config import LakeConfig, is_remote, uses_catalog

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType


def weeks_predicate(weeks: Iterable[date]) -> str:
    """SQL predicate selecting exactly these weeks (for replaceWhere and reads)."""
    days = sorted(set(weeks))
    if not days:
        raise ValueError("no weeks given")
    return "week IN (" + ", ".join(f"DATE'{d.isoformat()}'" for d in days) + ")"


class Lake:
    """The project's tables, by name, on one session."""

    def __init__(self, spark: SparkSession, cfg: LakeConfig) -> None:
        self.spark = spark
        self.cfg = cfg

    # -- where ---------------------------------------------------------------------------------------------
    def location(self, table: str) -> str:
        """A path (`lake.path/<table>`) or a catalog name (`catalog.schema.<table>`)."""
        if uses_catalog(self.cfg):
            return f"{self.cfg.catalog}.{self.cfg.schema}.{table}"
        base = self.cfg.path if is_remote(self.cfg.path) else os.path.abspath(self.cfg.path)
        return f"{base.rstrip('/')}/{table}"

    def _delta(self, table: str):
        from delta.tables import DeltaTable

        loc = self.location(table)
        if uses_catalog(self.cfg):
            return DeltaTable.forName(self.spark, loc)
        return DeltaTable.forPath(self.spark, loc)

    def exists(self, table: str) -> bool:
        from delta.tables import DeltaTable

        loc = self.location(table)
        if uses_catalog(self.cfg):
            return bool(self.spark.catalog.tableExists(loc))
        return DeltaTable.isDeltaTable(self.spark, loc)

    # -- create --------------------------------------------------------------------------------------------
    def ensure(
        self, table: str, schema: StructType | None = None, partition_by: tuple[str, ...] = ()
    ) -> None:
        """Create the table with its schema and partitioning when it does not exist (a no-op otherwise)."""
        if schema is None:
            from oa_spark.schemas import TABLES

            schema, partition_by = TABLES[table]
        from delta.tables import DeltaTable

        loc = self.location(table)
        if not uses_catalog(self.cfg) and not self.exists(table):
            self._drop_uncommitted_log(loc)
        builder = DeltaTable.createIfNotExists(self.spark).addColumns(schema)
        builder = builder.tableName(loc) if uses_catalog(self.cfg) else builder.location(loc)
        if partition_by:
            builder = builder.partitionedBy(*partition_by)
        builder.execute()

    def _drop_uncommitted_log(self, loc: str) -> None:
        """Remove a `_delta_log` that holds no commit: what a job killed while creating the table leaves.

        Delta refuses to create a table over it (DELTA_TABLE_NOT_FOUND), so the rerun would fail forever.
        With no commit there is no table version anyone can read, so nothing is lost.
        """
        jvm = self.spark._jvm  # Hadoop's FileSystem serves local paths and s3a:// alike
        log_dir = jvm.org.apache.hadoop.fs.Path(f"{loc}/_delta_log")
        fs = log_dir.getFileSystem(self.spark._jsc.hadoopConfiguration())
        if not fs.exists(log_dir):
            return
        names = [status.getPath().getName() for status in fs.listStatus(log_dir)]
        if not any(name.endswith((".json", ".checkpoint.parquet")) and name[:1].isdigit() for name in names):
            fs.delete(log_dir, True)

    # -- read ----------------------------------------------------------------------------------------------
    def read(self, table: str, weeks: Iterable[date] | None = None) -> DataFrame:
        """The table's current version (never its Parquet files directly: they include removed ones)."""
        loc = self.location(table)
        df = self.spark.table(loc) if uses_catalog(self.cfg) else self.spark.read.format("delta").load(loc)
        if weeks is not None:
            df = df.where(weeks_predicate(weeks))
        return df

    def has_rows(self, table: str, weeks: Iterable[date]) -> bool:
        """Whether the table exists and holds any row of these weeks (reads at most one row)."""
        return self.exists(table) and not self.read(table, weeks).isEmpty()

    def read_or_empty(self, table: str) -> DataFrame:
        if self.exists(table):
            return self.read(table)
        from oa_spark.schemas import TABLES

        return self.spark.createDataFrame([], TABLES[table][0])

    def version(self, table: str) -> int:
        return int(self._delta(table).history(1).collect()[0]["version"])

    def history(self, table: str) -> DataFrame:
        return self._delta(table).history()

    # -- write ---------------------------------------------------------------------------------------------
    def _save(self, writer, table: str) -> None:
        loc = self.location(table)
        writer = writer.option("compression", self.cfg.compression)
        if uses_catalog(self.cfg):
            writer.saveAsTable(loc)
        else:
            writer.save(loc)

    def replace_weeks(self, table: str, df: DataFrame, weeks: Iterable[date]) -> None:
        """Atomically swap the given weeks' rows for `df` in one commit; other weeks are untouched.

        Readers see the old weeks or the new ones, never a mix. `df` must only hold rows of those weeks
        (Delta checks it); an empty `df` empties the weeks.
        """
        self.ensure(table)
        writer = df.write.format("delta").mode("overwrite").option("replaceWhere", weeks_predicate(weeks))
        self._save(writer, table)

    def append(self, table: str, df: DataFrame) -> None:
        self.ensure(table)
        self._save(df.write.format("delta").mode("append"), table)

    def overwrite(self, table: str, df: DataFrame) -> None:
        """Replace the whole table in one commit (graph-level tables on a full rebuild)."""
        self.ensure(table)
        self._save(df.write.format("delta").mode("overwrite").option("overwriteSchema", "false"), table)

    def merge(self, table: str, df: DataFrame, keys: list[str]) -> None:
        """Upsert `df` into the table on `keys` in one commit."""
        self.ensure(table)
        cond = " AND ".join(f"t.`{k}` <=> s.`{k}`" for k in keys)
        merger = self._delta(table).alias("t").merge(df.alias("s"), cond)
        with self.codec():
            merger.whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()

    @contextmanager
    def codec(self) -> Iterator[None]:
        """The lake's Parquet codec for writes that take no writer options (MERGE, OPTIMIZE), then the
        session's own again."""
        key = "spark.sql.parquet.compression.codec"
        before = self.spark.conf.get(key, None)
        self.spark.conf.set(key, self.cfg.compression)
        try:
            yield
        finally:
            if before is None:
                self.spark.conf.unset(key)
            else:
                self.spark.conf.set(key, before)
