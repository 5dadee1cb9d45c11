"""The one rule for text that comes in from outside, and the JSON reader that
goes with it.

Every input edge (admin forms, API bodies, the ClaimReview importer,
management commands) passes text through `clean_text()`, and every XML
output (feeds, sitemap) does too, so a character that slipped in before
this rule existed cannot break a feed reader.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.text import slugify

# Removed from every text: C0 controls other than tab, newline and carriage
# return (XML 1.0 forbids them, and a form feed or bell in a claim's wording
# is never meant); the bidi embeddings, overrides and isolates, which can make
# a quote read differently from what is stored (Trojan Source); lone UTF-16
# surrogates, which no database encoding can store; and U+FFFE/U+FFFF, which
# XML forbids as well. NUL is in the set: the API and the importer refuse it
# with a message before cleaning (see `contains_nul`).
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)

# JSON bodies and imported documents: deeper than this, or with a number
# longer than this many digits, are refused as a whole. Real ClaimReview
# nests five or six levels and its numbers are ratings.
MAX_JSON_DEPTH = 64
MAX_JSON_NUMBER_DIGITS = 300


_FORBIDDEN_BUT_NUL = re.compile(FORBIDDEN_CHARACTERS.pattern.replace("\x00", "\x01", 1))


def clean_text(value: str, *, keep_nul: bool = False) -> str:
    """`value` without the characters no stored text may hold. `keep_nul`
    leaves NUL for the caller to refuse with a message (Django's form fields
    do: a NUL is never typed, it is a probe)."""
    return (_FORBIDDEN_BUT_NUL if keep_nul else FORBIDDEN_CHARACTERS).sub("", value)


def clean_data(value: Any) -> Any:
    """`clean_text()` over every string (keys too) of parsed JSON."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_data(item) for item in value)
    return value


def contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


class UnreadableJSON(ValueError):
    """The text is JSON Veraz will not read: the message says why, in English
    for logs; callers word their own message for users."""


def _number(text: str, convert):
    if len(text.lstrip("-")) > MAX_JSON_NUMBER_DIGITS:
        raise UnreadableJSON(f"a number has more than {MAX_JSON_NUMBER_DIGITS} digits")
    number = convert(text)
    if number in (float("inf"), float("-inf")):
        raise UnreadableJSON("a number is too large")
    return number


def _refuse_constant(name: str):
    raise UnreadableJSON(f"{name} is not a JSON number")


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


def load_json(text: str | bytes) -> Any:
    """`json.loads()` that refuses, with UnreadableJSON (a ValueError), what
    would break code further on: nesting deeper than MAX_JSON_DEPTH, numbers
    of more than MAX_JSON_NUMBER_DIGITS digits or outside a double's range,
    and NaN/Infinity. Syntax errors stay json.JSONDecodeError."""
    try:
        data = json.loads(
            text,
            parse_int=lambda s: _number(s, int),
            parse_float=lambda s: _number(s, float),
            parse_constant=_refuse_constant,
        )
    except RecursionError:
        raise UnreadableJSON(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise UnreadableJSON(f"nested deeper than {MAX_JSON_DEPTH} levels")
    return data


# Punctuation between words: dashes of every width, slashes, dots, quotes...
_PUNCTUATION = re.compile(r"[^\w\s]+")


def slug_for(text: str) -> str:
    """A URL slug: like Django's slugify, but punctuation between words
    becomes a hyphen instead of vanishing ("Peru–Chile" → "peru-chile", not
    "peruchile")."""
    return slugify(_PUNCTUATION.sub("-", text)).strip("-")
