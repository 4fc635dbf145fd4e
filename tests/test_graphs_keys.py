"""Identifier expressions of the graphs job: patent and publication numbers as cited_keys, kinds removed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.spark


def _apply(spark, fn, cases: list[tuple[str | None, str | None]]) -> dict:
    from pyspark.sql import functions as F

    df = spark.createDataFrame([(raw,) for raw, _ in cases], "raw string")
    return {r["raw"]: r["key"] for r in df.select("raw", fn(F.col("raw")).alias("key")).collect()}


def test_patent_numbers_become_cited_keys_and_nothing_is_guessed(spark) -> None:
    from oa_spark.stages.graphs.keys import patent_key

    cases = [
        ("9280610", "US-9280610"),
        ("9,280,610", "US-9280610"),
        ("US 9,280,610 B2", "US-9280610"),
        ("US-9280610-B2", "US-9280610"),
        ("09280610", "US-9280610"),
        ("RE38,124", "US-RE38124"),
        ("US RE38124 E", "US-RE38124"),
        ("D456,789 S", "US-D456789"),
        ("PP12,345", "US-PP12345"),
        ("123456789", None),
        ("0", None),
        ("pending", None),
        ("", None),
        (None, None),
    ]
    assert _apply(spark, patent_key, cases) == dict(cases)


def test_publication_numbers_need_a_year_and_seven_digits(spark) -> None:
    from oa_spark.stages.graphs.keys import publication_key

    cases = [
        ("US 2014/0018950 A1", "US-20140018950"),
        ("20140018950", "US-20140018950"),
        ("US-20140018950-A1", "US-20140018950"),
        ("2014/018950", None),
        ("9280610", None),
    ]
    assert _apply(spark, publication_key, cases) == dict(cases)


def test_reference_keys_drop_only_the_kind_code(spark) -> None:
    from oa_spark.stages.graphs.keys import without_kind

    cases = [
        ("US-9280610-B2", "US-9280610"),
        ("US-9280610", "US-9280610"),
        ("US-RE38124-E", "US-RE38124"),
        ("US-PP12345-P2", "US-PP12345"),
        ("EP-1234567-A2", "EP-1234567"),
        ("JP-2015123456-A", "JP-2015123456"),
        ("16123456", "16123456"),
    ]
    assert _apply(spark, without_kind, cases) == dict(cases)
