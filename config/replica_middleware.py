"""Decides, per request, whether reads may go to the read replica (config/db_router.py)."""

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

from config import db_router

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Set after a write: this client reads from the primary until it expires, so
# it sees what it just wrote even while the replica is a moment behind.
STICKY_COOKIE = "veraz_primary"
STICKY_SALT = "veraz.replica.read-your-writes"
READ_DB_HEADER = "X-Veraz-Read-DB"


def is_anonymous_reader(request) -> bool:
    """No session and no API token: nobody is logged in, so nothing this
    client sees depends on who it is. Decided from the request alone, before
    any query (a session is itself read from the primary)."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def wrote_recently(request) -> bool:
    return (
        request.get_signed_cookie(
            STICKY_COOKIE,
            default=None,
            salt=STICKY_SALT,
            max_age=settings.REPLICA_STICKY_SECONDS,
        )
        is not None
    )


class ReplicaRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not db_router.replica_configured():
            return self.get_response(request)
        use_replica = (
            is_anonymous_reader(request)
            and not wrote_recently(request)
            and db_router.replica_health.usable(
                needs_position=cache.get(db_router.PRIMARY_LSN_CACHE_KEY)
            )
        )
        tokens = db_router.begin_request(use_replica=use_replica)
        try:
            response = self.get_response(request)
            if request.method not in SAFE_METHODS and response.status_code < 400:
                db_router.remember_primary_write()
                self._stick_to_primary(response)
            if settings.REPLICA_DEBUG_HEADER:
                response[READ_DB_HEADER] = ",".join(sorted(db_router.read_aliases())) or "none"
            return response
        finally:
            db_router.end_request(tokens)

    def process_exception(self, request, exception):
        """The replica went away mid-request: remember it, and answer this
        (safe, read-only) request again from the primary instead of a 503."""
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if not db_router.reads_from_replica():
            return None
        db_router.replica_health.mark_down(exception)
        db_router.read_from_primary()
        match = request.resolver_match
        if match is None:
            return None
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response

    @staticmethod
    def _stick_to_primary(response) -> None:
        response.set_signed_cookie(
            STICKY_COOKIE,
            "1",
            salt=STICKY_SALT,
            max_age=settings.REPLICA_STICKY_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
