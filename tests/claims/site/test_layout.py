"""The layout's parts that hold no data (the header's links, the footer) are
rendered once per process for each language and kind of page, and reused
(claims.site.rendering.helpers.layout_part)."""

import re

import pytest
from django.test.signals import template_rendered
from django.urls import set_script_prefix

from tests.claims.site.reading import page

pytestmark = pytest.mark.django_db

HEADER, FOOTER = "includes/site_header.html", "includes/site_footer.html"


@pytest.fixture(autouse=True)
def every_page_rendered(settings):
    """Pages rendered each time, not served from the reader cache."""
    settings.READER_SHARED_CACHE = False


@pytest.fixture
def rendered():
    """The names of the templates rendered while the test runs."""
    names: list[str] = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def current_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


def test_each_part_is_rendered_once_per_language_and_kind_of_page(demo, client, rendered):
    for _ in range(2):
        assert client.get("/claims/peru-deployed-180-police-border/").status_code == 200
        assert client.get("/claims/migrant-crisis-overcome/").status_code == 200
    assert rendered.count(HEADER) == 1
    assert rendered.count(FOOTER) == 1
    client.get("/es/claims/peru-deployed-180-police-border/")
    client.get("/corrections/")  # another kind of page: its own link is the current one
    assert rendered.count(HEADER) == 3  # its links mark the page the reader is on
    assert rendered.count(FOOTER) == 2  # the same on every kind of page


def test_the_reused_parts_mark_each_page_and_speak_its_language(demo, client):
    for _ in range(2):  # the first render of each part, then the reused one
        assert current_links(client.get("/claims/").content.decode()) == ["/claims/"]
        assert current_links(client.get("/corrections/").content.decode()) == ["/corrections/"]
        assert current_links(client.get("/es/corrections/").content.decode()) == [
            "/es/corrections/"
        ]
        claim_page = client.get("/claims/peru-deployed-180-police-border/").content.decode()
        assert current_links(claim_page) == []
        spanish = page(client.get("/es/claims/peru-deployed-180-police-border/"))
        footer = spanish.find("footer", class_="site-footer")
        assert "Corrections log" not in footer.get_text()
        assert all(a["href"].startswith("/es/") for a in footer.find_all("a"))
        english = page(client.get("/claims/peru-deployed-180-police-border/"))
        footer = english.find("footer", class_="site-footer")
        assert "Corrections log" in footer.get_text()
        assert not any(a["href"].startswith("/es/") for a in footer.find_all("a"))


def test_a_changed_setting_is_seen_at_once(demo, client, settings):
    client.get("/about/")
    settings.NEWSROOM_NAME = "Verificador Lima"
    html = client.get("/about/").content.decode()
    assert '<a class="site-name" href="/">Verificador Lima</a>' in html
    assert "Verificador Lima publishes a verdict only after" in html


def test_with_debug_on_each_page_renders_its_parts_afresh(demo, client, rendered, settings):
    settings.DEBUG = True
    for _ in range(2):
        client.get("/about/")
    assert rendered.count(HEADER) == 2


def test_the_parts_kept_are_bounded_and_follow_the_script_prefix(demo, client, monkeypatch):
    """The script prefix (a site served under a path) is part of their key,
    and it comes from the request's environment: the number kept is bounded."""
    from claims.site.rendering import helpers

    monkeypatch.setattr(helpers, "LAYOUT_PARTS_KEPT", 3)
    try:
        for prefix in ("/a/", "/b/", "/c/", "/d/"):
            set_script_prefix(prefix)  # as the WSGI handler does from SCRIPT_NAME
            html = client.get("/about/").content.decode()
            assert f'<a class="site-name" href="{prefix}">' in html
            assert f'<li><a href="{prefix}contact/">' in html
            assert len(helpers._layout_parts) <= 3
    finally:
        set_script_prefix("/")
