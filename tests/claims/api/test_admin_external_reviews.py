"""The admin's triage of imported reviews, and the claim page's list of them."""

import json

import pytest
from django.urls import reverse

from claims.models import ExternalReview
from claims.services import import_claimreviews
from tests.factories import make_draft
from tests.formdata import form_data

pytestmark = pytest.mark.django_db


def import_two():
    import_claimreviews(
        json.dumps(
            [
                {
                    "@type": "ClaimReview",
                    "url": f"https://other.example/{n}",
                    "claimReviewed": f"Imported claim {n}",
                    "author": {"name": "Other Checker"},
                    "reviewRating": {"ratingValue": 1, "bestRating": 5, "alternateName": "False"},
                }
                for n in (1, 2)
            ]
        )
    )
    return list(ExternalReview.objects.order_by("url"))


def test_editor_links_an_unlinked_review_to_a_claim(client, editor):
    first, second = import_two()
    claim = make_draft(editor, text="Our claim")
    client.force_login(editor)
    changelist = reverse("admin:claims_externalreview_changelist")
    assert set(client.get(changelist, {"linked": "no"}).context["cl"].result_list) == {
        first,
        second,
    }

    url = reverse("admin:claims_externalreview_change", args=[first.pk])
    data = form_data(client.get(url), form_id="externalreview_form")
    data["claim"] = str(claim.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    first.refresh_from_db()
    assert first.claim == claim and first.linked_by == editor and first.linked_at
    unlinked = client.get(changelist, {"linked": "no"}).context["cl"].result_list
    assert list(unlinked) == [second]

    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "other fact-checkers" in page.lower() and "Other Checker" in page


def test_imported_fields_are_read_only_and_researchers_cannot_link(client, researcher):
    review, _ = import_two()
    client.force_login(researcher)
    url = reverse("admin:claims_externalreview_change", args=[review.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="claim"' not in page.content.decode()  # view-only for researchers
    assert client.post(url, {"claim": make_draft(researcher).pk}).status_code == 403
    review.refresh_from_db()
    assert review.claim is None
