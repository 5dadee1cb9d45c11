"""OpenAPI generation: every operation documents every status code the API can
answer with, in the one error shape, and the headers of conditional requests
and throttling. Schemathesis holds the API to this in the test suite."""

import inspect

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from claims.api import docs

SAFE_METHODS = {"GET", "HEAD"}
MAX_ID = 2**63 - 1


class ErrorSerializer(serializers.Serializer):
    """Every error: a sentence, a stable code, and field errors when input was invalid."""

    detail = serializers.CharField(help_text=_("What went wrong, for people."))
    code = serializers.CharField(
        help_text=_(
            "Stable machine-readable code, e.g. invalid, not_found, permission, "
            "two_person_rule, state, incomplete, locked, stale, precondition_required, "
            "throttled, not_rated, retracted."
        )
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages per invalid field (dotted for nested fields); empty otherwise."),
    )


_ERRORS_FOR_EVERY_OPERATION = {
    "400": _("Invalid parameters or body; `errors` says which."),
    "401": _("The credentials sent are invalid."),
    "403": _("Your role, or the workflow's two-person rule, does not allow this."),
    "404": _("Not found, or not visible to you."),
    "406": _("The Accept header asks for a format the API does not produce."),
    "429": _("Too many requests; retry after the seconds in Retry-After."),
}
_ERRORS_FOR_WRITES = {
    "409": _("The claim's state does not allow this; `detail` is the workflow's message."),
    "412": _("The If-Match ETag is not the current one: someone changed it since you read it."),
    "413": _("The request body is too large."),
    "415": _("Send JSON (Content-Type: application/json)."),
    "428": _("If-Match is required: send the ETag you read."),
}


def _error_example(code: str, detail, errors=None) -> OpenApiExample:
    return OpenApiExample(code, value={"detail": str(detail), "code": code, "errors": errors or {}})


def _error_examples() -> dict[str, OpenApiExample]:
    """Built when the schema is, so they are in the request's language."""
    return {
        "400": _error_example(
            "invalid",
            _("Some of the data sent is invalid; see errors."),
            {
                "rating": [
                    str(
                        _("Select a valid choice. That choice is not one of the available choices.")
                    )
                ]
            },
        ),
        "403": _error_example(
            "two_person_rule",
            _("You wrote this verdict; another editor must approve and publish it."),
        ),
        "404": _error_example("not_found", _("Not found.")),
        "409": _error_example("state", _("Only a claim in review can be published.")),
        "412": _error_example(
            "stale",
            _(
                "Someone else changed this claim after you read it (your copy: version 3, "
                "now: version 4). Fetch it again and retry."
            ),
        ),
        "428": _error_example(
            "precondition_required",
            _(
                "Send an If-Match header with the ETag you read, so your change cannot "
                "overwrite someone else's."
            ),
        ),
        "429": _error_example(
            "throttled", _("Request was throttled. Expected available in 42 seconds.")
        ),
    }


ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("Tag of this representation, for If-None-Match (reads) and If-Match (writes)."),
    response=["200", "201", "304"],
)
RETRY_AFTER_HEADER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    description=_("Seconds to wait before retrying."),
    response=["429"],
)
LOCATION_HEADER = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    description=_("Where the created or merged object is."),
    response=["201", "301"],
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("An ETag you hold: 304 Not Modified if it is still current."),
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_(
        "The ETag you read (from GET or your last write). Stale: 412 and nothing "
        "changes. Missing: 428."
    ),
)


class AutoSchema(openapi.AutoSchema):
    def get_description(self):
        # drf-spectacular falls back on any docstring in the view's classes:
        # that is how ApiRequestMixin's note for programmers became the
        # description of POST /claims/. Only our views' own docstrings (the
        # view's, a base view's, or the action method's) describe operations;
        # mixins' and the libraries' are about code.
        action = getattr(self.view, "action", None) or self.method.lower()
        for cls in type(self.view).__mro__:
            if not cls.__module__.startswith(("claims.", "sources.")):
                continue
            if cls.__name__.endswith("Mixin"):
                continue
            for doc in (
                getattr(cls.__dict__.get(action), "__doc__", None),
                cls.__dict__.get("__doc__"),
            ):
                if doc:
                    return inspect.cleandoc(doc)
        return ""

    def get_auth(self):
        auths = super().get_auth()
        # Reads are open to anonymous clients (they see what readers see);
        # drf-spectacular cannot know that from our permission classes.
        readable = all(
            getattr(permission, "anonymous_reads", False)
            for permission in self.view.get_permissions()
        )
        if self.method in SAFE_METHODS and readable and {} not in auths:
            auths.append({})
        return auths

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), ETAG_HEADER, RETRY_AFTER_HEADER]
        parameters.append(LOCATION_HEADER)
        if self.method in SAFE_METHODS:
            parameters.append(IF_NONE_MATCH)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = dict(_ERRORS_FOR_EVERY_OPERATION)
        if self.method in SAFE_METHODS:
            responses.setdefault("304", self._get_response_for_code(None, "304"))
            responses["304"]["description"] = str(
                _("Not Modified: the If-None-Match ETag is still current.")
            )
        else:
            errors.update(_ERRORS_FOR_WRITES)
        examples = _error_examples()
        for code, description in errors.items():
            if code not in responses:
                example = examples.get(code)
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(
                        ErrorSerializer,
                        description=description,
                        examples=[example] if example else [],
                    ),
                    code,
                )
        return responses


def add_api_description(result, generator, request, public):
    result["info"]["description"] = docs.DESCRIPTION
    return result


def allow_empty_query_values(result, generator, request, public):
    """`?rating=&page=` is what a web form sends for fields left blank: an empty
    query parameter counts as not given, as on the site's own list page."""
    for path in result["paths"].values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    parameter["allowEmptyValue"] = True
    return result


def bound_path_ids(result, generator, request, public):
    """Ids in paths are positive database keys; say so, so clients (and
    Schemathesis) know a negative or 20-digit id is not an address here."""
    for path in result["paths"].values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["in"] == "path" and schema.get("type") == "integer":
                    schema.update(minimum=1, maximum=MAX_ID)
    return result
