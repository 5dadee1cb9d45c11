"""Veraz scaled out on loopback: a streaming replica of the local PostgreSQL
(pg_basebackup, a second cluster on another port) and two gunicorn nodes that
share nothing but PostgreSQL and Redis (bench/loopback.py builds them).

Checks the router's promises against real servers: anonymous reads are
served by the replica, the editor who publishes on node A sees it at once
while readers on node B see it at once too, and when the replica stops,
readers get their pages from the primary, never an error, until it returns.

Runs where DATABASE_URL is PostgreSQL and the machine can start a cluster
(root, the server binaries, replication allowed from 127.0.0.1, see
.ci/allow-loopback-replication); skipped elsewhere, except that with
VERAZ_REQUIRE_REPLICA=1 (.ci/run's PostgreSQL run) it fails instead.
Ports are free ones unless VERAZ_REPLICA_PORT (one) and VERAZ_NODE_PORTS
(two, comma-separated) name them.
"""

import json
import os
import re
import subprocess
import uuid

import psycopg
import pytest

from bench.loopback import (
    AppNode,
    Client,
    ReplicaCluster,
    admin_url,
    configured_ports,
    free_port,
    manage,
    missing_prerequisites,
    node_environment,
    wait_until,
)
from config.replica_middleware import STICKY_COOKIE

pytestmark = pytest.mark.postgres

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("VERAZ_SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379/15")
READ_DB = "x-veraz-read-db"

# Made on the primary before the replica is copied from it.
SEED = """
from rest_framework.authtoken.models import Token
from tests.factories import UserFactory, make_in_review, make_published
researcher = UserFactory(username="rita", role="Researcher")
editor = UserFactory(username="eddie", role="Editor")
live = make_published(researcher, editor, text="Loopback: a claim already published.")
waiting = make_in_review(researcher, text="Loopback: a claim waiting for its editor.")
print("SEEDED", live.slug, waiting.pk)
"""


def cannot_run(reason: str):
    if os.environ.get("VERAZ_REQUIRE_REPLICA") == "1":
        pytest.fail(f"VERAZ_REQUIRE_REPLICA=1 but the loopback replica cannot run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.RedisError as error:
        cannot_run(f"Redis at {REDIS_URL} does not answer: {error}")
    yield REDIS_URL
    client.flushdb()


@pytest.fixture(scope="module")
def primary_db():
    """A migrated database with an editor, a published claim and one in review."""
    reason = missing_prerequisites(DATABASE_URL)
    if reason:
        cannot_run(reason)
    name = f"veraz_scaleout_{os.getpid()}"
    with psycopg.connect(admin_url(DATABASE_URL), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin_url(DATABASE_URL, name)
    try:
        env = node_environment(
            database_url=url, replica_url=None, redis_url="", SOURCE_CAPTURE_ON_ADD="0", DEBUG="1"
        )
        manage("migrate", "--noinput", env=env)
        output = manage("shell", "-c", SEED, env=env)
        live_slug, waiting_pk = re.search(r"^SEEDED (\S+) (\d+)$", output, re.M).groups()
        yield {"name": name, "url": url, "live_slug": live_slug, "waiting_pk": waiting_pk}
    finally:
        with psycopg.connect(admin_url(DATABASE_URL), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def replica(primary_db):
    cluster = ReplicaCluster(DATABASE_URL, *configured_ports("VERAZ_REPLICA_PORT")[:1])
    try:
        try:
            cluster.create()
        except subprocess.CalledProcessError as error:
            cannot_run(f"could not make a replica: {error.stderr.strip()}")
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="module")
def nodes(primary_db, replica, redis_db):
    env = node_environment(
        database_url=primary_db["url"],
        replica_url=replica.url(primary_db["name"]),
        redis_url=redis_db,
        DEBUG="1",
        SOURCE_CAPTURE_ON_ADD="0",
        # Generous, so the check does not depend on how slow the machine is.
        REPLICA_STICKY_SECONDS=60,
        # Short, so the replica's failure and return are noticed quickly.
        REPLICA_CHECK_SECONDS=0.5,
        REPLICA_RETRY_SECONDS=1,
        REPLICA_CONNECT_TIMEOUT=2,
    )
    ports = configured_ports("VERAZ_NODE_PORTS") or [free_port(), free_port()]
    started = []
    try:
        for port in ports[:2]:
            node = AppNode(env, port=port)
            started.append(node)
            node.start()
        yield started
    finally:
        for node in started:
            node.stop()


def uncached(path: str) -> str:
    """The path with a query string no one asked before: no cache (the app's
    or a proxy's) has it, so the response shows where its reads went."""
    return f"{path}?probe={uuid.uuid4().hex}"


def replica_reads(replica, dbname) -> int:
    """Rows the replica has returned to clients of the database."""
    return replica.query(
        dbname, "SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = %s", dbname
    )[0]


def test_anonymous_reads_are_served_by_the_replica(nodes, replica, primary_db):
    slug = primary_db["live_slug"]
    before = replica_reads(replica, primary_db["name"])
    for node in nodes:
        reader = Client(node.port)
        page = reader.get(f"/claims/{slug}/")
        assert page.status == 200
        assert "Loopback: a claim already published." in page.body
        assert page.headers[READ_DB] in {"replica", "none"}  # "none": served from the cache
        api = reader.get("/api/v1/claims/")
        assert api.status == 200
        assert slug in api.body
        assert api.headers[READ_DB] in {"replica", "none"}
    # The replica's own statistics agree: the rows came from there.
    wait_until(
        lambda: replica_reads(replica, primary_db["name"]) > before,
        timeout=15,
        what="the replica's pg_stat_database to count the reads",
    )


def test_the_editor_reads_their_write_and_other_nodes_see_it_at_once(nodes, primary_db):
    node_a, node_b = nodes
    editor = Client(node_a.port)
    editor.get("/admin/login/")
    login = editor.post_form(
        "/admin/login/?next=/admin/", {"username": "eddie", "password": "pw", "next": "/admin/"}
    )
    assert login.status == 302, login.body[:500]
    pk = primary_db["waiting_pk"]
    current = editor.get(f"/api/v1/claims/{pk}/")
    assert current.status == 200
    assert current.headers[READ_DB] == "default"  # logged in: the primary

    published = editor.post_json(
        f"/api/v1/claims/{pk}/transitions/",
        json.dumps({"action": "publish"}),
        **{"If-Match": current.headers["etag"]},
    )
    assert published.status == 200, published.body[:500]
    slug = json.loads(published.body)["slug"]
    assert STICKY_COOKIE in editor.cookies

    page = editor.get(f"/claims/{slug}/")
    assert page.status == 200
    assert "Loopback: a claim waiting for its editor." in page.body

    # Another node, another reader, no delay: the page is there.
    reader = Client(node_b.port)
    on_b = reader.get(f"/claims/{slug}/")
    assert on_b.status == 200
    assert "Loopback: a claim waiting for its editor." in on_b.body
    assert slug in reader.get("/api/v1/claims/").body

    # Logged out, the editor still reads from the primary while the marker lasts.
    editor.post_form("/admin/logout/", {})
    assert "sessionid" not in editor.cookies
    after_logout = editor.get(uncached(f"/claims/{slug}/"))
    assert after_logout.status == 200
    assert after_logout.headers[READ_DB] == "default"

    # Once the replica has replayed the publication, readers are back on it.
    wait_until(
        lambda: Client(node_b.port).get(uncached(f"/claims/{slug}/")).headers[READ_DB] == "replica",
        timeout=30,
        what="node B to read the new page from the replica",
    )


def test_when_the_replica_stops_readers_are_served_by_the_primary(nodes, replica, primary_db):
    slug = primary_db["live_slug"]
    replica.stop()
    try:
        for node in nodes:
            reader = Client(node.port)
            # Several requests, so each gunicorn worker meets the dead replica.
            for _ in range(8):
                for path in (f"/claims/{slug}/", "/api/v1/claims/"):
                    response = reader.get(path)
                    assert response.status == 200, (path, response.status, node.output())
                    assert response.headers[READ_DB] in {"default", "default,replica", "none"}
            ready = reader.get("/readyz")
            assert ready.status == 200
            assert "replica: down" in ready.body
    finally:
        replica.start()

    # Back: within the retry interval, reads return to the replica.
    for node in nodes:
        wait_until(
            lambda node=node: (
                Client(node.port).get(uncached(f"/claims/{slug}/")).headers[READ_DB] == "replica"
            ),
            timeout=30,
            what=f"node {node.port} to read from the returned replica",
        )
        assert re.search(r"replica: ok", Client(node.port).get("/readyz").body)
