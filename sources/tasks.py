"""Background jobs: capturing sources and checking cited links for rot.

Every task is idempotent. A capture runs on a CaptureJob row, and a job that
already finished is not run again (a message redelivered after a worker died
does nothing twice); a link check only records what it found now.
"""

import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from sources import capture, linkcheck
from sources.fetching import FetchError, FetchTransient

MAX_RETRIES = 4


def backoff_seconds(retries: int) -> int:
    """30 s, 1 min, 2 min, 4 min... at most an hour, with jitter so retries spread."""
    base = min(settings.SOURCE_CAPTURE_RETRY_BASE_SECONDS * 2**retries, 3600)
    return base + random.randint(0, base // 4)  # noqa: S311 - jitter, not security


@shared_task(bind=True, max_retries=MAX_RETRIES, soft_time_limit=120, time_limit=180)
def capture_source(self, job_id: int) -> int | None:
    """Capture the page a CaptureJob names; retried with exponential backoff."""
    job = capture.capture_start(job_id, attempt=self.request.retries + 1)
    if job is None:
        return None
    try:
        return capture.capture_run(job).pk
    except (FetchError, SoftTimeLimitExceeded) as exc:
        error = exc if isinstance(exc, FetchError) else FetchTransient(str(exc) or "time limit")
        final = not error.transient or self.request.retries >= self.max_retries
        capture.capture_note_error(job, error, final=final)
        if final:
            return None
        raise self.retry(exc=error, countdown=backoff_seconds(self.request.retries)) from exc
    except Exception as exc:
        # A bug, not the page: close the job so the next request can run.
        capture.capture_note_error(job, exc, final=True)
        raise


@shared_task(soft_time_limit=60, time_limit=90)
def check_link(source_id: int) -> str | None:
    return linkcheck.link_check(source_id)


@shared_task(soft_time_limit=60, time_limit=90)
def check_due_links() -> int:
    """Beat's periodic task: queue a check for every cited link that is due."""
    due = linkcheck.links_due()
    for source_id in due:
        check_link.delay(source_id)
    return len(due)
