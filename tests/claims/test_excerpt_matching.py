"""The typographic-variant rule and its hint are one rule for the admin form
and the API (issue 14, acceptance 4); the excerpt is stored as typed."""

import pytest

from claims.models import Claim
from tests.claims.api.conftest import client_for
from tests.factories import SourceFactory, make_draft
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

SOURCE_TEXT = "The ministry said Peru’s exports grew 3.1 per cent — a record."


def admin_change(claim):
    from django.urls import reverse

    return reverse("admin:claims_claim_change", args=[claim.pk])


def post_evidence(client, claim, source, excerpt):
    data = form_data(client.get(admin_change(claim)), "claim_form")
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-source": source.pk,
            "evidence-0-stance": "refutes",
            "evidence-0-excerpt": excerpt,
        }
    )
    return client.post(admin_change(claim), data)


def test_admin_accepts_a_straight_apostrophe_and_stores_the_excerpt_as_typed(client, researcher):
    claim = make_draft(researcher)
    source = SourceFactory(snapshot=SOURCE_TEXT)
    client.force_login(researcher)
    typed = "Peru's exports grew 3.1 per cent - a record"
    response = post_evidence(client, claim, source, typed)
    assert response.status_code == 302, response.context["errors"]
    assert claim.evidence.get().excerpt == typed


def test_admin_refusal_shows_the_closest_passage_with_the_difference_marked(client, researcher):
    claim = make_draft(researcher)
    source = SourceFactory(snapshot=SOURCE_TEXT)
    client.force_login(researcher)
    response = post_evidence(client, claim, source, "Peru's exports <i>fell</i> 3.1 per cent")
    assert response.status_code == 200
    page = response.content.decode()
    assert "does not occur in the source" in page
    assert "Closest passage in the source:" in page
    assert "<mark>grew</mark>" in page
    assert "&lt;i&gt;fell&lt;/i&gt;" in page and "<i>fell</i>" not in page
    assert not claim.evidence.exists()


def test_api_accepts_typographic_variants_and_stores_the_quote_as_typed(researcher):
    claim = make_draft(researcher)
    source = SourceFactory(snapshot=SOURCE_TEXT)
    typed = "the ministry said Peru's exports grew"  # first letter's case and apostrophe differ
    response = client_for(researcher).post(
        f"/api/v1/claims/{claim.pk}/appearances/", {"source": source.slug, "quote": typed}
    )
    assert response.status_code == 201, response.content
    assert claim.appearances.get().quote == typed


def test_api_refusal_carries_the_closest_passage_in_plain_text(researcher):
    claim = make_draft(researcher)
    source = SourceFactory(snapshot=SOURCE_TEXT)
    response = client_for(researcher).post(
        f"/api/v1/claims/{claim.pk}/evidence/",
        {"source": source.slug, "excerpt": "Peru's exports fell 3.1 per cent", "stance": "refutes"},
    )
    assert response.status_code == 400, response.content
    (message,) = response.json()["errors"]["excerpt"]
    assert "Closest passage in the source:" in message
    assert "Peru’s exports grew 3.1 per cent" in message  # as the source spells it
    assert "the source has “grew” where the excerpt has “fell”" in message
    assert "<mark>" not in message
    assert not Claim.objects.get(pk=claim.pk).evidence.exists()
