"""One error shape for every failure the API reports:

    {"detail": "<sentence for people>", "code": "<stable machine code>",
     "errors": {"<field>": ["<message>", ...]}}

`errors` is empty unless the input had invalid fields (nested fields are
joined with dots, list positions are numbers: `figure.value`, `topics.1`).
The workflow's own errors keep their message and code: a rejected transition
is 409, a step the role (or the two-person rule) does not allow is 403, and a
change made from a stale copy is 412. Model validation errors are 400.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from claims.exceptions import NotPermitted, StaleVersion, WorkflowError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The claim is not in a state that allows this.")
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "This changed since you read it. Fetch it again (GET) and retry with the new ETag."
    )
    default_code = "stale"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Send an If-Match header with the ETag you read, so your change cannot "
        "overwrite someone else's."
    )
    default_code = "precondition_required"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class DocumentRejected(exceptions.APIException):
    """A ClaimReview document that cannot be imported as a whole (nothing written)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This document cannot be imported.")
    default_code = "invalid_document"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = _("This is no longer available.")
    default_code = "gone"


INVALID_INPUT = _("Some of the data sent is invalid; see errors.")


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, StaleVersion):
        return PreconditionFailed(exc.message, code=exc.code)
    if isinstance(exc, NotPermitted):
        return exceptions.PermissionDenied(exc.message, code=exc.code)
    if isinstance(exc, WorkflowError):  # TransitionRejected and any other refusal
        return Conflict(exc.message, code=exc.code)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"dotted.field": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key
            for name, messages in flatten_errors(
                value, f"{prefix}.{key}" if prefix else str(key)
            ).items():
                flat.setdefault(name, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            flat.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).extend(
                str(item) for item in detail
            )
        else:
            for index, item in enumerate(detail):
                if item:
                    name = f"{prefix}.{index}" if prefix else str(index)
                    for key, messages in flatten_errors(item, name).items():
                        flat.setdefault(key, []).extend(messages)
    else:
        flat.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).append(str(detail))
    return flat


def error_body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        return {
            "detail": str(INVALID_INPUT),
            "code": "invalid",
            "errors": flatten_errors(exc.detail),
        }
    detail = exc.detail
    code = getattr(detail, "code", None) or exc.default_code
    if isinstance(detail, dict | list):  # an APIException raised with structured detail
        return {"detail": str(exc.default_detail), "code": code, "errors": flatten_errors(detail)}
    return {"detail": str(detail), "code": code, "errors": {}}


def api_exception_handler(exc, context):
    # Imported here: rest_framework.views loads the parser classes from
    # settings, and claims.api.parsers uses this module's exceptions.
    from rest_framework.views import exception_handler

    exc = _translate(exc)
    response = exception_handler(exc, context)
    if response is not None:
        response.data = error_body(exc)
    return response
