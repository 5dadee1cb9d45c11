"""Word search over claims: the one module behind the public list, the API's
`q` filter and the admin search.

`search_claims(queryset, query)` narrows a queryset (already restricted to what
the user may see) to claims matching every word of `query`, best match first.
"""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from claims.models import Appearance

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12


def query_terms(query: str) -> list[str]:
    words = (query or "")[:MAX_QUERY_LENGTH].split()
    return [w for w in words if w.strip()][:MAX_TERMS]


def search_claims(queryset: QuerySet, query: str) -> QuerySet:
    """Claims matching every word, ranked: a match in the wording counts most.

    Matches the claim's wording, the published conclusion and explanation,
    appearance quotes and the claimant's name, case-insensitively.
    """
    terms = query_terms(query)
    if not terms:
        return queryset
    for term in terms:
        in_quotes = Appearance.objects.filter(claim=OuterRef("pk"), quote__icontains=term)
        queryset = queryset.filter(
            Q(text__icontains=term)
            | Q(published_verdict__conclusion__icontains=term)
            | Q(published_verdict__explanation__icontains=term)
            | Q(claimant__name__icontains=term)
            | Exists(in_quotes)
        )
    wording_hits = sum(
        (
            Case(
                When(text__icontains=term, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms
        ),
        Value(0),
    )
    return queryset.annotate(search_rank=wording_hits).order_by("-search_rank", "-pk")
