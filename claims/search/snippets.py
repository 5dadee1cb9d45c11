"""Excerpts of search results with the matched words in <mark>."""

from __future__ import annotations

import html
from collections.abc import Iterable

from django.db import connections
from django.db.models import (
    Q,
)
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from claims.markup import render_markdown
from claims.models import Appearance, Claim
from claims.search.text import _WORD, MAX_QUERY_LENGTH, fold, folded_words, parse_query

SNIPPET_WORDS = 30
# ts_headline marks matches with these private-use characters, which are
# escaped along with the text and only then turned into <mark> tags.
_MARK_START, _MARK_END = "\ue000", "\ue001"
_HEADLINE_OPTIONS = (
    f'StartSel="{_MARK_START}", StopSel="{_MARK_END}", MaxWords={SNIPPET_WORDS}, '
    "MinWords=15, ShortWord=0"
)


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
