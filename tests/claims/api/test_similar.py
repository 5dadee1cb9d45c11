"""GET /api/v1/claims/similar/: the newsroom asks before logging a claim."""

import pytest
from rest_framework.test import APIClient

from claims.models import Claim
from tests.factories import make_draft, make_published

pytestmark = pytest.mark.django_db
URL = "/api/v1/claims/similar/"


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_finds_published_and_in_progress_claims_with_score_and_level(researcher, editor):
    published = make_published(
        researcher, editor, text="Peru deployed 180 police officers to the border with Chile"
    )
    draft = make_draft(researcher, text="Peru deployed 180 police officers to the Chilean border")
    make_published(researcher, editor, text="Chile closed its airports to tourists in May")

    response = client_for(researcher).get(
        URL, {"text": "Peru sent 180 police officers to the border with Chile"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    found = {row["claim"]["id"]: row for row in body["results"]}
    assert set(found) == {published.pk, draft.pk}
    assert all(0 < row["score"] <= 1 for row in body["results"])
    assert {row["level"] for row in body["results"]} <= {"possible", "likely"}
    assert body["results"] == sorted(body["results"], key=lambda r: -r["score"])
    assert body["thresholds"]["possible"] <= body["thresholds"]["likely"]
    assert found[draft.pk]["claim"]["status"] == "draft"


def test_readers_cannot_ask(researcher, outsider):
    make_draft(researcher, text="A secret draft about the border")
    assert client_for().get(URL, {"text": "border"}).status_code in {401, 403}
    assert client_for(outsider).get(URL, {"text": "border"}).status_code == 403


def test_merged_duplicates_and_the_excluded_claim_are_left_out(researcher, editor):
    canonical = make_published(researcher, editor, text="Migrants are behind the crime wave")
    duplicate = make_draft(researcher, text="Migrants are behind the crime wave in Peru")
    editing = make_draft(researcher, text="Migrants are behind the rise in crime")
    Claim.objects.filter(pk=duplicate.pk).update(merged_into=canonical)
    body = (
        client_for(researcher)
        .get(URL, {"text": "Migrants are behind the crime wave", "exclude": editing.pk})
        .json()
    )
    ids = {row["claim"]["id"] for row in body["results"]}
    assert canonical.pk in ids and duplicate.pk not in ids and editing.pk not in ids


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"text": ""},
        {"text": "x" * 501},
        {"text": "x", "limit": 0},
        {"text": "x", "limit": 51},
        {"text": "x", "language": "xx"},
    ],
)
def test_bad_queries_are_400_in_the_error_shape(researcher, params):
    response = client_for(researcher).get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "errors"}


def test_limit_caps_the_results(researcher):
    for n in range(5):
        make_draft(researcher, text=f"The border crisis is over, minister number {n} said")
    body = (
        client_for(researcher)
        .get(URL, {"text": "The border crisis is over, the minister said", "limit": 2})
        .json()
    )
    assert len(body["results"]) <= 2


def test_other_methods_are_405_not_a_misleading_403(researcher):
    response = client_for(researcher).post(URL, {"text": "x"}, format="json")
    assert response.status_code == 405


def test_unknown_api_addresses_answer_in_the_clients_language():
    response = APIClient().get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert response.json()["detail"] != "There is no API endpoint at this address."
