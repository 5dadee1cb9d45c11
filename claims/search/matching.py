"""Finding claims that say the same thing as a new one.

Candidates come from two places: the word index (claims sharing the new
wording's rarer words, `claims.search.wording` for how two wordings are
compared) and, when an embedder is configured, the vector index (the claims
whose sentence embeddings are nearest, `claims.search.embedding`), which finds
paraphrases with other words and translations. Every candidate gets both
scores, the word score and a semantic one (the cosine mapped onto the same
scale through `CLAIM_MATCH_COSINE_*`, or `CLAIM_MATCH_COSINE_ACROSS_*` when
the new wording and the claim are in different languages, times the same
penalty for different figures or opposite polarity), and is ranked by the higher of the two; ties go
to the closer wording, so an exact wording ranks first. Without an embedder
only the word score counts, as before.

A claim is often repeated in other words where it appeared: the vectors of
the appearances' quotes are searched too (by exact scan, or through their own
index file, as the claims' are), a quote near the new wording makes its claim
a candidate, and a claim's cosine is the best of its own wording's and its
quotes'.
"""

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, TextField, Value
from django.utils.translation import gettext_lazy as _
from text_to_num import alpha2digit

from claims.models import Appearance, Claim
from claims.search import embedding
from claims.search.embedded import QUOTES
from claims.search.postgres import tsquery
from claims.search.text import Term, fold, folded_words, stem
from claims.search.vocabulary import SYNONYMS
from claims.search.wording import (
    NUMBER_WORD_LANGUAGES,
    disagreement_factor,
    guess_language,
    guess_language_if_clear,
    read_wording,
    trigram_similarity,
    wording_similarity,
)
from claims.search.wording_basics import NEGATORS, STOP_WORDS

POSSIBLE = "possible"
LIKELY = "likely"
LEVEL_LABELS = {POSSIBLE: _("possibly the same claim"), LIKELY: _("very likely the same claim")}

# How many candidates are scored at most.
CANDIDATES = 100
# Content words (and synonyms of each) used to look candidates up in the
# full-text index.
MAX_LOOKUP_WORDS = 8
MAX_ALTERNATIVES = 6


@dataclass(frozen=True)
class SimilarClaim:
    claim: Claim
    score: float
    level: str

    @property
    def is_likely(self) -> bool:
        return self.level == LIKELY

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])


def thresholds() -> tuple[float, float]:
    return settings.CLAIM_MATCH_POSSIBLE, settings.CLAIM_MATCH_LIKELY


def level_for(score: float) -> str | None:
    possible, likely = thresholds()
    if score >= likely:
        return LIKELY
    if score >= possible:
        return POSSIBLE
    return None


# --- Finding similar claims -----------------------------------------------------------


def similar_claims(
    text: str,
    *,
    queryset: QuerySet | None = None,
    limit: int = 10,
    exclude_pk: int | None = None,
    language: str | None = None,
    published_quotes_only: bool = False,
) -> list[SimilarClaim]:
    """Existing claims that probably make the same claim as `text`, best first.

    Only claims at or above the "possible" threshold are returned, each with
    its score and level. `queryset` limits where to look (default: every claim
    not merged into another; pass `Claim.objects.visible_to(user)` for a
    reader); `exclude_pk` leaves out the claim being edited; `language` is the
    new claim's language when known (otherwise guessed from the words).
    """
    text = (text or "").strip()[:500]
    if queryset is None:
        queryset = Claim.objects.all()
    # The cross-language cosines apply only when the wording's language is
    # known (given, or clear from its words): a short Spanish wording guessed
    # as English must not be held to a translation's looser thresholds
    # against Spanish claims.
    known_language = language or guess_language_if_clear(text)
    language = known_language or guess_language(text)
    wording = read_wording(text, language)
    if not wording.tokens or limit <= 0:
        return []
    semantic = _SemanticScore.for_text(text, queryset.db, published_quotes_only)
    found: dict[int, tuple[float, SimilarClaim]] = {}
    seen: set[int] = set()

    def consider(claim: Claim, trigram: float) -> None:
        # Merged duplicates and the claim being edited are left out here,
        # not in SQL: neither condition narrows the search, and both
        # confuse the planner's choice of index.
        if claim.merged_into_id is not None or claim.pk in {exclude_pk, *seen}:
            return
        seen.add(claim.pk)
        other = read_wording(claim.text, claim.language)
        words = wording_similarity(wording, other, trigram)
        across = known_language is not None and claim.language != known_language
        score = max(words, semantic.score(claim, wording, other, across) if semantic else 0.0)
        level = level_for(score)
        if level is not None:
            found[claim.pk] = (words, SimilarClaim(claim, score, level))

    if semantic is not None:
        for claim in semantic.nearest(queryset):
            consider(claim, trigram_similarity(text, claim.text))
    if connections[queryset.db].vendor == "postgresql":
        batches = _candidates_postgresql(queryset, text, language, limit)
    else:
        batches = [_candidates_folded(queryset, text)]
    for scored in batches:
        if semantic is not None:
            semantic.read_cosines(claim for claim, _trigram in scored)
        for claim, trigram in scored:
            consider(claim, trigram)
        if len(found) >= limit:
            break
    ranked = sorted(found.values(), key=lambda r: (-r[1].score, -r[0], -r[1].claim.pk))
    return [result for _words, result in ranked[:limit]]


class _SemanticScore:
    """The new wording's embedding, and how close each candidate's is."""

    def __init__(
        self,
        search: embedding.VectorIndex | embedding.IndexedSearch,
        quotes: embedding.VectorIndex | embedding.IndexedSearch,
        vector,
        using: str,
    ):
        self.search, self.quotes, self.vector, self.using = search, quotes, vector, using
        self._cosines: dict[int, float | None] = {}
        self._quote_cosines: dict[int, float] = {}  # claim id -> its best quote's
        self._quotes_read: set[int] = set()  # claims whose quotes were compared
        # For answers to readers: a quote not yet through review counts for nothing.
        self.published_quotes_only = False

    @classmethod
    def for_text(
        cls, text: str, using: str, published_quotes_only: bool = False
    ) -> "_SemanticScore | None":
        embedder = embedding.get_embedder()
        if embedder is None:
            return None
        [vector] = embedder.embed([text])
        quotes = embedding.vector_search(using, embedder, QUOTES)
        found = cls(embedding.vector_search(using, embedder), quotes, vector, using)
        found.published_quotes_only = published_quotes_only
        return found

    def nearest(self, queryset: QuerySet) -> list[Claim]:
        """The claims of `queryset` among the nearest vectors (of their
        wording or of a quote of theirs), nearest first."""
        k = settings.CLAIM_MATCH_VECTOR_CANDIDATES
        cosines = self.search.nearest(self.vector, k)
        # Below the "possible" cosine only the word score could flag a claim,
        # and the word candidates hold every claim it could flag.
        lowest = min(
            settings.CLAIM_MATCH_COSINE_POSSIBLE, settings.CLAIM_MATCH_COSINE_ACROSS_POSSIBLE
        )
        wanted = {pk for pk, c in cosines.items() if c >= lowest}
        near_quotes = [pk for pk, c in self.quotes.nearest(self.vector, k).items() if c >= lowest]
        if near_quotes:
            # Their present claim and quote: merging moves an appearance, and
            # a quote edited since it was embedded is left out. A claim with
            # a quote among the nearest has its best (current) quote there too.
            rows = self._appearances().filter(pk__in=near_quotes)
            quoted = self.quotes.best_by_claim(
                self.vector, rows.values_list("pk", "claim_id", "quote")
            )
            self._quote_cosines.update(quoted)
            self._quotes_read.update(quoted)
            wanted |= {pk for pk, c in quoted.items() if c >= lowest}
        if not wanted:
            return []
        # `queryset` decides which claims a reader may be shown, whichever
        # vector found them.
        claims = list(queryset.filter(pk__in=wanted))
        self.read_cosines(claims)
        return sorted(claims, key=lambda claim: -(self._cosines[claim.pk] or 0.0))

    def read_cosines(self, claims) -> None:
        """Compare the candidates' stored vectors, and their quotes', with the
        new wording's, in one go, before `score` asks for them one by one: one
        query for their quotes, and one for each kind of stored vector read
        from the database (where an index file is in use; the exact scan
        holds them in memory), so at most three."""
        claims = [claim for claim in claims if claim.pk not in self._cosines]
        found = self.search.cosines(self.vector, claims)
        self._read_quote_cosines([c.pk for c in claims if c.pk not in self._quotes_read])
        for claim in claims:
            both = [found.get(claim.pk), self._quote_cosines.get(claim.pk)]
            self._cosines[claim.pk] = max((c for c in both if c is not None), default=None)

    def _appearances(self) -> QuerySet:
        appearances = Appearance.objects.using(self.using)
        return appearances.published() if self.published_quotes_only else appearances

    def _read_quote_cosines(self, claim_ids: list[int]) -> None:
        self._quotes_read.update(claim_ids)
        if not claim_ids or self.quotes.is_empty():  # no quote embedded: no query
            return
        rows = self._appearances().filter(claim__in=claim_ids)
        self._quote_cosines.update(
            self.quotes.best_by_claim(self.vector, rows.values_list("pk", "claim_id", "quote"))
        )

    def score(self, claim: Claim, wording, other, across: bool) -> float:
        if claim.pk not in self._cosines:
            self.read_cosines([claim])
        cosine = self._cosines[claim.pk]
        if cosine is None:  # not embedded yet, or reworded since
            return 0.0
        factor = disagreement_factor(wording, other)
        return round(score_for_cosine(cosine, across=across) * factor, 4)


def score_for_cosine(cosine: float, *, across: bool = False) -> float:
    """A cosine similarity on the matching score's scale: the cosines in
    settings land on the "possible" and "likely" thresholds, linearly between
    and beyond them (up to 1 at cosine 1, down to 0). `across`: the two
    wordings are in different languages, where a translation's cosine sits
    lower than a paraphrase's, so the `_ACROSS_` cosines apply."""
    if across:
        cosine_possible, cosine_likely = (
            settings.CLAIM_MATCH_COSINE_ACROSS_POSSIBLE,
            settings.CLAIM_MATCH_COSINE_ACROSS_LIKELY,
        )
    else:
        cosine_possible, cosine_likely = (
            settings.CLAIM_MATCH_COSINE_POSSIBLE,
            settings.CLAIM_MATCH_COSINE_LIKELY,
        )
    possible, likely = thresholds()
    if cosine >= cosine_likely:
        slope = (1.0 - likely) / max(1e-9, 1.0 - cosine_likely)
        return min(1.0, likely + (cosine - cosine_likely) * slope)
    slope = (likely - possible) / (cosine_likely - cosine_possible)
    return max(0.0, possible + (cosine - cosine_possible) * slope)


def _unaccent(expression) -> Func:
    return Func(expression, function="veraz_unaccent", output_field=TextField())


@lru_cache(maxsize=1)
def _synonyms_of() -> dict[str, list[str]]:
    """Each synonym, and its English and Spanish stems, to its group's words."""
    alternatives = {}
    for group in SYNONYMS:
        words = group.split()
        for word in words:
            for key in (word, stem(word, "english"), stem(word, "spanish")):
                alternatives.setdefault(key, words[:MAX_ALTERNATIVES])
    return alternatives


_LOOKUP_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+")


def _lookup_words(text: str, language: str) -> list[list[str]]:
    """The wording's content words, longest first, each followed by its
    synonyms, to look up in the wording index.

    Each word is given as written (accents kept, so PostgreSQL reads it, and
    knows its stop words, as in the index); figures written with separators
    ("2.000", "10,000") are left out, because the index holds them as written
    and the score compares figures anyway.
    """
    if language in NUMBER_WORD_LANGUAGES:
        text = alpha2digit(text, language)
    synonyms = _synonyms_of()
    seen, lookup = set(), []
    for written in _LOOKUP_TOKEN.findall(text.lower()):
        word = fold(written)
        if not word.isalnum() or len(word) < 3 or word in STOP_WORDS or word in NEGATORS:
            continue
        if word in seen:
            continue
        seen.add(word)
        alternatives = (
            synonyms.get(word)
            or synonyms.get(stem(word, "english"))
            or synonyms.get(stem(word, "spanish"))
            or [word]
        )
        lookup.append([written, *(a for a in alternatives if a not in {word, written})])
    lookup.sort(key=lambda alternatives: -len(alternatives[0]))
    return lookup


# --- How common each word is (PostgreSQL) -------------------------------------------

# Candidates are looked up by the wording's rarer words: a word (with its
# synonyms) in more than this share of all claims' wording hardly narrows a
# lookup but makes the index read a long list, so it is left out of the lookup
# while enough rarer words remain. The score still counts every word.
COMMON_SHARE = 0.02
MIN_LOOKUP_WORDS = 4

_WORD_SHARES_SQL = """
    WITH stats AS MATERIALIZED (
        SELECT most_common_elems::text::text[] AS lexemes, most_common_elem_freqs AS shares
        FROM pg_stats WHERE tablename = 'claim_text_vector' AND most_common_elems IS NOT NULL
        LIMIT 1
    ),
    listed AS MATERIALIZED (
        SELECT e.lexeme, e.share
        FROM stats, unnest(stats.lexemes, stats.shares) AS e(lexeme, share)
        WHERE e.lexeme IS NOT NULL
    ),
    words AS MATERIALIZED (
        SELECT w.word, tsvector_to_array(veraz_claim_text_vector(%s, w.word)) AS lexemes
        FROM unnest(%s::text[]) AS w(word)
    )
    SELECT w.word, w.lexemes, max(listed.share),
        (SELECT shares[array_length(lexemes, 1) + 1] FROM stats)
    FROM words w
    LEFT JOIN LATERAL unnest(w.lexemes) AS l(lexeme) ON true
    LEFT JOIN listed ON listed.lexeme = l.lexeme
    GROUP BY w.word, w.lexemes
"""


@dataclass(frozen=True)
class IndexedWord:
    lexemes: tuple[str, ...]  # as the wording index holds it; none for a stop word
    share: float  # of all claims' wording holding it, at most


def indexed_words(using: str, language: str, words: list[str]) -> dict[str, IndexedWord]:
    """How the wording index reads each word, and how common it is there.

    The lexemes come from PostgreSQL's own reading in `language` (its stemmer
    and stop words), the shares from its statistics on the index
    (`pg_stats.most_common_elems`, kept by ANALYZE and autovacuum); a word not
    listed there is rarer than the least common listed one. With no
    statistics yet (a new database) every word counts as rare.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(_WORD_SHARES_SQL, [language, words])
        rows = cursor.fetchall()
    return {
        word: IndexedWord(tuple(lexemes or ()), share if share is not None else floor or 0.0)
        for word, lexemes, share, floor in rows
    }


def choose_lookup_words(
    lookup: list[list[str]], indexed: dict[str, IndexedWord]
) -> list[list[str]]:
    """The words (each with its synonyms) to look candidates up by.

    A word the index never holds (a stop word in the claim's language) is
    dropped with its synonyms, and so is any synonym the index never holds.
    Words are taken rarest first, then longest; those in more than
    `COMMON_SHARE` of all claims are left out while at least
    `MIN_LOOKUP_WORDS` rarer ones remain.
    """
    groups = []
    for alternatives in lookup:
        kept = [w for w in alternatives if w in indexed and indexed[w].lexemes]
        if kept and kept[0] == alternatives[0]:
            groups.append((sum(indexed[w].share for w in kept), kept))
    groups.sort(key=lambda group: group[0])  # stable: longest first among equals
    groups = groups[:MAX_LOOKUP_WORDS]
    chosen = [kept for share, kept in groups if share <= COMMON_SHARE]
    if len(chosen) < MIN_LOOKUP_WORDS:
        chosen = [kept for _share, kept in groups[:MIN_LOOKUP_WORDS]]
    return chosen


def _tsquery_text(lookup: list[list[str]], need: int) -> str:
    """Any `need` of the words (each one or a synonym of it)."""
    terms = ["(" + " | ".join(alts) + ")" for alts in lookup]
    clauses = [" & ".join(c) for c in itertools.combinations(terms, need)]
    return " | ".join(f"({c})" for c in clauses)


def tolerant_need(words: int) -> int:
    """How many of the lookup words a paraphrase must share: all but a third
    (a typo or a reworded word or two), all of them when there are two or fewer."""
    return words if words <= 2 else words - max(1, words // 3)


def text_vector_matches(tsquery_expression) -> Func:
    """The wording's vector matches `tsquery_expression`: what the
    `claim_text_vector` index serves (migration 0009)."""
    return Func(
        Func(F("language"), F("text"), function="veraz_claim_text_vector"),
        tsquery_expression,
        template="%(expressions)s",
        arg_joiner=" @@ ",
        output_field=BooleanField(),
    )


def _candidates_postgresql(
    queryset: QuerySet, text: str, language: str, wanted: int
) -> Iterator[list[tuple[Claim, float]]]:
    """Candidates with their trigram similarity, in up to two batches (queries).

    Candidates come from the index on the claims' wording: claims sharing the
    new wording's rarer content words (stemmed in its language, synonyms
    included). Common words are left out of the lookup, so it never reads
    their long posting lists; pg_trgm's similarity is then computed for the
    candidates only. The first batch holds claims with all those words; only
    when it gives fewer than `wanted` matches does a second look for claims
    sharing all but a third of them (a typo, a reworded word). The strict
    batch keeps lookups of much-repeated wordings fast: at a million
    synthetic claims, the tolerant lookup for one of them read 12,000
    candidates where the strict one read a few hundred.

    A trigram index was measured first (60-300 ms for 100,000 claims: the
    trigrams of common words match most rows) and dropped.
    """
    lookup = _lookup_words(text, language)
    if not lookup:
        return
    words = sorted({word for alternatives in lookup for word in alternatives})
    lookup = choose_lookup_words(lookup, indexed_words(queryset.db, language, words))
    if not lookup:
        return
    similarity = Func(
        _unaccent(F("text")),
        _unaccent(Value(text)),
        function="similarity",
        output_field=FloatField(),
    )
    needs = sorted({len(lookup), tolerant_need(len(lookup))}, reverse=True)
    for need in needs:
        # Read in the new wording's language only: a paraphrase is written in
        # the language of the claim it repeats, and one query keeps the plan simple.
        query = tsquery(language, _tsquery_text(lookup, need), syntax="tsquery")
        candidates = (
            queryset.filter(text_vector_matches(query))
            .annotate(trigram=similarity)
            .order_by("-trigram", "-pk")[:CANDIDATES]
        )
        yield [(claim, claim.trigram) for claim in candidates]


def _candidates_folded(queryset, text) -> list[tuple[Claim, float]]:
    patterns = {Term((w,)).pattern for w in folded_words(text) if w not in STOP_WORDS}
    patterns = {p for p in patterns if len(p) > 3}
    if not patterns:
        return []
    condition = Q()
    for pattern in patterns:
        condition |= Q(_folded_text__contains=pattern)
    candidates = (
        queryset.alias(
            _folded_text=Func(F("text"), function="veraz_search_text", output_field=TextField())
        )
        .filter(condition)
        .order_by("-created_at", "-pk")[: settings.CLAIM_MATCH_SQLITE_CANDIDATES]
    )
    return [(claim, trigram_similarity(text, claim.text)) for claim in candidates]
