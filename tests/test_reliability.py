"""The site survives a database outage and reports it to load balancers."""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from claims.demo import DemoNewsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down():
    """Every new query fails as if the server refused the connection."""
    with mock.patch.object(
        type(connections["default"]),
        "ensure_connection",
        side_effect=OperationalError("connection refused"),
        autospec=True,
    ):
        yield


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def test_healthz_answers_without_touching_the_database(anonymous, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = anonymous.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_when_the_database_answers(anonymous):
    assert anonymous.get("/readyz").status_code == 200


def test_with_the_database_down_healthz_lives_and_readyz_fails(anonymous, database_down):
    assert anonymous.get("/healthz").status_code == 200
    response = anonymous.get("/readyz")
    assert response.status_code == 503


@pytest.mark.parametrize("path", ["/", "/claims/", "/es/claims/", "/admin/login/"])
def test_pages_answer_503_with_a_friendly_body_when_the_database_is_down(
    anonymous, database_down, path
):
    response = anonymous.get(path)
    assert response.status_code == 503, path
    body = response.content.decode()
    assert "temporarily unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert response["Retry-After"] == "30"


def test_other_errors_are_a_plain_500_without_a_stack_trace(anonymous):
    with mock.patch("claims.site.views.public_claims", side_effect=RuntimeError("boom")):
        response = anonymous.get("/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content and b"boom" not in response.content


def test_pages_recover_when_the_database_returns(anonymous):
    DemoNewsroom(with_users=False).load()
    with mock.patch.object(
        type(connections["default"]),
        "ensure_connection",
        side_effect=OperationalError("down"),
        autospec=True,
    ):
        assert anonymous.get("/claims/").status_code == 503
    assert anonymous.get("/claims/").status_code == 200


# --- The shared cache (Redis) unreachable ------------------------------------------------


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends


def test_the_redis_cache_keeps_one_client_per_connection_pool():
    """Django's Redis cache built a new redis.Redis for every call (half the
    cost of a read with redis-py 8); one per pool serves them all. Building a
    client connects nothing, so no server is needed here."""
    from config.cache import DegradingRedisCache

    one = DegradingRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})._cache
    client = one.get_client(write=True)
    assert one.get_client() is client and one.get_client("a key") is client
    assert client.connection_pool is one._get_connection_pool(write=True)

    servers = [f"redis://127.0.0.1:{_closed_port()}/0", f"redis://127.0.0.1:{_closed_port()}/1"]
    two = DegradingRedisCache(servers, {})._cache
    writer, reader = two.get_client(write=True), two.get_client(write=False)
    assert writer is not reader  # the first server takes writes, the other reads
    assert writer.connection_pool is two._get_connection_pool(write=True)
    assert reader is two.get_client(write=False)


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The shared cache configured as in production, pointing at a port where
    nothing listens, with the API's rate limits switched on."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    settings.API_ANON_THROTTLE_RATE = "60/minute"
    settings.API_USER_THROTTLE_RATE = "1200/minute"
    monkeypatch.setattr("config.cache._last_warning", 0.0)  # warn again in this test
    yield


def test_with_redis_down_the_site_and_api_keep_serving_and_say_so(
    anonymous, redis_down, researcher, caplog
):
    from tests.claims.api.conftest import client_for

    DemoNewsroom(with_users=False).load()
    with caplog.at_level("WARNING", logger="config.cache"):
        for path in ["/", "/claims/", "/es/claims/", "/feeds/fact-checks.rss", "/sitemap.xml"]:
            assert anonymous.get(path).status_code == 200, path
        for path in ["/api/v1/claims/", "/api/v1/claimreview-feed/", "/api/v1/ratings/"]:
            assert anonymous.get(path).status_code == 200, path
        created = client_for(researcher).post(
            "/api/v1/claims/", {"text": "Written while Redis is down."}, format="json"
        )
        assert created.status_code == 201, created.content
        ready = anonymous.get("/readyz")
    assert ready.status_code == 200
    assert ready.content == b"ready\ndatabase: ok\ncache: degraded\n"
    assert any("Shared cache unavailable" in r.getMessage() for r in caplog.records)


def test_with_redis_and_the_database_down_readyz_names_both(anonymous, redis_down, database_down):
    response = anonymous.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\ncache: degraded\n"


def test_readyz_reports_a_reachable_cache_as_ok(anonymous):
    assert anonymous.get("/readyz").content == b"ready\ndatabase: ok\ncache: ok\n"
