"""The shared cache of what anonymous readers get (claims/site/caching.py,
claims/api/etags.py, claims/publication.py): after every kind of change a
reader can see, the page, the API list and detail and the feed show it at
once; staff are never served from it; a 304 renders nothing."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims import services
from claims.api.serializers import ClaimDetailSerializer, ClaimSummarySerializer
from claims.models import Claimant
from tests.claims.site.builders import merge_into, publish_claim
from tests.claims.site.reading import page, text_of
from tests.factories import ClaimantFactory, TopicFactory, rating

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.READER_SHARED_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def claim(researcher, editor):
    return publish_claim(researcher, editor, text="The port handled record cargo.")


def surfaces(claim):
    """What an anonymous reader may have cached about `claim`."""
    return {
        "page": f"/claims/{claim.slug}/",
        "list": "/claims/",
        "feed": "/feeds/fact-checks.rss",
        "api-list": "/api/v1/claims/",
        "api-detail": f"/api/v1/claims/{claim.pk}/",
    }


def read_all(claim) -> dict[str, str]:
    """Each surface read twice by different anonymous clients (the second from
    the shared cache), so the test proves both are current."""
    bodies = {}
    for name, url in surfaces(claim).items():
        first = Client().get(url)
        second = Client().get(url)
        assert first.status_code == second.status_code, name
        assert first.content == second.content, name
        bodies[name] = second.content.decode()
    return bodies


class Rendered:
    """Counts template renders while active (Django's test signal)."""

    def __init__(self):
        self.templates = []

    def __enter__(self):
        template_rendered.connect(self._seen)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self._seen)

    def _seen(self, sender, template, context, **kwargs):
        self.templates.append(template.name)


def test_a_cached_page_is_served_without_rendering(claim):
    url = f"/claims/{claim.slug}/"
    Client().get(url)
    with Rendered() as rendered:
        again = Client().get(url)
    assert again.status_code == 200
    assert claim.text in again.content.decode()
    assert rendered.templates == []


def test_publishing_reaches_every_cached_surface(claim, researcher, editor):
    read_all(claim)
    other = publish_claim(researcher, editor, text="The bridge was finished early.")
    bodies = read_all(claim)
    for name in ("list", "feed", "api-list"):
        assert other.text in bodies[name], name
    assert Client().get(f"/claims/{other.slug}/").status_code == 200


def test_a_correction_reaches_every_cached_surface(claim, editor, editor2):
    before = read_all(claim)
    assert "Mostly true" not in before["page"]
    correction = services.correction_propose(
        claim=claim, by=editor, kind="correction", note="Recounted.", rating=rating("mostly-true")
    )
    # Proposed, not yet published: readers see nothing new.
    assert read_all(claim) == before
    services.correction_publish(correction=correction, by=editor2)
    after = read_all(claim)
    for name in ("page", "api-detail"):
        assert "Recounted." in after[name], name
    for name in ("page", "list", "api-list", "api-detail"):
        assert "mostly-true" in after[name].lower().replace(" ", "-"), name


def test_a_retraction_reaches_every_cached_surface(claim, editor):
    before = read_all(claim)
    assert claim.text in before["feed"]
    services.claim_retract(claim=claim, by=editor, reason="The quote was misattributed.")
    after = read_all(claim)
    assert "The quote was misattributed." in after["page"]
    assert "The quote was misattributed." in after["api-detail"]
    for name in ("feed", "api-list", "list"):
        assert claim.text not in after[name], name


def test_a_merge_reaches_every_cached_surface(claim, researcher, editor):
    duplicate = publish_claim(researcher, editor, text="A duplicate of the cargo claim.")
    before = read_all(duplicate)
    assert duplicate.text in before["api-list"]
    merge_into(duplicate, claim)
    assert Client().get(f"/claims/{duplicate.slug}/").status_code == 301
    assert APIClient().get(f"/api/v1/claims/{duplicate.pk}/").status_code == 301
    for name in ("list", "feed", "api-list"):
        assert duplicate.text not in Client().get(surfaces(duplicate)[name]).content.decode()


def test_an_editor_renaming_a_claimant_reaches_every_cached_surface(claim, editor):
    before = read_all(claim)
    assert "Renamed Harbour Authority" not in before["page"]
    claimant = Claimant.objects.get(pk=claim.claimant_id)
    services.record_update(record=claimant, by=editor, data={"name": "Renamed Harbour Authority"})
    after = read_all(claim)
    for name in ("page", "list", "api-list", "api-detail"):
        assert "Renamed Harbour Authority" in after[name], name


def test_a_rating_label_change_reaches_every_cached_surface(claim, superuser):
    before = read_all(claim)
    assert "Flatly wrong" not in before["page"]
    services.record_update(record=rating("false"), by=superuser, data={"label": "Flatly wrong"})
    after = read_all(claim)
    for name in ("page", "list", "api-list", "api-detail"):
        assert "Flatly wrong" in after[name], name


def test_a_private_step_keeps_the_cache(claim, researcher):
    """A draft changes nothing readers see, so it does not empty the cache."""
    Client().get(f"/claims/{claim.slug}/")
    services.claim_create(by=researcher, text="A draft nobody sees yet.")
    with Rendered() as rendered:
        Client().get(f"/claims/{claim.slug}/")
    assert rendered.templates == []


def test_staff_are_never_served_or_stored(claim, editor, client):
    url = f"/claims/{claim.slug}/"
    Client().get(url)
    client.force_login(editor)
    with Rendered() as rendered:
        staff = client.get(url)
    assert rendered.templates, "staff got the shared copy"
    assert "private" in staff["Cache-Control"]
    assert "no-store" in staff["Cache-Control"]
    # Nor is a staff page stored for readers: a fresh cache, staff read first.
    cache.clear()
    client.get(url)
    with Rendered() as rendered:
        Client().get(url)
    assert rendered.templates


def test_staff_api_reads_are_not_shared(claim, editor):
    from tests.claims.api.conftest import client_for

    APIClient().get(f"/api/v1/claims/{claim.pk}/")
    staff = client_for(editor)
    with mock.patch.object(
        ClaimDetailSerializer, "to_representation", autospec=True, return_value={}
    ) as serialize:
        staff.get(f"/api/v1/claims/{claim.pk}/")
    assert serialize.called


def test_a_304_renders_no_template(claim):
    url = f"/claims/{claim.slug}/"
    etag = Client().get(url)["ETag"]
    cache.clear()  # not even the stored copy: the version alone answers
    with Rendered() as rendered:
        answer = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 304
    assert answer["ETag"] == etag
    assert rendered.templates == []


@pytest.mark.parametrize("detail", [False, True])
def test_an_api_304_calls_no_serializer(claim, detail):
    url = f"/api/v1/claims/{claim.pk}/" if detail else "/api/v1/claims/"
    serializer = ClaimDetailSerializer if detail else ClaimSummarySerializer
    etag = APIClient().get(url)["ETag"]
    cache.clear()
    with mock.patch.object(serializer, "to_representation", autospec=True) as serialize:
        answer = APIClient().get(url, HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 304
    assert not serialize.called


def test_a_page_with_a_session_or_messages_is_neither_served_nor_stored(claim):
    url = f"/claims/{claim.slug}/"
    Client().get(url)
    reader = Client()
    reader.cookies["messages"] = "anything"
    with Rendered() as rendered:
        page = reader.get(url)
    assert rendered.templates
    assert "private" in page["Cache-Control"]


def test_a_page_carrying_a_csrf_token_is_not_stored():
    url = "/tips/"
    Client().get(url)
    with Rendered() as rendered:
        again = Client().get(url)
    assert rendered.templates
    assert "csrftoken" in again.cookies


def test_an_unreachable_cache_renders_instead_of_failing(claim, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    from django.core.cache import caches

    broken = caches.create_connection("default")
    with (
        mock.patch("claims.publication.cache", broken),
        mock.patch("claims.site.caching.cache", broken),
    ):
        page = Client().get(f"/claims/{claim.slug}/")
        api = APIClient().get(f"/api/v1/claims/{claim.pk}/")
    assert page.status_code == 200
    assert claim.text in page.content.decode()
    assert api.status_code == 200


def test_if_none_match_star_never_hides_a_missing_resource(claim):
    """`*` matches only what exists, which is known once the view has run."""
    assert APIClient().get("/api/v1/claims/999999/", HTTP_IF_NONE_MATCH="*").status_code == 404
    assert Client().get("/claims/no-such-claim/", HTTP_IF_NONE_MATCH="*").status_code == 404
    assert APIClient().get(f"/api/v1/claims/{claim.pk}/", HTTP_IF_NONE_MATCH="*").status_code == 304
    assert Client().get(f"/claims/{claim.slug}/", HTTP_IF_NONE_MATCH="*").status_code == 304


def filter_options(url: str, name: str) -> dict[str, str]:
    """The list page's `name` filter as a reader gets it: {slug: label}."""
    select = page(Client().get(url)).find("select", attrs={"name": name})
    return {option["value"]: text_of(option) for option in select.find_all("option")}


def test_the_list_filters_follow_every_change_readers_can_see(claim, researcher, editor):
    """The claimant and topic lists are kept per publication version, not per
    page: every search (a new URL, so a new page) reuses them, and each change
    readers can see replaces them at once."""
    claimant = Claimant.objects.get(pk=claim.claimant_id)
    assert filter_options("/claims/?q=cargo", "claimant")[claimant.slug] == claimant.name

    services.record_update(record=claimant, by=editor, data={"name": "Renamed Harbour Authority"})
    assert filter_options("/claims/?q=port", "claimant")[claimant.slug] == (
        "Renamed Harbour Authority"
    )

    newcomer = ClaimantFactory(name="Newly Checked Minister")
    topic = TopicFactory(name="Fisheries", name_es="Pesca")
    other = publish_claim(
        researcher, editor, text="Catches doubled.", claimant=newcomer, topics=[topic]
    )
    assert filter_options("/claims/?q=catches", "claimant")[newcomer.slug] == (
        "Newly Checked Minister"
    )
    assert filter_options("/claims/?q=fish", "topic")[topic.slug] == "Fisheries"
    assert filter_options("/es/claims/?q=pesca", "topic")[topic.slug] == "Pesca"

    services.record_update(record=topic, by=editor, data={"name_es": "Pesquería"})
    assert filter_options("/es/claims/?q=pesqueria", "topic")[topic.slug] == "Pesquería"

    services.claim_retract(claim=other, by=editor, reason="Misattributed.")
    assert newcomer.slug not in filter_options("/claims/?q=minister", "claimant")
    assert topic.slug not in filter_options("/claims/?q=fisheries", "topic")

    merged = ClaimantFactory(name="Merged Away")
    duplicate = publish_claim(researcher, editor, text="Cargo doubled.", claimant=merged)
    assert merged.slug in filter_options("/claims/?q=doubled", "claimant")
    merge_into(duplicate, claim)
    assert merged.slug not in filter_options("/claims/?q=merged", "claimant")


def test_the_lists_are_the_public_claimants_and_topics(claim, researcher):
    """The lists a reader picks from are what the fields accept: a name known
    only from a draft is neither offered nor accepted, and a chosen one stays
    chosen on the results page."""
    from claims.selectors import public_claimants, public_topics

    secret = ClaimantFactory(name="Only In A Draft")
    services.claim_create(by=researcher, text="Not yet checked.", claimant=secret)
    offered = filter_options("/claims/?q=x", "claimant")
    assert list(offered)[1:] == [c.slug for c in public_claimants()]
    assert list(filter_options("/claims/?q=y", "topic"))[1:] == [t.slug for t in public_topics()]
    assert secret.slug not in offered

    refused = Client().get(f"/claims/?claimant={secret.slug}")
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert "Only In A Draft" not in refused.content.decode()

    chosen = Claimant.objects.get(pk=claim.claimant_id)
    select = page(Client().get(f"/claims/?claimant={chosen.slug}")).find(
        "select", attrs={"name": "claimant"}
    )
    assert [o["value"] for o in select.find_all("option", selected=True)] == [chosen.slug]


def test_the_lists_are_built_from_the_primary(claim):
    """A request routed to a replica builds the shared lists from the primary:
    a replica behind the latest change must not fill the entry every search
    under the new version reads."""
    from claims.site.caching import shared_data
    from config import db_router

    tokens = db_router.begin_request(use_replica=True)
    try:
        assert db_router.reads_from_replica()
        built_on = shared_data({"where": db_router.reads_from_replica})
    finally:
        db_router.end_request(tokens)
    assert built_on == {"where": False}


def test_search_pages_read_the_filter_lists_once_per_version(claim):
    """Two searches (two pages, neither in the shared cache): the second does
    not ask again which claimants and topics readers can meet, a question
    that reads every public claim."""

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(url).status_code == 200
        return len(captured)

    queries(f"/claims/{claim.slug}/")  # reads the publication version into the cache
    first, second = queries("/claims/?q=cargo"), queries("/claims/?q=port")
    assert second == first - 2
