from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.http import HttpResponse, JsonResponse, QueryDict
from django.utils import timezone

from claims.text import clean_text


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is over the limit with 413, before
    anything reads it. (Bodies without a Content-Length are still capped by
    Django's DATA_UPLOAD_MAX_MEMORY_SIZE, which answers 400.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_BODY_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            message = f"The request body is {length} bytes; the limit is {limit} bytes."
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": message, "code": "request_too_large", "errors": {}}, status=413
                )
            return HttpResponse(message, status=413, content_type="text/plain")
        return self.get_response(request)


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CleanTextInputMiddleware:
    """Every submitted form (the admin's above all) reaches its view with the
    characters no stored text may hold removed (`claims.text.clean_text`):
    one place instead of a mixin on every form and inline. NUL is left for
    the forms to refuse with a message. JSON bodies are cleaned by the API's
    parser; query strings are not stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            cleaned = QueryDict(mutable=True, encoding=request.encoding)
            for key, values in request.POST.lists():
                cleaned.setlist(
                    clean_text(key, keep_nul=True),
                    [clean_text(value, keep_nul=True) for value in values],
                )
            cleaned._mutable = False
            request.POST = cleaned
        return self.get_response(request)


# Set by claims/static/claims/admin_timezone.js on every admin page (the login
# page included): the browser's IANA time zone, such as "Europe/Madrid".
TIMEZONE_COOKIE = "veraz_tz"


def browser_timezone(request) -> ZoneInfo | None:
    """The time zone the browser named in its cookie, if it is a real one."""
    name = request.COOKIES.get(TIMEZONE_COOKIE, "")
    if not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None  # a made-up or tampered name: the server's zone, no error


class AdminTimezoneMiddleware:
    """The newsroom's admin shows and reads dates in each user's own time zone.

    Without it Django's date pickers warn "You are 5 hours ahead of server
    time" under every date field of an editor abroad, and a time they type is
    read as the server's. Reader pages stay in the newsroom's TIME_ZONE: they
    are cached per URL, so they must not vary with a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and "admin" in match.namespaces:
            zone = browser_timezone(request)
            if zone is not None:
                timezone.activate(zone)
