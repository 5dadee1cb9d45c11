"""Word search on PostgreSQL: full-text search over `Claim.search_vector`,
ranked in a RUM index where the server has one (see `claims.search`)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

from django.contrib.postgres.search import SearchQueryField
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.db.models.query import ModelIterable
from django.db.models.sql import Query
from django.db.models.sql.where import WhereNode

from claims.models import Claim
from claims.search.text import MAX_QUERY_LENGTH  # noqa: F401
from sources.models import Language


def tsquery(language: str, query: str, *, syntax: str = "websearch") -> Func:
    """`query` read as PostgreSQL does for a claim in `language` (migration 0006):
    stemmed in that language, accents removed. `syntax` is "websearch" (a
    search box) or "tsquery" (to_tsquery syntax built by the application)."""
    function = "veraz_websearch" if syntax == "websearch" else "veraz_tsquery"
    return Func(Value(language), Value(query), function=function, output_field=SearchQueryField())


def _vector_operator(operator: str, tsquery_expression, output_field) -> Func:
    """`(search_vector <operator> <tsquery>)`."""
    return Func(
        F("search_vector"),
        tsquery_expression,
        template="(%(expressions)s)",
        arg_joiner=f" {operator} ",
        output_field=output_field,
    )


def matches(tsquery_expression) -> Func:
    """`search_vector @@ <tsquery>`: the condition the search indexes serve."""
    return _vector_operator("@@", tsquery_expression, BooleanField())


# The RUM index of migration 0011, where the server has the extension.
RANKED_INDEX = "claim_search_rum"


@dataclass(frozen=True)
class Reading:
    """One way the query reads (a tsquery), and the claim languages that read it so."""

    tsquery: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Readings:
    readings: list[Reading]  # distinct, non-empty
    languages: frozenset[str]  # the claim languages the database holds
    ranked_index: bool  # the RUM index of migration 0011 exists

    @property
    def cover_every_language(self) -> bool:
        return {language for r in self.readings for language in r.languages} == self.languages


def _readings(db: str, query: str) -> Readings:
    """The distinct readings of `query` in the languages of the claims there
    are (one, for many queries: "Boluarte" stems alike in every language), and
    whether the database can rank in its search index. One query to the
    database; a language without claims adds no reading (it could match
    nothing, and every reading costs the index a scan)."""
    with connections[db].cursor() as cursor:
        cursor.execute(
            "SELECT language, veraz_websearch(language, %s)::text, "
            "to_regclass(%s) IS NOT NULL "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS l(language, position) "
            "WHERE EXISTS (SELECT 1 FROM claims_claim c WHERE c.language = l.language) "
            "ORDER BY position",
            [query, RANKED_INDEX, list(Language.values)],
        )
        rows = cursor.fetchall()
    grouped: dict[str, list[str]] = {}
    for language, text, _ranked in rows:
        if text.strip():  # all stop words in this language: nothing to look for
            grouped.setdefault(text, []).append(language)
    return Readings(
        readings=[Reading(text, tuple(languages)) for text, languages in grouped.items()],
        languages=frozenset(row[0] for row in rows),
        ranked_index=bool(rows and rows[0][2]),
    )


def _public_only(queryset: QuerySet) -> bool:
    """Whether `queryset` is filtered to public claims (it holds the conditions
    of `ClaimQuerySet.public()`), so the RUM index, which covers public claims
    only, can serve it."""
    where = queryset.query.where
    if where.connector != "AND" or where.negated:
        return False
    return all(child in where.children for child in Claim.objects.public().query.where.children)


# The order of a search read from the RUM index: by distance only. PostgreSQL 15
# reads an index in distance order only when the ORDER BY is exactly that
# distance (with a tie-breaker it ranks every match again), and equal distances
# come in the index's order, the same on every page while the claims do not
# change. Any other search is ordered by rank, then newest first.
INDEX_ORDER = ("search_distance",)


def _tsquery_literal(text: str) -> Cast:
    return Cast(Value(text), SearchQueryField())


def _search_postgresql(queryset: QuerySet, query: str) -> QuerySet:
    found = _readings(queryset.db, query)
    readings = found.readings
    if not readings:
        return queryset.none()
    # All the readings together: what the index looks up and what ranks.
    combined = _tsquery_literal(" | ".join(f"( {r.tsquery} )" for r in readings))
    before = queryset.query.chain()
    # The stored vector is for the database only; results never carry it.
    queryset = queryset.defer("search_vector").filter(matches(combined))
    if len(readings) > 1 or not found.cover_every_language:
        # Each claim must match the query as read in its own language (a
        # language where the query is all stop words matches nothing): it
        # must not match that reading negated. Said this way round on purpose:
        # the planner cannot estimate a query chosen per row and takes it as
        # rare, and the negation as common, which is the truth here (the
        # combined query above already narrowed the rows), so it keeps reading
        # the ranked index in order instead of ranking every match.
        negated_own_reading = Case(
            *(
                When(
                    language__in=reading.languages,
                    then=_tsquery_literal(f"!( {reading.tsquery} )"),
                )
                for reading in readings
            ),
            output_field=SearchQueryField(),
        )
        queryset = queryset.filter(~Q(matches(negated_own_reading)))
    # Weights A 1.0, B 0.4, C 0.2, D 0.1: one match in the wording outranks any
    # number of matches in the explanation.
    if found.ranked_index:
        # RUM's distance: the inverse of a rank with those weights, read from
        # the positions stored in the index, which returns public matches in
        # that order, so a page of a one-word search reads only its own rows.
        # For one word it is exactly ts_rank; for several it scores each word
        # as ts_rank scores one, and does not add ts_rank's bonus for words
        # standing close together. The same distance orders the newsroom's
        # searches over every claim, which the index does not cover.
        distance = _vector_operator("<=>", combined, FloatField())
        queryset = queryset.alias(search_distance=distance).annotate(
            search_rank=Value(1.0) / F("search_distance")
        )
        if not _public_only(queryset):
            return queryset.order_by("search_distance", "-pk")
        queryset = queryset.order_by(*INDEX_ORDER)
        _read_pages_from_index(queryset, before, found)
        return queryset
    rank = Func(F("search_vector"), combined, function="ts_rank", output_field=FloatField())
    return queryset.annotate(search_rank=rank).order_by("-search_rank", "-pk")


# --- A page of a public search, read from the ranked index -------------------------


@dataclass(frozen=True)
class _IndexPages:
    """What a page of a public search is read from: one ordered scan of the
    ranked index per reading of the query, each over its own languages,
    merged by distance.

    The combined query is right for counting and for anything else, but in one
    ordered scan RUM walks the postings of every word of every reading ("peru
    border soldiers" walks "peru" for a Spanish reading that matches nothing),
    while a reading alone is a plain AND, which it reads much faster.
    """

    before: Query  # the query the search narrowed, without the search
    readings: tuple[Reading, ...]
    by_language: bool  # whether each scan keeps to its reading's languages
    where: WhereNode  # the search's conditions: any later filter turns this off


_INDEX_PAGES = "veraz_index_pages"


def _read_pages_from_index(queryset: QuerySet, before: Query, found: Readings) -> None:
    """Have a page of `queryset` (a slice, as paginators take) read per reading."""
    by_language = len(found.readings) > 1 or not found.cover_every_language
    plan = _IndexPages(before, tuple(found.readings), by_language, queryset.query.where.clone())
    setattr(queryset.query, _INDEX_PAGES, plan)
    queryset._iterable_class = IndexPageIterable


class IndexPageIterable(ModelIterable):
    """The claims of a page of a public search, read per reading from the
    index: over all pages, exactly the claims the queryset's own SQL matches,
    each ranked by its own language's reading.

    Used for a page (a slice) still in the index's order and narrowed by
    nothing added after the search; anything else (a count, `values()`, a
    re-ordering, a further filter) runs the queryset's own SQL as usual.
    """

    def __iter__(self):
        query = self.queryset.query
        plan: _IndexPages | None = getattr(query, _INDEX_PAGES, None)
        if (
            plan is None
            or query.high_mark is None
            or tuple(query.order_by) != INDEX_ORDER
            or query.where != plan.where
            or query.distinct
            or query.combinator
        ):
            yield from super().__iter__()
            return
        yield from _index_page(self.queryset, plan, query.low_mark, query.high_mark)


def _index_scan(queryset: QuerySet, plan: _IndexPages, reading: Reading, stop: int) -> list:
    """The first `stop` (distance, pk) of `reading`, in the index's order."""
    literal = _tsquery_literal(reading.tsquery)
    scan = type(queryset)(model=queryset.model, query=plan.before.chain(), using=queryset.db)
    if plan.by_language:
        scan = scan.filter(language__in=reading.languages)
    scan = (
        scan.filter(matches(literal))
        .annotate(search_distance=_vector_operator("<=>", literal, FloatField()))
        .order_by(*INDEX_ORDER)
        .values_list("search_distance", "pk")
    )
    try:
        sql, params = scan.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return []
    # The limit as a subquery, so the plan does not depend on it: planned for
    # LIMIT 20 and LIMIT 40 the same scan can be an ordered index scan or a
    # bitmap scan and a bounded sort, which return equal distances in
    # different orders. Planned for an unknown limit (PostgreSQL assumes a
    # tenth of the matches) the plan is the same on every page, and it is the
    # ordered scan, which needs no sort.
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"{sql} LIMIT (SELECT %s)", [*params, stop])
        return cursor.fetchall()


def _index_page(queryset: QuerySet, plan: _IndexPages, start: int, stop: int) -> list[Claim]:
    # Each scan comes in the index's order (RUM's distance, as stored in the
    # index: close to, not always equal to, `<=>` recomputed on the row), the
    # same on every page. Merged by distance, ties to the earlier reading, the
    # first N come from the first N of each scan, so pages neither repeat nor
    # skip a claim.
    scans = [_index_scan(queryset, plan, reading, stop) for reading in plan.readings]
    ranked = list(islice(heapq.merge(*scans, key=itemgetter(0)), start, stop))
    if not ranked:
        return []
    # The page's claims, with everything the queryset selects: its own SQL,
    # narrowed to these rows (its prefetches run once the page is read). The
    # scans matched them already, so the conditions are those from before the
    # search (visibility included), and the rank is the scan's.
    rows = queryset._chain()
    setattr(rows.query, _INDEX_PAGES, None)
    rows.query.clear_limits()
    rows.query.clear_ordering(force=True)
    rows.query.where = plan.before.where.clone()
    rows.query.set_annotation_mask(set(rows.query.annotation_select) - {"search_rank"})
    rows = rows.filter(pk__in=[pk for _distance, pk in ranked])
    by_pk = {claim.pk: claim for claim in ModelIterable(rows)}
    claims = []
    for distance, pk in ranked:
        claim = by_pk.get(pk)
        if claim is not None:  # gone from public view between the two reads
            claim.search_rank = 1.0 / distance if distance else 0.0
            claims.append(claim)
    return claims
