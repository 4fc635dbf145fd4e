"""Local stand-ins for the USPTO HTTP APIs, each an http.server in a thread on 127.0.0.1.

`OdpStub` plays the Open Data Portal product `OACT`: the file list answers in the documented shape and pages
with `offset`/`limit` (at most `max_limit` files per answer, whatever `limit` asks), which is the paging the
client assumes, or ignores both (`paging = False`); downloads need the key and redirect to a "signed" URL
on a second server (another origin), which records the headers it receives. `IndexStub` plays the Developer
Hub weekly archive index.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from oa_spark.weeks import file_name

Handler = Callable[[BaseHTTPRequestHandler], None]


class _Server:
    """One ThreadingHTTPServer whose GETs go to `handle`; every request is recorded with its headers."""

    def __init__(self, handle: Handler) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        recorded = self.requests

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                recorded.append((self.path, dict(self.headers.items())))
                handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


def reply(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def reply_json(
    h: BaseHTTPRequestHandler, status: int, value: object, headers: dict[str, str] | None = None
) -> None:
    reply(h, status, json.dumps(value).encode(), {"Content-Type": "application/json", **(headers or {})})


class OdpStub:
    PRODUCT_PATH = "/api/v1/datasets/products/OACT"
    FILES_PATH = "/api/v1/datasets/products/files/OACT/"

    def __init__(self, api_key: str, max_limit: int = 2) -> None:
        self.api_key = api_key
        self.max_limit = max_limit
        self.files: dict[str, bytes] = {}
        self.modified: dict[str, str] = {}
        self.paging = True  # False: answer the whole list whatever offset and limit say
        self.throttle = 0  # answer this many list requests with 429 first
        self.retry_after = "3"
        self.api = _Server(self._api)
        self.signed = _Server(self._signed)
        self.url = self.api.base + self.PRODUCT_PATH

    def add(self, week: date, body: bytes, modified: str = "2022-01-10T09:00:00") -> str:
        name = file_name(week)
        self.files[name] = body
        self.modified[name] = modified
        return name

    def _meta(self, name: str) -> dict[str, object]:
        week = date.fromisoformat(name[-14:-4])
        return {
            "fileName": name,
            "fileSize": len(self.files[name]),
            "fileDataFromDate": (week - timedelta(days=6)).isoformat(),
            "fileDataToDate": week.isoformat(),
            "fileDownloadURI": self.api.base + self.FILES_PATH + name,
            "fileReleaseDate": (week + timedelta(days=1)).isoformat(),
            "fileLastModifiedDateTime": self.modified[name],
        }

    def _api(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        if h.headers.get("X-API-KEY") != self.api_key:
            reply_json(h, 401, {"code": 401, "message": "Unauthorized"})
            return
        if parts.path == self.PRODUCT_PATH:
            self._list(h, parse_qs(parts.query))
        elif parts.path.startswith(self.FILES_PATH) and parts.path[len(self.FILES_PATH) :] in self.files:
            name = parts.path[len(self.FILES_PATH) :]
            reply(
                h,
                302,
                b"",
                {"Location": f"{self.signed.base}/signed/{name}?X-Amz-Signature=deadbeef&X-Amz-Expires=60"},
            )
        else:
            reply_json(h, 404, {"code": 404, "message": "Not Found"})

    def _list(self, h: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> None:
        if self.throttle > 0:
            self.throttle -= 1
            reply_json(
                h, 429, {"code": 429, "message": "Too Many Requests"}, {"Retry-After": self.retry_after}
            )
            return
        first = date.fromisoformat(query["fileDataFromDate"][0])
        last = date.fromisoformat(query["fileDataToDate"][0])
        offset = int(query.get("offset", ["0"])[0])
        limit = min(int(query.get("limit", [str(self.max_limit)])[0]), self.max_limit)
        names = sorted(n for n in self.files if first <= date.fromisoformat(n[-14:-4]) <= last)
        page = [self._meta(n) for n in (names[offset : offset + limit] if self.paging else names)]
        bag = {"count": len(names), "fileDataBag": page}
        reply_json(
            h, 200, {"count": 1, "bulkDataProductBag": [{"productIdentifier": "OACT", "productFileBag": bag}]}
        )

    def _signed(self, h: BaseHTTPRequestHandler) -> None:
        name = urlsplit(h.path).path.removeprefix("/signed/")
        if name not in self.files:
            reply(h, 404, b"")
            return
        reply(h, 200, self.files[name], {"Content-Type": "application/zip"})

    def list_requests(self) -> list[str]:
        return [path for path, _ in self.api.requests if urlsplit(path).path == self.PRODUCT_PATH]

    def stop(self) -> None:
        self.api.stop()
        self.signed.stop()


class IndexStub:
    """`GET .../searchWeeklyArchiveData?fromDate=MM-DD-YYYY&toDate=MM-DD-YYYY` → JSON array of archives."""

    PATH = "/ibd-api/v1/weeklyarchivedata/searchWeeklyArchiveData"

    def __init__(self) -> None:
        self.archives: list[dict[str, object]] = []
        self.files: dict[str, bytes] = {}
        self.server = _Server(self._handle)
        self.url = self.server.base + self.PATH

    def add(self, week: date, size: int, download_url: str, created: str = "2022-01-10 09:00:00") -> None:
        self.archives.append(
            {
                "archiveFileName": file_name(week),
                "fileSize": size,
                "fromDate": (week - timedelta(days=6)).strftime("%m-%d-%Y"),
                "toDate": week.strftime("%m-%d-%Y"),
                "createDateTime": created,
                "archiveDownloadURL": download_url,
            }
        )

    def serve(self, week: date, body: bytes) -> str:
        """Serve `body` from this stub itself (a non-S3 download URL); returns that URL."""
        self.files[file_name(week)] = body
        return f"{self.server.base}/files/{file_name(week)}"

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        if parts.path.startswith("/files/") and parts.path[len("/files/") :] in self.files:
            reply(h, 200, self.files[parts.path[len("/files/") :]], {"Content-Type": "application/zip"})
            return
        query = parse_qs(parts.query)
        first = _mdy(query["fromDate"][0])
        last = _mdy(query["toDate"][0])
        hits = [a for a in self.archives if first <= _mdy(str(a["toDate"])) <= last]
        reply_json(h, 200, hits)

    def stop(self) -> None:
        self.server.stop()


def _mdy(text: str) -> date:
    month, day, year = (int(p) for p in text.split("-"))
    return date(year, month, day)
