"""Every published fact-check as one schema.org `DataFeed` of ClaimReview, for
aggregators: served by the API (`GET /api/v1/claimreview-feed/`) and written
to a file by `manage.py export_claimreview`. Each review is built by
`claims.claimreview.claim_review`, the same function behind the JSON-LD on
every claim page, so the three can never disagree.

Fact-checks whose outcome is not a rating ("Not checkable (opinion)") have no
ClaimReview and are left out of the feed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from claims.claimreview.build import claim_review
from claims.models import Claim
from claims.selectors import public_claims_for_claimreview


def feed_claims():
    """The feed's claims: public fact-checks with a rating, appearances prefetched."""
    return public_claims_for_claimreview().filter(published_verdict__rating__value__isnull=False)


def claimreview_feed(
    claims: Iterable[Claim], *, site_url: str, feed_url: str | None = None
) -> dict[str, Any]:
    """A DataFeed wrapping each claim's ClaimReview in a DataFeedItem, the shape
    Google's Fact Check Markup Tool publishes."""
    elements = []
    for claim in claims:
        review = claim_review(claim, site_url=site_url)
        if review is None:
            continue
        elements.append(
            {
                "@type": "DataFeedItem",
                "dateCreated": review["datePublished"],
                "dateModified": review.get("dateModified", review["datePublished"]),
                "item": [review],
            }
        )
    feed: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{settings.NEWSROOM_NAME} — ClaimReview",
        "publisher": {
            "@type": "Organization",
            "name": settings.NEWSROOM_NAME,
            "url": settings.NEWSROOM_URL,
        },
    }
    if feed_url:
        feed["url"] = feed_url
    if elements:
        feed["dateModified"] = max(e["dateModified"] for e in elements)
    feed["dataFeedElement"] = elements
    return feed
