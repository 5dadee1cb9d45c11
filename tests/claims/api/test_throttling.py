import pytest
from django.core.cache import cache

from tests.claims.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_anonymous_clients_are_throttled_with_retry_after(anon, settings):
    settings.API_ANON_THROTTLE_RATE = "3/minute"
    cache.clear()
    statuses = [anon.get("/api/v1/ratings/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = anon.get("/api/v1/ratings/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"


def test_the_forwarded_for_header_does_not_dodge_the_limit(anon, settings):
    settings.API_ANON_THROTTLE_RATE = "2/minute"
    cache.clear()
    for n in range(2):
        assert anon.get("/api/v1/ratings/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code == 200
    assert anon.get("/api/v1/ratings/", HTTP_X_FORWARDED_FOR="10.0.0.9").status_code == 429


def test_newsroom_accounts_have_their_own_limit(researcher, anon, settings):
    settings.API_ANON_THROTTLE_RATE = "1/minute"
    settings.API_USER_THROTTLE_RATE = "5/minute"
    cache.clear()
    assert anon.get("/api/v1/ratings/").status_code == 200
    assert anon.get("/api/v1/ratings/").status_code == 429
    client = client_for(researcher)
    assert [client.get("/api/v1/ratings/").status_code for _ in range(6)] == [200] * 5 + [429]
