"""Anonymous reads from a PostgreSQL read replica; everything else from the primary.

With `DATABASE_REPLICA_URL` set, settings add a `replica` database alias and
`config.replica_middleware.ReplicaRoutingMiddleware` decides, once per
request, whether its reads may go there: an anonymous reader (no session
cookie, no Authorization header) asking with a safe method, who has not
written in the last `REPLICA_STICKY_SECONDS` (read-your-writes), while the
replica is reachable, not lagging, and has replayed the primary's last
write made through the site. Every other read, every write, every migration,
Celery task and management command uses the primary (`default`): outside a
request nothing marks the context, so the router answers `default`.

The replica's health is known per process (`replica_health`) and checked at
most every `REPLICA_CHECK_SECONDS`: a connection error keeps reads on the
primary for `REPLICA_RETRY_SECONDS` (so no request waits on a connect
timeout in between), and so does a replay lag over `REPLICA_MAX_LAG_SECONDS`.
"""

import contextlib
import logging
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
# The primary's WAL position after the last write made through the site, shared
# by every app node through the cache: a replica that has not replayed it yet
# would serve a page from before that write, so reads stay on the primary.
PRIMARY_LSN_CACHE_KEY = "replica:primary-write-lsn"

# Set by the middleware for the request being served; False everywhere else.
_reads_from_replica: ContextVar[bool] = ContextVar("veraz_reads_from_replica", default=False)
# The aliases reads used during the request (for the X-Veraz-Read-DB header).
_read_aliases: ContextVar[set[str] | None] = ContextVar("veraz_read_aliases", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def begin_request(*, use_replica: bool) -> tuple:
    """Mark the current context; returns tokens for `end_request`."""
    return (_reads_from_replica.set(use_replica), _read_aliases.set(set()))


def end_request(tokens: tuple) -> None:
    replica_token, aliases_token = tokens
    _reads_from_replica.reset(replica_token)
    _read_aliases.reset(aliases_token)


def reads_from_replica() -> bool:
    return _reads_from_replica.get()


def read_from_primary() -> None:
    """From now on, this request reads from the primary (replica failed mid-request)."""
    _reads_from_replica.set(False)


@contextlib.contextmanager
def primary_reads():
    """Reads inside the block go to the primary, whatever the request was
    routed to: for data kept for every reader under the current publication
    version (claims.site.caching.shared_data), which a replica that has not
    yet replayed the latest change must not supply."""
    token = _reads_from_replica.set(False)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


def read_aliases() -> set[str]:
    return set(_read_aliases.get() or ())


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = REPLICA if _reads_from_replica.get() and replica_configured() else PRIMARY
        used = _read_aliases.get()
        if used is not None:
            used.add(alias)
        return alias

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same database: an object read from the replica
        # may be related to one read from, or written to, the primary.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def primary_write_position() -> int | None:
    """The primary's current WAL position in bytes (PostgreSQL only)."""
    connection = connections[PRIMARY]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # Flushed, not inserted: the write just committed is flushed, and
        # nothing past the flush position can have reached the replica yet.
        cursor.execute("SELECT (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint")
        return int(cursor.fetchone()[0])


def remember_primary_write() -> None:
    """After a write through the site: readers stay on the primary until the
    replica has replayed it. Called by the middleware after unsafe requests."""
    try:
        position = primary_write_position()
    except DatabaseError:
        logger.warning("Could not read the primary's WAL position", exc_info=True)
        return
    if position is not None:
        # No expiry: a replica that stopped replaying never serves anything
        # written since, however long ago.
        cache.set(PRIMARY_LSN_CACHE_KEY, position, timeout=None)


@dataclass
class ReplicaStatus:
    state: str  # "ok", "down", "lagging", "behind" or "unchecked"
    lag_seconds: float | None = None
    detail: str = ""


class ReplicaHealth:
    """What this process knows about the replica, refreshed at most every
    REPLICA_CHECK_SECONDS (and once more when it may have just caught up)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.down_until = 0.0
        self.checked_at: float | None = None
        self.lag_seconds: float | None = None
        self.replayed: int | None = None
        self.detail = ""

    def mark_down(self, error: object) -> None:
        self.down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        self.checked_at = time.monotonic()
        self.detail = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        logger.warning("Read replica unavailable, reading from the primary: %s", self.detail)
        with contextlib.suppress(DatabaseError):
            connections[REPLICA].close()

    def check(self) -> None:
        """Ask the replica how far it has replayed and how late it is."""
        self.checked_at = time.monotonic()
        connection = connections[REPLICA]
        try:
            with connection.cursor() as cursor:
                if connection.vendor != "postgresql":
                    cursor.execute("SELECT 1")
                    self.replayed, self.lag_seconds = None, 0.0
                else:
                    self.replayed, self.lag_seconds = _replication_position(cursor)
        except DatabaseError as error:
            self.mark_down(error)
            return
        self.down_until = 0.0
        self.detail = ""

    def usable(self, *, needs_position: int | None) -> bool:
        """May a read go to the replica now? `needs_position`: the primary's
        last write through the site, which the replica must have replayed."""
        now = time.monotonic()
        if now < self.down_until:
            return False
        with self._lock:
            due = self.checked_at is None or now - self.checked_at >= settings.REPLICA_CHECK_SECONDS
            if due:
                self.check()
        if now < self.down_until or time.monotonic() < self.down_until:
            return False
        if self.lag_seconds is not None and self.lag_seconds > settings.REPLICA_MAX_LAG_SECONDS:
            return False
        if needs_position is None or self.replayed is None or self.replayed >= needs_position:
            return True
        # Behind the last write: it usually catches up within milliseconds, so
        # ask again now rather than after REPLICA_CHECK_SECONDS.
        if not due:
            self.check()
        return (
            time.monotonic() >= self.down_until
            and self.replayed is not None
            and self.replayed >= needs_position
        )

    def status(self) -> ReplicaStatus:
        """For /readyz: checks now, whatever the interval."""
        self.check()
        if time.monotonic() < self.down_until:
            return ReplicaStatus("down", detail=self.detail)
        if self.lag_seconds is not None and self.lag_seconds > settings.REPLICA_MAX_LAG_SECONDS:
            return ReplicaStatus("lagging", self.lag_seconds)
        needed = cache.get(PRIMARY_LSN_CACHE_KEY)
        if needed is not None and self.replayed is not None and self.replayed < needed:
            return ReplicaStatus("behind", self.lag_seconds)
        return ReplicaStatus("ok", self.lag_seconds)


def _replication_position(cursor) -> tuple[int | None, float]:
    """(replayed WAL position in bytes, seconds of lag) of a PostgreSQL server.

    The lag is the age of the last replayed transaction only while WAL has
    been received but not replayed yet: on an idle primary nothing new is
    replayed and that age grows, though the replica is fully up to date.
    A server not in recovery (a promoted replica, or the primary itself) is
    never behind.
    """
    cursor.execute("SELECT pg_is_in_recovery()")
    if not cursor.fetchone()[0]:
        cursor.execute("SELECT (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint")
        return int(cursor.fetchone()[0]), 0.0
    cursor.execute(
        "SELECT (pg_last_wal_receive_lsn() - '0/0'::pg_lsn)::bigint,"
        " (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint,"
        " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8"
    )
    received, replayed, replay_age = cursor.fetchone()
    if received is None or replayed is None or received <= replayed or replay_age is None:
        return replayed, 0.0
    return replayed, max(0.0, float(replay_age))


replica_health = ReplicaHealth()
