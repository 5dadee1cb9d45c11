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

from __future__ import annotations

import heapq
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from operator import itemgetter

import snowballstemmer
from django.contrib.postgres.search import SearchQueryField
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.db.models.query import ModelIterable
from django.db.models.sql import Query
from django.db.models.sql.where import WhereNode
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from claims.markup import render_markdown
from claims.models import Appearance, Claim
from sources.models import Language

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

# Where a word matched, for ranking on SQLite (PostgreSQL uses ts_rank's A-D).
FIELD_WEIGHTS = {"text": 8, "conclusion": 4, "explanation": 2, "quotes": 2, "claimant": 1}

SNIPPET_WORDS = 30
# ts_headline marks matches with these private-use characters, which are
# escaped along with the text and only then turned into <mark> tags.
_MARK_START, _MARK_END = "\ue000", "\ue001"
_HEADLINE_OPTIONS = (
    f'StartSel="{_MARK_START}", StopSel="{_MARK_END}", MaxWords={SNIPPET_WORDS}, '
    "MinWords=15, ShortWord=0"
)

_WORD = re.compile(r"\w+")
_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


# --- Text folding and stems (shared with claims.matching) ------------------------


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents: "Perú" -> "peru"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def folded_words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def search_text(value: str | None) -> str:
    """A field as the SQLite matcher sees it: folded words between single spaces.

    The leading space lets a pattern " word" match at the start of any word.
    Registered as the SQL function `veraz_search_text` on SQLite connections.
    """
    if value is None:
        return " "
    return " " + " ".join(folded_words(value)) + " "


@lru_cache(maxsize=8)
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=50_000)
def stem(word: str, language: str) -> str:
    """The Snowball stem of a folded word ("english", "spanish", ...)."""
    return _stemmer(language).stemWord(word)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: give SQLite the folding function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "veraz_search_text", 1, search_text, deterministic=True
        )


# --- Queries ----------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # folded
    negated: bool = False

    @property
    def pattern(self) -> str:
        """What the SQLite matcher looks for in `search_text()` output.

        One word matches by prefix, tried at its shortest stem (of at least
        three letters) so inflections match; a phrase matches as written.
        """
        if len(self.words) > 1:
            return " " + " ".join(self.words)
        word = self.words[0]
        candidates = [word, stem(word, "english"), stem(word, "spanish")]
        return " " + min((c for c in candidates if len(c) >= 3), key=len, default=word)


def query_terms(query: str) -> list[str]:
    words = (query or "")[:MAX_QUERY_LENGTH].split()
    return [w for w in words if w.strip()][:MAX_TERMS]


def parse_query(query: str) -> list[list[Term]]:
    """Read a query like a web search box, as PostgreSQL's websearch_to_tsquery
    does: words must all match, `"a phrase"` matches as written, `-word`
    excludes, and `or` between words offers alternatives.

    Returns alternatives (OR) of terms that must all match (AND).
    """
    groups: list[list[Term]] = [[]]
    count = 0
    for match in _QUERY_TOKEN.finditer((query or "")[:MAX_QUERY_LENGTH]):
        if count >= MAX_TERMS:
            break
        minus, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            if groups[-1]:
                groups.append([])
            continue
        negated = bool(minus) or (bare is not None and bare.startswith("-") and len(bare) > 1)
        words = tuple(folded_words(phrase if phrase is not None else bare))
        if not words:
            continue
        groups[-1].append(Term(words, negated))
        count += 1
    return [group for group in groups if group]


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


# --- Snippets ---------------------------------------------------------------------


def _documents(claims: list[Claim]) -> dict[int, list[str]]:
    """Each claim's searchable texts, in the order a snippet prefers them."""
    ids = [c.pk for c in claims]
    never_published = [c.pk for c in claims if c.published_at is None]
    quotes: dict[int, list[str]] = {}
    if ids:
        rows = (
            Appearance.objects.filter(claim_id__in=ids)
            .filter(Q(published_at__isnull=False) | Q(claim_id__in=never_published))
            .order_by("claim_id", "pk")
            .values_list("claim_id", "quote")
        )
        for claim_id, quote in rows:
            quotes.setdefault(claim_id, []).append(quote)
    documents = {}
    for claim in claims:
        verdict = claim.published_verdict if claim.published_verdict_id else None
        explanation = (
            html.unescape(strip_tags(render_markdown(verdict.explanation))) if verdict else ""
        )
        texts = [
            claim.text,
            verdict.conclusion if verdict else "",
            explanation,
            *quotes.get(claim.pk, []),
        ]
        documents[claim.pk] = [
            t.replace(_MARK_START, "").replace(_MARK_END, "") for t in texts if t and t.strip()
        ]
    return documents


def _marked_to_html(marked: str) -> SafeString:
    return mark_safe(  # noqa: S308 - the text is escaped first; only our markers become tags
        escape(marked).replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>")
    )


def search_snippets(claims: Iterable[Claim], query: str) -> dict[int, SafeString]:
    """A short excerpt per claim, with the words that matched `query` in <mark>.

    The excerpt comes from the first of wording, conclusion, explanation and
    quotes that matches; the claim's wording (no marks) when only the
    claimant's name matched. Text is HTML-escaped; only the <mark> tags are
    markup. A constant number of queries for any number of claims (select the
    claims' `published_verdict` with them to save one).
    """
    claims = list(claims)
    if not claims:
        return {}
    query = (query or "")[:MAX_QUERY_LENGTH]
    documents = _documents(claims)
    by_pk = {c.pk: c for c in claims}
    db = claims[0]._state.db or "default"
    if connections[db].vendor == "postgresql":
        marked = _headlines_postgresql(db, by_pk, documents, query)
    else:
        marked = {pk: _headline_folded(texts, query) for pk, texts in documents.items()}
    return {
        pk: _marked_to_html(marked.get(pk) or _shorten(documents[pk][0] if documents[pk] else ""))
        for pk in by_pk
    }


def search_snippet(claim: Claim, query: str) -> SafeString:
    """`search_snippets` for one claim."""
    return search_snippets([claim], query)[claim.pk]


def _shorten(text: str, words: int = SNIPPET_WORDS) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


def _headlines_postgresql(db, by_pk, documents, query) -> dict[int, str]:
    # A text short enough to show whole is shown whole, every match marked.
    rows = [
        (
            pk,
            position,
            by_pk[pk].language,
            text,
            _HEADLINE_OPTIONS
            + (", HighlightAll=true" if len(text.split()) <= SNIPPET_WORDS else ""),
        )
        for pk, texts in documents.items()
        for position, text in enumerate(texts)
    ]
    if not rows or not query.strip():
        return {}
    # A text matches as in search_claims(); ts_headline re-reads it with words
    # unaccented before stemming, so it is given the query read both ways.
    sql = """
        SELECT d.pk, d.position, d.document,
            ts_headline(
                veraz_search_config(d.language),
                d.document,
                q.query || websearch_to_tsquery(
                    veraz_search_config(d.language), veraz_search_input(%s)
                ),
                d.options
            )
        FROM unnest(%s::bigint[], %s::int[], %s::text[], %s::text[], %s::text[])
            AS d(pk, position, language, document, options),
        LATERAL (SELECT veraz_websearch(d.language, %s) AS query) AS q
        WHERE veraz_unaccent_tsvector(
            to_tsvector(veraz_stem_config(d.language), veraz_search_input(d.document))
        ) @@ q.query
        ORDER BY d.pk, d.position
    """
    columns = list(zip(*rows, strict=True))
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [query, *(list(c) for c in columns), query])
        results = cursor.fetchall()
    headlines: dict[int, str] = {}
    for pk, _position, document, headline in results:
        if pk in headlines or _MARK_START not in headline:
            continue
        shown = folded_words(headline.replace(_MARK_START, "").replace(_MARK_END, ""))
        whole = folded_words(document)
        text = headline.strip()
        if shown[:1] != whole[:1]:
            text = "… " + text
        if shown[-1:] != whole[-1:]:
            text = text + " …"
        headlines[pk] = text
    return headlines


def _headline_folded(texts: list[str], query: str) -> str | None:
    patterns = [
        t.pattern.strip().split(" ") for group in parse_query(query) for t in group if not t.negated
    ]
    for text in texts:
        spans = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
        words = [word for _start, _end, word in spans]
        hits = set()
        for pattern in patterns:
            if len(pattern) == 1:
                hits.update(i for i, word in enumerate(words) if word.startswith(pattern[0]))
                continue
            for i in range(len(words) - len(pattern) + 1):
                window = words[i : i + len(pattern)]
                if window[:-1] == pattern[:-1] and window[-1].startswith(pattern[-1]):
                    hits.update(range(i, i + len(pattern)))
        if not hits:
            continue
        first = max(0, min(hits) - 8)
        window = spans[first : first + SNIPPET_WORDS]
        whole_end = first + SNIPPET_WORDS >= len(spans)
        out, cursor = [], 0 if first == 0 else window[0][0]
        for index, (start, end, _word) in enumerate(window, start=first):
            if index in hits:
                out.append(text[cursor:start] + _MARK_START + text[start:end] + _MARK_END)
                cursor = end
        out.append(text[cursor:] if whole_end else text[cursor : window[-1][1]])
        snippet = "".join(out).strip()
        if first > 0:
            snippet = "… " + snippet
        if not whole_end:
            snippet += " …"
        return snippet
    return None
