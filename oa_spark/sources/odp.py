"""The USPTO Open Data Portal product `OACT` (data-format.md §1), with an API key from `USPTO_API_KEY`.

List: `GET {source.odp_url}?fileDataFromDate=..&fileDataToDate=..` → `bulkDataProductBag[0].productFileBag
.fileDataBag[]`. Paging is an assumption (the portal's answer for one product has not been seen to page):
the request also carries `offset` and `limit`, and pages are fetched until one comes back empty or holds no
file not seen before. That reads everything whether the server pages, caps `limit`, or ignores both and
answers the whole list every time (then the second answer adds nothing and the loop stops); no total count
in the answer is relied upon, since which count means what is not documented.

Download: `fileDownloadURI` with the key; it may answer with the bytes or redirect to a signed URL on another
host, which gets no key (see `_http`). 429 waits as Retry-After says (bounded); 401/403 say to set the key.
"""

from __future__ import annotations

import builtins
import os
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO

from oa_spark.config import ConfigError
from oa_spark.sources import Entry, OnBytes, Source, SourceError, one_per_week
from oa_spark.sources._http import Http, Secret, safe_url
from oa_spark.weeks import is_sunday, week_from_name

if TYPE_CHECKING:
    from oa_spark.config import Config

ENV_KEY = "USPTO_API_KEY"
AUTH_HINT = f"set {ENV_KEY} to a valid Open Data Portal API key (data.uspto.gov → My ODP → API key)"
PAGE_SIZE = 100
MAX_PAGES = 1000


class OdpSource(Source):
    """The Open Data Portal's OACT product: paged listing and keyed downloads over HTTP."""

    name = "odp"

    def __init__(
        self,
        url: str,
        api_key: str | None,
        *,
        timeout_s: float = 60.0,
        max_attempts: int = 5,
        page_size: int = PAGE_SIZE,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key:
            raise ConfigError(f"source.name = odp needs an API key: {AUTH_HINT}")
        self.url = url
        self.page_size = page_size
        self.http = Http(
            timeout_s=timeout_s,
            max_attempts=max_attempts,
            secret_origin=url,
            secret_headers={"X-API-KEY": Secret(api_key)},
            auth_hint=AUTH_HINT,
            sleep=sleep,
        )

    @classmethod
    def from_config(cls, cfg: Config, environ: Mapping[str, str] | None = None) -> OdpSource:
        env = os.environ if environ is None else environ
        return cls(
            cfg.source.odp_url,
            env.get(ENV_KEY, "").strip(),
            timeout_s=cfg.source.timeout_s,
            max_attempts=cfg.source.max_attempts,
        )

    def describe(self) -> str:
        return f"odp {safe_url(self.url)}"

    def list(self, weeks: Sequence[date]) -> list[Entry]:
        window = {
            "fileDataFromDate": (min(weeks) - timedelta(days=6)).isoformat(),
            "fileDataToDate": max(weeks).isoformat(),
        }
        entries = (self._entry(f) for f in self._files(window))
        return one_per_week((e for e in entries if e is not None), weeks)

    def _files(self, window: Mapping[str, str]) -> builtins.list[dict[str, Any]]:
        files: dict[str, dict[str, Any]] = {}
        offset = 0
        for _ in range(MAX_PAGES):
            answer = self.http.json(self.url, {**window, "offset": offset, "limit": self.page_size})
            page = _file_bag(answer, self.url)
            fresh = [f for f in page if f.get("fileName") not in files]
            if not fresh:
                return list(files.values())
            files.update((f["fileName"], f) for f in fresh)
            offset += len(page)
        raise SourceError(f"{safe_url(self.url)} still paging after {MAX_PAGES} pages")

    def _entry(self, item: Mapping[str, Any]) -> Entry | None:
        name, uri = item.get("fileName"), item.get("fileDownloadURI")
        if not name or not uri:
            return None
        week = week_from_name(name) or _sunday(item.get("fileDataToDate"))
        if week is None:
            return None
        size = item.get("fileSize")
        tag = item.get("fileLastModifiedDateTime") or item.get("fileReleaseDate")
        return Entry(week, name, int(size) if size is not None else None, str(tag) if tag else None, uri)

    def open(self, entry: Entry) -> BinaryIO:
        return self.http.open(entry.url)

    def download(self, entry: Entry, fileobj: BinaryIO, progress: OnBytes | None = None) -> str | None:
        return self.http.download(entry.url, fileobj, progress)


def _file_bag(answer: Any, url: str) -> list[dict[str, Any]]:
    """`bulkDataProductBag[0].productFileBag.fileDataBag`; an answer without the bag is an empty page."""
    try:
        products = answer.get("bulkDataProductBag") or [{}]
        bag = (products[0].get("productFileBag") or {}).get("fileDataBag") or []
    except (AttributeError, IndexError, TypeError) as exc:
        raise SourceError(f"{safe_url(url)}: unexpected answer shape ({type(exc).__name__})") from None
    if not isinstance(bag, list):
        raise SourceError(f"{safe_url(url)}: fileDataBag is not a list")
    return [f for f in bag if isinstance(f, dict)]


def _sunday(text: Any) -> date | None:
    try:
        day = date.fromisoformat(str(text)[:10])
    except ValueError:
        return None
    return day if is_sunday(day) else None
