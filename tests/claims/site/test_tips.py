"""The reader's tipline (claims/site/tips.py): the form, its abuse controls, the
instant answer, and the links in our emails."""

import pytest
from bs4 import BeautifulSoup

from claims.models import Tip, TipGroup, TipStatus
from claims.services import tips as tip_services
from claims.site.tips import form_token
from tests.factories import make_draft, make_published

pytestmark = pytest.mark.django_db

PUBLISHED_TEXT = "Peru has deployed 180 national police officers to its border with Chile."


@pytest.fixture
def quick(settings):
    """A person who types instantly: the time token's minimum is off."""
    settings.TIP_MIN_SECONDS = 0


def send(client, text, *, prefix="", **fields):
    data = {"text": text, "started": form_token(), "website": "", "seen_at": "", "email": ""}
    data.update(fields)
    return client.post(f"{prefix}/tips/", data)


def errors_of(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    box = soup.select_one(".form-errors")
    return box.get_text(" ", strip=True) if box else ""


def test_the_form_has_every_field_a_honeypot_and_no_third_party_script(client):
    response = client.get("/tips/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    for name in ("text", "seen_at", "email", "website", "started"):
        assert soup.select_one(f"[name={name}]") is not None, name
    assert soup.select_one(".field--trap [name=website]") is not None
    assert all(script.get("src", "").startswith("/") for script in soup.find_all("script"))
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_spanish_form_is_in_spanish(client):
    soup = BeautifulSoup(client.get("/es/tips/").content, "html.parser")
    assert soup.html["lang"] == "es"
    assert soup.h1.get_text() == "Envíenos una afirmación"


def test_a_claim_already_checked_is_answered_at_once(quick, client, researcher, editor):
    claim = make_published(researcher, editor, text=PUBLISHED_TEXT)
    response = send(client, "Peru sent 180 police officers to the Chile border")
    assert response.status_code == 303
    answer = client.get(response["Location"])
    assert answer.status_code == 200
    assert claim.get_absolute_url().encode() in answer.content
    tip = Tip.objects.get()
    assert tip.status == TipStatus.ANSWERED
    assert tip.group.claim == claim


def test_a_claim_matching_nothing_gets_the_thank_you_page(quick, client):
    response = send(client, "The moon is made of cheese and sold in Lima markets")
    answer = client.get(response["Location"])
    assert "Thank you" in answer.content.decode()
    assert Tip.objects.get().status == TipStatus.NEW


def test_the_honeypot_refuses_and_writes_nothing(quick, client):
    response = send(client, "A claim", website="http://spam.example")
    assert response.status_code == 400
    assert "meant to stay empty" in errors_of(response)
    assert not Tip.objects.exists() and not TipGroup.objects.exists()


def test_a_form_sent_too_fast_is_refused_and_writes_nothing(client, settings):
    settings.TIP_MIN_SECONDS = 30
    response = send(client, "A claim")
    assert response.status_code == 400
    assert "faster than we expected" in errors_of(response)
    assert not Tip.objects.exists()


def test_a_forged_or_missing_time_token_is_refused(quick, client):
    response = send(client, "A claim", started="forged")
    assert response.status_code == 400
    assert "expired" in errors_of(response)
    assert not Tip.objects.exists()


def test_oversized_fields_are_refused_and_write_nothing(quick, client, settings):
    response = send(client, "x" * (settings.TIP_TEXT_MAX_CHARS + 1), seen_at="y" * 501)
    assert response.status_code == 400
    errors = errors_of(response)
    assert "at most 2000 characters" in errors and "at most 500 characters" in errors
    assert not Tip.objects.exists()


def test_too_many_tips_from_one_address_are_refused(quick, client, settings):
    settings.TIP_RATE_PER_HOUR = 2
    assert send(client, "First claim about rivers").status_code == 303
    assert send(client, "Second claim about mountains").status_code == 303
    response = send(client, "Third claim about deserts")
    assert response.status_code == 429
    assert "several claims in the last hour" in errors_of(response)
    assert Tip.objects.count() == 2
    other = client.post(
        "/tips/",
        {"text": "From elsewhere", "started": form_token()},
        REMOTE_ADDR="203.0.113.9",
    )
    assert other.status_code == 303


def test_a_refused_form_keeps_the_readers_text_and_a_fresh_token(client, settings):
    settings.TIP_MIN_SECONDS = 30
    response = send(client, "Keep my words")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("textarea[name=text]").get_text().strip() == "Keep my words"
    assert soup.select_one("[name=started]")["value"] != ""


def test_the_answer_never_shows_a_claim_that_is_no_longer_public(quick, client, researcher):
    draft = make_draft(researcher, text="Secret draft about 180 police officers")
    response = send(client, "Nothing to see here, about lakes")
    tip = Tip.objects.get()
    tip.answers.add(draft)  # as if it had been answered and then unpublished
    answer = client.get(response["Location"])
    assert b"Secret draft" not in answer.content


def test_a_bad_link_token_is_a_404(client):
    for purpose in ("answer", "unsubscribe", "delete"):
        assert client.get(f"/tips/{purpose}/forged-token/").status_code == 404


def test_the_deletion_link_deletes_the_tip_only_after_confirming(quick, client):
    send(client, "A claim about rivers", email="reader@example.org")
    tip = Tip.objects.get()
    url = f"/tips/delete/{tip_services.tip_link_token(tip, 'delete')}/"
    assert client.get(url).status_code == 200
    assert Tip.objects.exists()
    assert client.post(url).status_code == 200
    assert not Tip.objects.exists()
    assert client.get(url).status_code == 404


def test_a_link_for_one_purpose_does_not_work_for_another(quick, client):
    send(client, "A claim about rivers")
    tip = Tip.objects.get()
    answer_token = tip_services.tip_link_token(tip, "answer")
    assert client.post(f"/tips/delete/{answer_token}/").status_code == 404
    assert Tip.objects.exists()


def test_the_privacy_page_says_what_is_kept_and_for_how_long(client, settings):
    settings.TIP_RETENTION_DAYS = 45
    body = client.get("/privacy/").content.decode()
    assert "45 days" in body
    assert "45 días" in client.get("/es/privacy/").content.decode()
