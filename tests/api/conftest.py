import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def unthrottled(settings):
    """Throttling has its own tests; elsewhere it would only make results depend on order."""
    settings.API_ANON_THROTTLE_RATE = None
    settings.API_USER_THROTTLE_RATE = None
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon():
    return APIClient()


def client_for(user) -> APIClient:
    """A client authenticating with the user's DRF token, as a newsroom tool would."""
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def as_researcher(researcher):
    return client_for(researcher)


@pytest.fixture
def as_editor(editor):
    return client_for(editor)


@pytest.fixture
def as_editor2(editor2):
    return client_for(editor2)
