"""Background jobs of the claims app."""

import logging

from celery import shared_task
from django.core.cache import cache

from claims.search import ann, embedding
from claims.search.embedded import CLAIMS, QUOTES, Embedded

logger = logging.getLogger(__name__)

# A file in any of these states is rebuilt; "exact" (too few vectors to need
# one) and "unavailable" (no usearch) are left alone.
REBUILT_WHEN = {"missing", "unreadable", "mismatch", "lagging"}
REFRESH_LOCK = "veraz:refresh-vector-index"
REFRESH_LOCK_SECONDS = 3 * 3600 + 120


@shared_task(soft_time_limit=3 * 3600, time_limit=3 * 3600 + 60)
def refresh_vector_index() -> str:
    """Fold the rows written since each index file (the claims', the
    quotes') was built into it; rebuild it when it is missing, unreadable, of
    another embedder, or lags too far behind (beat, hourly by default). A
    file in step is left alone. Returns what was done to each, e.g.
    "vector index: updated; quote index: ok"."""
    embedder = embedding.get_embedder()
    if embedder is None:
        return "no embedder"
    # One refresh at a time across workers and hosts (Redis): two rebuilds
    # renaming their files into place at once could pair one's sidecar with
    # the other's file. The lock outlives the task's hard time limit.
    if not cache.add(REFRESH_LOCK, "1", timeout=REFRESH_LOCK_SECONDS):
        return "already running"
    try:
        return "; ".join(f"{kind.label}: {_refresh(embedder, kind)}" for kind in (CLAIMS, QUOTES))
    finally:
        cache.delete(REFRESH_LOCK)


def _refresh(embedder, kind: Embedded) -> str:
    status = ann.index_status(embedder.name, kind=kind)
    if status.state == "ok" and status.lag:
        metadata = ann.update_index_file(embedder_name=embedder.name, kind=kind)
        if metadata is not None:
            logger.info("%s: %s newer rows folded in.", kind.label, status.lag)
            return "updated"
    elif status.state not in REBUILT_WHEN:
        return status.state
    metadata = ann.build_index_file(embedder_name=embedder.name, kind=kind)
    logger.info("%s rebuilt (%s): %s vectors.", kind.label, status.state, metadata.count)
    return f"rebuilt ({status.state})"
