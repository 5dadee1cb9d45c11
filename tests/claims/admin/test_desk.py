"""The review desk on the admin home: each person's queues, with counts and
links to the claims list filtered the same way, and returned work that says so."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Claim, CorrectionKind, Notification
from tests.factories import make_draft, make_in_review, make_published, rating

pytestmark = pytest.mark.django_db

HOME = "/admin/"
CHANGELIST = "/admin/claims/claim/"


def desk_block(page: str, key: str) -> str:
    match = re.search(rf'<div class="module desk-queue" id="desk-{key}">(.*?)</div>', page, re.S)
    assert match, f"no desk block {key!r}"
    return match[1]


def count_in(block: str) -> int:
    return int(re.search(r'<span class="desk-count">\((\d+)\)</span>', block)[1])


def listed(client, query: str) -> str:
    return client.get(f"{CHANGELIST}?{query}").content.decode()


def send_back(claim, editor, comment="Cite the ministry's own figure."):
    return services.claim_request_changes(claim=claim, by=editor, comment=comment)


def propose_correction(claim, editor):
    return services.correction_propose(
        claim=claim,
        by=editor,
        kind=CorrectionKind.CORRECTION,
        note="The count was updated.",
        rating=rating("misleading"),
    )


def test_researcher_desk_lists_assigned_and_returned_work_with_the_request(
    client, researcher, editor
):
    assigned = make_draft(editor, text="Assigned by the editor", assigned_to=researcher)
    make_draft(editor, text="Nobody's draft")
    returned = send_back(make_in_review(researcher, text="Sent back"), editor)
    client.force_login(researcher)
    page = client.get(HOME).content.decode()

    mine = desk_block(page, "assigned")
    assert assigned.text in mine and "Nobody&#x27;s draft" not in mine
    back = desk_block(page, "returned")
    assert count_in(back) == 1 and returned.text in back
    assert "Changes requested by eddie" in back
    assert "Cite the ministry&#x27;s own figure." in back
    # Researchers have no review queues.
    assert 'id="desk-review"' not in page and 'id="desk-corrections"' not in page


def test_editor_desk_lists_claims_waiting_for_review_and_corrections_of_others(
    client, researcher, editor, editor2
):
    waiting = make_in_review(researcher, text="Waiting for an editor")
    published = make_published(researcher, editor, text="Published and being corrected")
    propose_correction(published, editor)
    client.force_login(editor2)
    page = client.get(HOME).content.decode()
    review = desk_block(page, "review")
    assert count_in(review) == 1 and waiting.text in review
    corrections = desk_block(page, "corrections")
    assert count_in(corrections) == 1 and published.text in corrections

    # The proposer is not the second editor: their own correction is not waiting for them.
    client.force_login(editor)
    assert count_in(desk_block(client.get(HOME).content.decode(), "corrections")) == 0


def test_an_editor_is_not_asked_to_review_their_own_work(client, editor, editor2):
    """The two-person rule decides the queues: an editor who wrote a claim (or
    changed the content a correction would publish) cannot approve it, so it
    waits for the other editors only, and the count is what the list shows."""
    own = make_in_review(editor, text="Written by the editor")
    client.force_login(editor)
    page = client.get(HOME).content.decode()
    assert count_in(desk_block(page, "review")) == 0
    assert f">{own.text}<" not in listed(client, "desk=review")
    client.force_login(editor2)
    review = desk_block(client.get(HOME).content.decode(), "review")
    assert count_in(review) == 1 and own.text in review


def test_each_desk_count_links_to_the_claims_list_showing_the_same_claims(
    client, researcher, editor, editor2
):
    make_draft(editor, text="Assigned work", assigned_to=editor2)
    make_in_review(researcher, text="In review one")
    make_in_review(researcher, text="In review two")
    propose_correction(make_published(researcher, editor, text="Corrected one"), editor)
    client.force_login(editor2)
    page = client.get(HOME).content.decode()
    for key, expected in {
        "assigned": {"Assigned work"},
        "review": {"In review one", "In review two"},
        "corrections": {"Corrected one"},
        "returned": set(),
    }.items():
        block = desk_block(page, key)
        assert f'href="{CHANGELIST}?desk={key}"' in block
        assert count_in(block) == len(expected)
        listing = listed(client, f"desk={key}")
        for text in expected:
            assert text in listing
        others = {"Assigned work", "In review one", "In review two", "Corrected one"} - expected
        for text in others:
            assert f">{text}<" not in listing


def test_the_returned_filter_lists_only_drafts_sent_back_and_not_resubmitted(
    client, researcher, editor
):
    back = send_back(make_in_review(researcher, text="Back to work"), editor)
    resubmitted = send_back(make_in_review(researcher, text="Fixed already"), editor)
    services.claim_submit(claim=resubmitted, by=researcher)
    make_draft(researcher, text="A fresh draft")
    client.force_login(researcher)
    listing = listed(client, "desk=returned")
    assert back.text in listing
    assert "Fixed already" not in listing and "A fresh draft" not in listing


def test_desk_filters_offered_follow_the_role(client, researcher, editor):
    client.force_login(researcher)
    listing = listed(client, "")
    assert "?desk=returned" in listing and "?desk=review" not in listing
    client.force_login(editor)
    listing = listed(client, "")
    assert "?desk=review" in listing and "?desk=corrections" in listing


def test_unknown_desk_filter_value_is_not_a_server_error(client, researcher):
    client.force_login(researcher)
    assert client.get(f"{CHANGELIST}?desk=nonsense").status_code in {200, 302}


def test_changelist_flags_returned_work(client, researcher, editor):
    send_back(make_in_review(researcher, text="Returned claim"), editor)
    make_draft(researcher, text="Plain draft")
    client.force_login(researcher)
    listing = listed(client, "")
    assert listing.count('class="status-returned"') == 1
    row = re.search(r"<tr>(?:(?!</tr>).)*Returned claim(?:(?!</tr>).)*</tr>", listing, re.S)[0]
    assert "Changes requested" in row


def test_change_page_of_returned_claim_shows_who_asked_what_and_when(client, researcher, editor):
    claim = send_back(make_in_review(researcher, text="Needs work"), editor, "Add the date.")
    client.force_login(researcher)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    notice = re.search(r'<ul class="messagelist change-request-notice".*?</ul>', page, re.S)[0]
    assert "Changes requested by eddie on" in notice and "Add the date." in notice
    # It comes before the form, at the top of the page.
    assert page.index("change-request-notice") < page.index('id="claim_form"')

    services.claim_submit(claim=claim, by=researcher)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "change-request-notice" not in page


def _desk_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(HOME).content.decode()
    # The desk is there, its lists full (five items each at most).
    assert page.count('<tr>\n        <th scope="row"><a href="/admin/claims/claim/') >= 4
    return len(queries)


def test_desk_query_count_does_not_grow_with_the_number_of_claims(
    client, researcher, editor, editor2
):
    def one_of_each(n):
        make_draft(editor, text=f"Assigned {n}", assigned_to=researcher)
        send_back(make_in_review(researcher, text=f"Returned {n}"), editor)
        make_in_review(researcher, text=f"Review {n}")
        propose_correction(make_published(researcher, editor, text=f"Corrected {n}"), editor)

    one_of_each(0)
    before = {user: _desk_queries(client, user) for user in (researcher, editor2)}
    for n in range(1, 4):
        one_of_each(n)
    after = {user: _desk_queries(client, user) for user in (researcher, editor2)}
    assert after == before
    assert Claim.objects.count() == 16


def test_desk_lists_unread_notifications_and_marks_them_read(client, researcher, editor):
    claim = send_back(make_in_review(researcher, text="Sent back again"), editor, "Fix it.")
    client.force_login(researcher)
    page = client.get(HOME).content.decode()
    unread = re.search(r'id="desk-notifications">(.*?)<p class="desk-tools">', page, re.S)[1]
    assert "1 unread notification" in unread
    assert "Changes requested: Sent back again" in unread and "Fix it." in unread
    note = Notification.objects.get(recipient=researcher)

    response = client.post(
        reverse("newsroom-notifications-read"), {"notification": note.pk, "next": HOME}
    )
    assert response.status_code == 302 and response["Location"] == HOME
    note.refresh_from_db()
    assert note.read_at is not None
    assert "0 unread notifications" in client.get(HOME).content.decode()
    assert claim.pk == note.claim_id


def test_nobody_can_mark_another_persons_notifications_read(client, researcher, editor):
    make_in_review(researcher)  # notifies the editor
    theirs = Notification.objects.get(recipient=editor)
    client.force_login(researcher)
    client.post(reverse("newsroom-notifications-read"), {"notification": theirs.pk})
    client.post(reverse("newsroom-notifications-read"))  # "all": all of the researcher's
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("value", ["abc", "", "-1", "99999999999999999999"])
def test_garbled_mark_read_requests_are_not_server_errors(client, researcher, value):
    client.force_login(researcher)
    response = client.post(
        reverse("newsroom-notifications-read"),
        {"notification": value, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == HOME


def test_mark_read_only_accepts_post(client, researcher):
    client.force_login(researcher)
    assert client.get(reverse("newsroom-notifications-read")).status_code == 405


def test_the_desk_speaks_spanish_in_the_spanish_admin(client, researcher, editor):
    send_back(make_in_review(researcher, text="Devuelta"), editor, "Falta la fecha.")
    client.force_login(researcher)
    page = client.get("/es/admin/").content.decode()
    assert "Devueltas a mí" in page and "Cambios pedidos por eddie el" in page
    assert "1 notificación sin leer" in page


def test_staff_without_a_role_get_a_desk_without_claims(client, researcher, outsider):
    make_in_review(researcher, text="Not for outsiders")
    client.force_login(outsider)
    response = client.get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="desk-notifications"' in page and "desk-queue" not in page
    assert "Not for outsiders" not in page


def test_editor_desk_rows_lead_straight_to_the_review_pages(client, researcher, editor, editor2):
    waiting = make_in_review(researcher, text="Waiting for an editor")
    published = make_published(researcher, editor, text="Published and being corrected")
    propose_correction(published, editor)
    client.force_login(editor2)
    page = client.get(HOME).content.decode()
    review_page = reverse("admin:claims_claim_workflow", args=[waiting.pk, "publish"])
    correction_page = reverse(
        "admin:claims_claim_correction_decide", args=[published.pk, "publish"]
    )
    assert f'href="{review_page}"' in desk_block(page, "review")
    assert f'href="{correction_page}"' in desk_block(page, "corrections")
    assert client.get(review_page).status_code == 200
    assert client.get(correction_page).status_code == 200


def test_researcher_desk_rows_offer_no_review_pages(client, researcher, editor):
    send_back(make_in_review(researcher, text="Sent back"), editor)
    client.force_login(researcher)
    page = client.get(HOME).content.decode()
    assert "/workflow/publish/" not in page and "/correction/publish/" not in page
