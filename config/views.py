"""Process-level endpoints: health checks and the last-resort error pages.

None of these touch templates, sessions or the ORM beyond what they check, so
they keep answering when the database does not.
"""

import datetime
import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache

from config import db_router
from config.cache import cache_status

logger = logging.getLogger(__name__)

UNAVAILABLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable</title></head>
<body><main><h1>We'll be right back</h1>
<p>The fact-checks are temporarily unavailable. Please try again in a minute.</p>
<p lang="es">Los chequeos no están disponibles por un momento. Vuelva a intentarlo en un minuto.</p>
</main></body></html>
"""
ERROR_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title></head>
<body><main><h1>Something went wrong</h1>
<p>We have been told about it. Please try again later.</p>
<p lang="es">Algo salió mal. Ya nos avisaron; vuelva a intentarlo más tarde.</p>
</main></body></html>
"""
RETRY_AFTER_SECONDS = "30"


def favicon(request) -> HttpResponse:
    """The site's icon, for the browsers that ask for /favicon.ico."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def database_unavailable(request) -> HttpResponse:
    if _wants_json(request):
        response = JsonResponse(
            {
                "detail": "The service is temporarily unavailable. Try again shortly.",
                "code": "service_unavailable",
                "errors": {},
            },
            status=503,
        )
    else:
        response = HttpResponse(UNAVAILABLE_HTML, status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, *args, **kwargs) -> HttpResponse:
    """handler500: a database outage is a 503 the load balancer can act on;
    anything else a plain 500. Neither shows a stack trace."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(request)
    if _wants_json(request):
        return JsonResponse(
            {"detail": "Internal server error.", "code": "server_error", "errors": {}}, status=500
        )
    return HttpResponse(ERROR_HTML, status=500)


@never_cache
def healthz(request) -> HttpResponse:
    """Liveness: the process answers. Never touches the database."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request) -> HttpResponse:
    """Readiness: fails while the database is unreachable, so a load balancer
    stops sending readers to this instance. An unreachable shared cache, a
    read replica that is down or behind, or a vector index file that is
    missing or behind (the claims' or the quotes') is reported but does not
    fail it: the site serves without the cache, reads from the primary, and
    matches claims with the exact scan (every node would fail together over a
    derived file that only speeds up suggestions)."""
    cache_line = f"cache: {cache_status()}\n" + _replica_line()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse(
            "database unavailable\n" + cache_line, status=503, content_type="text/plain"
        )
    return HttpResponse(
        "ready\ndatabase: ok\n" + cache_line + _vector_index_lines(), content_type="text/plain"
    )


def _replica_line() -> str:
    """The read replica's state, when there is one. A replica that is down or
    behind does not fail readiness: reads then go to the primary."""
    if not db_router.replica_configured():
        return ""
    status = db_router.replica_health.status()
    line = f"replica: {status.state}"
    if status.lag_seconds:
        line += f" (lag {status.lag_seconds:.1f}s)"
    return line + "\n"


def _vector_index_lines() -> str:
    """Each index file's state (the claims', then the quotes') against the
    stored vectors, when claims are matched by embeddings
    (claims.search.ann.index_status)."""
    from claims.search import ann, embedding
    from claims.search.embedded import CLAIMS, QUOTES

    lines = ""
    for kind in (CLAIMS, QUOTES):
        # Never fails the probe: the index only speeds suggestions up, and every
        # node would fail at once over it. Whatever goes wrong is said and logged.
        try:
            embedder = embedding.get_embedder()
            if embedder is None:
                return ""
            lines += ann.index_status(embedder.name, kind=kind).line + "\n"
        except Exception as error:
            logger.exception("/readyz could not read the %s's state", kind.label)
            lines += f"{kind.label}: unknown ({type(error).__name__})\n"
    return lines


def security_txt(request) -> HttpResponse:
    """RFC 9116: where to report a vulnerability (see SECURITY.md)."""
    expires = timezone.now() + datetime.timedelta(days=180)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.replace(microsecond=0).isoformat()}",
        "Preferred-Languages: en, es",
        f"Policy: {request.build_absolute_uri('/')}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
