"""The legacy and s3 sources against a real moto server: listing, refused listing, the JSON index, reads."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from support.fault_proxy import FaultProxy
from support.moto_server import LEGACY_BUCKET, LEGACY_PREFIX, S3Env, moto_server, point_at, s3  # noqa: F401
from support.uspto_stubs import IndexStub
from support.zips import weekly_zip

from oa_spark import config, s3io
from oa_spark.sources import make_source
from oa_spark.sources.legacy import LegacySource
from oa_spark.sources.s3 import S3Source
from oa_spark.weeks import file_name

W1, W2, W3 = date(2022, 1, 2), date(2022, 1, 9), date(2022, 1, 16)


@pytest.fixture
def legacy_bucket(s3: S3Env) -> dict[date, str]:  # noqa: F811
    """The public bucket holding weeks 1 and 3 (week 2 is a hole) and one unrelated key; week → ETag."""
    s3.public_bucket()
    s3.put(LEGACY_BUCKET, LEGACY_PREFIX + "README.txt", b"not a weekly file")
    return {w: s3.put(LEGACY_BUCKET, LEGACY_PREFIX + file_name(w), weekly_zip(w)) for w in (W1, W3)}


@pytest.fixture
def proxy(s3: S3Env, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    p = FaultProxy(s3.endpoint)
    point_at(monkeypatch, p.url)
    yield p
    p.stop()


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """A signed request would fail: proves the legacy source reads anonymously."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")


def legacy(**options: object) -> LegacySource:
    return LegacySource(LEGACY_BUCKET, LEGACY_PREFIX, max_attempts=3, timeout_s=10, **options)


def test_parse_s3_url_splits_bucket_and_prefix() -> None:
    assert s3io.parse_s3_url("s3://b/some/prefix") == ("b", "some/prefix/")
    assert s3io.parse_s3_url("s3a://b/") == ("b", "")
    with pytest.raises(config.ConfigError, match="not an s3:// URL"):
        s3io.parse_s3_url("/local/dir")


def test_legacy_lists_the_weeks_of_the_range_anonymously(legacy_bucket, no_credentials) -> None:
    entries = legacy().list([W1, W2, W3])
    assert [(e.week, e.file_name, e.version_tag) for e in entries] == [
        (W1, file_name(W1), legacy_bucket[W1]),
        (W3, file_name(W3), legacy_bucket[W3]),
    ]
    assert entries[0].size == len(weekly_zip(W1))
    assert entries[0].url == f"s3://{LEGACY_BUCKET}/{LEGACY_PREFIX}{file_name(W1)}"


def test_refused_listing_falls_back_to_head_and_finds_the_same_files(
    legacy_bucket, proxy, no_credentials
) -> None:
    listed = legacy().list([W1, W2, W3])
    proxy.refuse_list = True
    probed = legacy().list([W1, W2, W3])
    assert probed == listed
    assert [what for method, _, what in proxy.log if method == "GET"][-1:] == ["refused"]
    assert sorted(path.rsplit("/", 1)[-1] for method, path, _ in proxy.log if method == "HEAD") == [
        file_name(W) for W in (W1, W2, W3)
    ]


def test_listing_errors_other_than_refusal_are_source_errors(s3: S3Env, no_credentials) -> None:  # noqa: F811
    from oa_spark.sources import SourceError

    with pytest.raises(SourceError, match="NoSuchBucket"):
        legacy().list([W1])


def test_legacy_download_is_the_objects_bytes(legacy_bucket, no_credentials) -> None:
    source = legacy()
    entry = source.list([W1])[0]
    out = io.BytesIO()
    assert (
        source.download(entry, out) == hashlib.sha256(weekly_zip(W1)).hexdigest()
    )  # one GET: hashed on the way
    assert out.getvalue() == weekly_zip(W1)
    with source.open(entry) as stream:
        assert stream.read() == weekly_zip(W1)


def test_a_ranged_download_returns_no_digest_or_the_right_one(s3: S3Env) -> None:  # noqa: F811
    from boto3.s3.transfer import TransferConfig

    s3.client.create_bucket(Bucket="mirror")
    body = weekly_zip(W1, records=20, padding=60_000)
    s3.put("mirror", file_name(W1), body)
    ranged = TransferConfig(multipart_threshold=64 * 1024, multipart_chunksize=64 * 1024, max_concurrency=4)
    source = S3Source("mirror", "", transfer=ranged)
    out = io.BytesIO()
    digest = source.download(source.list([W1])[0], out)  # ~10 ranged GETs on 4 threads, in whatever order
    assert out.getvalue() == body
    assert digest in (None, hashlib.sha256(body).hexdigest())


def test_hashing_writer_hashes_in_order_writes_only() -> None:
    from oa_spark.sources import HashingWriter

    in_order = HashingWriter(io.BytesIO())
    for offset, chunk in ((0, b"abc"), (3, b"def")):
        in_order.seek(offset)
        in_order.write(chunk)
    assert in_order.hexdigest() == hashlib.sha256(b"abcdef").hexdigest()
    rewound = HashingWriter(io.BytesIO())
    for offset, chunk in ((0, b"abc"), (0, b"abc"), (3, b"def")):
        rewound.seek(offset)
        rewound.write(chunk)
    assert rewound.hexdigest() is None


def test_developer_hub_index_lists_files_read_from_the_bucket(legacy_bucket, no_credentials) -> None:
    index = IndexStub()
    try:
        url = f"https://{LEGACY_BUCKET}.s3.amazonaws.com/{LEGACY_PREFIX}{file_name(W1)}"
        index.add(W1, len(weekly_zip(W1)), url, created="2022-01-10 08:00:00")
        index.add(date(2021, 12, 26), 10, "https://example.invalid/old.zip")  # outside the range
        source = legacy(index_url=index.url + "?fromDate=MM-DD-YYYY&toDate=MM-DD-YYYY")
        entries = source.list([W1, W2])
        assert [(e.week, e.version_tag, e.url) for e in entries] == [
            (W1, "2022-01-10 08:00:00", f"s3://{LEGACY_BUCKET}/{LEGACY_PREFIX}{file_name(W1)}")
        ]
        out = io.BytesIO()
        source.download(entries[0], out)
        assert out.getvalue() == weekly_zip(W1)
        assert "fromDate=12-27-2021&toDate=01-09-2022" in index.server.requests[0][0]
    finally:
        index.stop()


def test_developer_hub_index_urls_outside_the_bucket_are_read_over_http(s3: S3Env) -> None:  # noqa: F811
    index = IndexStub()
    try:
        body = weekly_zip(W2)
        index.add(W2, len(body), index.serve(W2, body))
        source = legacy(index_url=index.url)
        entry = source.list([W2])[0]
        assert entry.url.startswith("http://127.0.0.1")
        out = io.BytesIO()
        assert source.download(entry, out) is not None  # streamed, so hashed on the way
        assert out.getvalue() == body
    finally:
        index.stop()


def test_bucket_key_recognises_the_bucket_in_every_url_style() -> None:
    source = legacy()
    key = LEGACY_PREFIX + file_name(W1)
    assert source.bucket_key(f"https://{LEGACY_BUCKET}.s3.amazonaws.com/{key}") == key
    assert source.bucket_key(f"https://s3.us-east-1.amazonaws.com/{LEGACY_BUCKET}/{key}") == key
    assert source.bucket_key(f"s3://{LEGACY_BUCKET}/{key}") == key
    assert source.bucket_key(f"https://other.s3.amazonaws.com/{key}") is None
    assert source.bucket_key(f"https://developer.uspto.gov/{key}") is None


def test_s3_source_lists_a_private_mirror_with_credentials(s3: S3Env) -> None:  # noqa: F811
    s3.client.create_bucket(Bucket="mirror")
    s3.put("mirror", f"oa/2022/{file_name(W1)}", weekly_zip(W1))
    s3.put("mirror", f"elsewhere/{file_name(W2)}", weekly_zip(W2))
    cfg = config.load(overrides=["source.name=s3", "source.url=s3://mirror/oa"])
    source = make_source(cfg)
    assert isinstance(source, S3Source)
    assert [e.url for e in source.list([W1, W2])] == [f"s3://mirror/oa/2022/{file_name(W1)}"]


def test_s3_source_needs_a_url() -> None:
    with pytest.raises(config.ConfigError, match=r"source\.url"):
        make_source(config.load(overrides=["source.name=s3"]))
