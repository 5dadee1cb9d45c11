"""Reading fact-checks: list items, pagination, filters, conditional GET,
newsroom staff's wider view."""

import pytest
from django.conf import settings

from claims import services
from claims.models import Claimant
from tests.claims.api.conftest import client_for
from tests.factories import (
    ClaimantFactory,
    SourceFactory,
    TopicFactory,
    make_draft,
    make_in_review,
    make_published,
)

pytestmark = pytest.mark.django_db


def test_list_item_has_every_documented_field(anon, researcher, editor):
    topic = TopicFactory(slug="crime", name="Crime", name_es="Crimen")
    claim = make_published(
        researcher, editor, rating_slug="half-true", topics=[topic], true_as_of="2023-05-01"
    )
    item = anon.get("/api/v1/claims/").json()["results"][0]
    assert item["id"] == claim.pk and item["slug"] == claim.slug
    # The reader page on the configured site (SITE_URL), as in the ClaimReview.
    assert item["url"] == f"{settings.SITE_URL}/claims/{claim.slug}/"
    assert item["api_url"] == f"http://testserver/api/v1/claims/{claim.pk}/"
    assert item["claimant"] == {
        "id": claim.claimant.pk,
        "slug": claim.claimant.slug,
        "name": claim.claimant.name,
        "kind": "person",
    }
    assert item["topics"] == [{"id": topic.pk, "slug": "crime", "name": "Crime"}]
    assert item["rating"] == {
        "slug": "half-true",
        "label": "Half true",
        "value": 5,
        "best": 7,
        "worst": 1,
    }
    assert item["conclusion"] == "People remain stranded."
    assert item["true_as_of"] == "2023-05-01"
    assert item["published_at"] and item["modified_at"] and item["status"] == "published"


def test_labels_follow_the_requested_language(anon, researcher, editor):
    make_published(researcher, editor, rating_slug="false")
    item = anon.get("/api/v1/claims/", HTTP_ACCEPT_LANGUAGE="es").json()["results"][0]
    assert item["rating"]["label"] == "Falso"
    assert anon.get("/api/v1/claims/")["Vary"].count("Accept-Language") == 1


def test_detail_has_appearances_evidence_verdict_sub_claims_and_corrections(
    anon, researcher, editor
):
    parent = make_published(researcher, editor, text="Parent claim")
    child = make_published(researcher, editor, text="Child claim", parent=parent)
    body = anon.get(f"/api/v1/claims/{parent.pk}/").json()
    assert body["sub_claims"] == [
        {
            "id": child.pk,
            "slug": child.slug,
            "text": "Child claim",
            "api_url": f"http://testserver/api/v1/claims/{child.pk}/",
        }
    ]
    assert body["appearances"][0]["quote"] == "It is over."
    assert body["appearances"][0]["source"]["url"].startswith("https://news.example.org/")
    assert {e["excerpt"] for e in body["evidence"]} == {"30 remain", "150 stranded"}
    assert body["verdict"]["explanation_html"].startswith("<p>")
    assert body["claimreview_url"] == f"http://testserver/api/v1/claims/{parent.pk}/claimreview/"
    assert anon.get(f"/api/v1/claims/{child.pk}/").json()["parent"]["id"] == parent.pk


def test_explanation_html_is_sanitised(anon, researcher, editor):
    claim = make_published(researcher, editor)
    verdict = claim.published_verdict
    type(verdict).objects.filter(pk=verdict.pk).update(
        explanation="<script>alert(1)</script>[x](javascript:alert(1)) **ok**"
    )
    html = anon.get(f"/api/v1/claims/{claim.pk}/").json()["verdict"]["explanation_html"]
    assert "<script" not in html and "javascript:" not in html and "<strong>ok</strong>" in html


def test_pagination_with_client_page_size_and_links(anon, researcher, editor, settings):
    settings.API_MAX_PAGE_SIZE = 3
    for n in range(5):
        make_published(researcher, editor, text=f"Claim {n}")
    first = anon.get("/api/v1/claims/", {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/claims/?page=2&page_size=2"
    last = anon.get("/api/v1/claims/", {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    seen = [
        item["id"]
        for page in (1, 2, 3)
        for item in anon.get("/api/v1/claims/", {"page_size": 2, "page": page}).json()["results"]
    ]
    assert len(set(seen)) == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 4}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page": "last"}, "page"),
        ({"page": "-1"}, "page"),
    ],
)
def test_bad_paging_is_a_clear_400(anon, settings, params, field):
    settings.API_MAX_PAGE_SIZE = 3
    response = anon.get("/api/v1/claims/", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_page_past_the_end_is_404(anon):
    response = anon.get("/api/v1/claims/", {"page": 2})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/api/v1/claims.json/", "/api/v1/claims/1.json/", "/api/v1/topics.json/"]
)
def test_there_are_no_format_suffix_routes(anon, path):
    """One URL per resource: a ".json" suffix is a clear 404, never a 500."""
    response = anon.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_format_parameter_still_chooses_json(anon, researcher, editor):
    make_published(researcher, editor)
    response = anon.get("/api/v1/claims/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["count"] == 1


def test_ordering_ties_do_not_break_pagination(anon, researcher, editor):
    claims = [make_published(researcher, editor, text=f"Claim {n}") for n in range(4)]
    # Every claim published at the same instant: `ordering` alone cannot order them.
    type(claims[0]).objects.update(published_at=claims[0].published_at)
    seen = [
        item["id"]
        for page in (1, 2)
        for item in anon.get(
            "/api/v1/claims/", {"ordering": "published", "page_size": 2, "page": page}
        ).json()["results"]
    ]
    assert sorted(seen) == sorted(c.pk for c in claims)


def test_conditional_get_gives_304_until_the_representation_changes(anon, researcher, editor):
    claim = make_published(researcher, editor)
    for url in (f"/api/v1/claims/{claim.pk}/", "/api/v1/claims/", "/api/v1/claimreview-feed/"):
        first = anon.get(url)
        etag = first["ETag"]
        not_modified = anon.get(url, HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304, url
        assert not_modified["ETag"] == etag and not_modified.content == b""
        assert anon.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    detail_etag = anon.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    list_etag = anon.get("/api/v1/claims/")["ETag"]
    # An editor renames the claimant (through the service, as the admin does).
    claimant = Claimant.objects.get(pk=claim.claimant_id)
    services.record_update(record=claimant, by=editor, data={"name": "Renamed claimant"})
    assert (
        anon.get(f"/api/v1/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=detail_etag).status_code == 200
    )
    assert anon.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=list_etag).status_code == 200


def test_list_etag_changes_when_the_result_set_changes(anon, researcher, editor, settings):
    make_published(researcher, editor, text="First")
    etag = anon.get("/api/v1/claims/")["ETag"]
    make_published(researcher, editor, text="Second")
    assert anon.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_responses_are_not_cached_without_revalidation(anon, as_editor, researcher, editor):
    make_published(researcher, editor)
    assert "no-cache" in anon.get("/api/v1/claims/")["Cache-Control"]
    assert "private" in as_editor.get("/api/v1/claims/")["Cache-Control"]


def test_newsroom_staff_list_unpublished_work_with_the_status_filter(
    as_researcher, researcher, editor
):
    published = make_published(researcher, editor, text="Published")
    draft = make_draft(researcher, text="Draft")
    in_review = make_in_review(researcher, text="In review")
    ids = lambda response: {i["id"] for i in response.json()["results"]}  # noqa: E731
    assert ids(as_researcher.get("/api/v1/claims/")) == {published.pk}
    assert ids(as_researcher.get("/api/v1/claims/", {"status": "draft"})) == {draft.pk}
    both = as_researcher.get("/api/v1/claims/", {"status": ["draft", "in_review"]})
    assert ids(both) == {draft.pk, in_review.pk}
    assert (
        as_researcher.get("/api/v1/claims/", {"status": "draft"}).json()["results"][0]["url"]
        is None
    )


def test_newsroom_detail_shows_work_in_progress(as_researcher, researcher, editor):
    claim = make_published(researcher, editor)
    services.evidence_create(
        claim=claim, by=researcher, source=SourceFactory(), excerpt="New", stance="context"
    )
    body = as_researcher.get(f"/api/v1/claims/{claim.pk}/").json()
    assert [e["published_at"] is None for e in body["evidence"]].count(True) == 1
    assert body["newsroom"]["version"] == claim.version
    assert body["newsroom"]["created_by"] == "rita"
    assert body["newsroom"]["allowed_actions"] == []  # researchers neither retract nor correct


def test_claimant_topic_source_and_rating_endpoints(anon, researcher, editor):
    claimant = ClaimantFactory(slug="mayor", name="The Mayor", role="Mayor of Lima")
    claim = make_published(researcher, editor, claimant=claimant)
    body = anon.get("/api/v1/claimants/mayor/").json()
    assert body["role"] == "Mayor of Lima"
    assert body["claims_url"] == "http://testserver/api/v1/claims/?claimant=mayor"
    source = claim.evidence.first().source
    source_body = anon.get(f"/api/v1/sources/{source.slug}/").json()
    assert source_body["publisher"]["name"] == source.publisher.name
    ratings = anon.get("/api/v1/ratings/").json()["results"]
    assert [r["slug"] for r in ratings][:2] == ["true", "mostly-true"]
    opinion = anon.get("/api/v1/ratings/not-checkable/").json()
    assert opinion["value"] is None and opinion["is_rating"] is False
    assert opinion["scale"] == {
        "name": opinion["scale"]["name"],
        "best": 7,
        "worst": 1,
        "is_default": True,
    }


def test_staff_see_every_claimant(as_researcher, anon, researcher):
    make_draft(researcher, claimant=ClaimantFactory(slug="under-investigation"))
    assert as_researcher.get("/api/v1/claimants/under-investigation/").status_code == 200
    assert anon.get("/api/v1/claimants/under-investigation/").status_code == 404


def test_spanish_topic_names(anon, researcher, editor):
    topic = TopicFactory(slug="crime", name="Crime", name_es="Crimen")
    make_published(researcher, editor, topics=[topic])
    body = anon.get("/api/v1/topics/crime/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert body["name"] == "Crimen"
    assert anon.get("/api/v1/topics/crime/").json()["name"] == "Crime"


def test_staff_tokens_are_recognised(researcher):
    client = client_for(researcher)
    assert client.get("/api/v1/claims/", {"status": "draft"}).status_code == 200
    bad = client_for(researcher)
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = bad.get("/api/v1/claims/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_browsable_api_renders_for_a_logged_in_editor(client, editor, every_state):
    """Session authentication and the browsable API, as the issue asks for."""
    from claims.models import Appearance

    client.force_login(editor)
    claim = every_state.published
    appearance = Appearance.objects.filter(claim=claim).first()
    for url in (
        "/api/v1/",
        "/api/v1/claims/",
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/claims/{claim.pk}/appearances/{appearance.pk}/",
        f"/api/v1/claims/{claim.pk}/evidence/",
        f"/api/v1/claims/{claim.pk}/verdict/",
        f"/api/v1/claims/{claim.pk}/corrections/",
        f"/api/v1/claims/{every_state.retracted.pk}/",
        "/api/v1/claimants/",
        "/api/v1/external-reviews/",
    ):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html"), url


def test_a_request_in_spanish_leaves_the_thread_in_the_default_language(anon):
    from django.utils import translation

    before = translation.get_language()
    response = anon.get("/api/v1/ratings/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200 and "Falso" in response.content.decode()
    assert translation.get_language() == before
