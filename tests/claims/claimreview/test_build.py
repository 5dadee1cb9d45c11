import json

import pytest
from django.utils import translation

from claims import services
from claims.claimreview.build import claim_review, to_script_json
from claims.selectors import claim_page_queryset, public_claims_for_claimreview
from tests.factories import ClaimantFactory, make_in_review, make_published, rating

pytestmark = pytest.mark.django_db

SITE = "https://veraz.example"
HOSTILE = 'Dijo "</script><script>alert(1)</script>" <!-- y\u2028Perú & más'


def review_for(claim):
    return claim_review(claim_page_queryset().get(pk=claim.pk), site_url=SITE)


def test_claimreview_has_every_required_property(researcher, editor, settings):
    settings.NEWSROOM_NAME = "Veraz Lima"
    claimant = ClaimantFactory(kind="organization", name="Ministry")
    claim = make_published(researcher, editor, claimant=claimant, rating_slug="half-true")
    review = review_for(claim)
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"] == f"{SITE}/claims/{claim.slug}/"
    assert review["claimReviewed"] == claim.text
    assert review["author"] == {
        "@type": "Organization",
        "name": "Veraz Lima",
        "url": settings.NEWSROOM_URL,
    }
    r = review["reviewRating"]
    assert (r["ratingValue"], r["bestRating"], r["worstRating"]) == (5, 7, 1)
    assert r["alternateName"] == "Half true"
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ministry"}
    assert review["itemReviewed"]["firstAppearance"]["url"].startswith("https://")
    assert "dateModified" not in review


def test_claimreview_label_follows_the_page_language(researcher, editor):
    claim = make_published(researcher, editor, rating_slug="false")
    with translation.override("es"):
        assert review_for(claim)["reviewRating"]["alternateName"] == "Falso"


def test_corrected_claim_has_date_modified(researcher, editor, editor2):
    claim = make_published(researcher, editor)
    correction = services.correction_propose(
        claim=claim, by=editor, kind="correction", note="Fixed", rating=rating("mostly-false")
    )
    services.correction_publish(correction=correction, by=editor2)
    review = review_for(claim)
    assert review["dateModified"] > review["datePublished"]
    assert review["reviewRating"]["ratingValue"] == 2


def test_no_claimreview_for_opinions_or_non_public_claims(researcher, editor):
    opinion = make_published(researcher, editor, rating_slug="not-checkable")
    assert review_for(opinion) is None
    draft = make_in_review(researcher, text="Still in review")
    assert claim_review(draft, site_url=SITE) is None


def test_script_json_cannot_break_out_and_round_trips_exactly(researcher, editor):
    claim = make_published(researcher, editor, text=HOSTILE)
    encoded = str(to_script_json(review_for(claim)))
    assert "</script" not in encoded.lower() and "<!--" not in encoded and "<" not in encoded
    assert json.loads(encoded)["claimReviewed"] == HOSTILE


def test_feed_selector_builds_reviews_in_constant_queries(
    researcher, editor, django_assert_max_num_queries
):
    for n in range(5):
        make_published(researcher, editor, text=f"Claim number {n}")
    with django_assert_max_num_queries(4):
        reviews = [claim_review(c, site_url=SITE) for c in public_claims_for_claimreview()]
    assert len(reviews) == 5
