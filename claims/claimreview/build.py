"""schema.org ClaimReview for a published fact-check: one implementation for the
claim page's JSON-LD, the API, the aggregator feed and the export command.

Only a rating produces a ClaimReview. "Not checkable (opinion)" is an outcome,
not a rating: it has no value on the scale, so publishing it as a
reviewRating would mislead aggregators; those claims get no ClaimReview.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim, ClaimantKind

# Characters that could end or confuse a <script> element or an HTML comment;
# JSON allows them escaped, so the text round-trips exactly.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path


def _appearance_work(appearance, site_url: str) -> dict[str, Any]:
    source = appearance.source
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        # Where a reader can check it: the source's own URL, its archived copy,
        # or our source page with the stored text.
        "url": source.citation_url or absolute(site_url, source.get_absolute_url()),
        "name": source.title,
        "publisher": {"@type": "Organization", "name": source.publisher.name},
    }
    if appearance.appeared_on:
        work["datePublished"] = appearance.appeared_on.isoformat()
    return work


def claim_review(claim: Claim, *, site_url: str) -> dict[str, Any] | None:
    """The ClaimReview of a public claim, or None when it has no rating.

    `claim` should come from `selectors.claim_page_queryset()` or
    `selectors.public_claims_for_claimreview()` (appearances prefetched).
    Labels follow the active language, as on the page.
    """
    verdict = claim.published_verdict
    if not claim.is_public or verdict is None or not verdict.rating.is_rating:
        return None
    rating = verdict.rating
    scale = rating.scale
    appearances = getattr(claim, "public_appearances", None)
    if appearances is None:
        appearances = list(
            claim.appearances.published()
            .select_related("source__publisher")
            .order_by("appeared_on", "pk")
        )
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant is not None:
        author: dict[str, Any] = {
            "@type": "Person" if claim.claimant.kind == ClaimantKind.PERSON else "Organization",
            "name": claim.claimant.name,
        }
        if claim.claimant.role and claim.claimant.kind == ClaimantKind.PERSON:
            author["jobTitle"] = claim.claimant.role
        item["author"] = author
    dated = [a.appeared_on for a in appearances if a.appeared_on]
    first_made = claim.first_made_on or (min(dated) if dated else None)
    if first_made:
        item["datePublished"] = first_made.isoformat()
    if appearances:
        works = [_appearance_work(a, site_url) for a in appearances]
        first = min(appearances, key=lambda a: (a.appeared_on is None, a.appeared_on, a.pk))
        item["appearance"] = works
        item["firstAppearance"] = _appearance_work(first, site_url)

    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute(site_url, claim.get_absolute_url()),
        "claimReviewed": claim.text,
        "datePublished": claim.published_at.isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.NEWSROOM_NAME,
            "url": settings.NEWSROOM_URL,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": scale.best_value,
            "worstRating": scale.worst_value,
            "alternateName": rating.display_label,
        },
        "itemReviewed": item,
        "inLanguage": claim.language,
    }
    if claim.public_updated_at and claim.public_updated_at > claim.published_at:
        review["dateModified"] = claim.public_updated_at.isoformat()
    if verdict.conclusion:
        review["description"] = verdict.conclusion
    return review


def to_script_json(data: Any) -> SafeString:
    """JSON safe to place inside <script type="application/ld+json">.

    `<`, `>` and `&` are escaped, so no claim text can close the element or
    open a comment, and the JSON still parses back to the exact text.
    """
    return mark_safe(  # noqa: S308 - escaped above; the result is inert JSON
        json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_SCRIPT_ESCAPES)
    )
