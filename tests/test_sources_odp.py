"""The ODP source against a local stub of the Open Data Portal: paging, redirects, auth, rate limits,
secrecy."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from support.uspto_stubs import OdpStub
from support.zips import weekly_zip

from oa_spark import config
from oa_spark.sources import SourceAuthError, SourceError, make_source
from oa_spark.sources._http import retry_after_s
from oa_spark.sources.odp import OdpSource

KEY = "odp-test-key-5f3a9c"
WEEKS = [date(2022, 1, 2) + timedelta(weeks=i) for i in range(5)]


@pytest.fixture
def stub() -> Iterator[OdpStub]:
    server = OdpStub(KEY, max_limit=2)
    for week in WEEKS:
        server.add(week, weekly_zip(week))
    server.add(date(2021, 12, 26), weekly_zip(date(2021, 12, 26)))  # before the range asked for
    yield server
    server.stop()


def odp(stub: OdpStub, key: str = KEY, sleeps: list[float] | None = None, **options: object) -> OdpSource:
    record = sleeps.append if sleeps is not None else (lambda s: None)
    return OdpSource(stub.url, key, timeout_s=10, max_attempts=3, sleep=record, **options)


def offsets(stub: OdpStub) -> list[int]:
    return [int(parse_qs(urlsplit(p).query)["offset"][0]) for p in stub.list_requests()]


def test_listing_reads_every_page_of_the_file_bag(stub: OdpStub) -> None:
    entries = odp(stub).list(WEEKS)
    assert [e.week for e in entries] == WEEKS
    assert offsets(stub) == [0, 2, 4, 5]  # pages of at most 2, until an empty one
    first = entries[0]
    assert (first.size, first.version_tag) == (len(weekly_zip(WEEKS[0])), "2022-01-10T09:00:00")


def test_listing_stops_when_the_server_ignores_paging(stub: OdpStub) -> None:
    stub.paging = False
    entries = odp(stub, page_size=3).list(WEEKS)
    assert [e.week for e in entries] == WEEKS
    assert offsets(stub) == [0, 5]


def test_listing_asks_for_the_range_from_the_first_monday(stub: OdpStub) -> None:
    odp(stub).list(WEEKS[1:3])
    query = parse_qs(urlsplit(stub.list_requests()[0]).query)
    assert (query["fileDataFromDate"], query["fileDataToDate"]) == (["2022-01-03"], ["2022-01-16"])


def test_download_follows_the_redirect_without_sending_the_key(stub: OdpStub) -> None:
    source = odp(stub)
    entry = source.list(WEEKS[:1])[0]
    out = io.BytesIO()
    digest = source.download(entry, out)
    assert out.getvalue() == weekly_zip(WEEKS[0])
    assert digest is not None and len(digest) == 64
    (signed_path, signed_headers), *_ = stub.signed.requests
    assert "X-Amz-Signature" in signed_path
    assert not any(h.lower() == "x-api-key" for h in signed_headers)
    assert all(headers.get("X-API-KEY") == KEY for _, headers in stub.api.requests)


def test_open_streams_the_file_through_the_redirect(stub: OdpStub) -> None:
    source = odp(stub)
    with source.open(source.list(WEEKS[:1])[0]) as stream:
        assert stream.read() == weekly_zip(WEEKS[0])


def test_a_rejected_key_says_to_set_uspto_api_key(stub: OdpStub) -> None:
    with pytest.raises(SourceAuthError, match=r"HTTP 401.*set USPTO_API_KEY"):
        odp(stub, key="wrong-key").list(WEEKS)


def test_a_missing_key_is_a_configuration_error_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("USPTO_API_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="USPTO_API_KEY"):
        make_source(config.load(overrides=["source.name=odp"]))


def test_429_waits_as_retry_after_says_then_succeeds(stub: OdpStub) -> None:
    stub.throttle, stub.retry_after = 2, "3"
    sleeps: list[float] = []
    assert len(odp(stub, sleeps=sleeps).list(WEEKS)) == 5
    assert sleeps == [3.0, 3.0]


def test_429_retries_are_bounded(stub: OdpStub) -> None:
    stub.throttle = 100
    sleeps: list[float] = []
    with pytest.raises(SourceError, match="429"):
        odp(stub, sleeps=sleeps).list(WEEKS)
    assert len(stub.list_requests()) == 3
    assert len(sleeps) == 2


def test_retry_after_accepts_seconds_and_http_dates_and_is_capped() -> None:
    assert retry_after_s("7") == 7.0
    assert retry_after_s("100000") == 60.0
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_s("soon") is None


def test_the_key_never_appears_in_logs_errors_or_reprs(
    stub: OdpStub, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    stub.throttle = 1
    source = odp(stub)
    entry = source.list(WEEKS[:1])[0]
    source.download(entry, io.BytesIO())
    with pytest.raises(SourceAuthError) as refused:
        odp(stub, key=KEY + "-revoked").list(WEEKS)
    texts = [
        caplog.text,
        repr(source),
        repr(source.http),
        str(vars(source)),
        str(refused.value),
        repr(refused.value),
    ]
    assert caplog.records  # the 429 retry and urllib3's requests were logged
    assert not [t for t in texts if KEY in t]
