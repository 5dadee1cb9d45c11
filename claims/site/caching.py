"""HTTP caching of reader pages."""

from functools import wraps

from django.conf import settings
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe


def reader_page(view):
    """Caching for pages every anonymous reader sees alike.

    Anonymous GET/HEAD: `Cache-Control: public, max-age`, an ETag of the body,
    and 304 when the reader's copy is current. The ETag is taken from the
    rendered page rather than from a timestamp, so an edit that moves no
    timestamp (a rating label, a topic's name) still reaches readers.
    Logged-in staff: never cached.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            return response
        if response.status_code not in (200, 301):
            return response
        patch_cache_control(response, public=True, max_age=settings.READER_CACHE_MAX_AGE)
        if response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render"):
            response.render()
        set_response_etag(response)
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified") or ""),
            response=response,
        )

    return wrapped
