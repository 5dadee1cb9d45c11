"""Who works on a claim: the "Assigned researcher" picker answers the newsroom
(it answered 403 to researchers and editors), editors assign researchers, a
researcher takes an unassigned claim, and "Assigned to me" lists the result."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim, Notification, NotificationEvent
from tests.factories import UserFactory, make_draft
from tests.formdata import form_data

pytestmark = pytest.mark.django_db


def change_url(claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def picker_url(client, claim) -> str:
    """The lookup the change page's "Assigned researcher" select asks, as a browser would."""
    page = client.get(change_url(claim)).content.decode()
    select = re.search(r'<select[^>]*name="assigned_to"[^>]*>', page)[0]
    return re.search(r'data-ajax--url="([^"]+)"', select)[1]


@pytest.mark.parametrize("role", ["researcher", "editor"])
def test_the_assigned_researcher_picker_answers_the_newsroom(
    client, request, role, researcher, editor, editor2
):
    user = request.getfixturevalue(role)
    colleague = UserFactory(
        username="rosa", first_name="Rosa", last_name="Quispe", role="Researcher"
    )
    claim = make_draft(editor2)
    client.force_login(user)
    url = picker_url(client, claim)
    response = client.get(url, {"term": "quis"})
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(colleague.pk), "text": "Rosa Quispe"}]
    everyone = {row["text"] for row in client.get(url).json()["results"]}
    assert {"Rosa Quispe", "rita", "eddie", "edna"} <= everyone
    # Nothing but the name: no email or other detail of colleagues is disclosed.
    assert set(client.get(url).json()["results"][0]) == {"id", "text"}


def test_the_picker_offers_only_people_who_may_work_on_claims(client, editor, outsider):
    UserFactory(username="gone", role="Researcher", is_active=False)
    client.force_login(editor)
    names = {
        row["text"] for row in client.get(reverse("admin:claims_claim_assignees")).json()["results"]
    }
    assert "otto" not in names and "gone" not in names and "eddie" in names


def test_the_picker_is_closed_to_staff_without_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("admin:claims_claim_assignees")).status_code == 403


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999"])
def test_garbled_picker_pages_are_not_server_errors(client, editor, page):
    client.force_login(editor)
    response = client.get(reverse("admin:claims_claim_assignees"), {"page": page})
    assert response.status_code == 200 and "results" in response.json()


def test_an_editor_assigns_a_researcher_who_is_notified(client, researcher, editor):
    claim = make_draft(editor, text="Who will check this?")
    client.force_login(editor)
    data = form_data(client.get(change_url(claim)), "claim_form")
    data["assigned_to"] = researcher.pk
    response = client.post(change_url(claim), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    claim.refresh_from_db()
    assert claim.assigned_to == researcher
    assert Notification.objects.filter(
        recipient=researcher, event=NotificationEvent.ASSIGNED, claim=claim, actor=editor
    ).exists()

    client.force_login(researcher)
    listing = client.get(reverse("admin:claims_claim_changelist"), {"assigned": "me"})
    assert "Who will check this?" in listing.content.decode()


def test_a_researcher_takes_an_unassigned_claim(client, researcher, editor):
    claim = make_draft(editor, text="Up for grabs")
    client.force_login(researcher)
    page = client.get(change_url(claim)).content.decode()
    assert "Take this claim" in page
    take = reverse("admin:claims_claim_take", args=[claim.pk])
    response = client.post(take, {"expected_version": claim.version}, follow=True)
    assert "The claim is assigned to you." in response.content.decode()
    claim.refresh_from_db()
    assert claim.assigned_to == researcher
    assert "Take this claim" not in client.get(change_url(claim)).content.decode()
    assert (
        "Up for grabs"
        in client.get(reverse("admin:claims_claim_changelist"), {"assigned": "me"}).content.decode()
    )


def test_nobody_takes_a_claim_someone_else_has(client, researcher, editor):
    claim = make_draft(editor, text="Taken", assigned_to=editor)
    client.force_login(researcher)
    assert "Take this claim" not in client.get(change_url(claim)).content.decode()
    response = client.post(reverse("admin:claims_claim_take", args=[claim.pk]), follow=True)
    assert "already assigned" in response.content.decode()
    claim.refresh_from_db()
    assert claim.assigned_to == editor


def test_taking_needs_a_post_and_a_role(client, researcher, outsider):
    claim = make_draft(researcher)
    take = reverse("admin:claims_claim_take", args=[claim.pk])
    client.force_login(researcher)
    assert client.get(take).status_code == 405
    client.force_login(outsider)
    client.post(take)
    assert Claim.objects.get(pk=claim.pk).assigned_to is None


def test_a_stale_take_is_refused_without_a_server_error(client, researcher, editor):
    claim = make_draft(editor)
    client.force_login(researcher)
    take = reverse("admin:claims_claim_take", args=[claim.pk])
    response = client.post(take, {"expected_version": claim.version - 1}, follow=True)
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.assigned_to is None


@pytest.mark.parametrize("object_id", ["abc", "²", "1.5", "9" * 30])
@pytest.mark.parametrize("page", ["take", "merge", "preview", "history"])
def test_a_claim_address_that_is_no_id_answers_404_not_500(client, editor, object_id, page):
    client.force_login(editor)
    url = f"/admin/claims/claim/{object_id}/{page}/"
    response = client.post(url) if page == "take" else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["²", "٣", "-1", "99999999999999999999999"])
def test_a_garbled_notification_id_marks_nothing(client, editor, value):
    client.force_login(editor)
    response = client.post(reverse("newsroom-notifications-read"), {"notification": value})
    assert response.status_code == 302
