"""Reads for public surfaces. Every one starts from `Claim.objects.public()`
(or `with_public_page()` for the claim page, which also answers for retracted
claims), and fetches related rows in a fixed number of queries so pages and API
responses do not slow down as claims, evidence or sources grow."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimQuerySet,
    Correction,
    Evidence,
    Rating,
    Topic,
    Verdict,
    sees_unpublished_work,
)
from claims.models.prepared import PreparedQuery, set_parent, set_prefetched
from claims.policy import User
from sources.models import Source

CLAIM_LIST_RELATED = ("claimant", "published_verdict__rating__scale")
# Columns of the public record's rows that no reader surface (page, API,
# feed, ClaimReview) shows, left in the database by the claim page's reads: a
# source's stored text (a whole article, often tens of kilobytes, that each
# evidence and appearance row would otherwise carry), internal notes, the
# bookkeeping times. Each timestamp costs a Python parse (Django's psycopg time
# zone loader); together they were a quarter of the page's reads.
CLAIM_UNREAD = (
    "search_vector",
    "created_at",
    "updated_at",
    "published_verdict__created_at",
    "published_verdict__updated_at",
)
CITED_ITEM_UNREAD = (
    "created_at",
    "source__snapshot",
    "source__notes",
    "source__created_at",
    "source__updated_at",
    "source__link_checked_at",
    "source__link_next_check_at",
    "source__publisher__notes",
)
CORRECTION_UNREAD = ("created_at", "verdict__created_at", "verdict__updated_at")


def public_claims() -> ClaimQuerySet:
    """Public fact-checks with what a list row shows: claimant, rating, topics.

    (Surfaces that show how often a claim was repeated add `with_repetitions`;
    feeds and the sitemap do not pay for it.)
    """
    return (
        Claim.objects.public()
        .select_related(*CLAIM_LIST_RELATED)
        .defer("search_vector")
        .prefetch_related("topics")
        .order_by("-published_at", "-pk")
    )


def public_appearances_prefetch(appearances: QuerySet | None = None) -> Prefetch:
    appearances = appearances if appearances is not None else Appearance.objects.published()
    return Prefetch(
        "appearances",
        queryset=appearances.select_related("source__publisher", "speaker")
        .defer(*CITED_ITEM_UNREAD)
        .order_by("appeared_on", "pk"),
        to_attr="public_appearances",
    )


def public_claims_for_claimreview() -> ClaimQuerySet:
    """Public fact-checks with everything a ClaimReview needs (feeds, exports)."""
    return public_claims().prefetch_related(public_appearances_prefetch())


def claim_page_queryset() -> ClaimQuerySet:
    """Claims with a public page (public or retracted), with everything the page
    and the API detail show, in a number of queries that does not grow."""
    return claim_page_shape(Claim.objects.with_public_page(), **_published_items())


def _published_items() -> dict[str, QuerySet]:
    return {
        "appearances": Appearance.objects.published(),
        "evidence": Evidence.objects.published(),
        "corrections": Correction.objects.published()
        .select_related("verdict__rating")
        .defer(*CORRECTION_UNREAD),
    }


def claim_page_shape(
    claims: ClaimQuerySet,
    *,
    appearances: QuerySet,
    evidence: QuerySet,
    corrections: QuerySet,
) -> ClaimQuerySet:
    """`claims` with what the claim page reads, under the names it reads them
    (`public_appearances`, ...): the public page passes the published items;
    the staff preview (claims.review.preview) the items publication would add."""
    return with_repetitions(
        _claim_page_rows(claims).prefetch_related(
            "topics",
            *_claim_page_prefetches(appearances, evidence, corrections).values(),
        )
    )


def _claim_page_rows(claims: ClaimQuerySet) -> ClaimQuerySet:
    """The claim page's claim row: with its claimant, rating and parent,
    without the columns no reader sees (CLAIM_UNREAD)."""
    return claims.select_related(*CLAIM_LIST_RELATED, "parent").defer(*CLAIM_UNREAD)


def _claim_page_prefetches(
    appearances: QuerySet, evidence: QuerySet, corrections: QuerySet
) -> dict[str, Prefetch]:
    return {
        "public_appearances": public_appearances_prefetch(appearances),
        "public_evidence": Prefetch(
            "evidence",
            queryset=evidence.select_related("source__publisher")
            .defer(*CITED_ITEM_UNREAD)
            .order_by("stance", "pk"),
            to_attr="public_evidence",
        ),
        "public_corrections": Prefetch(
            "corrections",
            queryset=corrections.order_by("-published_at"),
            to_attr="public_corrections",
        ),
        "public_sub_claims": Prefetch(
            "sub_claims",
            queryset=public_claims().order_by("pk"),
            to_attr="public_sub_claims",
        ),
    }


def _claim_page_claim(slug: str) -> ClaimQuerySet:
    items = _published_items()
    return (
        _claim_page_rows(Claim.objects.with_public_page().filter(slug=slug))
        .annotate(
            has_public_corrections=Exists(items["corrections"].filter(claim=OuterRef("pk"))),
            has_public_sub_claims=Exists(Claim.objects.public().filter(parent=OuterRef("pk"))),
        )
        .order_by()
    )


def _claim_page_items(name: str) -> PreparedQuery:
    """The claim page's `name` items (public_appearances, ...) of one claim, as
    the page's prefetch reads them for many."""
    return PreparedQuery(
        lambda claim: _claim_page_prefetches(**_published_items())[name].queryset.filter(
            claim_id=claim
        ),
        claim=int,
    )


# The claim page's reads, their SQL built once per process and database
# (claims.models.prepared): for these small reads building the SQL cost more
# than running it. Sub-claims, rare, keep the prefetch (their rows need their
# own topics).
CLAIM_PAGE_READS = {
    "claim": PreparedQuery(_claim_page_claim, slug=str),
    "topics": PreparedQuery(lambda claim: Topic.objects.filter(claims=claim), claim=int),
    "public_appearances": _claim_page_items("public_appearances"),
    "public_evidence": _claim_page_items("public_evidence"),
    "public_corrections": _claim_page_items("public_corrections"),
}


def claim_page(*, slug: str) -> Claim | None:
    """The claim at a public page's address, shaped as `claim_page_queryset()`
    shapes it, for the reader's page, in fewer queries.

    Most claims have no correction and no sub-claim: the claim's own query
    asks whether it has any, and the page reads them only when it does (each
    read it saves costs a rendering more than the question). How often it was
    repeated is counted from its published appearances, which the page loads
    anyway, rather than by a subquery. The reads are the same querysets as
    `claim_page_queryset()`'s, prepared (CLAIM_PAGE_READS).
    """
    found = CLAIM_PAGE_READS["claim"](slug=slug)
    if not found:
        return None
    claim = found[0]
    set_prefetched(claim, "topics", CLAIM_PAGE_READS["topics"](claim=claim.pk))
    claim.public_corrections = []
    reads = ["public_appearances", "public_evidence"]
    if claim.has_public_corrections:
        reads.append("public_corrections")
    for name in reads:
        items = CLAIM_PAGE_READS[name](claim=claim.pk)
        set_parent(items, "claim", claim)  # as the prefetch leaves them
        setattr(claim, name, items)
    if claim.has_public_sub_claims:
        sub_claims = _claim_page_prefetches(**_published_items())["public_sub_claims"]
        prefetch_related_objects([claim], sub_claims)
    else:
        claim.public_sub_claims = []
    claim.repetitions_since_rating = repetitions_among(claim, claim.public_appearances)
    return claim


# --- Public site: home, lists, charts and the pages around a claim -------------
# Appended for the reader site. Same rule as above: every read starts from
# `Claim.objects.public()` (through the related `public()` querysets), so a
# draft, a claim in review, a retraction or a merged duplicate never counts.


@dataclass(frozen=True)
class RatingCount:
    rating: Rating
    count: int


def rating_distribution(*, claimant: Claimant | None = None) -> list[RatingCount]:
    """How many public fact-checks carry each rating, best first (two queries).

    Every level of the default scale is listed, even at zero, so charts keep
    their shape; other ratings appear only when used.
    """
    claims = Claim.objects.public()
    if claimant is not None:
        claims = claims.filter(claimant=claimant)
    counts = dict(
        claims.order_by()
        .values_list("published_verdict__rating")
        .annotate(n=Count("pk"))
        .values_list("published_verdict__rating", "n")
    )
    ratings = Rating.objects.select_related("scale").order_by(
        "-scale__is_default", "scale__name", "order"
    )
    return [
        RatingCount(rating, counts.get(rating.pk, 0))
        for rating in ratings
        if rating.scale.is_default or counts.get(rating.pk)
    ]


def _public_claim_count(**link: Any) -> Coalesce:
    """How many public fact-checks point at the outer row (e.g. claimant=OuterRef)."""
    counted = (
        Claim.objects.public()
        .filter(**link)
        .order_by()
        .values(*link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def public_topics(*, counted: bool = True) -> QuerySet[Topic]:
    """Topics with at least one public fact-check, by name, with
    `public_count` unless `counted` is False."""
    topics = Topic.objects.filter(
        Exists(Claim.objects.public().filter(topics=OuterRef("pk")))
    ).order_by("name")
    if counted:
        topics = topics.annotate(public_count=_public_claim_count(topics=OuterRef("pk")))
    return topics


def public_topic_choices() -> list[tuple[str, str]]:
    """(slug, name in the active language) of each of `public_topics()`: the
    reader's topic filter."""
    topics = public_topics(counted=False).only("slug", "name", "name_es")
    return [(topic.slug, topic.display_name) for topic in topics]


def public_claimants(*, counted: bool = True) -> QuerySet[Claimant]:
    """Claimants readers can meet: the claimant of a public fact-check, or a
    speaker in one of its published appearances; by name, with
    `public_count` unless `counted` is False.

    A claimant known only from unpublished work stays unknown to readers: even
    a name says what the newsroom is working on.
    """
    claimants = Claimant.objects.filter(
        Exists(Claim.objects.public().filter(claimant=OuterRef("pk")))
        | Exists(Appearance.objects.public().filter(speaker=OuterRef("pk")))
    ).order_by("name")
    if counted:
        claimants = claimants.annotate(public_count=_public_claim_count(claimant=OuterRef("pk")))
    return claimants


def public_claimant_choices() -> list[tuple[str, str]]:
    """(slug, name) of each of `public_claimants()`: the reader's claimant
    filter, without model instances. A newsroom names hundreds of claimants,
    and the question reads every public claim (about 25 ms at 20,000 claims
    on PostgreSQL), which is why the list page keeps its answer per
    publication version and language (claims.site.caching.shared_data). The
    label is `str(claimant)`, the name."""
    return list(public_claimants(counted=False).values_list("slug", "name"))


def public_sources() -> QuerySet[Source]:
    """Sources that a public fact-check cites through a published appearance or evidence."""
    return Source.objects.filter(
        Exists(Appearance.objects.public().filter(source=OuterRef("pk")))
        | Exists(Evidence.objects.public().filter(source=OuterRef("pk")))
    ).select_related("publisher")


def public_claims_citing(source: Source) -> ClaimQuerySet:
    """Public fact-checks citing `source`, each with what it quotes from it
    (`source_appearances`, `source_evidence`)."""
    appearances = Appearance.objects.published().filter(source=source)
    evidence = Evidence.objects.published().filter(source=source)
    return (
        public_claims()
        .filter(
            Exists(appearances.filter(claim=OuterRef("pk")))
            | Exists(evidence.filter(claim=OuterRef("pk")))
        )
        .prefetch_related(
            Prefetch(
                "appearances",
                queryset=appearances.order_by("appeared_on", "pk"),
                to_attr="source_appearances",
            ),
            Prefetch(
                "evidence", queryset=evidence.order_by("stance", "pk"), to_attr="source_evidence"
            ),
        )
    )


def public_corrections() -> QuerySet[Correction]:
    """Published corrections of public fact-checks, newest first (the corrections log)."""
    return (
        Correction.objects.public()
        .select_related("claim__claimant", "claim__published_verdict__rating", "verdict__rating")
        .order_by("-published_at", "-pk")
    )


def rating_scale_levels() -> QuerySet[Rating]:
    """The default scale's levels and outcomes, best first (the methodology page)."""
    return Rating.objects.filter(scale__is_default=True).select_related("scale").order_by("order")


def merged_claim_target(*, slug: str | None = None, pk: int | None = None) -> Claim | None:
    """Where a merged duplicate's old address should lead a reader, or None.

    Only a duplicate that was once published had a public address worth
    keeping, and only a claim with a public page is a target: a redirect must
    not reveal the address of a draft. (Merges never chain: the workflow
    refuses to merge into a merged claim.)
    """
    duplicates = Claim.objects.filter(merged_into__isnull=False, published_at__isnull=False)
    duplicate = duplicates.filter(**({"slug": slug} if slug is not None else {"pk": pk})).first()
    if duplicate is None:
        return None
    return Claim.objects.with_public_page().filter(pk=duplicate.merged_into_id).first()


@dataclass(frozen=True)
class FigureGroup:
    """Figures several sources report for one quantity, to set side by side."""

    quantity: str
    unit: str
    figures: list[Evidence]

    @property
    def max_value(self) -> Decimal:
        return max(f.figure_value for f in self.figures)


def public_figure_groups(claim: Claim) -> list[FigureGroup]:
    """The figures in a public claim's published evidence, and its public
    sub-claims', grouped by quantity and unit.

    A group needs two or more different figures: one number is not a comparison.
    The same figure cited by the claim and a sub-claim counts once.

    A claim from `claim_page()` or `claim_page_queryset()` has its own
    evidence and sub-claims loaded: then only sub-claims' figures are read
    (one query, none without sub-claims). Any other claim costs one query.
    """
    if not claim.is_public:
        return []
    if not (hasattr(claim, "public_evidence") and hasattr(claim, "public_sub_claims")):
        return figure_groups(
            _published_figures().filter(
                Q(claim=claim) | Q(claim__in=Claim.objects.public().filter(parent=claim))
            )
        )
    items = [item for item in claim.public_evidence if item.has_figure]
    if claim.public_sub_claims:
        sub_claims = [sub.pk for sub in claim.public_sub_claims]
        items += _published_figures().filter(claim__in=sub_claims)
    return figure_groups(items)


def _published_figures() -> QuerySet[Evidence]:
    """Published evidence with a figure, as the chart shows it. Built only
    when read: building a queryset costs a claim page 0.1 ms."""
    return (
        Evidence.objects.published()
        .filter(figure_value__isnull=False)
        .select_related("source__publisher")
        .defer(*CITED_ITEM_UNREAD)
    )


def figure_groups(items: Iterable[Evidence]) -> list[FigureGroup]:
    """Evidence with figures grouped for the chart, each group's figures
    largest first; shared with the staff preview of an unpublished page."""
    groups: dict[tuple[str, str], list[Evidence]] = {}
    seen = set()
    ordered = sorted(
        items,
        key=lambda item: (item.figure_quantity, item.figure_unit, -item.figure_value, item.pk),
    )
    for item in ordered:
        key = (item.figure_quantity.strip(), item.figure_unit.strip())
        figure = (key, item.source_id, item.figure_qualifier, item.figure_value, item.figure_as_of)
        if figure in seen:
            continue
        seen.add(figure)
        groups.setdefault(key, []).append(item)
    return [
        FigureGroup(quantity=quantity, unit=unit, figures=figures)
        for (quantity, unit), figures in groups.items()
        if len(figures) >= 2
    ]


# --- The API's reads (claims/api/) -------------------------------------------------
# Anonymous clients get the public selectors above; newsroom staff (who may view
# claims) can ask for unpublished work too, with everything prefetched the same way.


def claims_for_listing(user: User | None = None) -> ClaimQuerySet:
    """List rows of every claim `user` may see: public ones for readers, every
    claim for newsroom staff (`Claim.objects.visible_to`)."""
    return with_repetitions(
        Claim.objects.visible_to(user)
        .select_related(*CLAIM_LIST_RELATED)
        .prefetch_related("topics")
        .order_by(F("published_at").desc(nulls_last=True), "-created_at", "-pk")
    )


def newsroom_claim_queryset() -> ClaimQuerySet:
    """Every claim with what the newsroom's API detail shows, pending work
    included (appearances and evidence not yet public, the verdict in progress,
    a pending correction), in a number of queries that does not grow."""
    return (
        with_repetitions(Claim.objects.all())
        .select_related(*CLAIM_LIST_RELATED, "parent", "assigned_to", "created_by")
        .prefetch_related(
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
                queryset=Evidence.objects.select_related("source__publisher").order_by(
                    "stance", "pk"
                ),
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


def repetitions_among(claim: Claim, appearances: Iterable[Appearance]) -> int:
    """`repetitions_since_rating()` counted in Python over the claim's loaded
    published appearances (the day in the current time zone, as the database's
    `__date` reads it)."""
    if claim.published_at is None:
        return 0
    rated_on = timezone.localdate(claim.published_at)
    return sum(1 for item in appearances if item.appeared_on and item.appeared_on > rated_on)


def with_repetitions(queryset: ClaimQuerySet) -> ClaimQuerySet:
    """Annotate `repetitions_since_rating` (one subquery, no extra query)."""
    return queryset.annotate(repetitions_since_rating=repetitions_since_rating())


# --- Choices that depend on who asks -------------------------------------------------


def claimants_visible_to(user: User | None) -> QuerySet[Claimant]:
    """Every claimant for newsroom staff; for everyone else, only those the
    public record names (a name known only from a draft stays private)."""
    if sees_unpublished_work(user):
        return Claimant.objects.order_by("name")
    return public_claimants()


def topics_visible_to(user: User | None) -> QuerySet[Topic]:
    if sees_unpublished_work(user):
        return Topic.objects.order_by("name")
    return public_topics()
