"""Acceptance 4 of issue 16 in a real browser: a claim page's cited links
carry "archived copy (date)", which opens our capture of the page."""

from io import StringIO

import pytest
from django.core.management import call_command

from claims.demo.loader import demo_data, seed_text
from sources.models import Source
from tests.browser.reader import Reader
from tests.sources.web import LocalWeb, article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_claim_page_links_to_archived_copies(chromium, live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO())
    with LocalWeb() as web:
        for spec in demo_data()["sources"]:
            body = article(spec["title"], seed_text(spec["slug"]))
            Source.objects.filter(slug=spec["slug"]).update(
                url=web.serve(f"/{spec['slug']}", body=body)
            )
        call_command("capture_sources", stdout=StringIO())
    Source.objects.filter(slug="cnn-espanol-forced-crossing").update(link_status="gone")

    reader = Reader(chromium, live_server.url)
    page = reader.page
    try:
        page.goto("/claims/peru-deployed-180-police-border/")
        links = page.locator("a.archived-copy")
        assert links.count() >= 2
        assert links.first.inner_text().startswith("archived copy (")
        reader.check()
        reader.screenshot("20-claim-archived-copies")

        links.first.click()
        page.wait_for_url("**/archived/")
        assert page.locator(".kicker").first.inner_text().lower().startswith("archived copy")
        assert "180 national police personnel" in page.locator(".snapshot").inner_text()
        assert page.get_by_role("link", name="Raw response (WARC)").is_visible()
        reader.check()
        reader.screenshot("21-archived-copy")

        page.goto("/sources/cnn-espanol-forced-crossing/")
        assert page.locator(".link-gone").first.is_visible()
        reader.check()
        reader.screenshot("22-source-gone")
    finally:
        reader.close()
