"""The one error shape, for every kind of failure."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError

from claims.api.exceptions import api_exception_handler, flatten_errors
from claims.exceptions import NotPermitted, StaleVersion, TransitionRejected

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (TransitionRejected("Only a draft.", code="state"), 409, "state"),
        (NotPermitted("Not yours.", code="two_person_rule"), 403, "two_person_rule"),
        (StaleVersion("Someone saved.", code="stale"), 412, "stale"),
    ],
)
def test_workflow_errors_keep_their_message_and_code(error, status, code):
    response = api_exception_handler(error, {})
    assert response.status_code == status
    assert response.data == {"detail": error.message, "code": code, "errors": {}}


def test_model_validation_errors_become_field_errors():
    error = DjangoValidationError({"quote": ["Not in the source."], "__all__": ["Bad."]})
    response = api_exception_handler(error, {})
    assert response.status_code == 400
    assert response.data["errors"] == {
        "quote": ["Not in the source."],
        "non_field_errors": ["Bad."],
    }


def test_nested_errors_are_flattened_with_dots_and_positions():
    detail = ValidationError(
        {"figure": {"value": ["A number."]}, "topics": [[], ["Unknown."]], "text": ["Blank."]}
    ).detail
    assert flatten_errors(detail) == {
        "figure.value": ["A number."],
        "topics.1": ["Unknown."],
        "text": ["Blank."],
    }


def test_unexpected_errors_are_left_to_django():
    assert api_exception_handler(RuntimeError("boom"), {}) is None


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code"),
    [
        ({"path": "/api/v1/claims/999999/"}, 404, "not_found"),
        ({"path": "/api/v1/claims/", "HTTP_ACCEPT": "text/csv"}, 406, "not_acceptable"),
        ({"path": "/api/v1/claims/", "method": "put"}, 405, "method_not_allowed"),
        ({"path": "/api/v1/claims/", "method": "options"}, 405, "method_not_allowed"),
    ],
)
def test_http_errors_share_the_shape(as_researcher, request_kwargs, status, code):
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method", "get")
    response = getattr(as_researcher, method)(**kwargs)
    assert response.status_code == status
    assert response.json() == {"detail": response.json()["detail"], "code": code, "errors": {}}


def test_malformed_json_and_wrong_media_type(as_researcher):
    bad_json = as_researcher.generic(
        "POST", "/api/v1/claims/", b"{not json", content_type="application/json"
    )
    assert bad_json.status_code == 400 and bad_json.json()["code"] == "parse_error"
    wrong_type = as_researcher.generic(
        "POST", "/api/v1/claims/", b"text=x", content_type="text/plain"
    )
    assert wrong_type.status_code == 415
    assert wrong_type.json()["code"] == "unsupported_media_type"


def test_nul_characters_are_refused_before_reaching_the_database(anon, as_researcher):
    for params in ({"rating": "fa\x00lse"}, {"q": "\x00"}, {"claimant": "a\x00"}):
        response = anon.get("/api/v1/claims/", params)
        assert response.status_code == 400, params
        assert response.json()["code"] == "invalid"
    response = as_researcher.post("/api/v1/claims/", {"text": "A claim", "topics": ["a\x00b"]})
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_unknown_api_addresses_are_json_404s_and_slashes_are_appended(anon):
    response = anon.get("/api/v1/nothing/here/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    redirect = anon.get("/api/v1/claims")
    assert redirect.status_code == 301 and redirect["Location"] == "/api/v1/claims/"
