"""A newsroom user's own pages in the admin: "My settings" (email language and
email on or off) and "My API token" (created and shown once, revoked), each
reachable by the user themself only."""

import re

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from claims.models import NewsroomProfile

pytestmark = pytest.mark.django_db

SETTINGS = "/admin/account/settings/"
TOKEN = "/admin/account/token/"


def test_settings_urls_are_the_documented_ones():
    assert reverse("newsroom-settings") == SETTINGS
    assert reverse("newsroom-token") == TOKEN


@pytest.mark.parametrize("role", ["researcher", "editor"])
def test_a_newsroom_user_turns_email_off_and_picks_its_language(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(SETTINGS).content.decode()
    assert 'name="email_notifications"' in page and "checked" in page

    response = client.post(SETTINGS, {"language": "es"})  # unticked box: email off
    assert response.status_code == 302
    profile = NewsroomProfile.objects.get(user=user)
    assert profile.language == "es" and profile.email_notifications is False

    client.post(SETTINGS, {"language": "en", "email_notifications": "on"})
    profile.refresh_from_db()
    assert profile.language == "en" and profile.email_notifications is True


def test_an_unknown_language_is_a_form_error(client, researcher):
    client.force_login(researcher)
    response = client.post(SETTINGS, {"language": "xx", "email_notifications": "on"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NewsroomProfile.objects.exists()


def test_settings_need_the_admin_login(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_desk_links_to_my_settings_and_token(client, researcher):
    client.force_login(researcher)
    page = client.get("/admin/").content.decode()
    assert f'href="{SETTINGS}"' in page and f'href="{TOKEN}"' in page


def test_settings_page_is_in_spanish_under_es(client, researcher):
    client.force_login(researcher)
    page = client.get("/es" + SETTINGS).content.decode()
    assert "Idioma de mis correos" in page and "Enviarme correos sobre mi trabajo" in page


# --- My API token --------------------------------------------------------------------


def shown_key(page: str) -> str | None:
    match = re.search(r'id="new-token-key"[^>]*value="([0-9a-f]{40})"', page)
    return match[1] if match else None


def api_status(key: str) -> int:
    """What the API answers a write made with `key` (401 when the key is unknown)."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.post("/api/v1/claims/", {}, format="json").status_code


@pytest.mark.parametrize("role", ["researcher", "editor"])
def test_a_newsroom_user_creates_a_token_shown_once(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert "You have no API token." in client.get(TOKEN).content.decode()

    response = client.post(TOKEN, {"action": "create"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = shown_key(response.content.decode())
    assert key == Token.objects.get(user=user).key
    assert api_status(key) == 400  # authenticated: the empty claim is refused as invalid

    later = client.get(TOKEN).content.decode()
    assert shown_key(later) is None and key not in later
    assert "You have a token, created on" in later


def test_revoking_the_token_stops_it_working(client, researcher):
    client.force_login(researcher)
    key = shown_key(client.post(TOKEN, {"action": "create"}).content.decode())
    response = client.post(TOKEN, {"action": "revoke"}, follow=True)
    assert "Your API token was revoked." in response.content.decode()
    assert not Token.objects.filter(user=researcher).exists()
    assert api_status(key) == 401


def test_replacing_the_token_retires_the_old_key(client, editor):
    client.force_login(editor)
    old = shown_key(client.post(TOKEN, {"action": "create"}).content.decode())
    new = shown_key(client.post(TOKEN, {"action": "create"}).content.decode())
    assert new and new != old
    assert list(Token.objects.filter(user=editor).values_list("key", flat=True)) == [new]
    assert api_status(old) == 401


def test_nobody_sees_or_revokes_another_users_token(client, researcher, editor):
    theirs = Token.objects.create(user=editor)
    client.force_login(researcher)
    page = client.get(TOKEN).content.decode()
    assert theirs.key not in page and "You have no API token." in page
    client.post(TOKEN, {"action": "revoke"})
    mine = client.post(TOKEN, {"action": "create"}).content.decode()
    assert theirs.key not in mine
    assert Token.objects.filter(pk=theirs.pk).exists()
    assert Token.objects.filter(user=researcher).count() == 1


def test_an_unknown_token_action_changes_nothing(client, researcher):
    client.force_login(researcher)
    response = client.post(TOKEN, {"action": "steal"})
    assert response.status_code == 302 and not Token.objects.exists()


def test_the_api_docs_say_where_tokens_come_from(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "My API token" in schema and "/admin/account/token/" in schema
