"""The ClaimReview JSON-LD on claim pages (acceptance 4) and its escaping
(the server side of acceptance 2; tests/browser runs it in chromium)."""

import pytest

from claims import services
from claims.models import Claim
from tests.claims.site.reading import json_ld, page, text_of
from tests.factories import ClaimantFactory, SourceFactory, rating

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
HOSTILE_TEXT = 'Él dijo "</script><script>alert(1)</script>" <!-- ¿Perú? --> ñandú & más'
HOSTILE_QUOTE = 'Citó: "</script><script>alert(1)</script>" <!-- sí, también --> é'


def visible_label(soup) -> str:
    return text_of(soup.select_one(".verdict .rating-badge__label"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_demo_claim_page_carries_a_complete_claimreview(demo, client, language):
    prefix = "" if language == "en" else "/es"
    rated = [c for c in Claim.objects.public() if c.published_verdict.rating.is_rating]
    assert len(rated) == 5
    for claim in rated:
        url = f"{prefix}/claims/{claim.slug}/"
        soup = page(client.get(url))
        (review,) = json_ld(soup)
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["url"] == SITE + url
        assert review["claimReviewed"] == claim.text
        assert review["datePublished"] == claim.published_at.isoformat()
        assert review["author"] == {"@type": "Organization", "name": "Veraz", "url": SITE + "/"}
        rating_block = review["reviewRating"]
        assert rating_block["@type"] == "Rating"
        assert (
            rating_block["worstRating"] <= rating_block["ratingValue"] <= rating_block["bestRating"]
        )
        assert (rating_block["worstRating"], rating_block["bestRating"]) == (1, 7)
        assert rating_block["ratingValue"] == claim.published_verdict.rating.value
        assert rating_block["alternateName"] == visible_label(soup)
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["@type"] == (
            "Person" if claim.claimant.kind == "person" else "Organization"
        )
        assert item["author"]["name"] == claim.claimant.name
        assert item["appearance"] and item["firstAppearance"]["url"]
        for work in item["appearance"]:
            # The demo's sources have no URL: readers check our source page.
            assert work["url"].startswith(f"{SITE}{prefix}/sources/")
        if claim.slug == "peru-deployed-180-police-border":
            assert review["dateModified"] > review["datePublished"]
        else:
            assert "dateModified" not in review
        if claim.first_made_on:
            assert item["datePublished"] == claim.first_made_on.isoformat()


def test_spanish_page_names_the_rating_in_spanish_in_both_places(demo, client):
    soup = page(client.get("/es/claims/no-migrants-remain-stranded/"))
    assert visible_label(soup) == "Falso"
    assert json_ld(soup)[0]["reviewRating"]["alternateName"] == "Falso"


def test_opinions_and_retractions_carry_no_claimreview(researcher, editor, client, demo):
    opinion = Claim.objects.get(slug="migratory-flow-too-massive")
    services.claim_publish(claim=opinion, by=editor)
    soup = page(client.get(opinion.get_absolute_url()))
    assert visible_label(soup) == "Not checkable (opinion)"
    assert json_ld(soup) == []
    retracted = page(client.get("/claims/migrants-tried-to-force-border-crossing/"))
    assert json_ld(retracted) == []


def test_hostile_claim_text_is_escaped_in_the_page_and_round_trips_in_the_json_ld(
    researcher, editor, client
):
    claim = services.claim_create(
        by=researcher,
        text=HOSTILE_TEXT,
        claimant=ClaimantFactory(name='Ana "la jefa" Núñez', kind="person"),
        language="es",
    )
    first, second = SourceFactory(), SourceFactory()
    services.appearance_create(claim=claim, by=researcher, source=first, quote=HOSTILE_QUOTE)
    for source in (first, second):
        services.evidence_create(
            claim=claim, by=researcher, source=source, excerpt="Datos", stance="refutes"
        )
    services.verdict_create(
        claim=claim,
        by=researcher,
        rating=rating("false"),
        conclusion='No hubo "</script>" <!-- nada -->',
        explanation="Explicación.",
    )
    services.claim_submit(claim=claim, by=researcher)
    services.claim_publish(claim=claim, by=editor)

    raw = client.get(claim.get_absolute_url()).content.decode()
    # Exactly one script element, and it is the JSON-LD data block.
    assert raw.lower().count("<script") == 1
    assert raw.count('<script type="application/ld+json">') == 1
    assert "<!--" not in raw
    block = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block

    soup = page(client.get(claim.get_absolute_url()))
    (review,) = json_ld(soup)
    assert review["claimReviewed"] == HOSTILE_TEXT
    assert review["description"] == 'No hubo "</script>" <!-- nada -->'
    assert review["itemReviewed"]["author"]["name"] == 'Ana "la jefa" Núñez'
    # The page shows the same text, as text.
    assert text_of(soup.h1) == " ".join(HOSTILE_TEXT.split())
    assert soup.h1["lang"] == "es"
    quote = soup.find("section", attrs={"aria-labelledby": "appearances-title"}).blockquote
    assert text_of(quote) == " ".join(HOSTILE_QUOTE.split())
    assert soup.title.string.startswith("False: “Él dijo")
    assert "</script>" in soup.find("meta", property="og:title")["content"]
