"""Text as search reads it: folded words, stems, and a query parsed like a
web search box. Shared by word search and claim matching."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

_WORD = re.compile(r"\w+")
_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


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
