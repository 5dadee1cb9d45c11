"""RSS and Atom feeds, sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET

import pytest

from claims import services
from claims.models import Claim

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITE = "http://127.0.0.1:8000"


def rss_items(response):
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


def test_rss_feed_lists_public_fact_checks_newest_first(demo, client):
    channel, items = rss_items(client.get("/feeds/fact-checks.rss"))
    public = list(Claim.objects.public().order_by("-published_at", "-pk"))
    assert [i.findtext("link") for i in items] == [f"{SITE}{c.get_absolute_url()}" for c in public]
    assert channel.findtext("title") == "Veraz: latest fact-checks"
    assert channel.findtext("language") == "en"
    first = next(i for i in items if "180-police" in i.findtext("link"))
    assert (
        first.findtext("title")
        == "Peru has deployed 180 national police officers to its border with Chile."
    )
    assert first.findtext("description").startswith("Rating: Mostly true. Peru sent police")
    assert {c.text for c in first.findall("category")} == {"Border security", "Migration"}
    assert first.findtext("pubDate")


def test_atom_feed_in_spanish_uses_spanish_labels_and_spanish_urls(demo, client):
    response = client.get("/es/feeds/fact-checks.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "Veraz: últimas verificaciones"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == Claim.objects.public().count()
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert all(link.startswith(f"{SITE}/es/claims/") for link in links)
    summaries = [e.findtext(f"{ATOM}summary") for e in entries]
    assert any(s.startswith("Calificación: Mayormente verdadero.") for s in summaries)
    assert all(e.findtext(f"{ATOM}updated") for e in entries)
    self_link = [
        link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"
    ]
    assert self_link == [f"{SITE}/es/feeds/fact-checks.atom"]


def test_topic_and_claimant_feeds_hold_only_their_fact_checks(demo, client):
    _, items = rss_items(client.get("/feeds/topics/crime.rss"))
    assert [i.findtext("link") for i in items] == [
        f"{SITE}/claims/migrants-committing-crimes-peru/"
    ]
    response = client.get("/feeds/claimants/ignacio-higueras.atom")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert len(entries) == 3
    assert client.get("/feeds/topics/no-such-topic.rss").status_code == 404
    # A claimant whose only claim is in review has no feed.
    assert client.get("/feeds/claimants/alberto-van-klaveren.rss").status_code == 404


def test_feed_text_is_escaped_for_readers_that_treat_it_as_html(researcher, editor, client):
    from tests.claims.site.builders import publish_claim

    publish_claim(researcher, editor, text="Less <b>than</b> & more")
    _, items = rss_items(client.get("/feeds/fact-checks.rss"))
    assert items[0].findtext("title") == "Less &lt;b&gt;than&lt;/b&gt; &amp; more"


def test_sitemap_lists_every_public_page_in_both_languages_with_alternates(demo, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urlset = ET.fromstring(response.content)
    entries = {
        u.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in u.findall(f"{XHTML}link")
        }
        for u in urlset.findall(f"{SITEMAP}url")
    }
    for claim in Claim.objects.public():
        en, es = f"{SITE}/claims/{claim.slug}/", f"{SITE}/es/claims/{claim.slug}/"
        assert en in entries and es in entries
        assert entries[en] == {"en": en, "es": es, "x-default": en}
    for path in ("/", "/claims/", "/corrections/", "/methodology/", "/about/", "/contact/"):
        assert f"{SITE}{path}" in entries and f"{SITE}/es{path}" in entries
    assert f"{SITE}/topics/migration/" in entries
    assert f"{SITE}/claimants/ignacio-higueras/" in entries
    assert f"{SITE}/sources/biobiochile-border-patrols/" in entries
    locs = "\n".join(entries)
    for slug in ("migrants-tried-to-force-border-crossing", "migratory-flow-too-massive"):
        assert slug not in locs
    assert "alberto-van-klaveren" not in locs


def test_robots_txt_points_to_the_sitemap(client, settings):
    settings.SITE_URL = "https://factcheck.example.org"
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert "Sitemap: https://factcheck.example.org/sitemap.xml" in lines


def test_every_page_advertises_the_feeds_in_its_language(demo, client):
    from tests.claims.site.reading import page

    soup = page(client.get("/es/topics/migration/"))
    hrefs = {link["href"] for link in soup.find_all("link", rel="alternate", type=True)}
    assert {"/es/feeds/fact-checks.rss", "/es/feeds/topics/migration.rss"} <= hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200


def test_sitemap_lists_about_and_contact_only_while_they_exist(client, superuser):
    from django.contrib.flatpages.models import FlatPage

    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/about/" in sitemap and "/contact/" in sitemap
    # Through the service, as the admin deletes it (it moves the publication version).
    services.site_page_delete(page=FlatPage.objects.get(url="/contact/"), by=superuser)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/about/" in sitemap and "/contact/" not in sitemap


def test_every_feed_and_the_sitemap_stay_well_formed_when_stored_text_has_control_characters(
    researcher, editor, client
):
    # Text stored before input was cleaned (or written around the services):
    # XML 1.0 cannot carry a form feed or a bell at all.
    from tests.claims.site.builders import publish_claim

    claim = publish_claim(researcher, editor, text="Form\x0cfeed and bell\x07 \u202eclaim")
    topic = claim.topics.first()
    Claim.objects.filter(pk=claim.pk).update(text="Form\x0cfeed and bell\x07 \u202eclaim")
    claim.published_verdict.__class__.objects.filter(pk=claim.published_verdict.pk).update(
        conclusion="Still\x1b stranded."
    )
    claim.claimant.__class__.objects.filter(pk=claim.claimant_id).update(name="Minister\x0b")
    paths = ["/sitemap.xml"]
    for prefix in ("", "/es"):
        for fmt in ("rss", "atom"):
            paths.append(f"{prefix}/feeds/fact-checks.{fmt}")
            paths.append(f"{prefix}/feeds/claimants/{claim.claimant.slug}.{fmt}")
            if topic is not None:
                paths.append(f"{prefix}/feeds/topics/{topic.slug}.{fmt}")
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        ET.fromstring(response.content)  # well-formed XML
        assert b"Form" in response.content or path == "/sitemap.xml", path
        assert b"\x0c" not in response.content and b"\x07" not in response.content
