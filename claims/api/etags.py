"""Entity tags: conditional GET (304) and lost-update protection (If-Match).

A single object's ETag is `"<id>.<version>.<digest>"`: the `version` is the
same counter the admin uses (one version mechanism for both doors) and the
digest is a hash of the representation, so the tag changes whenever anything
shown changes (a colleague's new evidence, a renamed claimant). A list's ETag
is the digest of the page it answers with.

A write names the version it was made from through If-Match; the view passes
it to the service as `expected_version`, which compares it under the row lock.
Only the id and version of the tag take part in that check, exactly like the
admin's hidden version field: a colleague adding evidence does not make your
edit of the wording stale, but a colleague editing the wording does.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from rest_framework.utils.encoders import JSONEncoder

from claims.api.exceptions import PreconditionFailed, PreconditionRequired
from claims.site.caching import SharedResponse, etag_matches, not_modified

_OBJECT_TAG = re.compile(r'^(?:W/)?"(\d+)\.(\d+)\.[0-9a-f]+"$')
SAFE = {"GET", "HEAD"}


def digest(data, media_type: str = "") -> str:
    payload = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{media_type}\n{payload}".encode()).hexdigest()[:32]


def entity_tag(data, *, media_type: str = "", obj=None) -> str:
    if obj is None:
        return f'"{digest(data, media_type)}"'
    return f'"{obj.pk}.{obj.version}.{digest(data, media_type)}"'


def expected_version(request, obj) -> int:
    """The version of `obj` the client read, from If-Match.

    Missing: 428. Not a tag of this object: 412. Several tags: the one naming
    the current version wins, so a client holding it is not refused; the
    service still compares it under the row lock.
    """
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        raise PreconditionRequired()
    if header == "*":
        raise PreconditionRequired(
            _(
                "If-Match: * is not accepted: it would let your change overwrite "
                "someone else's. Send the ETag you read."
            )
        )
    versions = []
    for tag in parse_etags(header):
        match = _OBJECT_TAG.match(tag)
        if match and int(match.group(1)) == obj.pk:
            versions.append(int(match.group(2)))
    if not versions:
        raise PreconditionFailed(
            _("The If-Match header does not carry an ETag of this %(object)s.")
            % {"object": obj._meta.verbose_name}
        )
    return obj.version if obj.version in versions else versions[0]


def check_version(obj, version: int) -> None:
    """For a composite version the services cannot check (a correction together
    with its drafted verdict): compare it here, on rows the caller has locked in
    the same transaction."""
    if obj.version != version:
        raise PreconditionFailed(
            _(
                "Someone else changed this %(object)s after you read it (your copy: "
                "version %(yours)s, now: version %(current)s). Fetch it again and retry."
            )
            % {"object": obj._meta.verbose_name, "yours": version, "current": obj.version},
            code="stale",
        )


class _Answered(Exception):  # noqa: N818 - flow control, not an error
    """Carries a response found before the view ran out of `initial()`."""

    def __init__(self, response):
        self.response = response


class ConditionalResponseMixin:
    """ETag on every successful response with a body; 304 for a GET whose
    If-None-Match names it. Views set `self.etag_object` for single objects.

    Anonymous reads are shared (claims/site/caching.py): after DRF has
    authenticated, throttled and negotiated the format, the ETag comes from
    the publication version and the URL, so a 304 or a stored response is
    answered without running the view; a response rendered once is stored
    for every anonymous client after. The newsroom's reads are never shared
    and keep the digest of what they show. Either way a single object's tag
    names the object and its version, which If-Match needs."""

    etag_object = None
    shared_response = None
    answered_from_cache = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.shared_response = None
        self.answered_from_cache = False
        media_type = getattr(request, "accepted_media_type", "") or ""
        if (
            request.method in SAFE
            and not (request.user and request.user.is_authenticated)
            and not media_type.startswith("text/html")
        ):
            self.shared_response = SharedResponse(request, representation=media_type)
            answer = self.shared_response.lookup(request)
            if answer is not None:
                raise _Answered(answer)

    def handle_exception(self, exc):
        if isinstance(exc, _Answered):
            self.answered_from_cache = True
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Accept-Language", "Authorization", "Cookie"])
        if request.user and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, no_cache=True)
        if self.answered_from_cache:
            return response
        if not (200 <= response.status_code < 300) or getattr(response, "data", None) is None:
            return response
        if self.shared_response is not None:
            response["ETag"] = self.shared_response.etag_for(self.etag_object)
            if response.status_code == 200:
                response.render()
                self.shared_response.store(request, response)
                if etag_matches(request, response["ETag"]):  # If-None-Match: *
                    return not_modified(response)
            return response
        etag = entity_tag(
            response.data,
            media_type=getattr(response, "accepted_media_type", "") or "",
            obj=self.etag_object,
        )
        response["ETag"] = etag
        if request.method in SAFE and response.status_code == 200 and etag_matches(request, etag):
            return not_modified(response)
        return response
