"""Issue 13, sources part: a source's text versions (sources.models.SourceSnapshot).

Once cited, a source's stored text is immutable; a recapture adds a version
and every quote and excerpt keeps pointing at the version it was verified
against; hashes are over normalised text, so an unchanged save keeps them.
"""

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from claims import services
from sources.capture import capture_request
from sources.models import CaptureReason, SnapshotOrigin, Source, SourceSnapshot, SourceTextLocked
from sources.normalization import normalize_snapshot_text, text_sha256
from tests.factories import SourceFactory, make_draft, make_published
from tests.formdata import form_data
from tests.sources.web import article

pytestmark = pytest.mark.django_db

V1 = "The Interior Ministry reported 180 national police personnel.\nAbout 30 foreigners remain."
V2 = "The Interior Ministry reported 250 national police personnel.\nAbout 30 foreigners remain."


@pytest.fixture
def quoted(researcher):
    """A source with entered text (version 1) and evidence verified against it."""
    source = SourceFactory(snapshot=V1, url=None)
    claim = make_draft(researcher)
    evidence = services.evidence_create(
        claim=claim,
        by=researcher,
        source=source,
        excerpt="180 national police personnel",
        stance="refutes",
    )
    return source, evidence


def test_hash_is_over_normalised_text():
    crlf = "Line one  \r\nLine two\t\r\n\r\n"
    assert normalize_snapshot_text(crlf) == "Line one\nLine two"
    nfd = unicodedata.normalize("NFD", "Pérez")
    assert text_sha256(nfd) == text_sha256("Pérez")
    assert text_sha256(crlf) == text_sha256("Line one\nLine two")


def test_every_text_is_a_version_and_evidence_points_at_it(quoted):
    source, evidence = quoted
    [version] = source.snapshots.all()
    assert (version.number, version.origin, version.text) == (1, SnapshotOrigin.ENTERED, V1)
    assert version.sha256 == source.snapshot_sha256
    assert evidence.snapshot == version


def test_an_unchanged_save_from_a_browser_keeps_the_hash(client, superuser, quoted):
    source, _evidence = quoted
    before = source.snapshot_sha256
    client.force_login(superuser)
    url = f"/admin/sources/source/{source.pk}/change/"
    data = form_data(client.get(url), form_id="source_form")
    # Browsers submit textareas with CRLF line endings.
    data["snapshot"] = data["snapshot"].replace("\n", "\r\n") + "  \r\n"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    source.refresh_from_db()
    assert source.snapshot_sha256 == before
    assert source.snapshots.count() == 1


def test_a_cited_sources_text_cannot_be_rewritten_in_the_admin(
    client, superuser, quoted, unchanged_database
):
    source, _evidence = quoted
    client.force_login(superuser)
    url = f"/admin/sources/source/{source.pk}/change/"
    data = form_data(client.get(url), form_id="source_form")
    data["snapshot"] = V2
    with unchanged_database():
        response = client.post(url, data)
    assert response.status_code == 200
    assert "its stored text cannot be rewritten" in response.content.decode()


def test_a_published_sources_figure_cannot_be_rewritten_under_its_quotes(
    researcher, editor, unchanged_database
):
    # Issue 13's report: a figure of 180 rewritten to 250 under published quotes.
    source = SourceFactory(snapshot=V1)
    claim = make_draft(researcher)
    services.evidence_create(
        claim=claim, by=researcher, source=source, excerpt="180 national police", stance="refutes"
    )
    source.snapshot = V2
    with unchanged_database(), pytest.raises(ValidationError, match="cannot be rewritten"):
        source.full_clean()
    with unchanged_database(), pytest.raises(SourceTextLocked):
        source.save()
    assert claim.pk


def test_the_api_cannot_rewrite_a_sources_text(client, superuser, quoted, unchanged_database):
    source, _evidence = quoted
    client.force_login(superuser)
    with unchanged_database():
        for method in (client.patch, client.put):
            response = method(
                f"/api/v1/sources/{source.slug}/",
                {"snapshot": V2},
                content_type="application/json",
            )
            assert response.status_code == 405
            assert response.json()["code"] == "method_not_allowed"


def test_an_uncited_sources_text_can_change_and_keeps_its_old_version():
    source = SourceFactory(snapshot=V1)
    source.snapshot = V2
    source.save()
    assert list(source.snapshots.order_by("number").values_list("text", flat=True)) == [V1, V2]


def test_a_snapshot_is_immutable(quoted):
    source, _evidence = quoted
    version = source.snapshots.get()
    version.text = V2
    with pytest.raises(ValidationError):
        version.save()
    assert SourceSnapshot.objects.get(pk=version.pk).text == V1


def test_a_recapture_keeps_the_old_snapshot_and_the_excerpts_pointer(
    researcher, web, media, django_capture_on_commit_callbacks
):
    url = web.serve("/ministry", body=article("Ministry", V1))
    source = SourceFactory(url=url)
    with django_capture_on_commit_callbacks(execute=True):
        capture_request(source=source, reason=CaptureReason.REQUESTED)
    [first] = source.snapshots.all()
    claim = make_draft(researcher)
    evidence = services.evidence_create(
        claim=claim, by=researcher, source=source, excerpt="180 national police", stance="refutes"
    )
    assert evidence.snapshot == first

    web.serve("/ministry", body=article("Ministry", V2))  # the page changed
    with django_capture_on_commit_callbacks(execute=True):
        capture_request(source=source, reason=CaptureReason.CHANGED)

    second = source.snapshots.order_by("-number").first()
    assert second.number == 2 and "250 national police" in second.text
    first.refresh_from_db()
    assert "180 national police" in first.text and first.sha256 == text_sha256(first.text)
    evidence.refresh_from_db()
    assert evidence.snapshot == first
    evidence.full_clean()  # still verified: against the text it was checked against
    source.refresh_from_db()
    assert source.snapshot == second.text

    # New evidence is checked against the newest text, and pinned to it.
    with pytest.raises(ValidationError):
        services.evidence_create(
            claim=claim,
            by=researcher,
            source=source,
            excerpt="180 national police",
            stance="refutes",
        )
    newer = services.evidence_create(
        claim=claim, by=researcher, source=source, excerpt="250 national police", stance="refutes"
    )
    assert newer.snapshot == second


def test_changing_an_items_source_repins_it(researcher, quoted):
    source, evidence = quoted
    other = SourceFactory(snapshot="Another report: 180 national police personnel.")
    services.evidence_update(
        evidence=evidence, by=researcher, data={"source": other}, expected_version=evidence.version
    )
    evidence.refresh_from_db()
    assert evidence.snapshot == other.snapshots.get()


def test_the_source_page_lists_the_versions(
    client, researcher, editor, web, media, django_capture_on_commit_callbacks
):
    claim = make_published(researcher, editor)
    source = claim.evidence.first().source
    source.snapshot = ""  # factories' sources have no text; give this one versions
    Source.objects.filter(pk=source.pk).update(
        url=web.serve("/v", body=article("V", "Version text."))
    )
    source.refresh_from_db()
    for body in ("First text.", "Second text."):
        web.serve("/v", body=article("V", body))
        with django_capture_on_commit_callbacks(execute=True):
            capture_request(source=source, reason=CaptureReason.REQUESTED)
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Version 1" in page and "Version 2" in page
    old = client.get(f"/sources/{source.slug}/versions/1/").content.decode()
    assert "First text." in old
