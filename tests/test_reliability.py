"""The site survives a database outage and reports it to load balancers."""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from claims.demo import DemoNewsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down():
    """Every new query fails as if the server refused the connection."""
    with mock.patch.object(
        type(connections["default"]),
        "ensure_connection",
        side_effect=OperationalError("connection refused"),
        autospec=True,
    ):
        yield


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def test_healthz_answers_without_touching_the_database(anonymous, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = anonymous.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_when_the_database_answers(anonymous):
    assert anonymous.get("/readyz").status_code == 200


def test_with_the_database_down_healthz_lives_and_readyz_fails(anonymous, database_down):
    assert anonymous.get("/healthz").status_code == 200
    response = anonymous.get("/readyz")
    assert response.status_code == 503


@pytest.mark.parametrize("path", ["/", "/claims/", "/es/claims/", "/admin/login/"])
def test_pages_answer_503_with_a_friendly_body_when_the_database_is_down(
    anonymous, database_down, path
):
    response = anonymous.get(path)
    assert response.status_code == 503, path
    body = response.content.decode()
    assert "temporarily unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert response["Retry-After"] == "30"


def test_other_errors_are_a_plain_500_without_a_stack_trace(anonymous):
    with mock.patch("claims.site.views.public_claims", side_effect=RuntimeError("boom")):
        response = anonymous.get("/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content and b"boom" not in response.content


def test_pages_recover_when_the_database_returns(anonymous):
    DemoNewsroom(with_users=False).load()
    with mock.patch.object(
        type(connections["default"]),
        "ensure_connection",
        side_effect=OperationalError("down"),
        autospec=True,
    ):
        assert anonymous.get("/claims/").status_code == 503
    assert anonymous.get("/claims/").status_code == 200
