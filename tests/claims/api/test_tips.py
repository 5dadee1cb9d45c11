"""POST /api/v1/tips/: the tipline for partner channels (claims/api/views/tips.py)."""

import pytest
from django.contrib.auth.models import Group

from claims.models import Tip, TipChannel, TipStatus
from tests.claims.api.conftest import client_for
from tests.factories import UserFactory, make_draft, make_published

pytestmark = pytest.mark.django_db

PUBLISHED_TEXT = "Peru has deployed 180 national police officers to its border with Chile."


@pytest.fixture
def channel(db):
    bot = UserFactory(username="whatsapp-bot", is_staff=True)
    bot.groups.add(Group.objects.get(name="Tipline channel"))
    return client_for(bot)


def test_a_channel_gets_published_matches_in_the_similar_claims_shape(channel, researcher, editor):
    claim = make_published(researcher, editor, text=PUBLISHED_TEXT)
    make_draft(researcher, text="Peru has deployed 180 police officers to the Chile border.")
    response = channel.post(
        "/api/v1/tips/",
        {"text": "Peru sent 180 police officers to the Chile border", "language": "es"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"id", "status", "count", "thresholds", "results"}
    assert body["status"] == "answered"
    assert [r["claim"]["id"] for r in body["results"]] == [claim.pk]
    assert set(body["results"][0]) == {"score", "level", "claim"}
    tip = Tip.objects.get(pk=body["id"])
    assert tip.channel == TipChannel.API and tip.language == "es" and tip.address_hash == ""


def test_a_tip_matching_nothing_is_new(channel):
    response = channel.post("/api/v1/tips/", {"text": "The moon is made of cheese"})
    assert response.status_code == 201
    assert response.json()["count"] == 0
    assert Tip.objects.get().status == TipStatus.NEW


def test_anonymous_clients_and_staff_without_the_channel_role_cannot_send(anon, as_researcher):
    assert anon.post("/api/v1/tips/", {"text": "x"}).status_code in (401, 403)
    assert as_researcher.post("/api/v1/tips/", {"text": "x"}).status_code == 403
    assert not Tip.objects.exists()


def test_an_oversized_tip_is_refused_and_writes_nothing(channel, settings):
    response = channel.post("/api/v1/tips/", {"text": "x" * (settings.TIP_TEXT_MAX_CHARS + 1)})
    assert response.status_code == 400
    assert "text" in response.json()["errors"]
    assert not Tip.objects.exists()


def test_the_tipline_is_in_the_openapi_schema(anon):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/tips/"]["post"]
    assert "201" in operation["responses"]
