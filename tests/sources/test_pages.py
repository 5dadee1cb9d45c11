"""Reader pages for captured sources: "archived copy (date)" links, gone pages
marked, captured files never served as HTML, ClaimReview keeping the original URL."""

import json

import pytest
from bs4 import BeautifulSoup

from sources.capture import capture_request
from sources.models import CaptureReason, LinkStatus, Source
from tests.factories import make_draft, make_published
from tests.sources.web import article

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured_claim(researcher, editor, web, media, django_capture_on_commit_callbacks):
    claim = make_published(researcher, editor)
    source = claim.appearances.first().source
    Source.objects.filter(pk=source.pk).update(
        url=web.serve("/said", body=article("Said", "It is over. <script>alert(1)</script>"))
    )
    source.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        capture_request(source=source, reason=CaptureReason.REQUESTED)
    source.refresh_from_db()
    return claim, source


def test_claim_page_links_each_cited_source_to_its_archived_copy(client, captured_claim):
    claim, source = captured_claim
    soup = BeautifulSoup(client.get(claim.get_absolute_url()).content, "html.parser")
    links = soup.select("a.archived-copy")
    assert links, "no archived-copy link"
    assert {a["href"] for a in links} == {f"/sources/{source.slug}/archived/"}
    assert all(a.get_text().startswith("archived copy (") for a in links)


def test_archived_copy_page_shows_the_text_escaped(client, captured_claim):
    _claim, source = captured_claim
    response = client.get(f"/sources/{source.slug}/archived/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "It is over." in body
    assert "<script>alert(1)</script>" not in body
    assert source.url in body


def test_captured_files_are_downloads_never_inline_html(client, captured_claim):
    _claim, source = captured_claim
    snapshot = source.snapshots.get()
    response = client.get(f"/sources/{source.slug}/versions/{snapshot.number}/warc/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/warc"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(f"/sources/{source.slug}/versions/{snapshot.number}/html/").status_code == 404
    assert client.get(f"/sources/{source.slug}/versions/{snapshot.number}/pdf/").status_code == 404


def test_a_gone_page_says_so(client, captured_claim):
    claim, source = captured_claim
    Source.objects.filter(pk=source.pk).update(link_status=LinkStatus.GONE)
    for url in (claim.get_absolute_url(), source.get_absolute_url()):
        assert "This page is gone" in client.get(url).content.decode()


def test_claimreview_appearance_keeps_the_original_url(client, captured_claim):
    claim, source = captured_claim
    soup = BeautifulSoup(client.get(claim.get_absolute_url()).content, "html.parser")
    review = json.loads(soup.find("script", type="application/ld+json").string)
    urls = [work["url"] for work in review["itemReviewed"]["appearance"]]
    assert source.url in urls
    assert not any("/archived/" in u for u in urls)


def test_captures_of_sources_only_drafts_cite_are_not_public(
    client, researcher, web, media, django_capture_on_commit_callbacks
):
    from claims import services
    from tests.factories import SourceFactory

    source = SourceFactory(url=web.serve("/secret", body=article("S", "Draft work.")))
    claim = make_draft(researcher)
    services.evidence_create(
        claim=claim, by=researcher, source=source, excerpt="x", stance="refutes"
    )
    with django_capture_on_commit_callbacks(execute=True):
        capture_request(source=source, reason=CaptureReason.REQUESTED)
    assert source.snapshots.exists()
    assert client.get(f"/sources/{source.slug}/archived/").status_code == 404
    assert client.get(f"/sources/{source.slug}/versions/1/warc/").status_code == 404
