"""Word search over claims: the one module behind the public list, the API's
`q` filter and the admin search.

`search_claims(queryset, query)` narrows a queryset (already restricted to what
the user may see) to the claims matching the query, best match first, and
`search_snippets(claims, query)` gives each result a short excerpt with the
matched words in `<mark>`.

What is searched, on both databases: the claim's wording (weighs most), the
published verdict's conclusion, then its explanation and the quotes of the
claim's appearances, then the claimant's name. Quotes count once published, or
all of them while the claim has never been published (then only the newsroom
can see it), so a quote waiting for the next correction never makes a public
fact-check match.

- PostgreSQL: full-text search on `Claim.search_vector`, a weighted tsvector
  built by the database with the claim's language (English, Spanish, ...
  stemming; accents ignored), kept current by triggers and served by a GIN
  index (migration 0006). The query is read like a web search box (`"exact
  phrase"`, `-without`, `or`) in every configured language, so a query needs no
  language of its own; each claim must match it as read in the claim's
  language. Results are ranked with the weights above: where the server has
  the RUM extension (migration 0011) by RUM's distance, and a page of a
  public search is read straight from a RUM index in rank order, one scan per
  reading of the query (`IndexPageIterable`), so a one-word search reads
  about the same rows whether 200 or 20,000 claims match; elsewhere by
  `ts_rank` over every match.
- SQLite (the embedded default): the same query syntax, matched on accent- and
  case-folded words by prefix, each word also tried as its English and Spanish
  stem ("fronteras" finds "frontera"); ranked by where the words matched.
"""

from django.db import connections
from django.db.models import QuerySet

from claims.search.folded import _search_folded
from claims.search.postgres import INDEX_ORDER, RANKED_INDEX, _search_postgresql, matches, tsquery
from claims.search.snippets import search_snippet, search_snippets
from claims.search.text import (
    MAX_QUERY_LENGTH,
    Term,
    fold,
    folded_words,
    parse_query,
    query_terms,
    register_sqlite_functions,
    search_text,
    stem,
)


def search_claims(queryset: QuerySet, query: str) -> QuerySet:
    """The claims of `queryset` that match `query`, best match first.

    Never widens `queryset`: visibility is the caller's. An empty query returns
    `queryset` unchanged; a query with nothing to search for matches nothing.
    The rank is annotated as `search_rank` (higher is better).
    """
    query = (query or "")[:MAX_QUERY_LENGTH]
    if not query.strip():
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, query)
    return _search_folded(queryset, query)


__all__ = [
    "INDEX_ORDER",
    "MAX_QUERY_LENGTH",
    "RANKED_INDEX",
    "Term",
    "fold",
    "folded_words",
    "matches",
    "parse_query",
    "query_terms",
    "register_sqlite_functions",
    "search_claims",
    "search_snippet",
    "search_snippets",
    "search_text",
    "stem",
    "tsquery",
]
