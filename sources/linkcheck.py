"""Link rot: is each cited page still there, and still saying the same thing?

A check asks with HEAD first (cheap, and enough to see a page is gone; a GET
confirms, since some servers answer HEAD wrongly), then GETs the page and
compares its main text's hash with the newest capture. Live and unchanged,
the next check waits twice as long (up to LINK_CHECK_MAX_INTERVAL_HOURS);
changed, the page is captured again, keeping the old version; gone (4xx, 5xx,
no DNS answer, no connection), the reader pages say so.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from claims.publication import publication_changed
from claims.services.base import service
from sources.capture import capture_request, extract_text
from sources.fetching import FetchError, fetch
from sources.models import CaptureReason, LinkStatus, SnapshotOrigin, Source, SourceSnapshot
from sources.normalization import text_sha256


def cited_sources():
    from claims.models import Appearance, Evidence

    return Source.objects.filter(url__isnull=False).filter(
        Exists(Evidence.objects.filter(source=OuterRef("pk")))
        | Exists(Appearance.objects.filter(source=OuterRef("pk")))
    )


def links_due(now=None) -> list[int]:
    now = now or timezone.now()
    return list(
        cited_sources()
        .filter(Q(link_next_check_at__isnull=True) | Q(link_next_check_at__lte=now))
        .order_by("link_next_check_at", "pk")
        .values_list("pk", flat=True)[: settings.LINK_CHECK_BATCH]
    )


def _probe(url: str):
    """The GET response for a page that answers, or None when it is gone.

    No DNS answer or no connection on HEAD is final; an error status on HEAD
    is confirmed by the GET that a live page needs anyway for its text.
    """
    try:
        fetch(url, method="HEAD")
        page = fetch(url)
    except FetchError:
        return None
    return page if page.status < 400 else None


@service(atomic=False, public=False)
def link_check(source_id: int) -> str | None:
    """Check one source's URL now and record live, changed or gone with dates."""
    source = Source.objects.filter(pk=source_id, url__isnull=False).first()
    if source is None:
        return None
    page = _probe(source.url)
    now = timezone.now()
    if page is None:
        status = LinkStatus.GONE
    else:
        latest_capture = (
            SourceSnapshot.objects.filter(source=source, origin=SnapshotOrigin.CAPTURED)
            .order_by("-number")
            .first()
        )
        try:
            text = extract_text(page)
        except FetchError:
            text = ""
        if latest_capture is None:
            status = LinkStatus.LIVE
            capture_request(source=source, reason=CaptureReason.ADDED)
        elif text_sha256(text) == latest_capture.sha256:
            status = LinkStatus.LIVE
        else:
            status = LinkStatus.CHANGED
            capture_request(source=source, reason=CaptureReason.CHANGED)
    _record(source, status, now)
    return status


def _record(source: Source, status: str, now) -> None:
    low = settings.LINK_CHECK_MIN_INTERVAL_HOURS
    high = settings.LINK_CHECK_MAX_INTERVAL_HOURS
    stable = status == LinkStatus.LIVE and source.link_status == LinkStatus.LIVE
    interval = min(max(source.link_check_interval_hours * 2, low), high) if stable else low
    updates = {
        "link_status": status,
        "link_checked_at": now,
        "link_check_interval_hours": interval,
        "link_next_check_at": now + timedelta(hours=interval),
    }
    if status != source.link_status or source.link_status_since is None:
        updates["link_status_since"] = now
        # Readers see a source's status and its date, not each routine check.
        publication_changed()
    Source.objects.filter(pk=source.pk).update(**updates)
