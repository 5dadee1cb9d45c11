"""ClaimReview through the API and the export command: one implementation
(claims.claimreview.build.claim_review), and a feed aggregators can ingest
(acceptance 6)."""

import json

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from claims import services
from claims.claimreview.build import claim_review
from claims.models import Claim
from claims.selectors import claim_page_queryset
from tests.factories import ClaimantFactory, make_published, rating

pytestmark = pytest.mark.django_db


def assert_valid_feed_item(review):
    """What aggregators (Google Fact Check Tools) require of each ClaimReview."""
    assert review["@type"] == "ClaimReview"
    assert isinstance(review["claimReviewed"], str) and review["claimReviewed"].strip()
    assert review["url"].startswith(("http://", "https://"))
    rating_ = review["reviewRating"]
    assert isinstance(rating_["alternateName"], str) and rating_["alternateName"].strip()
    for key in ("ratingValue", "bestRating", "worstRating"):
        assert isinstance(rating_[key], int | float) and not isinstance(rating_[key], bool), key
    assert rating_["worstRating"] <= rating_["ratingValue"] <= rating_["bestRating"]
    assert review["author"]["name"] and review["author"]["@type"] == "Organization"
    assert review["datePublished"]


def feed_reviews(feed):
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    reviews = []
    for element in feed["dataFeedElement"]:
        assert element["@type"] == "DataFeedItem"
        assert element["dateCreated"] <= element["dateModified"]
        reviews.extend(element["item"])
    return reviews


@pytest.fixture
def varied_newsroom(researcher, editor, editor2):
    """Every rating of the scale, claimants of both kinds and none, a correction."""
    claims = []
    for n, slug in enumerate(
        ["true", "mostly-true", "half-true", "misleading", "unsupported", "mostly-false", "false"]
    ):
        kind = "organization" if n % 2 else "person"
        claims.append(
            make_published(
                researcher,
                editor,
                text=f"Claim {n} <&> “quoted”",
                rating_slug=slug,
                claimant=ClaimantFactory(kind=kind, role="Minister"),
            )
        )
    unattributed = make_published(researcher, editor, text="Unattributed", claimant=None)
    correction = services.correction_propose(
        claim=unattributed, by=editor, kind="correction", note="Fixed", rating=rating("true")
    )
    services.correction_publish(correction=correction, by=editor2)
    make_published(researcher, editor, text="Opinion", rating_slug="not-checkable")
    return [*claims, unattributed]


def test_feed_validates_for_aggregators(anon, varied_newsroom):
    response = anon.get("/api/v1/claimreview-feed/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    reviews = feed_reviews(response.json())
    assert len(reviews) == len(varied_newsroom)  # the opinion is left out
    for review in reviews:
        assert_valid_feed_item(review)
    assert response.json()["dateModified"] == max(
        r.get("dateModified", r["datePublished"]) for r in reviews
    )


def test_feed_items_are_exactly_what_the_claim_page_embeds(anon, varied_newsroom):
    reviews = feed_reviews(anon.get("/api/v1/claimreview-feed/").json())
    for claim, review in zip(
        claim_page_queryset()
        .filter(pk__in=[c.pk for c in varied_newsroom])
        .order_by("-published_at", "-pk"),
        reviews,
        strict=True,
    ):
        assert review == json.loads(
            json.dumps(claim_review(claim, site_url=django_settings.SITE_URL))
        )


def test_claimreview_endpoint_is_the_pages_claimreview(anon, researcher, editor):
    claim = make_published(researcher, editor)
    response = anon.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    expected = claim_review(
        claim_page_queryset().get(pk=claim.pk), site_url=django_settings.SITE_URL
    )
    assert response.json() == json.loads(json.dumps(expected))
    plain = anon.get(f"/api/v1/claims/{claim.pk}/claimreview/", HTTP_ACCEPT="application/json")
    assert plain["Content-Type"] == "application/json" and plain.json() == response.json()


def test_opinion_has_no_claimreview_and_says_why(anon, researcher, editor):
    claim = make_published(researcher, editor, rating_slug="not-checkable")
    response = anon.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_rated"
    assert "not a rating" in response.json()["detail"]
    assert anon.get(f"/api/v1/claims/{claim.pk}/").json()["claimreview_url"] is None


def test_feed_filters_for_incremental_sync(anon, researcher, editor):
    old = make_published(researcher, editor, text="Old")
    Claim.objects.filter(pk=old.pk).update(public_updated_at=timezone.now().replace(year=2020))
    new = make_published(researcher, editor, text="New")
    since = timezone.now().replace(year=2021).isoformat()
    reviews = feed_reviews(anon.get("/api/v1/claimreview-feed/", {"modified_since": since}).json())
    assert [r["claimReviewed"] for r in reviews] == [new.text]


def test_export_command_writes_the_same_feed(anon, varied_newsroom, tmp_path, settings):
    settings.SITE_URL = "http://testserver"
    target = tmp_path / "feed.json"
    call_command("export_claimreview", str(target))
    exported = json.loads(target.read_text())
    served = anon.get("/api/v1/claimreview-feed/").json()
    assert exported["dataFeedElement"] == served["dataFeedElement"]
    assert "url" not in exported  # a file has no address of its own
    for review in feed_reviews(exported):
        assert_valid_feed_item(review)
    assert not list(tmp_path.glob(".claimreview-*"))  # no temporary file left behind


def test_export_command_uses_site_url_and_language(varied_newsroom, tmp_path, settings):
    settings.SITE_URL = "https://factcheck.example.org"
    target = tmp_path / "feed.json"
    call_command("export_claimreview", str(target), "--language", "es")
    reviews = feed_reviews(json.loads(target.read_text()))
    assert all(r["url"].startswith("https://factcheck.example.org/") for r in reviews)
    assert "Falso" in {r["reviewRating"]["alternateName"] for r in reviews}
