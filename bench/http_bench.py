"""Reader traffic against the bare ceiling, measured with wrk (issue 19).

    .venv/bin/python bench/http_bench.py --claims 20000          # the real run
    .venv/bin/python bench/http_bench.py --claims 500 --duration 3 --rounds 1   # a smoke run
    make bench-http CLAIMS=20000

1. Builds (or reuses) a PostgreSQL database holding the demo newsroom plus N
   generated claims (`generate_newsroom`, bulk-loaded).
2. Starts gunicorn as production runs it (2 sync workers, DEBUG off, Redis as
   the cache, throttles off so wrk is not answered 429) serving the project
   beside the bare endpoints of ../shared/bench/bare_wsgi.py, in one process,
   so the project and its ceiling share the same machine state.
3. Measures with wrk (8 connections) twice: with the shared reader cache
   (READER_SHARED_CACHE=1) and without it (=0, every request rendered), and
   prints the issue's figures:
     P1  API claim list / bare values() + json.dumps of the same rows
     P2  claim page / bare one-query page, uncached and cached
     P3  304 / 200 for the claim page and the API list

Each figure is the median of --rounds runs. Results are also written as JSON
to bench/results/ (not committed). Needs `wrk` (apt-get install -y wrk; the
Makefile target installs it) and psql's server reachable as DATABASE_ADMIN_URL.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
# ../shared/bench beside the project (or beside the folder of its worktrees).
DEFAULT_BARE = next(
    (
        folder
        for folder in (ROOT.parent / "shared" / "bench", ROOT.parent.parent / "shared" / "bench")
        if (folder / "bare_wsgi.py").exists()
    ),
    ROOT.parent / "shared" / "bench",
)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=20000, help="generated claims (20000)")
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run (8)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per figure, median (3)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--database", default="veraz_http_bench", help="PostgreSQL database")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without a database (DATABASE_ADMIN_URL)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
        help="Redis for the cache; the bench flushes this database (BENCH_REDIS_URL)",
    )
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the database")
    parser.add_argument("--bare", type=Path, default=DEFAULT_BARE, help="folder of bare_wsgi.py")
    parser.add_argument("--port", type=int, default=18779)
    return parser.parse_args()


def run(*command, env=None, **kwargs):
    print("$", " ".join(str(part) for part in command), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def environment(args, *, shared_cache: bool) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{args.admin_url.rstrip('/')}/{args.database}",
        "REDIS_URL": args.redis_url,
        "DEBUG": "0",
        "SECRET_KEY": "http-bench-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        "API_ANON_THROTTLE_RATE": "",
        "API_USER_THROTTLE_RATE": "",
        "READER_SHARED_CACHE": "1" if shared_cache else "0",
        "SOURCE_CAPTURE_ON_ADD": "0",
    }


def build_database(args) -> None:
    env = environment(args, shared_cache=True)
    exists = subprocess.run(
        ["psql", args.admin_url + "/postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip() == "1"  # fmt: skip
    if exists and args.rebuild:
        drop = f'DROP DATABASE IF EXISTS "{args.database}"'
        run("psql", args.admin_url + "/postgres", "-c", drop)
        exists = False
    if exists:
        count = run(
            PYTHON, "manage.py", "shell", "-c",
            "from claims.models import Claim; print(Claim.objects.count())",
            env=env, capture_output=True, text=True,
        ).stdout.split()[-1]  # fmt: skip
        if int(count) >= args.claims:
            print(f"Reusing {args.database}: {count} claims (--rebuild to start again).")
            return
        sys.exit(f"{args.database} holds {count} claims, fewer than {args.claims}: use --rebuild.")
    run("psql", args.admin_url + "/postgres", "-c", f'CREATE DATABASE "{args.database}"')
    run(PYTHON, "manage.py", "migrate", "--noinput", env=env)
    run(PYTHON, "manage.py", "load_demo", env=env)
    run(PYTHON, "manage.py", "generate_newsroom", "--claims", str(args.claims), env=env)


class Server:
    """gunicorn serving the project beside the bare ceiling (bare_wsgi.app)."""

    def __init__(self, args, *, shared_cache: bool):
        self.base = f"http://127.0.0.1:{args.port}"
        self.log = open(ROOT / "bench" / "results" / "http-bench-server.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [GUNICORN, "bare_wsgi:app", "--pythonpath", str(args.bare),
             "-b", f"127.0.0.1:{args.port}", "-w", "2"],
            cwd=ROOT, env=environment(args, shared_cache=shared_cache),
            stdout=self.log, stderr=self.log, start_new_session=True,
        )  # fmt: skip
        for _ in range(120):
            try:
                urllib.request.urlopen(self.base + "/__bare/hello", timeout=2)  # noqa: S310
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        sys.exit("gunicorn did not start: see bench/results/http-bench-server.log")

    def get(self, path: str, **headers) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(self.base + path, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), b""

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def wrk(args, url: str, header: str | None = None) -> float:
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", url]
    if header:
        command[1:1] = ["-H", header]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx or 3xx responses" in output:
        sys.exit(f"{url} answered errors under load:\n{output}")
    return float(next(line.split()[1] for line in output.splitlines() if "Requests/sec" in line))


def measure(args, *, shared_cache: bool) -> dict[str, float]:
    server = Server(args, shared_cache=shared_cache)
    try:
        subprocess.run(["redis-cli", "-u", args.redis_url, "flushdb"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip  # noqa: E501
        _, _, body = server.get("/__bare/claims")
        slug = json.loads(body)["results"][0]["slug"]
        urls = {
            "bare_claims": "/__bare/claims",
            "bare_page": f"/__bare/page/{slug}/",
            "api": "/api/v1/claims/",
            "page": f"/claims/{slug}/",
        }
        for name in ("api", "page"):
            status, headers, _ = server.get(urls[name])
            if status != 200 or "ETag" not in headers:
                sys.exit(f"{urls[name]} answered {status} without an ETag")
            urls[name + "304"] = (urls[name], f"If-None-Match: {headers['ETag']}")
            if server.get(urls[name], **{"If-None-Match": headers["ETag"]})[0] != 304:
                sys.exit(f"{urls[name]} does not answer 304 to its own ETag")
        for url in urls.values():  # warm both workers and the cache
            path, header = url if isinstance(url, tuple) else (url, None)
            wrk(argparse.Namespace(**{**vars(args), "duration": 1}), server.base + path, header)
        runs: dict[str, list[float]] = {name: [] for name in urls}
        for _ in range(args.rounds):
            for name, url in urls.items():
                path, header = url if isinstance(url, tuple) else (url, None)
                runs[name].append(wrk(args, server.base + path, header))
        return {name: statistics.median(values) for name, values in runs.items()}
    finally:
        server.stop()


def main() -> None:
    args = options()
    if shutil.which("wrk") is None:
        sys.exit("The bench needs wrk: apt-get install -y wrk (make bench-http installs it).")
    if not (args.bare / "bare_wsgi.py").exists():
        sys.exit(f"No bare_wsgi.py in {args.bare}: pass --bare (the shared bench folder).")
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    build_database(args)
    # DEBUG off serves hashed static names from the manifest collectstatic writes.
    run(
        PYTHON,
        "manage.py",
        "collectstatic",
        "--noinput",
        "-v0",
        env=environment(args, shared_cache=True),
    )
    uncached = measure(args, shared_cache=False)
    cached = measure(args, shared_cache=True)
    figures = {
        "P1 API list / bare values(), uncached": uncached["api"] / uncached["bare_claims"],
        "P1 API list / bare values(), cached": cached["api"] / cached["bare_claims"],
        "P2 claim page / bare page, uncached": uncached["page"] / uncached["bare_page"],
        "P2 claim page / bare page, cached": cached["page"] / cached["bare_page"],
        "P3 claim page 304 / its 200, uncached": uncached["page304"] / uncached["page"],
        "P3 API list 304 / its 200, uncached": uncached["api304"] / uncached["api"],
        "P3 claim page 304 / its 200, cached": cached["page304"] / cached["page"],
        "P3 API list 304 / its 200, cached": cached["api304"] / cached["api"],
    }
    print(f"\nreq/s, median of {args.rounds} x {args.duration}s, {args.claims} generated claims")
    print(f"{'endpoint':<14}{'uncached':>10}{'cached':>10}")
    for name in uncached:
        print(f"{name:<14}{uncached[name]:>10.0f}{cached[name]:>10.0f}")
    print()
    for name, value in figures.items():
        print(f"{name:<42}{value:>6.2f}")
    result = {
        "claims": args.claims,
        "duration": args.duration,
        "rounds": args.rounds,
        "connections": args.connections,
        "uncached": uncached,
        "cached": cached,
        "figures": figures,
    }
    path = ROOT / "bench" / "results" / f"http-{args.claims}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
