"""A newsroom user's own pages in the admin: "My settings" (email language and
email on or off) and "My API token" (created and shown once, revoked), each
reachable by the user themself only."""

import pytest
from django.urls import reverse

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
