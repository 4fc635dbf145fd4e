"""HTTP for the API sources: bounded retries, redirects followed by hand, secrets kept to their origin.

requests drops `Authorization` on a cross-host redirect but forwards any other header, so an API key sent as
`X-API-KEY` would reach the signed-URL host of a download. Redirects are therefore followed here, and the
secret headers go only to the API's own origin (scheme, host, port). Secrets never enter a URL, a message,
a log line or a repr; URLs in messages lose their query (a signed URL's signature is a credential too).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

import requests

from oa_spark.sources import CHUNK, OnBytes, SourceAuthError, SourceError, copy_hashing, log

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
MAX_WAIT_S = 60.0
TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class Secret:
    """A value that never shows itself: repr and str are masked."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__


def safe_url(url: str) -> str:
    """The URL without query and fragment, for messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def retry_after_s(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), within [0, MAX_WAIT_S]."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(MAX_WAIT_S, max(0.0, seconds))


class Http:
    """GETs with retries on 429/5xx and dropped connections, `max_attempts` in all per request."""

    def __init__(
        self,
        *,
        timeout_s: float,
        max_attempts: int,
        secret_origin: str | None = None,
        secret_headers: Mapping[str, Secret] | None = None,
        auth_hint: str = "",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout_s = timeout_s
        self.max_attempts = max(1, max_attempts)
        self._secret_origin = origin(secret_origin) if secret_origin else None
        self._secret_headers = dict(secret_headers or {})
        self.auth_hint = auth_hint
        self.sleep = sleep
        self._local = threading.local()  # a requests.Session per thread: sessions are not thread-safe

    @property
    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def __repr__(self) -> str:
        return f"<Http timeout_s={self.timeout_s} max_attempts={self.max_attempts}>"

    def _headers_for(self, url: str) -> dict[str, str]:
        if self._secret_origin is not None and origin(url) == self._secret_origin:
            return {k: v.reveal() for k, v in self._secret_headers.items()}
        return {}

    def _wait(self, attempt: int, response: requests.Response | None, why: str, url: str) -> None:
        delay = retry_after_s(response.headers.get("Retry-After")) if response is not None else None
        if delay is None:
            delay = min(MAX_WAIT_S, 0.5 * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)
        log.warning(
            "%s from %s; retry %d/%d in %.1fs", why, safe_url(url), attempt, self.max_attempts - 1, delay
        )
        self.sleep(delay)

    def get(
        self, url: str, params: Mapping[str, Any] | None = None, stream: bool = False
    ) -> requests.Response:
        """The final 200 answer, after redirects and retries; raises SourceError (SourceAuthError on 401/403
        from the secret origin)."""
        for attempt in range(1, self.max_attempts + 1):
            try:
                response = self._get_following(url, params, stream)
            except TRANSIENT as exc:
                if attempt == self.max_attempts:
                    raise SourceError(f"GET {safe_url(url)} failed: {type(exc).__name__}") from None
                self._wait(attempt, None, type(exc).__name__, url)
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.max_attempts:
                response.close()
                self._wait(attempt, response, f"HTTP {response.status_code}", url)
                continue
            self._raise_for(response)
            return response
        raise AssertionError("unreachable")

    def _get_following(self, url: str, params: Mapping[str, Any] | None, stream: bool) -> requests.Response:
        for _ in range(MAX_REDIRECTS + 1):
            response = self.session.get(
                url,
                params=params,
                headers=self._headers_for(url),
                timeout=self.timeout_s,
                stream=stream,
                allow_redirects=False,
            )
            if response.status_code not in REDIRECTS or "Location" not in response.headers:
                return response
            response.close()
            url, params = urljoin(response.url, response.headers["Location"]), None
        raise SourceError(f"more than {MAX_REDIRECTS} redirects from {safe_url(url)}")

    def _raise_for(self, response: requests.Response) -> None:
        status, where = response.status_code, safe_url(response.url)
        if status == 200:
            return
        response.close()
        if status in (401, 403) and self._secret_origin and origin(response.url) == self._secret_origin:
            raise SourceAuthError(f"HTTP {status} from {where}: {self.auth_hint}")
        if status == 429:
            raise SourceError(f"HTTP 429 (rate limited) from {where} after {self.max_attempts} attempts")
        raise SourceError(f"HTTP {status} from {where}")

    def json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        response = self.get(url, params)
        try:
            return response.json()
        except ValueError as exc:
            raise SourceError(f"{safe_url(response.url)} did not answer JSON") from exc

    def open(self, url: str) -> BinaryIO:
        """The body as a readable stream (content-encoding undone); closing it frees the connection."""
        raw = self.get(url, stream=True).raw
        raw.decode_content = True
        return raw

    def download(self, url: str, fileobj: BinaryIO, progress: OnBytes | None = None) -> str:
        """Stream the body into `fileobj` (restarting from zero on a dropped connection); returns sha256."""
        for attempt in range(1, self.max_attempts + 1):
            response = self.get(url, stream=True)
            fileobj.seek(0)
            fileobj.truncate()
            try:
                return copy_hashing(response.iter_content(CHUNK), fileobj, progress)
            except TRANSIENT as exc:
                if attempt == self.max_attempts:
                    raise SourceError(f"download of {safe_url(url)} failed: {type(exc).__name__}") from None
                self._wait(attempt, None, f"{type(exc).__name__} mid-body", url)
            finally:
                response.close()
        raise AssertionError("unreachable")
