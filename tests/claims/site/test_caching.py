"""Caching for readers: public, revalidated with ETags (304), cookie-free; never
cached for logged-in staff."""

import pytest

from claims import services
from claims.models import Rating
from tests.claims.site.builders import publish_claim

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/claims/",
    "/claims/?q=migrant&rating=half-true",
    "/claims/migrant-crisis-overcome/",
    "/claims/migrants-tried-to-force-border-crossing/",
    "/claimants/ignacio-higueras/",
    "/topics/migration/",
    "/sources/biobiochile-border-patrols/",
    "/corrections/",
    "/methodology/",
    "/about/",
    "/contact/",
    "/feeds/fact-checks.rss",
    "/feeds/fact-checks.atom",
    "/feeds/topics/migration.rss",
    "/feeds/claimants/ignacio-higueras.atom",
    "/sitemap.xml",
    "/robots.txt",
]
ALL_URLS = PUBLIC_URLS + [
    "/es" + u for u in PUBLIC_URLS if u not in ("/sitemap.xml", "/robots.txt")
]


@pytest.mark.parametrize("url", ALL_URLS)
def test_anonymous_readers_get_cacheable_pages_and_no_cookie(demo, client, settings, url):
    settings.READER_CACHE_MAX_AGE = 120
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response
    cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=120"}
    assert response["ETag"]
    # Pages differ for staff, so shared caches must key on the cookie.
    assert "Cookie" in response["Vary"]
    revalidated = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert not revalidated.cookies


def test_a_changed_page_gets_a_new_etag_even_when_no_timestamp_moves(demo, client, superuser):
    first = client.get("/claims/migrant-crisis-overcome/")
    # Through the service, as an administrator does in the admin: a direct UPDATE is
    # no door to the record and moves no publication version.
    services.record_update(
        record=Rating.objects.get(slug="half-true"),
        by=superuser,
        data={"label": "Half-true (renamed)"},
    )
    second = client.get("/claims/migrant-crisis-overcome/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert b"Half-true (renamed)" in second.content


def test_a_published_correction_changes_the_etag(researcher, editor, editor2, client):
    claim = publish_claim(researcher, editor)
    url = claim.get_absolute_url()
    first = client.get(url)
    correction = services.correction_propose(
        claim=claim, by=editor, kind="update", note="We added context."
    )
    # Proposing moves the claim's version, which anonymous API tags name (for
    # If-Match), so it moves the publication version too: readers fetch the
    # page once more, and it does not show the proposal.
    proposed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert b"We added context." not in proposed.content
    assert client.get(url, HTTP_IF_NONE_MATCH=proposed["ETag"]).status_code == 304
    services.correction_publish(correction=correction, by=editor2)
    published = client.get(url, HTTP_IF_NONE_MATCH=proposed["ETag"])
    assert published.status_code == 200
    assert b"We added context." in published.content


def test_feeds_also_answer_if_modified_since(demo, client):
    response = client.get("/feeds/fact-checks.rss")
    assert response["Last-Modified"]
    again = client.get("/feeds/fact-checks.rss", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.parametrize("url", ["/", "/claims/migrant-crisis-overcome/", "/feeds/fact-checks.rss"])
def test_logged_in_staff_never_get_a_cached_page(demo, client, editor, url):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store", "no-cache"} <= cache_control
    assert "public" not in cache_control
    assert client.get(url, HTTP_IF_NONE_MATCH=response.get("ETag", '"x"')).status_code == 200


def test_staff_see_a_link_to_the_claim_in_the_admin(demo, client, editor):
    client.force_login(editor)
    response = client.get("/claims/migrant-crisis-overcome/")
    assert b"/admin/claims/claim/" in response.content
    client.logout()
    assert b"/admin/" not in client.get("/claims/migrant-crisis-overcome/").content


def test_errors_are_not_marked_cacheable(demo, client):
    for url in ("/claims/no-such-claim/", "/claims/?rating=nonsense"):
        response = client.get(url)
        assert response.status_code in (400, 404)
        assert "public" not in response.get("Cache-Control", "")
        assert not response.cookies
