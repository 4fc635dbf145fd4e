"""The lake: where each table lives, and the only door to Delta.

A table is a folder under `lake.path` or, when `lake.catalog` and `lake.schema` are both set, the managed
table `catalog.schema.<name>` (Unity Catalog). Everything here speaks Spark SQL and the DataFrame API only
(`CREATE TABLE … USING delta`, `replaceWhere` writes, `MERGE INTO` over a temp view, `DESCRIBE HISTORY`,
`OPTIMIZE`, `VACUUM`), so the same code runs on a classic session, on Spark Connect (Databricks serverless,
standard access mode) and on Databricks' runtime; nothing uses the `delta.tables` Python API, whose Connect
plugin is not published for every Spark. Every write here is a single Delta commit.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from oa_spark.config import LakeConfig, is_remote, uses_catalog

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, DataFrameWriter, Row, SparkSession
    from pyspark.sql.types import DataType, StructField, StructType

# Error classes Spark and Delta raise for "no table here": the table is simply missing.
_MISSING = ("DELTA_MISSING_DELTA_TABLE", "DELTA_TABLE_NOT_FOUND", "PATH_NOT_FOUND", "TABLE_OR_VIEW_NOT_FOUND")

# Columns never worth data-skipping statistics: long text, whose min/max only bloat the log.
_NO_STATS = frozenset({"body_text", "message", "raw_prefix", "cited_raw"})


def weeks_predicate(weeks: Iterable[date]) -> str:
    """SQL predicate selecting exactly these weeks (for replaceWhere, reads and OPTIMIZE)."""
    days = sorted(set(weeks))
    if not days:
        raise ValueError("no weeks given")
    return "week IN (" + ", ".join(f"DATE'{d.isoformat()}'" for d in days) + ")"


def column_ddl(schema: StructType) -> str:
    """`name type [NOT NULL], …` of a StructType, for CREATE TABLE (top-level nullability kept)."""
    return ", ".join(
        f"`{f.name}` {f.dataType.simpleString()}{'' if f.nullable else ' NOT NULL'}" for f in schema.fields
    )


def table_properties(schema: StructType, partition_by: Sequence[str]) -> dict[str, str]:
    """Delta properties for a lake that lives for years: a checkpoint every 10 commits (reading a table's
    state replays at most 10 JSON commits), log and removed-file retention stated, and data-skipping
    statistics only on columns worth skipping on (never the letters' text)."""
    props = {
        "delta.checkpointInterval": "10",
        "delta.logRetentionDuration": "interval 30 days",
        "delta.deletedFileRetentionDuration": "interval 7 days",
    }
    if {f.name for f in schema.fields} & _NO_STATS:
        stats = [
            f.name
            for f in schema.fields
            if f.name not in _NO_STATS and f.name not in partition_by and _has_stats(f.dataType)
        ]
        props["delta.dataSkippingStatsColumns"] = ",".join(stats)
    return props


def _has_stats(kind: DataType) -> bool:
    """Delta keeps min/max statistics for numbers, strings, dates and timestamps only."""
    from pyspark.sql.types import DateType, NumericType, StringType, TimestampNTZType, TimestampType

    return isinstance(kind, NumericType | StringType | DateType | TimestampType | TimestampNTZType)


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def values_predicate(column: str, values: Iterable[str]) -> str:
    """SQL predicate selecting the rows whose `column` is one of `values` (FALSE when there are none)."""
    quoted = sorted({_quote(v) for v in values})
    return f"`{column}` IN ({', '.join(quoted)})" if quoted else "FALSE"


def is_missing_table(exc: BaseException) -> bool:
    """Whether a Spark error says the table (or its path) does not exist."""
    text = str(exc)
    return any(code in text for code in _MISSING)


class Lake:
    """The project's tables, by name, on one session."""

    def __init__(self, spark: SparkSession, cfg: LakeConfig) -> None:
        self.spark = spark
        self.cfg = cfg
        self._known: set[str] = set()  # tables seen to exist: a run never drops one, so ask once

    # -- where ---------------------------------------------------------------------------------------------
    def location(self, table: str) -> str:
        """A path (`lake.path/<table>`) or a catalog name (`catalog.schema.<table>`)."""
        if uses_catalog(self.cfg):
            return f"{self.cfg.catalog}.{self.cfg.schema}.{table}"
        base = self.cfg.path if is_remote(self.cfg.path) else os.path.abspath(self.cfg.path)
        return f"{base.rstrip('/')}/{table}"

    def ref(self, table: str) -> str:
        """The table as a SQL identifier: `` `catalog`.`schema`.`t` `` or `` delta.`path` ``."""
        if uses_catalog(self.cfg):
            return ".".join(f"`{part}`" for part in (self.cfg.catalog, self.cfg.schema, table))
        return f"delta.`{self.location(table)}`"

    def exists(self, table: str) -> bool:
        if table in self._known:
            return True
        if uses_catalog(self.cfg):
            found = bool(self.spark.catalog.tableExists(self.location(table)))
        elif self._surely_missing(table):
            found = False
        else:
            try:
                self.spark.read.format("delta").load(self.location(table)).schema  # noqa: B018 (analysis)
                found = True
            except Exception as exc:
                if not is_missing_table(exc):
                    raise
                found = False
        if found:
            self._known.add(table)
        return found

    def _surely_missing(self, table: str) -> bool:
        """On Spark Connect, a path with no committed Delta log, seen from the driver: the server is not
        asked, as a probe that fails there logs an ERROR with a stack trace. Only where the driver sees
        what the server sees (a URL such as s3://, or a server on this machine); otherwise, and whatever
        the driver cannot read, the server answers."""
        from oa_spark.config import driver_sees
        from oa_spark.session import kind
        from oa_spark.storage import committed

        if kind(self.spark) != "connect":
            return False
        location = self.location(table)
        return driver_sees(location, self.spark.client.host) and committed(location) is False

    # -- create --------------------------------------------------------------------------------------------
    def ensure(
        self, table: str, schema: StructType | None = None, partition_by: tuple[str, ...] = ()
    ) -> None:
        """Create the table with its schema, partitioning and properties when it does not exist."""
        if table in self._known:
            return
        if schema is None:
            from oa_spark.schemas import TABLES

            schema, partition_by = TABLES[table]
        if not uses_catalog(self.cfg) and not self.exists(table):
            from oa_spark.storage import drop_uncommitted_log

            drop_uncommitted_log(self.location(table))
        properties = _properties_sql(table_properties(schema, partition_by))
        parts = f" PARTITIONED BY ({', '.join(f'`{c}`' for c in partition_by)})" if partition_by else ""
        self.spark.sql(
            f"CREATE TABLE IF NOT EXISTS {self.ref(table)} ({column_ddl(schema)}) USING delta{parts} "
            f"TBLPROPERTIES ({properties})"
        )
        self._known.add(table)

    def relayout(self, table: str) -> bool:
        """Empty the table and give it its current partitioning when it has another (one overwrite commit
        that may change the layout; its history and properties stay: `CREATE OR REPLACE` by path may not
        change partitioning). For tables a full build rewrites whole; True when it did."""
        from oa_spark.schemas import TABLES

        schema, partition_by = TABLES[table]
        if list(self.detail(table)["partitionColumns"]) == list(partition_by):
            return False
        empty = self.spark.createDataFrame([], schema)
        writer = empty.write.format("delta").mode("overwrite").option("overwriteSchema", "true")
        self._save(writer.partitionBy(*partition_by), table)
        return True

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

    def history(self, table: str, limit: int | None = None) -> DataFrame:
        """`DESCRIBE HISTORY`: one row per commit, newest first."""
        return self.spark.sql(f"DESCRIBE HISTORY {self.ref(table)}" + (f" LIMIT {limit}" if limit else ""))

    def version(self, table: str) -> int:
        return int(self.history(table, 1).collect()[0]["version"])

    def detail(self, table: str) -> Row:
        """`DESCRIBE DETAIL`: location, partition columns, files, size, properties."""
        return self.spark.sql(f"DESCRIBE DETAIL {self.ref(table)}").collect()[0]

    # -- write ---------------------------------------------------------------------------------------------
    def _save(self, writer: DataFrameWriter, table: str) -> None:
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
        self.replace_where(table, df, weeks_predicate(weeks))

    def replace_where(self, table: str, df: DataFrame, predicate: str) -> None:
        """Swap the rows matching the SQL `predicate` for `df` in one commit (Delta checks that `df` holds
        only matching rows). One write, no join: cheaper than a MERGE when whole groups of rows are replaced.
        """
        self.ensure(table)
        writer = df.write.format("delta").mode("overwrite").option("replaceWhere", predicate)
        self._save(writer, table)

    def append(self, table: str, df: DataFrame) -> None:
        self.ensure(table)
        self._save(df.write.format("delta").mode("append"), table)

    def overwrite(self, table: str, df: DataFrame) -> None:
        """Replace the whole table in one commit (graph-level tables on a full rebuild)."""
        self.ensure(table)
        self._save(df.write.format("delta").mode("overwrite").option("overwriteSchema", "false"), table)

    def add_columns(self, table: str, fields: Iterable[StructField]) -> None:
        """`ALTER TABLE … ADD COLUMNS`: a table written by an older version gains its new columns (null)."""
        added = ", ".join(f"`{f.name}` {f.dataType.simpleString()}" for f in fields)
        self.spark.sql(f"ALTER TABLE {self.ref(table)} ADD COLUMNS ({added})")

    def merge(self, table: str, source: DataFrame, on: str, *clauses: str) -> None:
        """One `MERGE INTO <table> AS t USING <source> AS s ON <on> <clauses…>` commit.

        `clauses` are SQL `WHEN [NOT] MATCHED [AND …] THEN …` clauses; `set_clause` and `insert_clause` spell
        the usual ones. The source goes in as a temporary view, which works on every kind of session.
        """
        self.ensure(table)
        view = f"oa_spark_merge_{uuid.uuid4().hex}"
        source.createOrReplaceTempView(view)
        try:
            with self.codec():
                self.spark.sql(
                    f"MERGE INTO {self.ref(table)} AS t USING {view} AS s ON {on} " + " ".join(clauses)
                )
        finally:
            self.spark.catalog.dropTempView(view)

    def optimize(
        self, table: str, weeks: Iterable[date] | None = None, order_by: str | None = None
    ) -> dict[str, Any]:
        """Compact the table's small files (only these weeks' partitions when given), its rows sorted into
        ranges of `order_by` when given (Z-order on one column: every file is rewritten); Delta's metrics."""
        where = f" WHERE {weeks_predicate(weeks)}" if weeks else ""
        zorder = f" ZORDER BY (`{order_by}`)" if order_by else ""
        with self.codec():
            row = self.spark.sql(f"OPTIMIZE {self.ref(table)}{where}{zorder}").collect()[0]
        metrics = row["metrics"]
        return metrics.asDict() if hasattr(metrics, "asDict") else dict(metrics)

    def align_properties(self, table: str) -> list[str]:
        """Give a table created by an older version the properties `ensure` creates tables with (`CREATE
        TABLE IF NOT EXISTS` never alters one); one `ALTER TABLE` commit, only when something differs.
        Returns the keys set."""
        from oa_spark.schemas import TABLES

        want = table_properties(*TABLES[table])
        have = {
            r["key"]: r["value"] for r in self.spark.sql(f"SHOW TBLPROPERTIES {self.ref(table)}").collect()
        }
        changed = sorted(k for k, v in want.items() if have.get(k) != v)
        if changed:
            pairs = _properties_sql({k: want[k] for k in changed})
            self.spark.sql(f"ALTER TABLE {self.ref(table)} SET TBLPROPERTIES ({pairs})")
        return changed

    def vacuum(self, table: str, hours: int) -> None:
        """Delete files no version younger than `hours` needs. Delta lists the table's files in as many
        tasks as Spark's partition-discovery parallelism (10,000 by default); with the session's shuffle
        partitions instead, a one-folder table took 3–4 s to vacuum on 2 cores, not 24–42 s."""
        tasks = str(self.spark.conf.get("spark.sql.shuffle.partitions", "200"))
        with self.session_conf(LISTING_PARALLELISM, tasks, required=False):
            self.spark.sql(f"VACUUM {self.ref(table)} RETAIN {int(hours)} HOURS").collect()

    @contextmanager
    def codec(self) -> Iterator[None]:
        """The lake's Parquet codec for writes that take no writer options (MERGE, OPTIMIZE), then the
        session's own again."""
        with self.session_conf("spark.sql.parquet.compression.codec", self.cfg.compression):
            yield

    @contextmanager
    def session_conf(self, key: str, value: str, required: bool = True) -> Iterator[bool]:
        """A session setting for the writes inside, then the session's own again; yields whether it is set.
        A session may refuse a setting (some serverless sessions allow only a list of them): that raises,
        or with `required=False` yields False and changes nothing. Writes running side by side (a graphs
        build's threads) share the setting: the first sets it, the last puts the session's own back."""
        slot = (id(self.spark), key)
        with _HELD_LOCK:
            held = _HELD.get(slot)
            if held is None:
                before = self.spark.conf.get(key, None)
                try:
                    self.spark.conf.set(key, value)
                except Exception:
                    if required:
                        raise
                else:
                    held = _HELD[slot] = _Held(value, before)
            elif held.value != value:
                raise RuntimeError(f"{key} is held at {held.value!r} by a concurrent write, not {value!r}")
            if held is not None:
                held.holders += 1
        if held is None:
            yield False
            return
        try:
            yield True
        finally:
            with _HELD_LOCK:
                held.holders -= 1
                if held.holders == 0:
                    del _HELD[slot]
                    if held.before is None:
                        self.spark.conf.unset(key)
                    else:
                        self.spark.conf.set(key, held.before)


@dataclass
class _Held:
    """A session setting some writes hold: the value they set, the session's own, how many hold it."""

    value: str
    before: str | None
    holders: int = 0


# the settings writes hold now, by (session, key)
_HELD: dict[tuple[int, str], _Held] = {}
_HELD_LOCK = threading.Lock()

# the tasks Delta's VACUUM lists a table's files in
LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism"


def _properties_sql(props: dict[str, str]) -> str:
    """`'k' = 'v', …` for TBLPROPERTIES."""
    return ", ".join(f"{_quote(k)} = {_quote(v)}" for k, v in props.items())


def set_clause(columns: Iterable[str]) -> str:
    """`UPDATE SET t.c = s.c, …` for a MERGE clause."""
    return "UPDATE SET " + ", ".join(f"t.`{c}` = s.`{c}`" for c in columns)


def insert_clause(columns: Iterable[str]) -> str:
    """`INSERT (c, …) VALUES (s.c, …)` for a MERGE clause."""
    cols = list(columns)
    return f"INSERT ({', '.join(f'`{c}`' for c in cols)}) VALUES ({', '.join(f's.`{c}`' for c in cols)})"


def keys_match(keys: Iterable[str]) -> str:
    """`t.k <=> s.k AND …`: a null-safe MERGE condition on key columns."""
    return " AND ".join(f"t.`{k}` <=> s.`{k}`" for k in keys)
