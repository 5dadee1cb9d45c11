"""A small web server on 127.0.0.1 for the capture and link-check tests.

Each path is a `Page` the test can change or remove while the server runs:
pages that redirect, change, disappear, are huge, are slow, are not HTML, or
fail a few times before answering.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    location: str = ""
    delay: float = 0.0
    fail_first: int = 0  # answer 503 this many times first
    length: int | None = None  # stream this many bytes instead of body
    hits: int = 0


def article(title: str, text: str) -> bytes:
    """A news page with boilerplate around the text, one paragraph per line."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines() if line)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article>"
        "<footer>© Example News. All rights reserved.</footer></body></html>"
    ).encode()


class LocalWeb:
    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, str, str]] = []  # method, path, user agent
        web = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                self.answer(body=False)

            def do_GET(self):
                self.answer(body=True)

            def answer(self, *, body: bool):
                web.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
                page = web.pages.get(self.path)
                if page is None:
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    if body:
                        self.wfile.write(b"not found")
                    return
                page.hits += 1
                if page.delay:
                    time.sleep(page.delay)
                status = 503 if page.hits <= page.fail_first else page.status
                self.send_response(status)
                if page.location:
                    self.send_header("Location", page.location)
                self.send_header("Content-Type", page.content_type)
                size = page.length if page.length is not None else len(page.body)
                if page.length is None:
                    self.send_header("Content-Length", str(size))
                self.end_headers()
                if not body:
                    return
                try:
                    if page.length is None:
                        self.wfile.write(page.body)
                    else:
                        chunk = b"<p>" + b"x" * 65530 + b"</p>"
                        for _ in range(page.length // len(chunk) + 1):
                            self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalWeb:
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, **page) -> str:
        self.pages[path] = Page(**page)
        return self.url(path)
