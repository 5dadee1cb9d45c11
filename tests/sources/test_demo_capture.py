"""Acceptance 3 of issue 16: the demo's sources, served as web pages from
127.0.0.1 and captured, give text in which every demo quote and excerpt is found."""

from io import StringIO

import pytest
from django.core.management import call_command

from claims.demo.loader import demo_data, seed_text
from claims.models import Appearance, Evidence
from sources.excerpts import text_contains_excerpt
from sources.models import SnapshotOrigin, Source
from tests.sources.web import article

pytestmark = pytest.mark.django_db


def test_captured_demo_sources_contain_every_quote_and_excerpt(
    web, media, django_capture_on_commit_callbacks
):
    call_command("load_demo", stdout=StringIO())
    for spec in demo_data()["sources"]:
        url = web.serve(f"/{spec['slug']}", body=article(spec["title"], seed_text(spec["slug"])))
        Source.objects.filter(slug=spec["slug"]).update(url=url)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("capture_sources", stdout=StringIO())

    items = [(a.source_id, a.quote, a.snapshot_id) for a in Appearance.objects.all()] + [
        (e.source_id, e.excerpt, e.snapshot_id) for e in Evidence.objects.all()
    ]
    assert len(items) > 10
    for source in Source.objects.filter(slug__in=[s["slug"] for s in demo_data()["sources"]]):
        capture = source.snapshots.get(origin=SnapshotOrigin.CAPTURED)
        assert capture.number == 2  # the entered seed text stays version 1
        for source_id, words, pinned in items:
            if source_id == source.pk:
                assert text_contains_excerpt(capture.text, words), words
                assert pinned == source.snapshots.get(number=1).pk
