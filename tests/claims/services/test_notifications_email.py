"""Acceptance 3: the newsroom's notification email, against a real SMTP server
on 127.0.0.1 (aiosmtpd): the right people, once per event, in their language,
none for those who turned email off, never to the person who acted."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from claims import services
from claims.models import CorrectionKind, NewsroomProfile, Notification
from claims.services.accounts import profile_save
from claims.services.notifications import notifications_email
from tests.factories import UserFactory, make_draft, make_in_review, make_ready_claim, rating
from tests.smtp import body, free_port, smtp_inbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings):
    with smtp_inbox(settings) as handler:
        settings.NOTIFICATIONS_FROM_EMAIL = "Veraz desk <desk@newsroom.example>"
        yield handler


@pytest.fixture
def newsroom(db):
    """A researcher and three editors, each with an address; one editor reads Spanish."""
    people = {
        "rita": UserFactory(username="rita", role="Researcher", email="rita@newsroom.example"),
        "eddie": UserFactory(username="eddie", role="Editor", email="eddie@newsroom.example"),
        "edna": UserFactory(username="edna", role="Editor", email="edna@newsroom.example"),
        "elena": UserFactory(username="elena", role="Editor", email="elena@newsroom.example"),
    }
    NewsroomProfile.objects.create(user=people["elena"], language="es")
    return people


def addressed(mailbox) -> list[str]:
    return sorted(rcpt for rcpts, _message in mailbox.messages for rcpt in rcpts)


def step(capture, action):
    with capture(execute=True):
        return action()


def test_submission_emails_every_editor_once_and_not_the_researcher(
    mailbox, newsroom, django_capture_on_commit_callbacks
):
    claim = make_ready_claim(newsroom["rita"], text="The river Rimac is dry")
    step(
        django_capture_on_commit_callbacks,
        lambda: services.claim_submit(claim=claim, by=newsroom["rita"]),
    )
    assert addressed(mailbox) == [
        "eddie@newsroom.example",
        "edna@newsroom.example",
        "elena@newsroom.example",
    ]
    [english] = mailbox.to("eddie@newsroom.example")
    assert english["Subject"] == "[Veraz] rita submitted a claim for review"
    assert english["From"] == "Veraz desk <desk@newsroom.example>"
    assert "The river Rimac is dry" in body(english)
    assert f"https://factcheck.example.org/admin/claims/claim/{claim.pk}/change/" in body(english)
    [spanish] = mailbox.to("elena@newsroom.example")
    assert spanish["Subject"].strip() == "[Veraz] rita envió una afirmación a revisión"
    assert "Abrir la afirmación:" in body(spanish)


def test_request_for_changes_emails_the_author_with_the_request(
    mailbox, newsroom, django_capture_on_commit_callbacks
):
    claim = make_in_review(newsroom["rita"])
    step(
        django_capture_on_commit_callbacks,
        lambda: services.claim_request_changes(
            claim=claim, by=newsroom["eddie"], comment="Cite the ministry's figure."
        ),
    )
    assert addressed(mailbox) == ["rita@newsroom.example"]
    [message] = mailbox.messages[0][1:]
    assert message["Subject"] == "[Veraz] eddie requested changes to a claim"
    assert "Cite the ministry's figure." in body(message)


def test_publication_emails_author_and_assignee_but_not_the_editor_who_published(
    mailbox, newsroom, django_capture_on_commit_callbacks
):
    # Eddie wrote it and Edna is assigned; Elena publishes.
    claim = make_in_review(newsroom["eddie"], assigned_to=newsroom["edna"])
    mailbox.messages.clear()
    step(
        django_capture_on_commit_callbacks,
        lambda: services.claim_publish(claim=claim, by=newsroom["elena"]),
    )
    assert addressed(mailbox) == ["eddie@newsroom.example", "edna@newsroom.example"]


def test_corrections_email_the_other_editors_then_the_proposer(
    mailbox, newsroom, django_capture_on_commit_callbacks
):
    claim = make_in_review(newsroom["rita"])
    claim = services.claim_publish(claim=claim, by=newsroom["eddie"])
    mailbox.messages.clear()
    correction = step(
        django_capture_on_commit_callbacks,
        lambda: services.correction_propose(
            claim=claim,
            by=newsroom["eddie"],
            kind=CorrectionKind.CORRECTION,
            note="The count was updated.",
            rating=rating("misleading"),
        ),
    )
    assert addressed(mailbox) == ["edna@newsroom.example", "elena@newsroom.example"]
    [spanish] = mailbox.to("elena@newsroom.example")
    assert spanish["Subject"].strip() == "[Veraz] eddie propuso una corrección"

    mailbox.messages.clear()
    step(
        django_capture_on_commit_callbacks,
        lambda: services.correction_publish(correction=correction, by=newsroom["edna"]),
    )
    assert addressed(mailbox) == ["eddie@newsroom.example", "rita@newsroom.example"]


def test_assignment_emails_the_assignee_but_taking_a_claim_emails_nobody(
    mailbox, newsroom, django_capture_on_commit_callbacks
):
    claim = make_draft(newsroom["eddie"])
    step(
        django_capture_on_commit_callbacks,
        lambda: services.claim_update(
            claim=claim, by=newsroom["eddie"], data={"assigned_to": newsroom["rita"]}
        ),
    )
    assert addressed(mailbox) == ["rita@newsroom.example"]
    assert mailbox.messages[0][1]["Subject"] == "[Veraz] eddie assigned a claim to you"

    mailbox.messages.clear()
    other = make_draft(newsroom["eddie"], text="Another claim")
    step(
        django_capture_on_commit_callbacks,
        lambda: services.claim_take(claim=other, by=newsroom["rita"]),
    )
    assert mailbox.messages == []


def test_no_email_for_those_who_turned_it_off_but_their_desk_still_lists_it(
    mailbox, newsroom, django_capture_on_commit_callbacks
):
    profile_save(user=newsroom["edna"], language="en", email_notifications=False)
    claim = make_ready_claim(newsroom["rita"])
    step(
        django_capture_on_commit_callbacks,
        lambda: services.claim_submit(claim=claim, by=newsroom["rita"]),
    )
    assert "edna@newsroom.example" not in addressed(mailbox)
    assert Notification.objects.filter(recipient=newsroom["edna"], read_at=None).count() == 1


def test_sending_again_never_emails_twice(mailbox, newsroom, django_capture_on_commit_callbacks):
    claim = make_ready_claim(newsroom["rita"])
    step(
        django_capture_on_commit_callbacks,
        lambda: services.claim_submit(claim=claim, by=newsroom["rita"]),
    )
    assert len(mailbox.messages) == 3
    # A retried task, or a second worker, finds them sent.
    assert notifications_email(ids=Notification.objects.values_list("pk", flat=True)) == 0
    assert len(mailbox.messages) == 3


def test_a_refused_step_emails_nobody(mailbox, newsroom, django_capture_on_commit_callbacks):
    from claims.exceptions import WorkflowError

    draft = make_draft(newsroom["rita"])  # no verdict or sources: cannot be submitted
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        services.claim_submit(claim=draft, by=newsroom["rita"])
    assert mailbox.messages == [] and not Notification.objects.exists()


def test_a_mail_outage_does_not_undo_the_step(
    settings, newsroom, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = False
    claim = make_ready_claim(newsroom["rita"])
    step(
        django_capture_on_commit_callbacks,
        lambda: services.claim_submit(claim=claim, by=newsroom["rita"]),
    )
    claim.refresh_from_db()
    assert claim.status == "in_review"
    # Left unsent, for a later retry.
    assert Notification.objects.filter(emailed_at=None).count() == 3


def test_the_retry_command_sends_what_an_outage_held_back_once(
    mailbox, newsroom, django_capture_on_commit_callbacks
):
    claim = make_ready_claim(newsroom["rita"])
    with override_settings(EMAIL_PORT=free_port()):  # nobody listens: the outage
        step(
            django_capture_on_commit_callbacks,
            lambda: services.claim_submit(claim=claim, by=newsroom["rita"]),
        )
    assert mailbox.messages == []
    call_command("send_notification_emails", stdout=StringIO())
    assert len(mailbox.messages) == 3
    call_command("send_notification_emails", stdout=StringIO())
    assert len(mailbox.messages) == 3
    with pytest.raises(CommandError):
        call_command("send_notification_emails", "--hours", "0")
