"""What anonymous readers get, shared: reader pages, feeds and the sitemap
(`reader_page`, here) and public API reads (claims/api/etags.py).

An anonymous GET or HEAD is keyed by the publication version
(claims/publication.py), the full URL (scheme, host, path and the query with
its parameters sorted), the language and the representation. Its ETag is a
digest of that key, so a request whose If-None-Match names it is answered 304
before the view runs: no template, no query beyond the version, which the
shared cache holds. Otherwise the response is read from the shared cache
(Django's cache framework: Redis when REDIS_URL is set, local memory in
development), or rendered once and stored there for every reader after.

Never shared: anything for a logged-in user (`private, no-store`), a request
that carries a session or flash messages (the page may show them), a response
that sets a cookie or put the CSRF token in its body, an error, a streaming
response. When the cache cannot be reached (config/cache.py answers as an
empty cache), every request is rendered, as without this module.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.crypto import salted_hmac
from django.utils.http import parse_etags, parse_http_date_safe
from django.utils.translation import get_language

from claims.publication import publication_version
from config import db_router

SAFE_METHODS = {"GET", "HEAD"}
# Headers a 304 repeats from the response it stands for (RFC 9110, 15.4.5).
NOT_MODIFIED_HEADERS = ("Cache-Control", "Content-Location", "ETag", "Expires", "Vary")


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def etag_matches(request, etag: str) -> bool:
    """Whether If-None-Match names `etag` or is `*` (the weak comparison GET
    uses), for a response that exists."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or _opaque(etag) in {_opaque(t) for t in tags}


def not_modified(response_or_headers) -> HttpResponseNotModified:
    answer = HttpResponseNotModified()
    for header in NOT_MODIFIED_HEADERS:
        if header in response_or_headers:
            answer[header] = response_or_headers[header]
    return answer


def uses_cookies(request, response) -> bool:
    """A response that sets a cookie, or whose body holds the CSRF token the
    middleware is about to set as one, belongs to one reader only."""
    return bool(response.cookies) or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def carries_reader_state(request) -> bool:
    """A session or pending flash messages: the page rendered for this reader
    may show them (a "thank you" after a tip), so it is neither read from nor
    written to the shared cache."""
    return any(
        name in request.COOKIES
        for name in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
    )


class SharedResponse:
    """One anonymous request's place in the shared cache: its key and ETag."""

    def __init__(self, request, representation: str = ""):
        self.version = publication_version()
        query = urlencode(sorted(request.GET.lists()), doseq=True)
        identity = "\n".join(
            (
                request.scheme,
                request.get_host(),
                request.path,
                query,
                get_language() or "",
                representation,
            )
        )
        # Keyed with the secret: a client cannot forge the tag of a URL it was
        # never given (a 304 for a page that does not exist).
        digest = salted_hmac("reader-cache", identity, algorithm="sha256").hexdigest()[:32]
        self.key = f"response:{self.version}:{digest}"
        # Hex, so an API object's tag "<pk>.<version>.<core>" stays one that
        # If-Match reads (claims/api/etags.py).
        self.core = salted_hmac(
            "reader-etag", f"{self.version}\n{identity}", algorithm="sha256"
        ).hexdigest()[:24]
        self.etag = f'W/"{self.core}"'

    def etag_for(self, obj=None) -> str:
        """The tag of this response; for a single API object, one that also
        names the object and its version, for If-Match on a later write."""
        return self.etag if obj is None else f'W/"{obj.pk}.{obj.version}.{self.core}"'

    def held_tag(self, request) -> str | None:
        """The tag in If-None-Match that names this version of this URL, if any
        (`*` is not one: nobody knows yet whether the URL answers 200)."""
        for tag in parse_etags(request.headers.get("If-None-Match") or ""):
            if _opaque(tag).strip('"').rsplit(".", 1)[-1] == self.core:
                return tag
        return None

    def lookup(self, request) -> HttpResponse | None:
        """A 304 if the reader holds this version, the stored response if there
        is one, else None (then the view runs)."""
        held = self.held_tag(request)
        if held is not None:
            return not_modified({"ETag": held})
        if not settings.READER_SHARED_CACHE:
            return None
        stored = cache.get(self.key)
        if stored is None:
            return None
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    def store(self, request, response) -> None:
        if (
            settings.READER_SHARED_CACHE
            and response.status_code in (200, 301)
            and not response.streaming
            and not uses_cookies(request, response)
        ):
            stored = (response.status_code, list(response.items()), response.content)
            cache.set(self.key, stored, timeout=settings.READER_SHARED_CACHE_SECONDS)


# Bumped when what a shared_data builder returns changes shape or meaning, so
# that a release does not read the previous release's entries.
SHARED_DATA_FORMAT = 1


def shared_data(builders: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """What each builder returns, kept in the shared cache under the
    publication version and the active language, like the pages built from it.

    For data that every reader's page shows alike, that only a change readers
    can see alters, and that costs more than the page around it (the list
    page's claimant filter names every public claimant: a question that reads
    every public claim). A page that misses the shared cache, such as a
    search, then pays for its own rows only. The version moves on every such
    change, so an entry is not read after one once the cached copy of the
    version has expired (PUBLICATION_VERSION_CACHE_SECONDS), the same bound as
    for pages. Entries are built from the primary, never from a replica that
    may not yet have replayed the change that moved the version. One version
    read and one round trip to the cache for all of them; every page that
    misses builds them (no lock). READER_SHARED_CACHE=0 builds them on every
    call, as it renders every page.
    """
    if not settings.READER_SHARED_CACHE:
        return {name: build() for name, build in builders.items()}
    prefix = f"data:{SHARED_DATA_FORMAT}:{publication_version()}:{get_language() or ''}:"
    found = cache.get_many([prefix + name for name in builders])
    values, missing = {}, {}
    for name, build in builders.items():
        if prefix + name in found:
            values[name] = found[prefix + name]
        else:
            with db_router.primary_reads():
                values[name] = missing[prefix + name] = build()
    if missing:
        cache.set_many(missing, timeout=settings.READER_SHARED_CACHE_SECONDS)
    return values


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def reader_page(view):
    """Caching for pages every anonymous reader sees alike.

    Anonymous GET/HEAD: `Cache-Control: public, max-age`, the shared entry's
    ETag, 304 when the reader's copy is current, and the page from the shared
    cache when it holds it. The publication version in the key and the ETag
    moves on every change readers can see, so an edit that moves no timestamp
    (a rating label, a topic's name) still reaches readers at once.
    Logged-in staff: never cached, and nothing of theirs is stored.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated or carries_reader_state(request):
            return _private(view(request, *args, **kwargs))
        if request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        shared = SharedResponse(request)
        response = shared.lookup(request)
        if response is not None:
            patch_cache_control(response, public=True, max_age=settings.READER_CACHE_MAX_AGE)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code not in (200, 301) or response.streaming:
                return response
            if hasattr(response, "render"):
                response.render()
            if uses_cookies(request, response):
                return _private(response)
            patch_cache_control(response, public=True, max_age=settings.READER_CACHE_MAX_AGE)
            if response.status_code == 200:
                response["ETag"] = shared.etag_for()
            shared.store(request, response)
        if response.status_code != 200:
            return response
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified") or ""),
            response=response,
        )

    return wrapped
