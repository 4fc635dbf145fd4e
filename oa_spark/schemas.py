"""Every table's StructType, in one place. Imported only by Spark code.

Arrow schemas for `mapInArrow` are derived from these (`arrow_schema`), so the batches a task builds always
match the declared Spark schema exactly.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DataType,
    DateType,
    DoubleType,
    IntegerType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)


def _s(name: str, kind: DataType, nullable: bool = True) -> StructField:
    return StructField(name, kind, nullable)


STR, INT, LONG, DATE, TS, BOOL, DBL = (
    StringType(),
    IntegerType(),
    LongType(),
    DateType(),
    TimestampType(),
    BooleanType(),
    DoubleType(),
)

REJECTION_HINT = StructType([_s("label", STR), _s("paragraph", STR), _s("position", STR), _s("type", STR)])

# Columns the normalizer fills (docs/contracts.md), in table order after `week`.
RECORD_FIELDS: list[StructField] = [
    _s("document_id", STR, False),
    _s("record_id", STR),
    _s("application_number", STR, False),
    _s("application_series", INT),
    _s("document_code", STR),
    _s("mail_date", DATE),
    _s("art_unit", STR),
    _s("tech_center", STR),
    _s("work_group", STR),
    _s("examiner_id", STR),
    _s("body_text", STR),
    _s("record_hash", STR),
    _s("last_modified", TS),
    _s("access_level_category", STR),
    _s("aia_indicator", BOOL),
    _s("applicant_file_reference", STR),
    _s("application_deemed_withdrawn_date", DATE),
    _s("application_status_number", INT),
    _s("application_type_category", STR),
    _s("business_area_category", STR),
    _s("business_entity_status_category", STR),
    _s("customer_number", LONG),
    _s("document_active_indicator", STR),
    _s("document_direction_category", STR),
    _s("effective_claim_total_quantity", INT),
    _s("effective_filing_date", DATE),
    _s("examination_program_code", STR),
    _s("figure_quantity", INT),
    _s("filing_date", DATE),
    _s("grant_date", DATE),
    _s("independent_claim_total_quantity", INT),
    _s("invention_subject_matter_category", STR),
    _s("invention_title", STR),
    _s("last_modified_user_id", STR),
    _s("legacy_cms_id", STR),
    _s("nsrd_current_location_date", DATE),
    _s("nsrd_current_location_number", STR),
    _s("national_class", STR),
    _s("national_subclass", STR),
    _s("patent_application_confirmation_number", LONG),
    _s("patent_number", STR),
    _s("publication_number", STR),
    _s("priority_claim_indicator", STR),
    _s("priority_claim_requirement_met_indicator", STR),
    _s("source_system_name", STR),
    _s("system_create_timestamp", TS),
    _s("system_last_modified_timestamp", TS),
    _s("create_date_time", TS),
    _s("rejection_hints", ArrayType(REJECTION_HINT)),
    _s("sections", MapType(STR, STR)),
    _s("serialization", STR),
]

OFFICE_ACTIONS = StructType(
    [
        _s("week", DATE, False),
        *RECORD_FIELDS,
        _s("source_file", STR),
        _s("line_number", LONG),
        _s("ingested_at", TS),
    ]
)

QUARANTINE = StructType(
    [
        _s("week", DATE, False),
        _s("source_file", STR),
        _s("line_number", LONG),
        _s("reason", STR),
        _s("message", STR),
        _s("raw_prefix", STR),
        _s("raw_sha256", STR),
        _s("document_id", STR),
        _s("quarantined_at", TS),
    ]
)

STAGED_FILES = StructType(
    [
        _s("week", DATE, False),
        _s("file_name", STR),
        _s("source", STR),
        _s("source_url", STR),
        _s("size_bytes", LONG),
        _s("sha256", STR),
        _s("staged_path", STR),
        _s("staged_at", TS),
        _s("status", STR),
        _s("version_tag", STR),
        _s("version", INT),
        _s("run_id", STR),
    ]
)

RUNS = StructType(
    [
        _s("run_id", STR, False),
        _s("job", STR, False),
        _s("week", DATE),
        _s("status", STR, False),
        _s("input_sha256", STR),
        _s("code_version", STR),
        _s("records_in", LONG),
        _s("records_out", LONG),
        _s("duplicates", LONG),
        _s("quarantined", LONG),
        _s("started_at", TS),
        _s("finished_at", TS),
        _s("message", STR),
    ]
)

# The key every per-action derived table starts with.
ACTION_KEY = [
    _s("week", DATE, False),
    _s("document_id", STR),
    _s("application_number", STR),
    _s("mail_date", DATE),
]

REJECTIONS = StructType(
    [
        *ACTION_KEY,
        _s("ground", INT),
        _s("statute", STR),
        _s("label", STR),
        _s("claims", ArrayType(INT)),
        _s("references", ArrayType(STR)),
        _s("extractor_version", STR),
    ]
)

CITATIONS = StructType(
    [
        *ACTION_KEY,
        _s("cited_id", STR),
        _s("cited_key", STR),
        _s("cited_raw", STR),
        _s("cited_kind", STR),
        _s("country", STR),
        _s("relied_upon", BOOL),
        _s("statutes", ArrayType(STR)),
        _s("extractor_version", STR),
    ]
)

ACTION_SUMMARY = StructType(
    [
        *ACTION_KEY,
        _s("document_code", STR),
        _s("art_unit", STR),
        _s("tech_center", STR),
        _s("examiner_id", STR),
        _s("rejection_101", BOOL),
        _s("rejection_102", BOOL),
        _s("rejection_103", BOOL),
        _s("rejection_112", BOOL),
        _s("rejection_dp", BOOL),
        _s("objection", BOOL),
        _s("allowable_subject_matter", BOOL),
        _s("is_final", BOOL),
        _s("cite103_max", INT),
        _s("grounds", INT),
        _s("citations", INT),
        _s("quality", ArrayType(STR)),
        _s("extractor_version", STR),
    ]
)

CITATION_EDGES = StructType(
    [
        _s("application_number", STR),
        _s("cited_key", STR),
        _s("cited_kind", STR),
        _s("cited_application", STR),
        _s("first_mail_date", DATE),
        _s("last_mail_date", DATE),
        _s("actions", LONG),
        _s("relied_upon_actions", LONG),
        _s("statutes", ArrayType(STR)),
    ]
)

CITATION_NODES = StructType(
    [
        _s("node_id", STR),
        _s("node_type", STR),
        _s("in_degree", LONG),
        _s("out_degree", LONG),
        _s("first_seen", DATE),
        _s("component_id", STR),
        _s("application_number", STR),
    ]
)

REJECTION_EDGES = StructType(
    [
        _s("application_number", STR),
        _s("document_id", STR),
        _s("mail_date", DATE),
        _s("ground", INT),
        _s("statute", STR),
        _s("label", STR),
        _s("claim", INT),
        _s("reference_key", STR),
    ]
)

# Rates per statute, long format: one row per (dimension, value, statute); dimension is `all` (value
# `all`), `art_unit`, `tech_center`, `examiner_id` or `mail_year`; every group has a row for each statute.
REJECTION_STATS = StructType(
    [
        _s("dimension", STR),
        _s("value", STR),
        _s("statute", STR),
        _s("actions", LONG),
        _s("rejection_actions", LONG),
        _s("actions_with_statute", LONG),
        _s("share", DBL),
        _s("share_of_rejections", DBL),
        _s("grounds", LONG),
        _s("references_mean", DBL),
        _s("references_max", INT),
        # grounds of the statute by their number of distinct references: what mean and max are computed from,
        # kept so that an incremental build can add and subtract actions
        _s("grounds_by_references", MapType(INT, LONG)),
    ]
)

APPLICATION_TIMELINE = StructType(
    [
        _s("application_number", STR),
        _s("application_series", INT),
        _s("actions", LONG),
        _s("first_action_date", DATE),
        _s("last_action_date", DATE),
        _s("non_final_actions", LONG),
        _s("final_actions", LONG),
        _s("restrictions", LONG),
        _s("has_restriction", BOOL),
        _s("advisory_actions", LONG),
        _s("allowance_date", DATE),
        _s("rounds", LONG),
        _s("patent_key", STR),
        # the cited keys of the application's own patents and publications (sorted, distinct)
        _s("own_keys", ArrayType(STR)),
    ]
)

GRAPH_SUMMARY = StructType(
    [
        _s("build_id", STR),
        _s("mode", STR),
        _s("components_mode", STR),
        _s("min_series", INT),
        _s("nodes", LONG),
        _s("edges", LONG),
        _s("nodes_by_type", MapType(STR, LONG)),
        _s("edges_by_kind", MapType(STR, LONG)),
        _s("same_as_edges", LONG),
        _s("components", LONG),
        _s("largest_component", LONG),
        _s("in_degree_p50", DBL),
        _s("in_degree_p90", DBL),
        _s("in_degree_p99", DBL),
        _s("in_degree_max", LONG),
        _s("out_degree_p50", DBL),
        _s("out_degree_p90", DBL),
        _s("out_degree_p99", DBL),
        _s("out_degree_max", LONG),
        _s("applications", LONG),
        _s("excluded_applications", LONG),
        _s("rejection_edges", LONG),
        _s("first_week", DATE),
        _s("last_week", DATE),
        _s("weeks", LONG),
        _s("weeks_processed", LONG),
        _s("touched_applications", LONG),
        _s("edges_version", LONG),
        _s("started_at", TS),
        _s("built_at", TS),
        # degree -> nodes (degree > 0): the percentiles above come from these, and the next incremental build
        # updates them from the nodes it rewrites
        _s("in_degree_counts", MapType(LONG, LONG)),
        _s("out_degree_counts", MapType(LONG, LONG)),
        # the Delta version of each graph table this build left; the next build is incremental only if they
        # are unchanged (apart from compaction)
        _s("table_versions", MapType(STR, LONG)),
    ]
)

# The graphs job's own compact state: one row per document version per week (no body text), so an incremental
# build reads only the new weeks of office_actions / citations / rejections.
CITED = StructType(
    [_s("cited_key", STR), _s("cited_kind", STR), _s("relied_upon", BOOL), _s("statutes", ArrayType(STR))]
)
GROUND = StructType(
    [
        _s("ground", INT),
        _s("statute", STR),
        _s("label", STR),
        _s("claims", ArrayType(INT)),
        _s("references", ArrayType(STR)),
    ]
)
GRAPH_ACTIONS = StructType(
    [
        _s("week", DATE, False),
        _s("application_number", STR),
        _s("application_series", INT),
        _s("document_id", STR),
        _s("record_hash", STR),
        _s("last_modified", TS),
        _s("document_code", STR),
        _s("mail_date", DATE),
        _s("art_unit", STR),
        _s("tech_center", STR),
        _s("examiner_id", STR),
        _s("patent_key", STR),
        _s("publication_key", STR),
        _s("citations", ArrayType(CITED)),
        _s("grounds", ArrayType(GROUND)),
    ]
)

# Table name → (schema, partition columns). Graph-level tables are rebuilt or merged, not partitioned.
TABLES: dict[str, tuple[StructType, tuple[str, ...]]] = {
    "staged_files": (STAGED_FILES, ()),
    "office_actions": (OFFICE_ACTIONS, ("week",)),
    "quarantine": (QUARANTINE, ("week",)),
    "runs": (RUNS, ()),
    "rejections": (REJECTIONS, ("week",)),
    "citations": (CITATIONS, ("week",)),
    "action_summary": (ACTION_SUMMARY, ("week",)),
    "citation_edges": (CITATION_EDGES, ()),
    "citation_nodes": (CITATION_NODES, ()),
    "rejection_edges": (REJECTION_EDGES, ()),
    "rejection_stats": (REJECTION_STATS, ()),
    "application_timeline": (APPLICATION_TIMELINE, ()),
    "graph_summary": (GRAPH_SUMMARY, ()),
    # not partitioned: an incremental build reads the touched applications' rows from every week, and a
    # partition per week would make that one file per week of history (a week's rows are still replaced by
    # replaceWhere, found through the files' week statistics)
    "graph_actions": (GRAPH_ACTIONS, ()),
}

# Graph tables kept in ranges of the key an incremental build selects their rows by (one range per file): a
# full build writes them so and `maintain` compacts them so (Z-order on that column), so a weekly read or
# write of a few keys opens or rewrites only the files whose range holds one of them.
CLUSTERED_BY: dict[str, str] = {
    "citation_edges": "application_number",
    "rejection_edges": "application_number",
    "application_timeline": "application_number",
    "citation_nodes": "node_id",
}


def arrow_schema(schema: StructType) -> pa.Schema:
    """The Arrow schema Spark expects from `mapInArrow` for `schema` (timestamps in UTC, plain strings).

    Spark 4.0 (Databricks 17.3 LTS) has `to_arrow_schema(schema)` with those defaults already; later
    versions ask for them by keyword."""
    import inspect

    from pyspark.sql.pandas.types import to_arrow_schema

    accepts = inspect.signature(to_arrow_schema).parameters
    options: dict[str, Any] = {"timezone": "UTC", "prefers_large_types": False}
    return to_arrow_schema(schema, **{k: v for k, v in options.items() if k in accepts})


def names(schema: StructType) -> list[str]:
    return [f.name for f in schema.fields]


# What an ingest task emits: office_actions rows (every column nullable, so a report row fits) and
# `_report`, null on data rows and the week's counts and quarantine rows (JSON) on one row per week.
INGEST_TASK_OUTPUT = StructType(
    [StructField(f.name, f.dataType, True) for f in OFFICE_ACTIONS.fields] + [_s("_report", STR)]
)

EXTRACT_TASK_INPUT = StructType(
    [
        *ACTION_KEY,
        _s("document_code", STR),
        _s("art_unit", STR),
        _s("tech_center", STR),
        _s("examiner_id", STR),
        _s("body_text", STR),
    ]
)


def tagged(*schemas: StructType) -> StructType:
    """A nullable schema with the columns of several tables plus a `kind` tag (one task pass, many tables)."""
    fields: dict[str, StructField] = {"kind": _s("kind", STR, False)}
    for schema in schemas:
        for f in schema.fields:
            fields.setdefault(f.name, _s(f.name, f.dataType))
    return StructType(list(fields.values()))


EXTRACT_TASK_OUTPUT = tagged(REJECTIONS, CITATIONS, ACTION_SUMMARY)


# The flat weekly-zip record as JSON (docs/data-format.md §3), for Spark's own JSON reader: the benchmark
# baseline.
RAW_WEEKLY = StructType(
    [
        _s(k, STR)
        for k in (
            "accessLevelCategory",
            "applicantFileReference",
            "applicationDeemedWithdrawnDate",
            "applicationTypeCategory",
            "bodyText",
            "businessAreaCategory",
            "businessEntityStatusCategory",
            "documentActiveIndicator",
            "documentDirectionCategory",
            "effectiveFilingDate",
            "examinationProgramCode",
            "examinerEmployeeNumber",
            "filingDate",
            "grantDate",
            "id",
            "inventionSubjectMatterCategory",
            "inventionTitle",
            "lastModifiedTimestamp",
            "lastModifiedUserIdentifier",
            "legacyCMSIdentifier",
            "legacyDocumentCodeIdentifier",
            "nSRDCurrentLocationDate",
            "nSRDCurrentLocationNumber",
            "nationalClass",
            "nationalSubclass",
            "obsoleteDocumentIdentifier",
            "patentApplicationNumber",
            "priorityClaimIndicator",
            "priorityClaimRequirementMetIndicator",
            "sourceSystemName",
            "submissionDate",
            "systemCreateTimestamp",
            "systemLastModifiedTimestamp",
            "techCenter",
            "workGroup",
            "patentNumber",
        )
    ]
    + [
        _s(k, LONG)
        for k in (
            "applicationStatusNumber",
            "customerNumber",
            "effectiveClaimTotalQuantity",
            "figureQuantity",
            "groupArtUnitNumber",
            "independentClaimTotalQuantity",
            "patentApplicationConfirmationNumber",
        )
    ]
    + [
        _s("aiaIndicator", BOOL),
        _s("rejections", ArrayType(REJECTION_HINT)),
        _s("sections", MapType(STR, STR)),
    ]
)
