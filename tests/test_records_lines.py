"""`iter_records`: JSON Lines (BOM, blank lines, CRLF, chunking, long lines) and the JSON-array fallback."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import orjson

from oa_spark import reasons
from oa_spark.reader.records import Quarantine, iter_records

BOM = b"\xef\xbb\xbf"
A = b'{"obsoleteDocumentIdentifier": "J8080VPBRXEAPX5", "patentApplicationNumber": "14485382"}'
B = b'{"obsoleteDocumentIdentifier": "KZQ1R7MPPXXIFW4", "patentApplicationNumber": "16123456"}'


def records(*chunks: bytes, max_line_bytes: int | None = None) -> list[tuple[int, bytes | Quarantine]]:
    if max_line_bytes is None:
        return list(iter_records(chunks))
    return list(iter_records(chunks, max_line_bytes=max_line_bytes))


def one_byte_chunks(data: bytes) -> Iterable[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


# -- JSON Lines ----------------------------------------------------------------------------------------------


def test_lines_are_numbered_from_one() -> None:
    assert records(A + b"\n" + B + b"\n") == [(1, A), (2, B)]


def test_blank_lines_are_skipped_but_keep_their_numbers() -> None:
    assert records(A + b"\n\n\n" + B + b"\n") == [(1, A), (4, B)]


def test_whitespace_only_line_is_blank() -> None:
    assert records(A + b"\n  \t \n" + B) == [(1, A), (3, B)]


def test_leading_blank_lines_keep_their_numbers() -> None:
    assert records(b"\n\n" + A) == [(3, A)]


def test_last_line_without_a_newline_is_read() -> None:
    assert records(A + b"\n" + B) == [(1, A), (2, B)]


def test_bom_at_the_start_is_removed() -> None:
    assert records(BOM + A + b"\n") == [(1, A)]


def test_bom_split_across_chunks_is_removed() -> None:
    assert records(BOM[:1], BOM[1:2], BOM[2:] + A) == [(1, A)]


def test_bom_inside_the_member_is_left_for_the_normalizer() -> None:
    assert records(A + b"\n" + BOM + B) == [(1, A), (2, BOM + B)]


def test_crlf_newline_is_removed() -> None:
    assert records(A + b"\r\n" + B + b"\r\n") == [(1, A), (2, B)]


def test_record_keeps_its_inner_spaces() -> None:
    padded = b"  " + A + b"  "
    assert records(padded + b"\n") == [(1, padded)]


def test_line_split_across_many_chunks_is_joined() -> None:
    assert records(*one_byte_chunks(A + b"\n\n" + B + b"\n")) == [(1, A), (3, B)]


def test_empty_member_has_no_records() -> None:
    assert records(b"") == []


def test_whitespace_member_has_no_records() -> None:
    assert records(b"\n \n\r\n") == []


def test_line_over_the_limit_is_quarantined_as_invalid_json() -> None:
    [(number, result)] = records(A + b"\n", max_line_bytes=len(A) - 1)
    assert isinstance(result, Quarantine)
    assert (number, result.reason) == (1, reasons.INVALID_JSON)


def test_line_over_the_limit_is_hashed_whole_while_streaming() -> None:
    [(_, result)] = records(*one_byte_chunks(A + b"\n"), max_line_bytes=10)
    assert isinstance(result, Quarantine)
    assert result.raw_sha256 == hashlib.sha256(A).hexdigest()


def test_line_over_the_limit_keeps_a_raw_prefix() -> None:
    [(_, result)] = records(A + b"\n", max_line_bytes=10)
    assert isinstance(result, Quarantine)
    assert result.raw_prefix == A.decode()


def test_line_after_an_overlong_line_is_read() -> None:
    long_line = b'{"x": "' + b"y" * 100 + b'"}'
    assert records(long_line + b"\n" + A + b"\n", max_line_bytes=len(A))[1] == (2, A)


def test_line_at_exactly_the_limit_is_read() -> None:
    assert records(A + b"\n", max_line_bytes=len(A)) == [(1, A)]


# -- JSON array fallback -------------------------------------------------------------------------------------


def test_json_array_elements_are_records_numbered_from_one() -> None:
    member = b"[" + A + b",\n" + B + b"]"
    assert records(member) == [(1, orjson.dumps(orjson.loads(A))), (2, orjson.dumps(orjson.loads(B)))]


def test_json_array_element_bytes_are_its_compact_orjson_serialization() -> None:
    [(_, raw)] = records(b'[ {"a" : 1,  "b": [1, 2.5]} ]')
    assert raw == b'{"a":1,"b":[1,2.5]}'


def test_identical_json_array_elements_have_identical_bytes() -> None:
    [(_, first), (_, second)] = records(b"[" + A + b", " + A + b"]")
    assert first == second


def test_json_array_after_bom_and_whitespace_is_detected() -> None:
    assert records(BOM + b"\n  [" + A + b"]") == [(1, orjson.dumps(orjson.loads(A)))]


def test_json_array_streamed_in_small_chunks_is_complete() -> None:
    member = b"[" + b",".join([A] * 5) + b"]"
    assert len(records(*one_byte_chunks(member))) == 5


def test_non_object_array_element_is_passed_on_for_the_normalizer() -> None:
    assert records(b'[1, "x"]') == [(1, b"1"), (2, b'"x"')]


def test_broken_json_array_keeps_the_elements_before_the_fault() -> None:
    results = records(b"[" + A + b", {broken}, " + B + b"]")
    assert results[0] == (1, orjson.dumps(orjson.loads(A)))


def test_broken_json_array_ends_with_one_invalid_json_quarantine() -> None:
    results = records(b"[" + A + b", {broken}, " + B + b"]")
    assert len(results) == 2
    number, last = results[1]
    assert isinstance(last, Quarantine)
    assert (number, last.reason) == (2, reasons.INVALID_JSON)


def test_unterminated_json_array_ends_with_invalid_json() -> None:
    number, last = records(b"[" + A + b",")[-1]
    assert isinstance(last, Quarantine)
    assert (number, last.reason) == (2, reasons.INVALID_JSON)


def test_json_array_element_with_an_integer_past_64_bits_is_quarantined() -> None:
    [(_, result)] = records(b'[{"n": 123456789012345678901234567890}]')
    assert isinstance(result, Quarantine)
    assert result.reason == reasons.INVALID_JSON
