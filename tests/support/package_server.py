"""A package host on 127.0.0.1 for download tests: real HTTP, real sockets.

Files are served from a dict; a path may be given a behaviour:
``drip`` (10 bytes every ``drip_pause`` s), ``truncate`` (announces the full
Content-Length, sends half, closes), ``fail:N`` (503 for the first N requests),
``need-agent`` (403 unless the User-Agent is Argos's).  Every request is
logged with its User-Agent.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class PackageServer:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.behaviour: dict[str, str] = {}
        self.requests: list[tuple[str, str]] = []
        self.hits: Counter[str] = Counter()
        self.drip_pause = 5.0
        self.closed = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                server.requests.append((path, self.headers.get("User-Agent", "")))
                server.hits[path] += 1
                body = server.files.get(path)
                how = server.behaviour.get(path, "")
                if body is None:
                    self.send_error(404)
                    return
                if how.startswith("fail:") and server.hits[path] <= int(how[5:]):
                    self.send_error(503)
                    return
                if how == "need-agent" and self.headers.get("User-Agent") != "ArgosTranslate":
                    self.send_error(403)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if how == "truncate":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if how == "drip":
                    for i in range(0, len(body), 10):
                        if server.closed.is_set():
                            return
                        try:
                            self.wfile.write(body[i : i + 10])
                            self.wfile.flush()
                        except OSError:
                            return
                        server.closed.wait(server.drip_pause)
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> PackageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        time.sleep(0)
