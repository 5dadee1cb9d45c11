"""Word search on SQLite: the same query syntax, matched on accent- and
case-folded words by prefix, ranked by where the words matched."""

from __future__ import annotations

from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)

from claims.models import Appearance
from claims.search.text import Term, parse_query

# Where a word matched, for ranking on SQLite (PostgreSQL uses ts_rank's A-D).
FIELD_WEIGHTS = {"text": 8, "conclusion": 4, "explanation": 2, "quotes": 2, "claimant": 1}


def _folded(path: str) -> Func:
    return Func(F(path), function="veraz_search_text", output_field=TextField())


_FOLDED_FIELDS = {
    "text": "text",
    "conclusion": "published_verdict__conclusion",
    "explanation": "published_verdict__explanation",
    "claimant": "claimant__name",
}


def _searchable_quotes() -> QuerySet:
    return Appearance.objects.filter(claim=OuterRef("pk")).filter(
        Q(published_at__isnull=False) | Q(claim__published_at__isnull=True)
    )


def _term_matches(term: Term) -> dict[str, Q | Exists]:
    pattern = term.pattern
    quotes = _searchable_quotes().alias(_folded_quote=_folded("quote"))
    return {
        **{name: Q(**{f"_search_{name}__contains": pattern}) for name in _FOLDED_FIELDS},
        "quotes": Exists(quotes.filter(_folded_quote__contains=pattern)),
    }


def _search_folded(queryset: QuerySet, query: str) -> QuerySet:
    groups = parse_query(query)
    if not groups:
        return queryset.none()
    queryset = queryset.alias(
        **{f"_search_{name}": _folded(path) for name, path in _FOLDED_FIELDS.items()}
    )
    condition = Q()
    rank = Value(0)
    for group in groups:
        group_condition = Q()
        for term in group:
            matches = _term_matches(term)
            matched = Q()
            for match in matches.values():
                matched |= match
            group_condition &= ~matched if term.negated else matched
            if not term.negated:
                for name, match in matches.items():
                    rank = rank + Case(
                        When(match, then=Value(FIELD_WEIGHTS[name])),
                        default=Value(0),
                        output_field=IntegerField(),
                    )
        condition |= group_condition
    return queryset.filter(condition).annotate(search_rank=rank).order_by("-search_rank", "-pk")
