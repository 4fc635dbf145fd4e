"""The touched-rows floor's pure parts: which nodes and statistics groups a week's action rows touch."""

from __future__ import annotations

from datetime import date

from pyspark.sql import Row

from oa_spark.bench.touched_rows import node_keys, stats_groups


def action(app: str, cited: list[str], **fields: object) -> Row:
    base = {
        "application_number": app,
        "patent_key": None,
        "publication_key": None,
        "citations": [{"cited_key": k} for k in cited],
        "mail_date": date(2022, 3, 1),
        "art_unit": "1612",
        "tech_center": "1600",
        "examiner_id": "E1",
    }
    return Row(**{**base, **fields})


def test_a_week_touches_its_applications_their_own_documents_and_what_they_cite() -> None:
    rows = [
        action("12000001", ["US-9280610", "US-20140018950"], patent_key="US-8000001"),
        action("12000002", ["US-9280610"], citations=None),
    ]
    assert node_keys(rows) == ["12000001", "12000002", "US-20140018950", "US-8000001", "US-9280610"]


def test_a_week_touches_the_statistics_groups_of_each_dimension_of_its_actions() -> None:
    rows = [action("12000001", []), action("12000002", [], art_unit="2100", mail_date=None)]
    assert stats_groups(rows) == [
        ("all", "all"),
        ("art_unit", "1612"),
        ("art_unit", "2100"),
        ("examiner_id", "E1"),
        ("mail_year", None),  # an action without a mail date
        ("mail_year", "2022"),
        ("tech_center", "1600"),
    ]
