"""Addresses of the objects a page links to, at the cost of a string join.

A claim page links twenty-odd objects (its sources, claimant, topics), and
`django.urls.reverse()` walks the URL resolver for each: half a millisecond of
a page that must render in a few. An object's address is its URL pattern with
its slug in the one variable place, so `reverse_slug()` reverses each pattern
once per language, URL configuration and script prefix, with a placeholder for
the slug, and joins the slug in. For a pattern that takes its one argument
through Django's slug converter (`<slug:slug>`, checked when the pattern is
first reversed) and a slug that converter accepts, the result is the string
`reverse()` returns (tests/test_reverse.py checks
it against reverse() for arbitrary slugs, languages and prefixes); anything
else goes to `reverse()` itself, which raises as it always has.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import (
    NoReverseMatch,
    Resolver404,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
)
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language

# What Django's slug path converter matches: characters reverse() never quotes.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
# A valid slug that no pattern's fixed text contains.
_PLACEHOLDER = "veraz-reverse-slug-placeholder"
# Patterns × languages × URL configurations × script prefixes: a few dozen; the
# script prefix comes from the request's environment, so the number kept is
# bounded all the same (as claims.site.rendering.helpers.layout_part does).
PATTERNS_KEPT = 500

_patterns: dict[tuple, tuple[str, str] | None] = {}
# Addresses of routes without arguments (the methodology, the corrections log).
_fixed: dict[tuple, str] = {}


@receiver(setting_changed)
def _forget_patterns(**kwargs) -> None:
    """A test that changes ROOT_URLCONF, LANGUAGES or the like."""
    _patterns.clear()
    _fixed.clear()


def _split_pattern(viewname: str) -> tuple[str, str] | None:
    """The address of `viewname` before and after its slug, when joining any
    slug in gives what reverse() would: the pattern takes the slug through
    Django's slug converter (`<slug:slug>`), which accepts every string
    `_SLUG` matches and writes it unchanged, and nothing else. None for any
    other pattern (a narrower regex, another converter, more arguments),
    which reverse_slug() then leaves to reverse()."""
    try:
        url = reverse(viewname, kwargs={"slug": _PLACEHOLDER})
    except NoReverseMatch:
        return None
    head, found, tail = url.partition(_PLACEHOLDER)
    if not found or _PLACEHOLDER in tail:
        return None
    # Which route that address reaches, and through which converter.
    prefix = quote(get_script_prefix(), safe=RFC3986_SUBDELIMS + "/~:@")
    if not url.startswith(prefix):
        return None
    try:
        match = resolve("/" + url[len(prefix) :])
    except Resolver404:
        return None
    if match.kwargs != {"slug": _PLACEHOLDER} or "<slug:slug>" not in str(match.route):
        return None
    return head, tail


def reverse_slug(viewname: str, slug: str) -> str:
    """`reverse(viewname, kwargs={"slug": slug})`, the same string, without
    walking the resolver each time."""
    if not isinstance(slug, str) or not _SLUG.match(slug):
        return reverse(viewname, kwargs={"slug": slug})
    key = (viewname, get_language(), get_urlconf(), get_script_prefix())
    try:
        parts = _patterns[key]
    except KeyError:
        parts = _split_pattern(viewname)
        if len(_patterns) >= PATTERNS_KEPT:
            _patterns.clear()
        _patterns[key] = parts
    if parts is None:
        return reverse(viewname, kwargs={"slug": slug})
    return parts[0] + slug + parts[1]


def reverse_fixed(viewname: str) -> str:
    """`reverse(viewname)` for a route that takes no argument: its address
    depends only on the language, the URL configuration and the script
    prefix, so it is reversed once for each."""
    key = (viewname, get_language(), get_urlconf(), get_script_prefix())
    try:
        return _fixed[key]
    except KeyError:
        url = reverse(viewname)  # raises NoReverseMatch, and keeps nothing, as it always has
        if len(_fixed) >= PATTERNS_KEPT:
            _fixed.clear()
        _fixed[key] = url
        return url
