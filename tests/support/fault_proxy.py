"""An HTTP proxy on 127.0.0.1 in front of the moto server that misbehaves on request.

moto lets anonymous ListObjectsV2 through whatever the bucket policy says, so a refused listing (as the real
legacy bucket answers) is played here: `refuse_list = True` answers 403 AccessDenied to bucket listings.
Object GETs can be broken once per queued fault, per key: `reset` (RST mid-body), `truncate` (clean close
mid-body), `500` (InternalError), `corrupt` (one byte flipped, a different one each time, and checksum
headers dropped), `slow` (the body trickles, so a test can kill a copy half way). Everything else is
forwarded untouched.
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}
ACCESS_DENIED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
    b"<Message>Access Denied</Message></Error>"
)
INTERNAL_ERROR = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
    b"<Message>We encountered an internal error. Please try again.</Message></Error>"
)


class FaultProxy:
    def __init__(self, upstream: str, slow_chunk: int = 1024, slow_delay_s: float = 0.05) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.refuse_list = False
        self.corrupted = 0
        self.slow_chunk, self.slow_delay_s = slow_chunk, slow_delay_s
        self.faults: dict[str, deque[str]] = defaultdict(deque)
        self.log: list[tuple[str, str, str]] = []  # (method, path, what the proxy did)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def fail(self, key_suffix: str, *kinds: str) -> None:
        """Queue faults for the next GETs of keys ending with `key_suffix`, one fault per GET."""
        with self._lock:
            self.faults[key_suffix].extend(kinds)

    def gets(self, key_suffix: str) -> list[str]:
        """What happened to each GET of that key, in order (`ok` or the fault)."""
        return [
            what
            for method, path, what in self.log
            if method == "GET" and path.split("?")[0].endswith(key_suffix)
        ]

    def _next_fault(self, path: str) -> str:
        key = path.split("?")[0]
        with self._lock:
            for suffix, queue in self.faults.items():
                if key.endswith(suffix) and queue:
                    return queue.popleft()
        return "ok"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _body(self) -> bytes:
                if "chunked" in self.headers.get("Transfer-Encoding", ""):
                    out = b""
                    while size := int(self.rfile.readline().split(b";")[0], 16):
                        out += self.rfile.read(size)
                        self.rfile.readline()
                    self.rfile.readline()
                    return out
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _is_listing(self) -> bool:
                parts = urlsplit(self.path)
                bucket_level = "/" not in parts.path.strip("/")
                return self.command == "GET" and bucket_level and "list-type=2" in parts.query

            def _forward(self) -> tuple[int, str, list[tuple[str, str]], bytes]:
                conn = http.client.HTTPConnection(*proxy.upstream, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                body = self._body()
                if body or self.command in ("PUT", "POST"):
                    headers["Content-Length"] = str(len(body))
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
                data = response.read()
                conn.close()
                return response.status, response.reason, response.getheaders(), data

            def _send(self, status: int, headers: list[tuple[str, str]], length: int) -> None:
                self.send_response(status)
                for k, v in headers:
                    if k.lower() not in HOP_BY_HOP:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(length))
                self.end_headers()

            def _handle(self) -> None:
                what = "ok"
                if proxy.refuse_list and self._is_listing():
                    what = "refused"
                    self._body()
                    self._send(403, [("Content-Type", "application/xml")], len(ACCESS_DENIED))
                    self.wfile.write(ACCESS_DENIED)
                    proxy.log.append((self.command, self.path, what))
                    return
                if self.command == "GET" and "/" in urlsplit(self.path).path.strip("/"):
                    what = proxy._next_fault(self.path)
                proxy.log.append((self.command, self.path, what))
                if what == "500":
                    self._body()
                    self._send(500, [("Content-Type", "application/xml")], len(INTERNAL_ERROR))
                    self.wfile.write(INTERNAL_ERROR)
                    return
                status, _reason, headers, data = self._forward()
                if self.command == "HEAD":
                    length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
                    self._send(status, headers, length)
                    return
                if what == "corrupt" and data:
                    with proxy._lock:  # a different byte each time, as transfer errors would be
                        proxy.corrupted += 1
                        spot = (len(data) // 2 + proxy.corrupted) % len(data)
                    data = data[:spot] + bytes([data[spot] ^ 0xFF]) + data[spot + 1 :]
                    headers = [(k, v) for k, v in headers if not k.lower().startswith("x-amz-checksum")]
                self._send(status, headers, len(data))
                if what in ("reset", "truncate"):
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    if what == "reset":  # SO_LINGER 0: close sends RST instead of FIN
                        self.connection.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                    else:
                        self.connection.shutdown(socket.SHUT_WR)
                    return
                if what == "slow":
                    for start in range(0, len(data), proxy.slow_chunk):
                        self.wfile.write(data[start : start + proxy.slow_chunk])
                        self.wfile.flush()
                        time.sleep(proxy.slow_delay_s)
                    return
                self.wfile.write(data)

            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _handle

        return Handler
