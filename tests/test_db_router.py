"""The read-replica router and its middleware (config/db_router.py,
config/replica_middleware.py), on any database.

The `replica` alias here is the test database's own connection, so a test's
data is visible through it; which alias served a request's reads is named
by the X-Veraz-Read-DB header. tests/test_scale_out.py runs the same rules
against a real streaming replica.
"""

import time

import pytest
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test import Client

from claims.models import Claim
from config import db_router
from config.db_router import PRIMARY, REPLICA, ReplicaRouter, replica_health
from config.replica_middleware import READ_DB_HEADER, STICKY_COOKIE
from tests.factories import make_published


@pytest.fixture
def replica(db, settings):
    """A `replica` alias that shares the primary's test connection."""
    settings.REPLICA_DEBUG_HEADER = True
    # Which database a request read is what these tests ask; a page served
    # from the shared reader cache reads none (tests/claims/site/test_shared_cache.py).
    settings.READER_SHARED_CACHE = False
    connections.settings[REPLICA] = connections.settings[PRIMARY]
    setattr(connections._connections, REPLICA, connections[PRIMARY])
    replica_health.reset()
    yield
    delattr(connections._connections, REPLICA)
    del connections.settings[REPLICA]
    replica_health.reset()


@pytest.fixture
def replica_down(replica):
    """The replica refuses connections (an SQLite file that cannot be opened)."""
    broken = SQLiteWrapper({**connections.settings[PRIMARY], "NAME": "/nonexistent/replica.db"})
    broken.settings_dict.update(ENGINE="django.db.backends.sqlite3", OPTIONS={})
    setattr(connections._connections, REPLICA, broken)
    return broken


@pytest.fixture
def claim(researcher, editor):
    return make_published(researcher, editor)


def read_db(response) -> str:
    return response[READ_DB_HEADER]


# --- The router on its own ---------------------------------------------------------


def test_outside_a_request_reads_and_writes_use_the_primary(replica):
    """Celery tasks and management commands never mark the context."""
    router = ReplicaRouter()
    assert router.db_for_read(Claim) == PRIMARY
    assert router.db_for_write(Claim) == PRIMARY


def test_a_request_marked_for_the_replica_reads_there_and_writes_to_the_primary(replica):
    router = ReplicaRouter()
    tokens = db_router.begin_request(use_replica=True)
    try:
        assert router.db_for_read(Claim) == REPLICA
        assert router.db_for_write(Claim) == PRIMARY
    finally:
        db_router.end_request(tokens)
    assert router.db_for_read(Claim) == PRIMARY


def test_without_a_replica_configured_every_read_uses_the_primary():
    tokens = db_router.begin_request(use_replica=True)
    try:
        assert ReplicaRouter().db_for_read(Claim) == PRIMARY
    finally:
        db_router.end_request(tokens)


def test_migrations_run_on_the_primary_only():
    router = ReplicaRouter()
    assert router.allow_migrate(PRIMARY, "claims") is True
    assert router.allow_migrate(REPLICA, "claims") is False


def test_objects_from_either_alias_may_be_related(claim):
    from_replica = Claim.objects.using(REPLICA).model(pk=claim.pk)
    from_replica._state.db = REPLICA
    assert ReplicaRouter().allow_relation(from_replica, claim) is True


# --- Requests ------------------------------------------------------------------------


def test_anonymous_reader_pages_and_api_reads_come_from_the_replica(replica, claim):
    client = Client()
    assert read_db(client.get(claim.get_absolute_url())) == "replica"
    assert read_db(client.get("/api/v1/claims/")) == "replica"
    assert read_db(client.get(f"/api/v1/claims/{claim.pk}/")) == "replica"


def test_logged_in_staff_read_from_the_primary(replica, claim, editor):
    client = Client()
    client.force_login(editor)
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    assert read_db(response) == "default"
    assert read_db(client.get("/admin/claims/claim/")) == "default"


def test_api_token_clients_read_from_the_primary(replica, claim, editor):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=editor)
    response = Client().get("/api/v1/claims/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert read_db(response) == "default"


def test_after_a_write_the_client_reads_from_the_primary_until_the_marker_expires(
    replica, claim, editor, settings
):
    """Read-your-writes: the sticky marker outlives the session (here: logout)."""
    client = Client()
    client.force_login(editor)
    response = client.post("/admin/logout/")
    assert response.status_code < 400
    assert STICKY_COOKIE in response.cookies
    assert response.cookies[STICKY_COOKIE]["max-age"] == settings.REPLICA_STICKY_SECONDS
    assert settings.SESSION_COOKIE_NAME not in client.cookies or not (
        client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    assert read_db(client.get(claim.get_absolute_url())) == "default"

    settings.REPLICA_STICKY_SECONDS = 0  # the marker's signature is now too old
    time.sleep(1)
    assert read_db(client.get(claim.get_absolute_url())) == "replica"


def test_a_forged_marker_is_ignored(replica, claim):
    client = Client()
    client.cookies[STICKY_COOKIE] = "1"
    assert read_db(client.get(claim.get_absolute_url())) == "replica"


def test_a_failed_write_sets_no_marker(replica):
    response = Client().post("/api/v1/claims/", {"text": "x"}, content_type="application/json")
    assert response.status_code >= 400
    assert STICKY_COOKIE not in response.cookies


def test_with_the_replica_down_reads_fall_back_to_the_primary(replica_down, claim):
    response = Client().get(claim.get_absolute_url())
    assert response.status_code == 200
    assert read_db(response) == "default"
    assert replica_health.status().state == "down"


def test_a_down_replica_is_not_asked_again_until_the_retry_interval(
    replica_down, claim, monkeypatch
):
    client = Client()
    client.get(claim.get_absolute_url())
    checks = []
    monkeypatch.setattr(replica_health, "check", lambda: checks.append(1))
    for _ in range(3):
        assert client.get(claim.get_absolute_url()).status_code == 200
    assert checks == []


def test_a_replica_lost_mid_request_is_answered_from_the_primary(replica_down, claim):
    """The check passed a moment ago; the page's own queries then fail: the
    request is answered again from the primary, not with a 503."""
    replica_health.checked_at = time.monotonic()
    replica_health.lag_seconds = 0.0
    response = Client().get(claim.get_absolute_url())
    assert response.status_code == 200
    assert claim.text in response.content.decode()
    assert read_db(response) == "default,replica"  # tried there first
    assert time.monotonic() < replica_health.down_until


def test_the_replica_is_used_again_after_it_returns(replica_down, claim, settings):
    client = Client()
    assert read_db(client.get(claim.get_absolute_url())) == "default"
    setattr(connections._connections, REPLICA, connections[PRIMARY])
    replica_health.down_until = 0.0
    replica_health.checked_at = None
    assert read_db(client.get(claim.get_absolute_url())) == "replica"


def test_a_lagging_replica_is_not_read(replica, claim, settings, monkeypatch):
    settings.REPLICA_MAX_LAG_SECONDS = 5

    def lagging():
        replica_health.checked_at = time.monotonic()
        replica_health.lag_seconds = 30.0

    monkeypatch.setattr(replica_health, "check", lagging)
    assert read_db(Client().get(claim.get_absolute_url())) == "default"
    assert replica_health.status().state == "lagging"


def test_a_replica_behind_the_last_write_is_not_read(replica, claim, monkeypatch):
    """Another node published: its WAL position is in the shared cache, and
    until the replica has replayed it every reader reads from the primary."""
    from django.core.cache import cache

    def replayed_up_to(position):
        def check():
            replica_health.checked_at = time.monotonic()
            replica_health.lag_seconds = 0.0
            replica_health.replayed = position

        monkeypatch.setattr(replica_health, "check", check)

    cache.set(db_router.PRIMARY_LSN_CACHE_KEY, 1000)
    replayed_up_to(999)
    assert read_db(Client().get(claim.get_absolute_url())) == "default"
    replayed_up_to(1000)
    assert read_db(Client().get(claim.get_absolute_url())) == "replica"


def test_readyz_reports_a_down_replica_without_failing(replica_down):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert "replica: down" in response.content.decode()


def test_readyz_reports_a_healthy_replica(replica):
    body = Client().get("/readyz").content.decode()
    assert "replica: ok" in body


def test_without_a_replica_readyz_says_nothing_about_one(db):
    assert "replica" not in Client().get("/readyz").content.decode()
