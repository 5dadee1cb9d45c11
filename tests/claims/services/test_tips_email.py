"""Acceptance 3: the tipline's email, against a real SMTP server on 127.0.0.1
(aiosmtpd): the instant answer, the publication notice (once, in the tipster's
language), unsubscribe, and erasure after the retention period."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from claims import services
from claims.models import Tip
from claims.services import tips as tip_services
from tests.factories import SourceFactory, make_published, rating
from tests.smtp import body, smtp_inbox

pytestmark = pytest.mark.django_db

PUBLISHED_TEXT = "Peru has deployed 180 national police officers to its border with Chile."


@pytest.fixture
def inbox(settings):
    with smtp_inbox(settings) as handler:
        yield handler


def link(message, purpose) -> str:
    return re.search(rf"https://factcheck\.example\.org(\S*/tips/{purpose}/\S+/)", body(message))[1]


def submit(capture, **fields):
    with capture(execute=True):
        return tip_services.tip_submit(**fields)


def publish_from_tips(tips, researcher, editor, capture):
    claim = tip_services.tip_to_claim(tips=tips, by=researcher)
    first, second = SourceFactory(), SourceFactory()
    services.appearance_create(claim=claim, by=researcher, source=first, quote="It is over.")
    services.evidence_create(
        claim=claim, by=researcher, source=first, excerpt="30 remain", stance="refutes"
    )
    services.evidence_create(
        claim=claim, by=researcher, source=second, excerpt="150 stranded", stance="refutes"
    )
    services.verdict_create(
        claim=claim,
        by=researcher,
        rating=rating("false"),
        conclusion="People remain stranded.",
        explanation="Both reports count people still at the border.",
    )
    claim = services.claim_submit(claim=claim, by=researcher)
    with capture(execute=True):
        return services.claim_publish(claim=claim, by=editor)


def test_the_instant_answer_is_emailed_with_the_same_fact_checks_and_an_unsubscribe_link(
    inbox, researcher, editor, django_capture_on_commit_callbacks
):
    claim = make_published(researcher, editor, text=PUBLISHED_TEXT)
    receipt = submit(
        django_capture_on_commit_callbacks,
        text="Peru sent 180 police officers to the Chile border",
        email="lector@example.org",
        language="es",
        address="198.51.100.7",
    )
    [message] = inbox.to("lector@example.org")
    text = body(message)
    assert message["Subject"] == "Su afirmación llegó a Veraz"
    assert f"https://factcheck.example.org/es/claims/{claim.slug}/" in text
    assert claim.text in text
    assert (
        str(message["List-Unsubscribe"])
        .strip()
        .startswith("<https://factcheck.example.org/es/tips/")
    )
    assert link(message, "unsubscribe") and link(message, "delete")
    receipt.tip.refresh_from_db()
    assert receipt.tip.answer_sent_at is not None


def test_no_email_is_sent_without_an_address(inbox, django_capture_on_commit_callbacks):
    submit(django_capture_on_commit_callbacks, text="The moon is made of cheese")
    assert inbox.messages == []


def test_publication_emails_each_tipster_once_in_their_language(
    inbox, researcher, editor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    english = submit(capture, text="The river Rimac is dry", email="reader@example.org").tip
    spanish = submit(
        capture, text="El río Rímac está seco", email="lector@example.org", language="es"
    ).tip
    submit(capture, text="Rimac river dry this summer?")  # no address: nothing to send
    inbox.messages.clear()  # the instant answers ("not checked yet")

    claim = publish_from_tips([english, spanish], researcher, editor, capture)

    [notice] = inbox.to("reader@example.org")
    assert notice["Subject"] == "We checked the claim you sent us"
    assert f"https://factcheck.example.org/claims/{claim.slug}/" in body(notice)
    assert link(notice, "unsubscribe")
    [aviso] = inbox.to("lector@example.org")
    assert aviso["Subject"] == "Verificamos la afirmación que nos envió"
    assert f"https://factcheck.example.org/es/claims/{claim.slug}/" in body(aviso)
    assert len(inbox.messages) == 2
    # A retry (a periodic task, a second worker) sends nothing again.
    assert tip_services.tipsters_notify(claim=claim) == 0
    assert len(inbox.messages) == 2


def test_unsubscribing_erases_the_address_so_no_notice_follows(
    inbox, researcher, editor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    tip = submit(capture, text="The river Rimac is dry", email="reader@example.org").tip
    other = submit(capture, text="Lima has no water", email="Reader@Example.org").tip
    [answer, _] = inbox.to("reader@example.org") + inbox.to("Reader@Example.org")
    url = link(answer, "unsubscribe")
    client = Client()
    assert client.get(url).status_code == 200
    assert Tip.objects.get(pk=tip.pk).email == "reader@example.org"  # GET changes nothing
    assert client.post(url).status_code == 200
    assert set(Tip.objects.values_list("email", flat=True)) == {""}
    assert other.pk  # both tips lost the address, whatever its case
    inbox.messages.clear()
    publish_from_tips([tip], researcher, editor, capture)
    assert inbox.messages == []


def test_personal_data_is_erased_after_the_retention_period(
    inbox, researcher, editor, settings, django_capture_on_commit_callbacks
):
    settings.TIP_RETENTION_DAYS = 30
    capture = django_capture_on_commit_callbacks
    old = submit(
        capture, text="The river Rimac is dry", email="old@example.org", address="192.0.2.1"
    ).tip
    recent = submit(
        capture, text="Lima has no water", email="new@example.org", address="192.0.2.2"
    ).tip
    Tip.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=31))
    out = StringIO()
    call_command("erase_expired_tips", stdout=out)
    assert "1 tip(s)" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.email, old.address_hash) == ("", "")
    assert old.personal_data_erased_at is not None
    assert old.text == "The river Rimac is dry"  # the newsroom keeps what was asked
    assert recent.email == "new@example.org" and recent.address_hash
    assert tip_services.tips_erase_expired() == 0  # nothing left to erase
    inbox.messages.clear()
    publish_from_tips([old, recent], researcher, editor, capture)
    assert [rcpts for rcpts, _ in inbox.messages] == [["new@example.org"]]
