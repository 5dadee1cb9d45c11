"""Capturing a source's page: queue a job, fetch, keep an immutable snapshot.

`capture_request` is the one door (admin, management command, URL added,
link checks); the Celery task in sources/tasks.py runs `capture_run` on the
job. A capture adds a SourceSnapshot version with the extracted main text,
the raw response as a WARC record and, when configured, a screenshot and a
PDF; earlier versions, and the evidence pinned to them, stay as they were.
"""

from __future__ import annotations

import io
import logging
import uuid
from datetime import timedelta

import trafilatura
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claims.services.base import service
from sources.fetching import (
    HTML_TYPES,
    FetchError,
    FetchResult,
    FetchTransient,
    check_url,
    fetch,
    resolve_public_address,
)
from sources.models import (
    CaptureJob,
    CaptureStatus,
    LinkStatus,
    SnapshotOrigin,
    Source,
    SourceSnapshot,
)
from sources.normalization import normalize_snapshot_text, text_sha256

logger = logging.getLogger(__name__)

# Headers that describe the transfer, not the page: the body is stored decoded.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection"}


def captures_run_inline() -> bool:
    """True when no broker is configured: a capture runs in the request."""
    from config.celery import app

    return bool(app.conf.task_always_eager)


@service(atomic=False, public=False)
def capture_request(*, source: Source, reason: str, by=None) -> CaptureJob | None:
    """Queue a capture of `source`'s URL, once the transaction commits.

    Idempotent: while a capture of this source is queued or running, asking
    again returns that job instead of starting a second one.
    """
    if not source.url:
        return None
    with transaction.atomic():
        Source.objects.select_for_update().filter(pk=source.pk).first()
        job = source.capture_jobs.filter(
            status__in=[CaptureStatus.QUEUED, CaptureStatus.RUNNING]
        ).first()
        if job is not None:
            return job
        job = CaptureJob.objects.create(
            source=source,
            reason=reason,
            url=source.url,
            requested_by=by,
            task_id=str(uuid.uuid4()),
        )
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: CaptureJob) -> None:
    from sources.tasks import capture_source

    capture_source.apply_async(args=[job.pk], task_id=job.task_id)


@service(atomic=False, public=False)
def capture_start(job_id: int, attempt: int) -> CaptureJob | None:
    """Mark the job running; None when it already finished (a redelivered task)."""
    with transaction.atomic():
        job = CaptureJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not job.is_open:
            return None
        job.status = CaptureStatus.RUNNING
        job.attempts = attempt
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "attempts", "started_at"])
        return job


@service(atomic=False, public=False)
def capture_note_error(job: CaptureJob, error: Exception, *, final: bool) -> None:
    updates = {"error": str(error)}
    if final:
        updates.update(status=CaptureStatus.FAILED, finished_at=timezone.now())
    CaptureJob.objects.filter(pk=job.pk).update(**updates)


@service(atomic=False)
def capture_run(job: CaptureJob) -> SourceSnapshot:
    """Fetch the job's URL and keep what was found. Raises FetchError."""
    result = fetch(job.url)
    if result.status == 429 or result.status >= 500:
        raise FetchTransient(_("The server answered %(status)s.") % {"status": result.status})
    if result.status >= 400:
        raise FetchError(_("The server answered %(status)s.") % {"status": result.status})
    snapshot = snapshot_from_fetch(job.source, result, by=job.requested_by)
    CaptureJob.objects.filter(pk=job.pk).update(
        status=CaptureStatus.SUCCEEDED, snapshot=snapshot, error="", finished_at=timezone.now()
    )
    return snapshot


def extract_text(result: FetchResult) -> str:
    """The page's main text: trafilatura for HTML, the body itself for plain text."""
    if result.content_type in HTML_TYPES:
        text = trafilatura.extract(
            result.body, favor_recall=True, include_comments=False, include_tables=True
        )
    else:
        text = result.body.decode(result.charset or "utf-8", errors="replace")
    return normalize_snapshot_text(text or "")


def warc_record(result: FetchResult) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = [(k, v) for k, v in result.headers if k.lower() not in _TRANSFER_HEADERS]
    headers.append(("Content-Length", str(len(result.body))))
    http_headers = StatusAndHeaders(
        f"{result.status} {result.reason}".strip(), headers, protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        result.final_url,
        "response",
        payload=io.BytesIO(result.body),
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-IP-Address": result.ip,
            "WARC-Date": result.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )
    writer.write_record(record)
    return buffer.getvalue()


def snapshot_from_fetch(source: Source, result: FetchResult, *, by=None) -> SourceSnapshot:
    """Keep a fetched page as the source's newest version.

    The same text as the newest capture adds nothing (a page checked twice is
    one version); otherwise a new version is added and becomes the source's
    current text, and every earlier one stays.
    """
    text = extract_text(result)
    if not text:
        raise FetchError(_("No text could be extracted from the page."))
    warc = warc_record(result)
    images = render_page(result) if settings.SOURCE_CAPTURE_SCREENSHOTS else {}
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        latest = source.latest_snapshot()
        if latest and latest.is_capture and latest.sha256 == text_sha256(text):
            return latest
        snapshot = SourceSnapshot(
            source=source,
            number=(latest.number + 1) if latest else 1,
            text=text,
            origin=SnapshotOrigin.CAPTURED,
            taken_at=result.fetched_at,
            created_by=by,
            requested_url=result.requested_url,
            final_url=result.final_url,
            http_status=result.status,
            content_type=result.content_type,
            headers=dict(result.headers),
        )
        snapshot.warc.save("response.warc.gz", ContentFile(warc), save=False)
        for name, data in images.items():
            getattr(snapshot, name).save(
                "page.png" if name == "screenshot" else "page.pdf", ContentFile(data), save=False
            )
        snapshot.save()
        source.snapshot = snapshot.text
        source.retrieved_on = timezone.localdate(result.fetched_at)
        source.save()
        now = timezone.now()
        first_check = source.link_status == LinkStatus.UNCHECKED
        Source.objects.filter(pk=source.pk).update(
            last_captured_at=snapshot.taken_at,
            link_checked_at=now,
            **(
                {
                    "link_status": LinkStatus.LIVE,
                    "link_status_since": now,
                    "link_check_interval_hours": settings.LINK_CHECK_MIN_INTERVAL_HOURS,
                    "link_next_check_at": now
                    + timedelta(hours=settings.LINK_CHECK_MIN_INTERVAL_HOURS),
                }
                if first_check
                else {}
            ),
        )
    return snapshot


def render_page(result: FetchResult) -> dict[str, bytes]:
    """A full-page screenshot and PDF of the fetched HTML, from Debian's chromium.

    Chromium renders the body already fetched; every sub-request (images,
    styles) goes through the fetcher's address rules, and scripts are off.
    Failing to render never fails the capture.
    """
    if result.content_type not in HTML_TYPES:
        return {}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        logger.warning("SOURCE_CAPTURE_SCREENSHOTS is on but Playwright is not installed.")
        return {}

    def guard(route):
        if route.request.url == result.final_url:
            return route.fulfill(
                status=200, body=result.body, content_type=result.header("content-type")
            )
        try:
            _scheme, host, port, _path = check_url(route.request.url)
            resolve_public_address(host, port)
        except FetchError:
            return route.abort()
        return route.continue_()

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=settings.SOURCE_CAPTURE_CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            try:
                page = browser.new_page(java_script_enabled=False)
                page.route("**/*", guard)
                page.goto(result.final_url, timeout=settings.SOURCE_FETCH_TIMEOUT * 1000)
                return {
                    "screenshot": page.screenshot(full_page=True),
                    "pdf": page.pdf(),
                }
            finally:
                browser.close()
    except Exception:  # noqa: BLE001 - a missing image must not lose the capture
        logger.exception(
            "Rendering %s failed; the capture is kept without images.", result.final_url
        )
        return {}
