"""History pages show the past; they never write it back (no side door)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.admin.history import ReadOnlyHistoryAdmin
from claims.models import ClaimStatus, Evidence
from tests.factories import (
    ClaimantFactory,
    TopicFactory,
    make_draft,
    make_in_review,
    make_published,
    rating,
)

pytestmark = pytest.mark.django_db


def test_every_history_admin_is_read_only():
    with_history = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
        and not isinstance(model_admin, ReadOnlyHistoryAdmin)
    ]
    assert with_history == []


def test_posting_an_old_version_does_not_unpublish(
    client, researcher, editor, superuser, unchanged_database
):
    claim = make_published(researcher, editor)
    draft_version = claim.history.filter(status=ClaimStatus.DRAFT).earliest("history_date")
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, draft_version.history_id])
    for user in (editor, superuser):
        client.force_login(user)
        assert client.get(url).status_code == 200
        page = client.get(url).content.decode()
        assert "Revert" not in page
        with unchanged_database():
            response = client.post(url, {"text": claim.text, "_change_history": "1"})
            assert response.status_code == 405
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED


# --- Field-level differences on the History pages ------------------------------------


def _history_rows(client, model, pk):
    page = client.get(reverse(f"admin:claims_{model}_history", args=[pk]))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content.decode(), "html.parser")
    rows = []
    for tr in soup.select("#change-history tbody tr"):
        changes = {
            li.strong.get_text().rstrip(":"): (
                " ".join(li.select(".history-diff")[0].get_text().split()),
                " ".join(li.select(".history-diff")[1].get_text().split()),
            )
            for li in tr.select("ul.history-changes > li")
        }
        rows.append(changes)
    return rows


def test_history_rows_say_what_changed_old_and_new(client, researcher, editor, editor2):
    claim = make_published(researcher, editor)
    correction = services.correction_propose(
        claim=claim,
        by=editor2,
        kind="correction",
        note="Misquoted.",
        text="The border crisis is now <b>over</b>.",
    )
    services.correction_publish(correction=correction, by=editor)
    client.force_login(editor)
    corrected, proposed, published, submitted, created = _history_rows(client, "claim", claim.pk)

    assert corrected["Claim"] == (
        "The border crisis is over.",
        "The border crisis is now <b>over</b>.",
    )
    assert published["Status"] == ("In review", "Published")
    assert published["First published"][0] == "(empty)"
    assert submitted == {"Status": ("Draft", "In review")}
    assert proposed == {} and created == {}

    page = client.get(reverse("admin:claims_claim_history", args=[claim.pk])).content.decode()
    assert "<b>over</b>" not in page, "old and new values are escaped"
    soup = BeautifulSoup(page, "html.parser")
    wording = soup.select("ul.history-changes > li")[0]
    assert [ins.get_text() for ins in wording.select("ins")] == ["now <b>over</b>."]
    assert [d.get_text() for d in wording.select("del")] == ["over."]
    assert "Saved with no change to its fields" in page


def test_verdict_and_evidence_history_show_field_changes(client, researcher, editor):
    claim = make_in_review(researcher)
    services.claim_request_changes(claim=claim, by=editor, comment="Be precise.")
    verdict = claim.verdicts.pending().get()
    services.verdict_update(
        verdict=verdict,
        by=researcher,
        data={"conclusion": "About 150 people remain stranded.", "rating": rating("mostly-false")},
    )
    item = Evidence.objects.filter(claim=claim).order_by("pk").first()
    services.evidence_update(evidence=item, by=researcher, data={"stance": "context"})
    client.force_login(editor)

    latest = _history_rows(client, "verdict", verdict.pk)[0]
    assert latest["Conclusion"] == ("People remain stranded.", "About 150 people remain stranded.")
    assert latest["Rating"] == (str(rating("false")), str(rating("mostly-false")))

    latest = _history_rows(client, "evidence", item.pk)[0]
    assert latest["Stance"][1] == "Adds context"


def test_topics_added_show_in_the_claim_history(client, researcher, editor):
    claim = make_draft(researcher)
    services.claim_update(
        claim=claim, by=researcher, data={"topics": [TopicFactory(name="Migration")]}
    )
    client.force_login(editor)
    assert _history_rows(client, "claim", claim.pk)[0]["Topics"] == ("(empty)", "Migration")


def test_history_page_queries_do_not_grow_with_its_rows(client, researcher, editor):
    def queries(edits):
        claim = make_draft(researcher, text=f"Claim with {edits} edits.")
        for n in range(edits):
            services.claim_update(
                claim=claim, by=researcher, data={"claimant": ClaimantFactory(name=f"C{n}")}
            )
        client.force_login(editor)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("admin:claims_claim_history", args=[claim.pk]))
        return len(captured)

    assert queries(1) == queries(6)
