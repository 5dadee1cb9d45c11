"""sources/linkcheck.py: live, changed and gone, with dates and backoff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sources import linkcheck
from sources.capture import capture_request
from sources.models import CaptureReason, LinkStatus, Source
from sources.tasks import check_due_links
from tests.factories import make_published
from tests.sources.web import article

pytestmark = pytest.mark.django_db

TEXT = "About 150 migrants remained stranded as of April 26."


@pytest.fixture
def cited(researcher, editor, web, media, django_capture_on_commit_callbacks):
    """A published claim's source, served by the local web server and captured."""
    claim = make_published(researcher, editor)
    source = claim.evidence.first().source
    Source.objects.filter(pk=source.pk).update(url=web.serve("/page", body=article("P", TEXT)))
    source.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        capture_request(source=source, reason=CaptureReason.REQUESTED)
    source.refresh_from_db()
    return source


def no_dns(host, *args, **kwargs):
    import socket

    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def check(source, callbacks):
    with callbacks(execute=True):
        status = linkcheck.link_check(source.pk)
    source.refresh_from_db()
    return status


def test_a_live_unchanged_page_is_checked_less_and_less_often(
    cited, settings, django_capture_on_commit_callbacks
):
    settings.LINK_CHECK_MIN_INTERVAL_HOURS = 24
    settings.LINK_CHECK_MAX_INTERVAL_HOURS = 24 * 8
    intervals = []
    for _ in range(5):
        assert check(cited, django_capture_on_commit_callbacks) == LinkStatus.LIVE
        intervals.append(cited.link_check_interval_hours)
    assert intervals == [48, 96, 192, 192, 192]
    assert cited.link_next_check_at - cited.link_checked_at == timedelta(hours=192)
    assert cited.snapshots.count() == 1


def test_head_then_get(cited, web, django_capture_on_commit_callbacks):
    web.requests.clear()
    check(cited, django_capture_on_commit_callbacks)
    assert [(m, p) for m, p, _ua in web.requests] == [("HEAD", "/page"), ("GET", "/page")]


def test_a_changed_page_is_recaptured_and_the_old_capture_kept(
    cited, web, django_capture_on_commit_callbacks
):
    old = cited.snapshots.get()
    web.serve("/page", body=article("P", TEXT.replace("150", "250")))
    assert check(cited, django_capture_on_commit_callbacks) == LinkStatus.CHANGED
    assert cited.link_status_since is not None
    versions = list(cited.snapshots.order_by("number"))
    assert versions[0] == old and "150" in versions[0].text
    assert "250" in versions[1].text
    assert cited.capture_jobs.filter(reason=CaptureReason.CHANGED).exists()
    # Checked again with nothing new, the page is live again.
    assert check(cited, django_capture_on_commit_callbacks) == LinkStatus.LIVE


@pytest.mark.parametrize("status", [404, 410, 500])
def test_a_page_answering_an_error_is_gone(cited, web, status, django_capture_on_commit_callbacks):
    web.serve("/page", body=b"", status=status)
    before = timezone.now()
    assert check(cited, django_capture_on_commit_callbacks) == LinkStatus.GONE
    assert cited.link_status_since >= before
    assert cited.link_checked_at >= before
    assert cited.link_check_interval_hours == 24
    since = cited.link_status_since
    check(cited, django_capture_on_commit_callbacks)
    assert cited.link_status_since == since  # still gone, since the first time


def test_a_page_that_disappeared_is_gone(cited, web, django_capture_on_commit_callbacks):
    del web.pages["/page"]
    assert check(cited, django_capture_on_commit_callbacks) == LinkStatus.GONE


def test_a_dns_failure_is_gone(cited, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("socket.getaddrinfo", no_dns)
    Source.objects.filter(pk=cited.pk).update(url="http://no-such-host.invalid/page")
    assert check(cited, django_capture_on_commit_callbacks) == LinkStatus.GONE


def test_the_periodic_task_checks_only_cited_links_that_are_due(
    cited, web, django_capture_on_commit_callbacks
):
    from tests.factories import SourceFactory

    SourceFactory(url=web.serve("/uncited", body=article("U", TEXT)))
    # The claim's other source is cited too, with an address no test may visit.
    Source.objects.exclude(pk=cited.pk).update(url=None)
    Source.objects.filter(pk=cited.pk).update(
        link_next_check_at=timezone.now() - timedelta(hours=1)
    )
    web.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert check_due_links.apply().get() == 1
    assert {p for _m, p, _ua in web.requests} == {"/page"}
    with django_capture_on_commit_callbacks(execute=True):
        assert check_due_links.apply().get() == 0  # next check is in the future now


def test_the_admin_lists_sources_by_link_status(
    client, superuser, cited, web, django_capture_on_commit_callbacks
):
    del web.pages["/page"]
    check(cited, django_capture_on_commit_callbacks)
    client.force_login(superuser)
    gone = client.get("/admin/sources/source/?link_status__exact=gone").content.decode()
    live = client.get("/admin/sources/source/?link_status__exact=live").content.decode()
    assert cited.title in gone
    assert cited.title not in live


def test_only_a_status_readers_see_moves_the_publication_version(
    cited, web, django_capture_on_commit_callbacks
):
    """A routine check of a live page leaves every cached reader page valid;
    a page going gone (shown to readers, with its date) invalidates them."""
    from claims.publication import publication_version

    check(cited, django_capture_on_commit_callbacks)  # first check: status and date set
    version = publication_version()
    assert check(cited, django_capture_on_commit_callbacks) == LinkStatus.LIVE
    assert publication_version() == version
    web.serve("/page", body=b"", status=404)
    assert check(cited, django_capture_on_commit_callbacks) == LinkStatus.GONE
    assert publication_version() > version
