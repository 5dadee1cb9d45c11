"""Reads for public surfaces. Every one starts from `Claim.objects.public()`
(or `with_public_page()` for the claim page, which also answers for retracted
claims), and fetches related rows in a fixed number of queries so pages and API
responses do not slow down as claims, evidence or sources grow."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from claims.models import Appearance, Claim, ClaimQuerySet, Correction, Evidence

CLAIM_LIST_RELATED = ("claimant", "published_verdict__rating__scale")


def public_claims() -> ClaimQuerySet:
    """Public fact-checks with what a list row shows: claimant, rating, topics."""
    return with_repetitions(
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
    return with_repetitions(
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


# --- Repetitions ---------------------------------------------------------------------


def repetitions_since_rating() -> Coalesce:
    """How often a fact-checked claim was repeated after it was rated: its
    published appearances dated after the day it was first published.

    Appearances merged in from duplicates count, since they now belong to the
    claim. Zero for a claim never published, or without dated repetitions.
    """
    later = (
        Appearance.objects.published()
        .filter(claim=OuterRef("pk"), appeared_on__gt=OuterRef("published_at__date"))
        .order_by()
        .values("claim")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(later, output_field=IntegerField()), 0)


def with_repetitions(queryset: ClaimQuerySet) -> ClaimQuerySet:
    """Annotate `repetitions_since_rating` (one subquery, no extra query)."""
    return queryset.annotate(repetitions_since_rating=repetitions_since_rating())
