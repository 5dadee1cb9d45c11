"""sources/capture.py and sources/tasks.py, with tasks run eagerly (in-process)
against the local web server."""

import io

import pytest
from django.core.management import call_command
from warcio.archiveiterator import ArchiveIterator

from sources.capture import capture_request
from sources.models import (
    CaptureJob,
    CaptureReason,
    CaptureStatus,
    LinkStatus,
    SnapshotOrigin,
    Source,
)
from sources.normalization import text_sha256
from tests.factories import SourceFactory
from tests.sources.web import article

pytestmark = pytest.mark.django_db

TEXT = "The ministry deployed 180 officers.\nAbout 30 people remain at the border."


def capture(source, reason=CaptureReason.REQUESTED, *, callbacks):
    with callbacks(execute=True):
        job = capture_request(source=source, reason=reason)
    job.refresh_from_db()
    return job


def test_capture_keeps_text_hash_warc_and_fetch_facts(
    web, media, django_capture_on_commit_callbacks
):
    url = web.serve("/report", body=article("Report", TEXT))
    source = SourceFactory(url=url)
    job = capture(source, callbacks=django_capture_on_commit_callbacks)

    assert job.status == CaptureStatus.SUCCEEDED
    assert job.attempts == 1
    snapshot = job.snapshot
    assert snapshot.origin == SnapshotOrigin.CAPTURED
    assert "deployed 180 officers" in snapshot.text
    assert "All rights reserved" not in snapshot.text  # boilerplate left out
    assert snapshot.sha256 == text_sha256(snapshot.text)
    assert snapshot.http_status == 200
    assert snapshot.final_url == url
    assert snapshot.content_type == "text/html"
    assert snapshot.headers["Content-Type"].startswith("text/html")
    with snapshot.warc.open("rb") as f:
        records = [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.http_headers.get_statuscode(),
                r.content_stream().read(),
            )
            for r in ArchiveIterator(io.BytesIO(f.read()))
        ]
    [(rec_type, target, status, payload)] = records
    assert (rec_type, target, status) == ("response", url, "200")
    assert b"deployed 180 officers" in payload

    source.refresh_from_db()
    assert source.snapshot == snapshot.text
    assert source.snapshot_sha256 == snapshot.sha256
    assert source.last_captured_at == snapshot.taken_at
    assert source.link_status == LinkStatus.LIVE
    assert source.retrieved_on is not None


def test_capture_records_the_final_url_after_redirects(
    web, media, django_capture_on_commit_callbacks
):
    final = web.serve("/new-home", body=article("R", TEXT))
    source = SourceFactory(url=web.serve("/old-home", status=301, location="/new-home"))
    job = capture(source, callbacks=django_capture_on_commit_callbacks)
    assert job.snapshot.final_url == final
    assert job.snapshot.requested_url == source.url


def test_a_capture_requested_twice_is_one_capture(web, media, django_capture_on_commit_callbacks):
    source = SourceFactory(url=web.serve("/once", body=article("O", TEXT)))
    with django_capture_on_commit_callbacks(execute=True):
        first = capture_request(source=source, reason=CaptureReason.REQUESTED)
        second = capture_request(source=source, reason=CaptureReason.REQUESTED)
    assert first.pk == second.pk
    assert CaptureJob.objects.count() == 1
    assert source.snapshots.count() == 1
    assert web.pages["/once"].hits == 1


def test_a_redelivered_task_does_nothing_twice(web, media, django_capture_on_commit_callbacks):
    from sources.tasks import capture_source

    source = SourceFactory(url=web.serve("/redeliver", body=article("R", TEXT)))
    job = capture(source, callbacks=django_capture_on_commit_callbacks)
    capture_source.apply(args=[job.pk])
    assert source.snapshots.count() == 1
    assert web.pages["/redeliver"].hits == 1


def test_unchanged_page_captured_again_adds_no_version(
    web, media, django_capture_on_commit_callbacks
):
    source = SourceFactory(url=web.serve("/same", body=article("S", TEXT)))
    first = capture(source, callbacks=django_capture_on_commit_callbacks)
    second = capture(source, callbacks=django_capture_on_commit_callbacks)
    assert second.status == CaptureStatus.SUCCEEDED
    assert second.snapshot == first.snapshot
    assert source.snapshots.count() == 1


def test_transient_failures_are_retried_then_succeed(
    web, media, django_capture_on_commit_callbacks
):
    source = SourceFactory(url=web.serve("/flaky", body=article("F", TEXT), fail_first=2))
    job = capture(source, callbacks=django_capture_on_commit_callbacks)
    assert job.status == CaptureStatus.SUCCEEDED
    assert job.attempts == 3
    assert web.pages["/flaky"].hits == 3


def test_retries_give_up_after_the_last_attempt(web, media, django_capture_on_commit_callbacks):
    from sources.tasks import MAX_RETRIES

    source = SourceFactory(url=web.serve("/down", body=b"", fail_first=99))
    job = capture(source, callbacks=django_capture_on_commit_callbacks)
    assert job.status == CaptureStatus.FAILED
    assert job.attempts == MAX_RETRIES + 1
    assert "503" in job.error
    assert source.snapshots.count() == 0


def test_backoff_is_exponential_and_capped(settings):
    from sources.tasks import backoff_seconds

    settings.SOURCE_CAPTURE_RETRY_BASE_SECONDS = 30
    bases = [30, 60, 120, 240, 480]
    for retries, base in enumerate(bases):
        assert base <= backoff_seconds(retries) <= base * 1.25
    assert backoff_seconds(20) <= 3600 * 1.25


@pytest.mark.parametrize(
    ("page", "error"),
    [
        ({"body": b"x" * 5000}, "larger than"),
        ({"body": b"{}", "content_type": "application/json"}, "application/json"),
        ({"body": b"", "status": 404}, "404"),
    ],
)
def test_permanent_failures_are_not_retried(
    web, media, settings, django_capture_on_commit_callbacks, page, error
):
    settings.SOURCE_FETCH_MAX_BYTES = 1000
    source = SourceFactory(url=web.serve("/bad", **page))
    job = capture(source, callbacks=django_capture_on_commit_callbacks)
    assert job.status == CaptureStatus.FAILED
    assert job.attempts == 1
    assert error in job.error
    assert web.pages["/bad"].hits == 1


def test_slow_pages_fail_after_retries(web, media, settings, django_capture_on_commit_callbacks):
    settings.SOURCE_FETCH_TIMEOUT = 0.3
    source = SourceFactory(url=web.serve("/slow", body=article("S", TEXT), delay=1))
    job = capture(source, callbacks=django_capture_on_commit_callbacks)
    assert job.status == CaptureStatus.FAILED
    assert job.attempts > 1


def test_ssrf_refusal_fails_the_capture_without_retrying(
    web, media, django_capture_on_commit_callbacks
):
    source = SourceFactory(url=web.serve("/evil", status=302, location="http://10.0.0.1/"))
    job = capture(source, callbacks=django_capture_on_commit_callbacks)
    assert job.status == CaptureStatus.FAILED
    assert job.attempts == 1
    assert "10.0.0.1" in job.error


def test_bulk_command_captures_sources_not_yet_captured(
    web, media, capsys, django_capture_on_commit_callbacks
):
    def run(*args):
        # The command runs in autocommit; in a test, commit callbacks wait for this.
        with django_capture_on_commit_callbacks(execute=True):
            call_command("capture_sources", *args)

    captured = SourceFactory(url=web.serve("/one", body=article("1", TEXT)))
    run()
    fresh = SourceFactory(url=web.serve("/two", body=article("2", TEXT + " Two.")))
    SourceFactory(url=None)
    run()
    assert captured.snapshots.count() == 1
    assert fresh.snapshots.count() == 1
    assert web.pages["/one"].hits == 1
    run("--all")
    assert web.pages["/one"].hits == 2
    assert fresh.slug in capsys.readouterr().out


def test_capture_on_url_add_from_the_admin(
    client, superuser, web, media, settings, django_capture_on_commit_callbacks
):
    from tests.factories import PublisherFactory

    settings.SOURCE_CAPTURE_ON_ADD = True
    url = web.serve("/added", body=article("Added", TEXT))
    client.force_login(superuser)
    publisher = PublisherFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/sources/source/add/",
            {
                "title": "Added",
                "slug": "added",
                "publisher": publisher.pk,
                "kind": "news_report",
                "language": "en",
                "url": url,
                "snapshot": "",
                **inline_management("snapshots"),
                **inline_management("capture_jobs"),
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "inline" in response.content.decode()
    source = Source.objects.get(slug="added")
    assert source.snapshots.get().origin == SnapshotOrigin.CAPTURED
    assert source.capture_jobs.get().reason == CaptureReason.ADDED


def test_admin_action_captures_on_demand_and_shows_task_state(
    client, superuser, web, media, django_capture_on_commit_callbacks
):
    source = SourceFactory(url=web.serve("/demand", body=article("D", TEXT)))
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/sources/source/",
            {"action": "capture_now", "_selected_action": [source.pk]},
        )
    job = source.capture_jobs.get()
    assert job.status == CaptureStatus.SUCCEEDED
    listing = client.get("/admin/sources/capturejob/?status=succeeded").content.decode()
    assert source.title in listing
    page = client.get(f"/admin/sources/source/{source.pk}/change/").content.decode()
    assert "Succeeded" in page
    download = client.get(f"/admin/sources/sourcesnapshot/{job.snapshot.pk}/file/warc/")
    assert download["Content-Disposition"].startswith("attachment")


def inline_management(prefix):
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.browser
def test_screenshot_and_pdf_when_configured(
    web, media, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.browser.reader import require_chromium

    settings.SOURCE_CAPTURE_CHROMIUM = str(require_chromium())
    settings.SOURCE_CAPTURE_SCREENSHOTS = True
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The page asks for an internal image: the route guard refuses it and the page still renders.
    body = article("Shot", TEXT).replace(
        b"</article>", b"<img src='http://10.0.0.1/secret.png'></article>"
    )
    source = SourceFactory(url=web.serve("/shot", body=body))
    job = capture(source, callbacks=django_capture_on_commit_callbacks)
    assert job.status == CaptureStatus.SUCCEEDED, job.error
    with job.snapshot.screenshot.open("rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    with job.snapshot.pdf.open("rb") as f:
        assert f.read(5) == b"%PDF-"
