"""Acceptance 1: the API keeps the promises of its OpenAPI schema.

Schemathesis reads /api/schema/ from the WSGI application in this process (no
network) and sends a bounded number of generated requests to every operation,
valid and invalid ones, as an anonymous client and as an editor: no response
may be a 5xx, and every response must match the schema (status code, content
type, headers and body).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.claims.api.conftest import client_for

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # Every built-in check runs except this one, which expects any
            # schema-valid request to succeed: here validity also depends on
            # data (an unknown rating slug, a stale If-Match, a step the claim's
            # state forbids are rightly refused although well-formed).
            "positive_data_acceptance": {"enabled": False},
            # An invalid request must be refused. As HTTP orders it (RFC 9110,
            # 13.2.2), a failed If-Match is answered before the body is read:
            # 412 is a refusal too, as is 413 for an oversized import.
            "negative_data_rejection": {
                "expected-statuses": [
                    "400",
                    "401",
                    "403",
                    "404",
                    "405",
                    "406",
                    "409",
                    "412",
                    "413",
                    "415",
                    "422",
                    "428",
                    "429",
                ]
            },
        }
    }
)


def run_operation(operation, mode, headers) -> str | None:
    """Generated requests against one operation; the first failure, if any, as text."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case):
        case.call_and_validate(headers=headers)

    try:
        exercise()
    except Unsatisfiable:
        # Nothing about this operation can be made invalid (e.g. the feed in
        # negative mode, whose every parameter accepts any text): no request to send.
        return None
    except Exception as failure:  # noqa: BLE001 - every failure is collected and reported
        return f"{operation.label} ({mode.value}):\n{failure}"
    return None


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, keeping the test's database connection
    open between requests, as Django's own test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("reader", ["anonymous", "editor"])
def test_every_operation_keeps_to_the_schema(reader, mode, every_state, editor, settings, wsgi_app):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    headers = {}
    if reader == "editor":
        headers["Authorization"] = client_for(editor)._credentials["HTTP_AUTHORIZATION"]
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    failures = [run_operation(op, mode, headers) for op in operations]
    failures = [f for f in failures if f]
    assert not failures, "\n\n".join(failures)


def test_every_operation_and_field_says_only_what_is_true(client):
    """Operation descriptions come from extend_schema, never from a docstring
    (an internal note once described POST /claims/); nothing optional is
    described as required; the page size is stated once, from settings."""
    import inspect

    import yaml

    from claims.api.views.base import ApiRequestMixin

    schema = yaml.safe_load(client.get("/api/schema/").content)
    note = inspect.getdoc(ApiRequestMixin).split("\n")[0]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description"), (method, path)
            assert note not in operation["description"], (method, path)
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            if spec.get("description", "").startswith("Required."):
                assert field in component.get("required", []), (name, field)
    assert "default 100" not in schema["info"]["description"]
    create = schema["paths"]["/api/v1/claims/"]["post"]
    assert create["description"].startswith("A new draft")
