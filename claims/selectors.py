"""Reads for public surfaces. Every one starts from `Claim.objects.public()`
(or `with_public_page()` for the claim page, which also answers for retracted
claims), and fetches related rows in a fixed number of queries so pages and API
responses do not slow down as claims, evidence or sources grow."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimQuerySet,
    Correction,
    Evidence,
    Topic,
    Verdict,
)
from sources.models import Source

CLAIM_LIST_RELATED = ("claimant", "published_verdict__rating__scale")


def public_claims() -> ClaimQuerySet:
    """Public fact-checks with what a list row shows: claimant, rating, topics."""
    return (
        Claim.objects.public()
        .select_related(*CLAIM_LIST_RELATED)
        .prefetch_related("topics")
        .order_by("-published_at", "-pk")
    )


def public_appearances_prefetch() -> Prefetch:
    return Prefetch(
        "appearances",
        queryset=Appearance.objects.published()
        .select_related("source__publisher", "speaker")
        .order_by("appeared_on", "pk"),
        to_attr="public_appearances",
    )


def public_claims_for_claimreview() -> ClaimQuerySet:
    """Public fact-checks with everything a ClaimReview needs (feeds, exports)."""
    return public_claims().prefetch_related(public_appearances_prefetch())


def claim_page_queryset() -> ClaimQuerySet:
    """Claims with a public page (public or retracted), with everything the page
    and the API detail show, in a number of queries that does not grow."""
    return (
        Claim.objects.with_public_page()
        .select_related(*CLAIM_LIST_RELATED, "parent")
        .prefetch_related(
            "topics",
            public_appearances_prefetch(),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.published()
                .select_related("source__publisher")
                .order_by("stance", "pk"),
                to_attr="public_evidence",
            ),
            Prefetch(
                "corrections",
                queryset=Correction.objects.published()
                .select_related("verdict__rating")
                .order_by("-published_at"),
                to_attr="public_corrections",
            ),
            Prefetch(
                "sub_claims",
                queryset=public_claims().order_by("pk"),
                to_attr="public_sub_claims",
            ),
        )
    )


# --- The API's reads (claims/api/) -------------------------------------------------
# Anonymous clients get the public selectors above; newsroom staff (who may view
# claims) can ask for unpublished work too, with everything prefetched the same way.


def claims_for_listing(user=None) -> ClaimQuerySet:
    """List rows of every claim `user` may see: public ones for readers, every
    claim for newsroom staff (`Claim.objects.visible_to`)."""
    return (
        Claim.objects.visible_to(user)
        .select_related(*CLAIM_LIST_RELATED)
        .prefetch_related("topics")
        .order_by(F("published_at").desc(nulls_last=True), "-created_at", "-pk")
    )


def newsroom_claim_queryset() -> ClaimQuerySet:
    """Every claim with what the newsroom's API detail shows, pending work
    included (appearances and evidence not yet public, the verdict in progress,
    a pending correction), in a number of queries that does not grow."""
    return Claim.objects.select_related(
        *CLAIM_LIST_RELATED, "parent", "assigned_to", "created_by"
    ).prefetch_related(
        "topics",
        Prefetch(
            "appearances",
            queryset=Appearance.objects.select_related("source__publisher", "speaker").order_by(
                "appeared_on", "pk"
            ),
            to_attr="newsroom_appearances",
        ),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("source__publisher").order_by("stance", "pk"),
            to_attr="newsroom_evidence",
        ),
        Prefetch(
            "corrections",
            queryset=Correction.objects.select_related("verdict__rating").order_by(
                F("published_at").desc(nulls_first=True), "-created_at"
            ),
            to_attr="newsroom_corrections",
        ),
        Prefetch(
            "sub_claims", queryset=Claim.objects.order_by("pk"), to_attr="newsroom_sub_claims"
        ),
        Prefetch(
            "verdicts",
            queryset=Verdict.objects.pending().select_related("rating__scale"),
            to_attr="pending_verdicts",
        ),
    )


def public_claimants() -> QuerySet[Claimant]:
    """Claimants readers can meet: of a public claim, or speaking in one of its
    public appearances. Claimants known only from unpublished work stay private."""
    return Claimant.objects.filter(
        Exists(Claim.objects.public().filter(claimant=OuterRef("pk")))
        | Exists(Appearance.objects.public().filter(speaker=OuterRef("pk")))
    )


def public_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(Exists(Claim.objects.public().filter(topics=OuterRef("pk"))))


def public_sources() -> QuerySet[Source]:
    """Sources cited by the public record (published appearances or evidence of public claims)."""
    return Source.objects.filter(
        Exists(Appearance.objects.public().filter(source=OuterRef("pk")))
        | Exists(Evidence.objects.public().filter(source=OuterRef("pk")))
    )
