"""Duplicates within a week (docs/contracts.md): exact lines collapse, the latest version wins."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from oa_spark.reader.records import Deduper

KEY = ("14485382", "J8080VPBRXEAPX5")
OTHER_KEY = ("16123456", "KZQ1R7MPPXXIFW4")
EARLY = datetime(2022, 1, 5, 10, 0)
LATE = datetime(2022, 1, 6, 3, 12, 45)
HASH_A = "a" * 64
HASH_B = "b" * 64
HASH_C = "c" * 64


def row(key: tuple[str, str], last_modified: datetime | None, record_hash: str) -> dict[str, Any]:
    application_number, document_id = key
    return {
        "application_number": application_number,
        "document_id": document_id,
        "last_modified": last_modified,
        "record_hash": record_hash,
    }


def kept_after(*offers: tuple[tuple[str, str], datetime | None, str]) -> frozenset[int]:
    deduper = Deduper()
    for seq, (key, last_modified, record_hash) in enumerate(offers):
        deduper.offer(seq, key, last_modified, record_hash)
    return deduper.kept()


# -- exact duplicate lines -----------------------------------------------------------------------------------


def test_exact_duplicate_line_is_reported_when_offered() -> None:
    deduper = Deduper()
    deduper.offer(0, KEY, LATE, HASH_A)
    assert deduper.offer(1, KEY, LATE, HASH_A) is False


def test_first_sight_of_a_line_is_accepted_when_offered() -> None:
    assert Deduper().offer(0, KEY, LATE, HASH_A) is True


def test_nine_copies_of_one_line_keep_one_and_drop_eight() -> None:
    deduper = Deduper()
    for seq in range(9):
        deduper.offer(seq, KEY, LATE, HASH_A)
    assert (deduper.kept(), deduper.duplicates) == (frozenset({0}), 8)


# -- versions of one document --------------------------------------------------------------------------------


def test_latest_last_modified_wins() -> None:
    assert kept_after((KEY, LATE, HASH_A), (KEY, EARLY, HASH_B)) == {0}


def test_latest_last_modified_wins_when_it_comes_last() -> None:
    assert kept_after((KEY, EARLY, HASH_A), (KEY, LATE, HASH_B)) == {1}


def test_missing_last_modified_is_oldest() -> None:
    assert kept_after((KEY, None, HASH_C), (KEY, datetime(1990, 1, 1), HASH_A)) == {1}


def test_tie_on_last_modified_keeps_the_largest_hash() -> None:
    assert kept_after((KEY, LATE, HASH_C), (KEY, LATE, HASH_A), (KEY, LATE, HASH_B)) == {0}


def test_tie_without_last_modified_keeps_the_largest_hash() -> None:
    assert kept_after((KEY, None, HASH_A), (KEY, None, HASH_B)) == {1}


def test_superseded_versions_count_as_duplicates() -> None:
    deduper = Deduper()
    deduper.offer(0, KEY, EARLY, HASH_A)
    deduper.offer(1, KEY, LATE, HASH_B)
    deduper.offer(2, KEY, None, HASH_C)
    assert deduper.duplicates == 2


def test_winner_does_not_depend_on_line_order() -> None:
    versions = [(KEY, EARLY, HASH_C), (KEY, LATE, HASH_A), (KEY, LATE, HASH_B), (KEY, None, "f" * 64)]
    winners = set()
    for order in itertools.permutations(versions):
        kept = kept_after(*order)
        winners.add(order[next(iter(kept))])
    assert winners == {(KEY, LATE, HASH_B)}


def test_same_document_id_in_two_applications_keeps_both() -> None:
    other = (OTHER_KEY[0], KEY[1])
    assert kept_after((KEY, LATE, HASH_A), (other, LATE, HASH_B)) == {0, 1}


def test_different_documents_are_all_kept() -> None:
    assert kept_after((KEY, LATE, HASH_A), (OTHER_KEY, EARLY, HASH_B)) == {0, 1}


def test_exact_duplicates_and_versions_are_counted_together() -> None:
    deduper = Deduper()
    offers = [(KEY, EARLY, HASH_A), (KEY, EARLY, HASH_A), (KEY, LATE, HASH_B), (OTHER_KEY, None, HASH_C)]
    for seq, offer in enumerate(offers):
        deduper.offer(seq, *offer)
    assert (deduper.kept(), deduper.duplicates) == (frozenset({2, 3}), 2)


def test_offer_row_reads_key_timestamp_and_hash_from_the_row() -> None:
    deduper = Deduper()
    deduper.offer_row(0, row(KEY, EARLY, HASH_A))
    deduper.offer_row(1, row(KEY, LATE, HASH_B))
    assert deduper.kept() == {1}


# -- a pass over rows ----------------------------------------------------------------------------------------


def offer_rows(rows: list[dict[str, Any]]) -> Deduper:
    deduper = Deduper()
    for seq, r in enumerate(rows):
        deduper.offer_row(seq, r)
    return deduper


def test_kept_names_one_row_per_document() -> None:
    rows = [row(OTHER_KEY, LATE, HASH_C), row(KEY, EARLY, HASH_A), row(KEY, LATE, HASH_B)]
    assert offer_rows(rows).kept() == {0, 2}


def test_duplicates_count_every_dropped_line() -> None:
    rows = [row(KEY, EARLY, HASH_A), row(KEY, EARLY, HASH_A), row(KEY, LATE, HASH_B)]
    assert offer_rows(rows).duplicates == 2


def test_a_pass_over_nothing_keeps_nothing() -> None:
    deduper = offer_rows([])
    assert (deduper.kept(), deduper.duplicates) == (frozenset(), 0)
