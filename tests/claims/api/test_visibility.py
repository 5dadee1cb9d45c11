"""Acceptance 2: no non-public state reaches an anonymous client, through any
read endpoint, list, detail, feed or filter combination.

`every_state` (conftest) holds a draft, a claim in review, a retracted claim,
two merged duplicates, a published sub-claim of a draft, and unpublished work
(appearance, evidence, correction, verdict version) on a published claim;
every text that must stay private contains SECRET.
"""

import itertools

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.models import Appearance, Claim, Correction, Evidence, Verdict
from sources.models import Source
from tests.claims.api.conftest import SECRET

pytestmark = pytest.mark.django_db

STATUSES = ["draft", "in_review", "published", "retracted"]
CLAIM_FILTERS = {
    "status": st.lists(st.sampled_from(STATUSES), min_size=1, max_size=4),
    # Lower case: responses echo parameters in links; SECRET marks leaked content.
    "q": st.sampled_from(["secret", "secret draft", "review", "merged", "border", "claim"]),
    "rating": st.sampled_from(["false", "mostly-false", "not-checkable", "true"]),
    "claimant": st.sampled_from(["secret-claimant"]),
    "topic": st.sampled_from(["secret-topic", "border"]),
    "language": st.sampled_from(["en", "es"]),
    "ordering": st.sampled_from(["published", "-published", "modified", "-modified"]),
    "published_after": st.sampled_from(["2000-01-01"]),
    "modified_since": st.sampled_from(["2000-01-01T00:00:00Z"]),
    "page_size": st.integers(min_value=1, max_value=100),
}


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code < 500, (url, params, response.content)
    body = response.content.decode()
    assert SECRET not in body, (url, params, body)
    return response


def listed_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def feed_urls(response) -> set[str]:
    return {e["item"][0]["url"] for e in response.json()["dataFeedElement"]}


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/claimreview-feed/"])
@pytest.mark.parametrize("name", ["claimant", "topic"])
def test_a_name_known_only_from_drafts_answers_like_one_that_does_not_exist(
    anon, every_state, path, name
):
    secret = anon.get(path, {name: f"secret-{name}"})
    unknown = anon.get(path, {name: "no-such-slug-at-all"})
    assert (secret.status_code, secret.json()) == (unknown.status_code, unknown.json())
    assert secret.status_code == 400


def test_readers_browsers_get_json_and_no_filter_menus(anon, every_state):
    response = anon.get("/api/v1/claims/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("application/json")
    assert SECRET not in response.content.decode()


def test_claim_list_shows_only_public_claims_for_every_single_filter(anon, every_state):
    for name, values in [
        ("status", [[s] for s in STATUSES] + [STATUSES]),
        ("q", ["secret", "draft", "review", "merged", "claim", "border"]),
        ("rating", ["false", "mostly-false", "not-checkable", "true"]),
        ("claimant", [every_state.published.claimant.slug]),
        ("topic", ["border"]),
        ("language", ["en", "es"]),
        ("ordering", ["published", "-published", "modified", "-modified"]),
        ("published_after", ["2000-01-01"]),
        ("published_before", ["2999-01-01"]),
        ("modified_since", ["2000-01-01T00:00:00Z"]),
    ]:
        for value in values:
            response = get(anon, "/api/v1/claims/", **{name: value})
            assert listed_ids(response) <= every_state.public_ids, (name, value)
    assert listed_ids(get(anon, "/api/v1/claims/")) == every_state.public_ids
    assert listed_ids(get(anon, "/api/v1/claims/", status=STATUSES)) == every_state.public_ids


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=st.fixed_dictionaries({}, optional=CLAIM_FILTERS))
def test_claim_list_and_feed_show_only_public_claims_for_any_filter_combination(
    anon, every_state, params
):
    claims = get(anon, "/api/v1/claims/", **params)
    if claims.status_code == 200:
        assert listed_ids(claims) <= every_state.public_ids
    feed_params = {k: v for k, v in params.items() if k != "page_size"}
    feed = get(anon, "/api/v1/claimreview-feed/", **feed_params)
    if feed.status_code == 200:
        public_urls = {
            f"{django_settings.SITE_URL}{c.get_absolute_url()}"
            for c in Claim.objects.filter(pk__in=every_state.public_ids)
        }
        assert feed_urls(feed) <= public_urls


def test_search_does_not_reveal_unpublished_appearance_quotes(anon, every_state):
    """Searching for words that occur only in a pending quote must find nothing."""
    assert listed_ids(get(anon, "/api/v1/claims/", q="pending quote")) == set()


def test_non_public_claims_have_no_detail_and_no_claimreview(anon, every_state):
    for claim in (every_state.draft, every_state.in_review, every_state.merged_draft):
        for suffix in ("", "claimreview/"):
            response = get(anon, f"/api/v1/claims/{claim.pk}/{suffix}")
            assert response.status_code == 404, (claim.text, suffix)


def test_retracted_claim_answers_with_its_notice_only(anon, every_state):
    claim = every_state.retracted
    response = get(anon, f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "retracted"
    assert body["retraction_notice"] == "We got it wrong."
    assert not {"verdict", "evidence", "appearances", "rating", "conclusion"} & set(body)
    assert get(anon, f"/api/v1/claims/{claim.pk}/claimreview/").status_code == 410


def test_merged_duplicate_redirects_to_the_claim_it_became(anon, every_state):
    canonical = every_state.published
    for suffix, target in (("", ""), ("claimreview/", "claimreview/")):
        response = get(anon, f"/api/v1/claims/{every_state.merged.pk}/{suffix}")
        assert response.status_code == 301
        assert response["Location"] == f"http://testserver/api/v1/claims/{canonical.pk}/{target}"
        assert response.json()["merged_into"] == canonical.pk


def test_public_claim_detail_hides_unpublished_work_and_private_parent(anon, every_state):
    published = get(anon, f"/api/v1/claims/{every_state.published.pk}/").json()
    assert [a["quote"] for a in published["appearances"]] == ["It is over."]
    assert all(e["published_at"] for e in published["evidence"])
    assert published["verdict"]["rating"]["slug"] == "false"
    assert published["corrections"] == [] and published["newsroom"] is None
    child = get(anon, f"/api/v1/claims/{every_state.child.pk}/").json()
    assert child["parent"] is None


def test_nested_resources_show_only_the_public_record(anon, every_state):
    for claim in Claim.objects.all():
        public = claim.pk in every_state.public_ids
        for suffix in ("appearances/", "evidence/", "corrections/", "verdict/"):
            response = get(anon, f"/api/v1/claims/{claim.pk}/{suffix}")
            if not public:
                assert response.status_code == 404, (claim.text, suffix)
        for model, suffix in ((Appearance, "appearances"), (Evidence, "evidence")):
            for item in model.objects.all():
                response = get(anon, f"/api/v1/claims/{claim.pk}/{suffix}/{item.pk}/")
                visible = public and item.claim_id == claim.pk and item.published_at is not None
                assert response.status_code == (200 if visible else 404)
        for correction in Correction.objects.all():
            response = get(anon, f"/api/v1/claims/{claim.pk}/corrections/{correction.pk}/")
            assert response.status_code == 404  # the only correction is pending
    verdict = get(anon, f"/api/v1/claims/{every_state.published.pk}/verdict/").json()
    assert verdict["published_at"] and verdict["number"] == 1
    assert Verdict.objects.pending().filter(claim=every_state.published).exists()


def test_reference_lists_only_mention_what_the_public_record_does(anon, every_state):
    claimants = get(anon, "/api/v1/claimants/", page_size=100).json()["results"]
    assert every_state.secret_claimant.slug not in {c["slug"] for c in claimants}
    topics = get(anon, "/api/v1/topics/", page_size=100).json()["results"]
    assert {t["slug"] for t in topics} == {"border"}
    sources = {s["slug"] for s in get(anon, "/api/v1/sources/", page_size=100).json()["results"]}
    cited = set(
        Source.objects.filter(evidence__published_at__isnull=False)
        .filter(evidence__claim__in=every_state.public_ids)
        .values_list("slug", flat=True)
    ) | set(
        Source.objects.filter(appearances__published_at__isnull=False)
        .filter(appearances__claim__in=every_state.public_ids)
        .values_list("slug", flat=True)
    )
    assert sources == cited
    for url in (
        "/api/v1/claimants/secret-claimant/",
        "/api/v1/topics/secret-topic/",
        "/api/v1/sources/secret-source/",
    ):
        assert get(anon, url).status_code == 404


def test_feed_and_reviews_never_include_opinions_or_non_public_claims(anon, every_state):
    feed = get(anon, "/api/v1/claimreview-feed/").json()
    expected = {
        f"{django_settings.SITE_URL}{c.get_absolute_url()}"
        for c in (every_state.published, every_state.child)
    }
    assert feed_urls(get(anon, "/api/v1/claimreview-feed/")) == expected
    assert len(feed["dataFeedElement"]) == 2


def test_imported_reviews_are_not_for_anonymous_clients(anon, every_state):
    assert anon.get("/api/v1/external-reviews/").status_code == 401


def test_staff_without_a_role_see_what_readers_see(every_state, outsider):
    from tests.claims.api.conftest import client_for

    client = client_for(outsider)
    for statuses in itertools.chain([[s] for s in STATUSES], [STATUSES]):
        response = get(client, "/api/v1/claims/", status=statuses)
        assert listed_ids(response) <= every_state.public_ids
    assert get(client, f"/api/v1/claims/{every_state.draft.pk}/").status_code == 404
