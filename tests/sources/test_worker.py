"""Acceptance 1 of issue 16 with a real Celery worker: the test starts
`celery -A config worker` on the local Redis (its own database index and
queue), queues captures and a link check through the broker, and stops the
worker at the end. CI needs nothing else running; without Redis the test is
skipped and says why."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from sources.capture import capture_request
from sources.models import CaptureJob, CaptureReason, CaptureStatus, LinkStatus, Source
from tests.factories import SourceFactory, make_published
from tests.sources.web import article

REDIS_URL = os.environ.get("VERAZ_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        reason = f"Redis is not reachable at {REDIS_URL} ({exc}); the real-worker test needs it"
        print(reason)
        pytest.skip(reason)


def worker_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(settings, tmp_path):
    redis_or_skip()
    queue = f"veraz-test-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": worker_database_url(),
        "VERAZ_TEST_CELERY_BROKER": REDIS_URL,
        "VERAZ_TEST_CELERY_QUEUE": queue,
        "VERAZ_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--queues", queue, "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.update(task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue)
    forget_broker_connections()
    try:
        yield process
    finally:
        app.conf.update(saved)
        forget_broker_connections()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.seek(0)
        print(log.read()[-5000:])
        log.close()


def forget_broker_connections():
    """Connections and producers made for the previous broker URL are cached
    on the app (as after a fork, Celery must drop them to use the new one)."""
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(predicate, *, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_captures_retries_and_checks_links(worker, web, researcher, editor):
    url = web.serve("/flaky", body=article("Flaky", "Forty officers patrol."), fail_first=1)
    source = SourceFactory(url=url)
    job = capture_request(source=source, reason=CaptureReason.REQUESTED)
    again = capture_request(source=source, reason=CaptureReason.REQUESTED)
    assert again.pk == job.pk  # a capture requested twice is one capture

    def finished():
        job.refresh_from_db()
        return not job.is_open

    assert wait_for(finished), f"the worker did not finish the job: {job.status}"
    assert job.status == CaptureStatus.SUCCEEDED, job.error
    assert job.attempts == 2  # the 503 was retried after a backoff
    snapshot = job.snapshot
    assert "Forty officers patrol." in snapshot.text
    assert (settings.MEDIA_ROOT / snapshot.warc.name).is_file()
    assert CaptureJob.objects.filter(source=source).count() == 1

    # A link check through the broker: the page disappeared.
    from sources.tasks import check_link

    claim = make_published(researcher, editor)
    cited = claim.evidence.first().source
    Source.objects.filter(pk=cited.pk).update(url=web.url("/vanished"))
    check_link.delay(cited.pk)
    assert wait_for(lambda: Source.objects.get(pk=cited.pk).link_status == LinkStatus.GONE)
    assert worker.poll() is None, "the worker died"
