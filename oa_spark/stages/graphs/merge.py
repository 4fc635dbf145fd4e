"""Writing graph tables in place: one commit per table for the touched rows, and the commit figures.

An incremental build must change only what its weeks touch, in one atomic commit per table: a replaceWhere
swap where a table's touched rows are exactly the touched applications' rows (or, for a table of one row
set per action, the weeks' documents' rows), a MERGE where rows of other applications change too. These
helpers say which rows a write replaces, lay the per-application tables out in ranges so those writes
rewrite few files, and read back what the commit did (for the log and `graph_summary`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any

from oa_spark import logs
from oa_spark.stages.graphs.state import GRAPH_TABLES

if TYPE_CHECKING:
    from collections.abc import Callable

    from pyspark.sql import Column, DataFrame, SparkSession

    from oa_spark.tables import Lake

log = logging.getLogger("oa_spark.graphs")  # one logger for the job, whatever module logs


KEYS = {
    "citation_edges": ["application_number", "cited_key"],
    "rejection_edges": [
        "application_number",
        "document_id",
        "ground",
        "statute",
        "label",
        "claim",
        "reference_key",
    ],
    "application_timeline": ["application_number"],
}


def clustered(table: str, rows: DataFrame) -> DataFrame:
    """A full build's rows of a per-application table spread over files by ranges of its key
    (`schemas.CLUSTERED_BY`), so each file's statistics cover a narrow range and a later swap or MERGE of a
    few applications rewrites only the files whose range holds one of them, not every file of the history.
    Other tables' rows are returned as they are."""
    from oa_spark.schemas import CLUSTERED_BY

    return rows.repartitionByRange(CLUSTERED_BY[table]) if table in CLUSTERED_BY else rows


def null_safe_on(left: str, right: str, keys: tuple[str, ...] | list[str]) -> Column:
    from pyspark.sql import functions as F

    return reduce(lambda a, b: a & b, [F.col(f"{left}.{k}").eqNullSafe(F.col(f"{right}.{k}")) for k in keys])


def replace_rows(lake: Lake, table: str, rows: DataFrame, scope: DataFrame, keys: list[str]) -> None:
    """One MERGE (SQL, so it runs on Spark Connect too): the table's rows matching a row of `scope` (on its
    columns, null-safe) become exactly their rows in `rows` — rows no longer there are deleted — and rows of
    `rows` outside the scope update their row in place. `keys` identify a row."""
    from pyspark.sql import functions as F

    from oa_spark.schemas import TABLES, names
    from oa_spark.tables import insert_clause, keys_match, set_clause

    lake.ensure(table)
    columns = names(TABLES[table][0])
    target = (
        lake.read(table)
        .alias("t")
        .join(scope.alias("sc"), null_safe_on("t", "sc", scope.columns), "left_semi")
    )
    gone = target.alias("t").join(rows.alias("r"), null_safe_on("t", "r", keys), "left_anti")
    source = (
        rows.select(*columns)
        .withColumn("_gone", F.lit(False))
        .unionByName(gone.select(*keys).withColumn("_gone", F.lit(True)), allowMissingColumns=True)
    )
    lake.merge(
        table,
        source,
        keys_match(keys),
        "WHEN MATCHED AND s._gone THEN DELETE",
        f"WHEN MATCHED THEN {set_clause(columns)}",
        f"WHEN NOT MATCHED AND NOT s._gone THEN {insert_clause(columns)}",
    )


def replace_applications(lake: Lake, table: str, rows: DataFrame, touched: DataFrame) -> None:
    """The touched applications' rows become exactly their rows in `rows`; other applications' rows in `rows`
    update in place."""
    replace_rows(lake, table, rows, touched.select("application_number"), KEYS[table])


def applications(spark: SparkSession, touched: list[str]) -> DataFrame:
    """The touched applications as a one-column DataFrame (a MERGE's scope)."""
    return KeySet.listed(spark, "application_number", touched).frame


# Most keys a read names in a literal IN list; above it, a semi-join (a long list costs more to plan and
# evaluate than the files it lets Delta skip save).
LITERAL_MAX_KEYS = 2_000


@dataclass(frozen=True)
class KeySet:
    """Keys a build reads rows by, collected once however many reads use them. A week's few keys (at most
    `LITERAL_MAX_KEYS`) filter as a literal IN list, so Delta skips every file whose statistics range holds
    none of them (a table laid out in ranges of the column is then read a few files, not the whole history):
    a join cannot, Delta has no dynamic file pruning. More keys stay a frame to join."""

    frame: DataFrame  # one column
    values: list[Any] | None  # None: more than LITERAL_MAX_KEYS

    @classmethod
    def of(cls, frame: DataFrame) -> KeySet:
        values = [r[0] for r in frame.limit(LITERAL_MAX_KEYS + 1).collect()]
        return cls(frame, values if len(values) <= LITERAL_MAX_KEYS else None)

    @classmethod
    def listed(cls, spark: SparkSession, column: str, values: list[str]) -> KeySet:
        """Keys the driver already holds (no Spark job to collect them)."""
        frame = spark.createDataFrame([(v,) for v in values], f"{column} string")
        return cls(frame, values if len(values) <= LITERAL_MAX_KEYS else None)

    def rows_in(self, rows: DataFrame, column: str) -> DataFrame:
        """`rows` whose `column` is one of the keys."""
        from pyspark.sql import functions as F

        if self.values is None:
            return rows.join(self.frame.toDF(column), column, "left_semi")
        return rows.where(F.col(column).isin(self.values))


# Most touched applications a write swaps; above it, a MERGE. The swap's predicate names every touched
# application, and its cost grows with them, while a MERGE's hardly does. Measured (a one-off script, one
# process, each write twice) on a 27,000-application timeline and a 480,000-row rejection_edges: at 25–1,000
# applications the swap took 1.3–2.7 s and the MERGE 1.9–4.7 s; at 3,000 they were even (2.8–3.7 against
# 1.9–5.6 s); at 10,000 the swap took 7.2–8.7 s and the MERGE 1.9–6.2 s.
SWAP_MAX_APPLICATIONS = 2_000


def rewrite_applications(
    lake: Lake, table: str, rows: DataFrame, touched: list[str], scope: DataFrame | None = None
) -> bool:
    """The touched applications' rows become exactly `rows` (which holds only theirs), in one commit: a swap
    for a week's few applications, a MERGE for many (`SWAP_MAX_APPLICATIONS`). False, with no commit, when
    nothing is touched. `scope`: the touched applications as a frame, when the caller already holds one."""
    if len(touched) > SWAP_MAX_APPLICATIONS:
        replace_applications(lake, table, rows, applications(lake.spark, touched) if scope is None else scope)
        return True
    return swap_applications(lake, table, rows, touched)


# Delta's check that a replaceWhere writes only rows matching its predicate
REPLACE_WHERE_CHECK = "spark.databricks.delta.replaceWhere.constraintCheck.enabled"


class StrayRows(ValueError):
    """Rows outside what a swap replaces: writing them would duplicate rows the table keeps."""


def swap_rows(
    lake: Lake, table: str, rows: DataFrame, within: dict[str, list[str]], scope: Callable[[], DataFrame]
) -> bool:
    """The table's rows whose every `within` column holds one of its values become exactly `rows` (which
    must all lie within), in one replaceWhere commit: no join with the table, unlike a MERGE. False, with no
    commit, when a column has no values.

    Delta checks each written row against the predicate, and it evaluates an `IN` list by scanning it: at
    a realistic week (15,000 applications, ~100,000 rows) that check alone cost ~50 s. So the check is
    made here, one hash lookup per row (Spark's optimizer turns a long `isin` into a set), and Delta's is
    off for this write. A session that refuses that setting gets a MERGE over `scope()` (the replaced rows'
    keys, on its columns) instead."""
    from pyspark.sql import functions as F

    from oa_spark.tables import values_predicate

    if not all(within.values()):
        return False
    inside = reduce(
        lambda a, b: a & b, [F.coalesce(F.col(c).isin(values), F.lit(False)) for c, values in within.items()]
    )
    stray = rows.where(~inside).select(*within).limit(1).collect()
    if stray:
        found = ", ".join(f"{c} {v!r}" for c, v in stray[0].asDict().items())
        raise StrayRows(f"{table}: a row of {found}, which this build does not replace")
    predicate = " AND ".join(values_predicate(c, values) for c, values in within.items())
    with lake.session_conf(REPLACE_WHERE_CHECK, "false", required=False) as check_off:
        if check_off:
            lake.replace_where(table, rows, predicate)
        else:  # the session refuses the setting: a MERGE joins instead of checking
            replace_rows(lake, table, rows, scope(), KEYS[table])
    return True


def swap_applications(lake: Lake, table: str, rows: DataFrame, touched: list[str]) -> bool:
    """The touched applications' rows become exactly `rows` (which holds only theirs), in one replaceWhere
    commit (`swap_rows`). False, with no commit, when nothing is touched."""
    return swap_rows(
        lake, table, rows, {"application_number": touched}, lambda: applications(lake.spark, touched)
    )


DOCUMENT = ("application_number", "document_id")  # a document's identity (data-format.md)


def rewrite_documents(lake: Lake, table: str, rows: DataFrame, documents: list[tuple[str, str]]) -> bool:
    """The rows of these documents (`DOCUMENT` pairs) become exactly theirs in `rows`, in one commit;
    `rows` holds at least every document of their applications. For a table whose rows each belong to one
    action (`rejection_edges`): a week of new actions then only appends, and a revision rewrites the files
    holding the revised document, where a swap of the week's applications rewrites every file holding any
    of their actions (every row of the table when their applications spread over all its files). False,
    with no commit, when there are none.

    For few documents, a swap (`swap_rows`) of the rows whose application and document id are each among
    the documents' (a document id found under another of those applications is written back as it is);
    for many (`SWAP_MAX_APPLICATIONS`), a MERGE of exactly these documents."""
    from pyspark.sql import functions as F

    if not documents:
        return False

    def scope() -> DataFrame:
        return lake.spark.createDataFrame(
            sorted(set(documents)), "application_number string, document_id string"
        )

    if len(documents) > SWAP_MAX_APPLICATIONS:
        pairs = scope()
        replace_rows(lake, table, rows.join(pairs, list(DOCUMENT), "left_semi"), pairs, KEYS[table])
        return True
    within = {column: sorted({d[i] for d in documents}) for i, column in enumerate(DOCUMENT)}
    mine = rows.where(reduce(lambda a, b: a & b, [F.col(c).isin(v) for c, v in within.items()]))
    return swap_rows(lake, table, mine, within, scope)


def last_commits(lake: Lake, table: str, limit: int) -> list[dict[str, Any]]:
    """The newest `limit` commits of the table (DESCRIBE HISTORY reads only those)."""
    rows = lake.history(table, limit).select("version", "operation", "operationMetrics").collect()
    return [r.asDict() for r in rows]


def commit_metrics(lake: Lake, table: str) -> dict[str, Any]:
    """The table's last commit: version, operation and row counts (for the structured log line)."""
    return commit_figures(last_commits(lake, table, 1)[0])


def commit_figures(commit: dict[str, Any]) -> dict[str, Any]:
    """Version, operation and row counts of one `last_commits` row."""
    metrics = commit["operationMetrics"] or {}
    out: dict[str, Any] = {"version": commit["version"], "operation": commit["operation"]}
    names = {
        "numOutputRows": "rows",
        "numTargetRowsInserted": "inserted",
        "numTargetRowsUpdated": "updated",
        "numTargetRowsDeleted": "deleted",
    }
    out |= {short: int(metrics[name]) for name, short in names.items() if name in metrics}
    if "numDeletedRows" in metrics:  # a replaceWhere write: its output rows include the ones it copied
        out["inserted"] = int(metrics["numOutputRows"]) - int(metrics.get("numCopiedRows", 0))
        out["deleted"] = int(metrics["numDeletedRows"])
    return out


def upgrade_schemas(lake: Lake) -> list[str]:
    """Give a graph table written by an older version the current layout: the columns it lacks (ALTER TABLE
    ADD COLUMNS), or its current partitioning (`graph_actions` was partitioned by week: replaced by an empty
    table the build then fills). The tables upgraded. Only a full build calls it: it rewrites them all."""
    from oa_spark.schemas import TABLES

    upgraded = []
    for table in (*GRAPH_TABLES, "graph_summary"):
        if not lake.exists(table):
            continue
        have = set(lake.read(table).columns)
        missing = [f for f in TABLES[table][0].fields if f.name not in have]
        if missing:
            lake.add_columns(table, missing)
        # after the columns: replacing a table by a path keeps its schema, so it must already match
        relaid = table != "graph_summary" and lake.relayout(table)
        if missing or relaid:
            upgraded.append(table)
    if upgraded:
        logs.event(log, "graph_tables_upgraded", tables=",".join(upgraded))
    return upgraded
