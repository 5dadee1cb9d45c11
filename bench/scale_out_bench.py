"""Veraz on two app nodes with a read replica, measured with wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/veraz_bench \\
        .venv/bin/python -m bench.scale_out_bench --bare ../shared/bench/bare_wsgi.py

Starts the loopback topology of tests/test_scale_out.py (bench/loopback.py):
a streaming replica of the database in DATABASE_URL (pg_basebackup, a second
cluster on its own port) and two gunicorn nodes sharing PostgreSQL and Redis,
with production settings (DEBUG off). Then, for each endpoint, wrk against
node A alone, node B alone, and both at once (req/s summed), once with the
replica and once without it, counting the rows the primary and the replica
returned per request meanwhile: the replica's effect on the primary's load.
(The bare ceilings bypass Django, so the router too: they read the primary.)

The database must be migrated and hold published claims (`manage.py
load_demo`, `manage.py generate_newsroom --claims 20000`). With --bare (the
shared bench's bare_wsgi.py) the nodes also serve its bare ceilings, and the
figures include P1/P2 ratios as ../shared/bench/http-ratio computes them.
Needs what the test needs (root, the server binaries, replication from
127.0.0.1: .ci/allow-loopback-replication) and wrk. The replica cluster and
the nodes are stopped, and the cluster deleted, however the run ends.
"""

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

from bench.loopback import (
    AppNode,
    Client,
    ReplicaCluster,
    configured_ports,
    free_port,
    manage,
    missing_prerequisites,
    node_environment,
)

ROWS_READ = "SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = %s"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("VERAZ_SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="Redis shared by the nodes (default: database 15 on the local server).",
    )
    parser.add_argument("--bare", type=Path, help="bare_wsgi.py, for the bare ceilings")
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections per node")
    parser.add_argument("--rounds", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument(
        "--write-load",
        type=float,
        default=0.0,
        help="claims updated per second on the primary while reads are measured (0: none)",
    )
    parser.add_argument(
        "--replica-port", type=int, default=(configured_ports("VERAZ_REPLICA_PORT") or [0])[0]
    )
    parser.add_argument(
        "--node-ports",
        default=os.environ.get("VERAZ_NODE_PORTS", ""),
        help="two comma-separated ports (default: free ones)",
    )
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("set DATABASE_URL or --database-url (a migrated PostgreSQL database)")
    if args.bare and not args.bare.is_file():
        parser.error(f"--bare: {args.bare} is not a file")
    if shutil.which("wrk") is None:
        parser.error("needs wrk (apt-get install wrk)")
    reason = missing_prerequisites(args.database_url)
    if reason:
        parser.error(f"cannot build the loopback replica: {reason}")
    ports = [int(port) for port in args.node_ports.split(",") if port.strip()]
    if ports and len(ports) != 2:
        parser.error("--node-ports takes two ports")
    args.node_ports = ports or [free_port(), free_port()]
    return args


def wrk(port: int, path: str, *, args, header: str | None = None) -> subprocess.Popen:
    # Every node answers for one site, as behind a proxy: the Host the ETags
    # were read with (bench.loopback.Client's), not wrk's "127.0.0.1:<port>",
    # under which no tag read from node A would ever match (and a 304 would
    # be measured as a 200).
    command = [
        "wrk",
        "-t1",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "-H",
        "Host: 127.0.0.1",
    ]
    if header:
        command += ["-H", header]
    return subprocess.Popen(
        [*command, f"http://127.0.0.1:{port}{path}"], stdout=subprocess.PIPE, text=True
    )


def requests_per_second(process: subprocess.Popen) -> float:
    output, _ = process.communicate()
    if re.search(r"Non-2xx or 3xx responses", output):
        raise RuntimeError(f"wrk saw errors:\n{output}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not match:
        raise RuntimeError(f"no rate in wrk's output:\n{output}")
    return float(match.group(1))


def rows_read(url: str, dbname: str) -> int:
    with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
        return int(conn.execute(ROWS_READ, (dbname,)).fetchone()[0] or 0)


def endpoints(port: int, *, bare: bool) -> dict[str, tuple[str, str | None]]:
    """name: (path, header). 304s send the ETag a reader already has."""
    client = Client(port)
    listing = client.get("/api/v1/claims/")
    if listing.status != 200:
        raise RuntimeError(f"/api/v1/claims/ answered {listing.status}")
    slug = re.search(r'"slug":\s*"([^"]+)"', listing.body)
    if not slug:
        raise RuntimeError("the database has no published claim: load the demo first")
    page_path = f"/claims/{slug.group(1)}/"
    page = client.get(page_path)
    result = {"api": ("/api/v1/claims/", None), "page": (page_path, None)}
    # A 304 needs an ETag to match; without one there is nothing to measure.
    if listing.headers.get("etag"):
        result["api304"] = ("/api/v1/claims/", f"If-None-Match: {listing.headers['etag']}")
    if page.headers.get("etag"):
        result["page304"] = (page_path, f"If-None-Match: {page.headers['etag']}")
    if bare:
        result["bare_claims"] = ("/__bare/claims", None)
        result["bare_page"] = (f"/__bare/page/{slug.group(1)}/", None)
    return result


class WriteLoad:
    """A newsroom writing while readers read: `rate` claims a second get a
    new context and version on the primary (each its own transaction, so WAL
    for the replica to replay), and the replica's replay lag is sampled from
    pg_stat_replication each second."""

    UPDATE = (
        "UPDATE claims_claim SET context = context || ' ', version = version + 1, "
        "updated_at = now() WHERE id = %s"
    )
    LAG = "SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication"

    def __init__(self, url: str, rate: float):
        self.url, self.rate = url, rate
        self.writes, self.lags = 0, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if self.rate > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            ids = [row[0] for row in conn.execute("SELECT id FROM claims_claim")]
            started = time.monotonic()
            next_sample = started
            while not self._stop.is_set():
                conn.execute(self.UPDATE, (random.choice(ids),))
                self.writes += 1
                now = time.monotonic()
                if now >= next_sample:
                    self.lags.append(float(conn.execute(self.LAG).fetchone()[0]))
                    next_sample = now + 1
                # Keep to the rate: the next write is due at writes / rate.
                self._stop.wait(max(0.0, started + self.writes / self.rate - time.monotonic()))
            self.seconds = time.monotonic() - started

    def summary(self) -> dict:
        if not self.writes:
            return {}
        lags = sorted(self.lags) or [0.0]
        return {
            "writes_per_second": self.writes / max(self.seconds, 1e-9),
            "lag_median_ms": 1000 * statistics.median(lags),
            "lag_max_ms": 1000 * lags[-1],
        }


def rows_snapshot(args, replica, dbname) -> dict[str, int]:
    time.sleep(1.5)  # PostgreSQL publishes a backend's counts about once a second
    return {
        "primary": rows_read(args.database_url, dbname),
        "replica": rows_read(replica.url(dbname), dbname),
    }


def measure(nodes, paths, *, args, replica, dbname) -> dict:
    """Per endpoint: median req/s on A, on B and on both, and the rows the
    primary and the replica returned while it was measured."""
    figures = {}
    for name, (path, header) in paths.items():
        runs = {"A": [], "B": [], "A+B": []}
        before = rows_snapshot(args, replica, dbname)
        requests = 0.0
        for _ in range(args.rounds):
            for label, ports in (
                ("A", [nodes[0].port]),
                ("B", [nodes[1].port]),
                ("A+B", [n.port for n in nodes]),
            ):
                processes = [wrk(port, path, args=args, header=header) for port in ports]
                rate = sum(requests_per_second(p) for p in processes)
                runs[label].append(rate)
                requests += rate * args.duration
        after = rows_snapshot(args, replica, dbname)
        figures[name] = {label: statistics.median(values) for label, values in runs.items()}
        figures[name]["rows"] = {
            server: (after[server] - before[server]) / max(requests, 1) for server in after
        }
    return figures


def run(args) -> list[str]:
    import redis

    dbname = args.database_url.rsplit("/", 1)[-1].split("?")[0]
    # No marker or cached page left from an earlier run.
    redis.Redis.from_url(args.redis_url).flushdb()
    # DEBUG off serves static files through the manifest collectstatic writes.
    manage(
        "collectstatic", "--noinput", "-v0",
        env=node_environment(database_url=args.database_url, replica_url=None, redis_url=""),
    )  # fmt: skip
    replica = ReplicaCluster(args.database_url, args.replica_port or free_port())
    report = []
    try:
        replica.create()
        for with_replica in (True, False):
            env = node_environment(
                database_url=args.database_url,
                replica_url=replica.url(dbname) if with_replica else None,
                redis_url=args.redis_url,
                DEBUG="0",
                SOURCE_CAPTURE_ON_ADD="0",
                # Rate limits would answer 429 to a load generator on loopback.
                API_ANON_THROTTLE_RATE="",
            )
            nodes = [
                AppNode(
                    env,
                    workers=args.workers,
                    port=port,
                    app="bare_wsgi:app" if args.bare else "config.wsgi",
                    pythonpath=str(args.bare.resolve().parent) if args.bare else None,
                    access_log=False,
                )
                for port in args.node_ports
            ]
            try:
                for node in nodes:
                    node.start()
                paths = endpoints(nodes[0].port, bare=bool(args.bare))
                for path, header in paths.values():  # warm caches and connections
                    requests_per_second(wrk(nodes[0].port, path, args=args, header=header))
                with WriteLoad(args.database_url, args.write_load) as writes:
                    figures = measure(nodes, paths, args=args, replica=replica, dbname=dbname)
                figures["writes"] = writes.summary()
            finally:
                for node in nodes:
                    node.stop()
            report += describe(figures, with_replica=with_replica)
    finally:
        replica.destroy()
    return report


def describe(figures, *, with_replica: bool) -> list[str]:
    lines = [
        f"== two nodes, {'with' if with_replica else 'without'} the replica"
        " (rows: returned per request by the primary / the replica)"
    ]
    writes = figures.pop("writes", {})
    if writes:
        lines.append(
            f"write load   {writes['writes_per_second']:.1f} claim updates/s on the primary;"
            f" replica replay lag median {writes['lag_median_ms']:.1f} ms,"
            f" max {writes['lag_max_ms']:.1f} ms"
        )
    for name, rates in figures.items():
        rows = rates["rows"]
        lines.append(
            f"{name:12} A {rates['A']:8.0f}  B {rates['B']:8.0f}  A+B {rates['A+B']:8.0f} req/s"
            f"   rows {rows['primary']:7.1f} / {rows['replica']:7.1f}"
        )
    for a, b, label in (
        ("api", "bare_claims", "P1 api/bare"),
        ("page", "bare_page", "P2 page/bare"),
        ("page304", "page", "P3 page304/page"),
        ("api304", "api", "P3b api304/api"),
    ):
        if a in figures and b in figures:
            lines.append(f"{label:16} A+B {figures[a]['A+B'] / figures[b]['A+B']:.2f}")
    return lines


def main(argv=None) -> int:
    args = parse_args(argv)
    for line in run(args):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
