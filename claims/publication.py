"""The publication version: one number that every change a reader can see moves.

Shared cached pages and API responses are keyed by it (claims/site/caching.py),
so nothing needs purging: after a change, every key names a new version and
the old entries are never read again (Redis evicts them, or they expire).

The durable copy is one database row, moved inside the transaction that made
the change; the shared cache holds it for readers, so a cached hit costs no
query. Readers fall back to the row whenever the cache does not hold it (a
flush, an eviction, a restart), and the cached copy lives only a few seconds,
so even a bump the cache missed (Redis unreachable, or one process's local
memory cache in development) reaches every reader within that time.

Only the services call `publication_changed()`: the `@service` decorator
does, for every service that may change what readers see.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from claims.models import PublicationVersion

CACHE_KEY = "publication-version"


def publication_version() -> int:
    """The current version: from the shared cache, else from the database."""
    version = cache.get(CACHE_KEY)
    if version is None:
        version = PublicationVersion.objects.filter(pk=1).values_list("value", flat=True).first()
        version = version or 0
        # add, not set: a concurrent writer's forget must not be overwritten
        # by a value read before its commit for longer than this timeout.
        cache.add(CACHE_KEY, version, timeout=settings.PUBLICATION_VERSION_CACHE_SECONDS)
    return version


def publication_changed() -> None:
    """Record that what readers see changed. Call inside the writing transaction.

    The row moves with the change (committed or rolled back together). The
    cached copy is dropped now, so this connection reads the new value at
    once, and again on commit, so a reader who cached the old value in between
    (while the change was not yet visible) does not keep it.
    """
    if not PublicationVersion.objects.filter(pk=1).update(value=F("value") + 1):
        PublicationVersion.objects.get_or_create(pk=1, defaults={"value": 1})
    _forget()
    transaction.on_commit(_forget)
    from config import db_router  # settings-level module; imported late to keep models light

    if db_router.replica_configured():
        # A change made outside a request (a Celery task, a command) must
        # keep readers off a replica that has not replayed it, as the
        # middleware does after a request's write: else a stale page could
        # be rendered from the replica and cached under the new version.
        transaction.on_commit(db_router.remember_primary_write)


def _forget() -> None:
    cache.delete(CACHE_KEY)
