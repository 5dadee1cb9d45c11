"""A reader page's cost inside one process: the WSGI handler called directly,
no server, no network, no shared cache (READER_SHARED_CACHE=0 is set here).

Run against the HTTP bench's database, DEBUG off, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/veraz_http_bench DEBUG=0 \\
        SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 \\
        .venv/bin/python bench/cold_page.py /claims/peru-deployed-180-police-border/

prints the status, the body's size and the mean wall and CPU milliseconds per
request; `--profile` adds cProfile's cumulative listing. `--bare DIR` measures
the bare ceiling of DIR/bare_wsgi.py instead (e.g. /__bare/page/<slug>/).

`--like-searches` measures a page as searches reach it in production: the
shared cache on (REDIS_URL, or local memory), and each request's address made
new by a parameter the pages ignore (`n=<i>`), so no page comes from the cache
while what is kept per publication version (the list page's filter lists,
claims.site.caching.shared_data) is. E.g. `/claims/ --query q=police`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="the page, e.g. /claims/<slug>/")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--warm-up", type=int, default=30)
    parser.add_argument("--bare", type=Path, help="folder of bare_wsgi.py")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (pstats)")
    parser.add_argument("--top", type=int, default=60, help="lines of the profile shown")
    parser.add_argument("--query", default="", help="the query string, e.g. q=police")
    parser.add_argument(
        "--like-searches",
        action="store_true",
        help="shared cache on, a new address for every request (see above)",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["READER_SHARED_CACHE"] = "1" if args.like_searches else "0"
    if args.bare:
        sys.path.insert(0, str(args.bare))
        from bare_wsgi import app
    else:
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()

    statuses: list[str] = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    sent = itertools.count()

    def query() -> str:
        if not args.like_searches:
            return args.query
        return "&".join(filter(None, (args.query, f"n={os.getpid()}-{next(sent)}")))

    def request() -> bytes:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": args.path,
            "QUERY_STRING": query(),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        return b"".join(app(environ, start_response))

    body = request()
    print(f"{statuses[-1]}, {len(body)} bytes")
    for _ in range(args.warm_up):
        request()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.requests):
        request()
    wall = (time.perf_counter() - wall) / args.requests * 1000
    cpu = (time.process_time() - cpu) / args.requests * 1000
    print(f"{args.requests} requests: {wall:.2f} ms wall, {cpu:.2f} ms CPU per request")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(min(args.requests, 200)):
            request()
        profile.disable()
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
