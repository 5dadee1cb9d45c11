"""No side doors: every admin and API URL, posted to as a researcher and as an
editor, writes to the record only through a service.

Every URL pattern under admin/ and api/ is taken from the resolver (nothing is
listed by hand, so a new view is covered the day it is added), filled in with
real objects of the demo newsroom, read, then sent back what it showed (a
form's own fields, an API object's own representation) by POST, PATCH and
DELETE. A recorder on the database connection notes every INSERT, UPDATE and
DELETE on a table that readers' pages are built from (claims, sources, flat
pages); a write made while no service (`claims.services.base.service`) is
running is a side door, and fails the test.
"""

import re
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path

import config.urls
from claims import services
from claims.demo import DemoNewsroom
from claims.models import Claim, ClaimStatus, Correction, CorrectionKind
from claims.services.base import running_services
from claims.services.tips import tip_submit
from sources.models import Source
from tests.claims.api.conftest import client_for
from tests.factories import make_ready_claim
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

WATCHED_TABLES = re.compile(r"^(claims_|sources_|django_flatpage)")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class WriteRecorder:
    """Notes each write to a watched table made outside every service."""

    def __init__(self):
        self.url = None
        self.side_doors: list[tuple[str, str]] = []
        self.service_writes = 0

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and WATCHED_TABLES.match(match.group(1)):
            if running_services():
                self.service_writes += 1
            else:
                self.side_doors.append((self.url, sql[:160]))
        return execute(sql, params, many, context)


@contextmanager
def recording():
    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        yield recorder


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def newsroom_routes() -> list[str]:
    return sorted(
        {
            route
            for route in _walk(get_resolver().url_patterns)
            if route.startswith(("admin/", "api/"))
        }
    )


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


class Values:
    """Real values for each URL parameter, chosen by what the route is about."""

    def __init__(self, draft: Claim, corrected: Claim, researcher):
        self.claims = [draft, corrected]
        self.researcher = researcher

    def model_of(self, route: str):
        match = re.match(r"admin/(\w+)/(\w+)/", route)
        if not match:
            return None
        try:
            return apps.get_model(match.group(1), match.group(2))
        except LookupError:
            return None

    def first_pk(self, model) -> str:
        first = model._default_manager.order_by("pk").first() if model else None
        return str(first.pk) if first else "1"

    def for_param(self, route: str, name: str, chosen: dict) -> list[str]:
        model = self.model_of(route)
        if name == "object_id":
            if route.startswith("admin/r/"):
                return [str(self.claims[1].pk)]
            if model is Claim:
                return [str(c.pk) for c in self.claims]
            return [self.first_pk(model)]
        if name == "version_id":
            obj = model._default_manager.get(pk=chosen["object_id"]) if model else None
            history = getattr(obj, "history", None)
            return [str(history.earliest().history_id)] if history is not None else ["1"]
        if name == "action":
            return list(services.STEP_ACTIONS)
        if name == "decision":
            return ["publish", "discard"]
        if name == "content_type_id":
            return [str(ContentType.objects.get_for_model(Claim).pk)]
        if name == "app_label":
            return ["claims", "sources"]
        if name == "url":
            return ["no-such-page/"]
        if name == "id":
            return [str(self.researcher.pk)]
        if name == "claim_pk":
            return [str(c.pk) for c in self.claims]
        if name == "kind":
            return ["warc", "screenshot", "pdf"]
        if name == "pk":
            if model is not None:
                return [self.first_pk(model)]
            if "claim_pk" in chosen:
                claim = Claim.objects.get(pk=chosen["claim_pk"])
                related = {
                    "appearances": claim.appearances,
                    "evidence": claim.evidence,
                    "corrections": Correction.objects.filter(claim=claim),
                }
                for segment, queryset in related.items():
                    if f"/{segment}/" in route:
                        first = queryset.order_by("pk").first()
                        return [str(first.pk)] if first else ["1"]
            if "/claims/" in route:
                return [str(c.pk) for c in self.claims]
            for segment, label in {"external-reviews": "claims.ExternalReview"}.items():
                if segment in route:
                    return [self.first_pk(apps.get_model(label))]
            return ["1"]
        if name == "slug":
            for segment, label in {
                "claimants": "claims.Claimant",
                "topics": "claims.Topic",
                "sources": "sources.Source",
                "ratings": "claims.Rating",
            }.items():
                if f"/{segment}/" in route:
                    first = apps.get_model(label)._default_manager.order_by("pk").first()
                    return [first.slug]
            return ["x"]
        raise AssertionError(f"No value for <{name}> in {route}: teach the side-door test")

    def urls(self, route: str) -> list[str]:
        filled = [("/" + route.replace("^", "").replace("$", ""), {})]
        for match in PARAM.finditer(route):
            name = match.group(1) or match.group(2)
            expanded = []
            for url, chosen in filled:
                for value in self.for_param(route, name, chosen):
                    expanded.append(
                        (PARAM.sub(lambda m, v=value: v, url, count=1), {**chosen, name: value})
                    )
            filled = expanded
        return [url for url, _ in filled]


# What a client would send to the API's collections, which have no object to echo.
PLAUSIBLE_BODIES = {
    "/api/v1/claims/": {"text": "A claim a bot logged.", "language": "en"},
    "/api/v1/tips/": {"text": "Is the border crisis over?", "language": "en"},
}


def exercise(url: str, user, recorder: WriteRecorder) -> list[str]:
    """Read `url`, then send back what it showed; returns any 500s."""
    from django.test import Client

    errors = []
    recorder.url = url
    if url.startswith("/admin/"):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        page = client.get(url)
        data = form_data(page) if page.status_code == 200 else {}
        model = None
        if url.endswith("/admin/") or re.fullmatch(r"/admin/\w+/\w+/", url):
            # A change list: every bulk action on the first object.
            model_admin = next(
                (
                    ma
                    for m, ma in admin.site._registry.items()
                    if url == f"/admin/{m._meta.app_label}/{m._meta.model_name}/"
                ),
                None,
            )
            if model_admin is not None:
                model = model_admin.model
                first = model._default_manager.order_by("pk").first()
                for action in model_admin.get_actions(page.wsgi_request) if first else []:
                    response = client.post(
                        url,
                        {"action": action, "_selected_action": [first.pk], "post": "yes"},
                    )
                    if response.status_code >= 500:
                        errors.append(f"POST {url} action={action}: {response.status_code}")
        for body in (data, {**data, "post": "yes"}):
            response = client.post(url, body)
            if response.status_code >= 500:
                errors.append(f"POST {url}: {response.status_code}")
    else:
        client = client_for(user)
        client.raise_request_exception = False
        page = client.get(url)
        etag = page.get("ETag", '"0"')
        try:
            body = page.json() if page.status_code == 200 else {}
        except ValueError:
            body = {}
        if isinstance(body, dict) and "results" in body:
            body = {}
        body = body or PLAUSIBLE_BODIES.get(url, {})
        for method in (client.post, client.patch, client.put, client.delete):
            response = method(url, body, format="json", HTTP_IF_MATCH=etag)
            if response.status_code >= 500:
                errors.append(f"{method.__name__.upper()} {url}: {response.status_code}")
    return errors


@pytest.fixture
def newsroom(researcher, editor, editor2):
    DemoNewsroom(with_users=False).load()
    draft = make_ready_claim(researcher, text="A draft with everything it needs.")
    corrected = Claim.objects.filter(status=ClaimStatus.PUBLISHED).order_by("pk").first()
    services.correction_propose(
        claim=corrected, by=editor, kind=CorrectionKind.UPDATE, note="A newer count."
    )
    # A reader's tip for the triage actions, and a source with an address for
    # the capture action (a closed local port: the capture fails, and says so).
    tip_submit(text="Is the border crisis over?")
    Source.objects.filter(pk=Source.objects.order_by("pk").first().pk).update(
        url="http://127.0.0.1:9/closed"
    )
    return Values(draft, corrected, researcher)


def test_every_admin_and_api_write_goes_through_a_service(newsroom, researcher, editor, superuser):
    routes = newsroom_routes()
    assert any(r.startswith("admin/claims/claim/") for r in routes)
    assert any(r.startswith("api/v1/") for r in routes)
    errors = []
    with recording() as recorder:
        for user in (researcher, editor, superuser):
            for route in routes:
                for url in newsroom.urls(route):
                    errors += exercise(url, user, recorder)
    doors = sorted({(url, sql[:60]) for url, sql in recorder.side_doors})
    assert doors == [], "\n".join(map(str, doors))
    assert errors == []
    # Not vacuous: the requests above did write, through services.
    assert recorder.service_writes > 10


def _side_door(request):
    from claims.models import Claimant

    Claimant.objects.filter(pk=Claimant.objects.order_by("pk").first().pk).update(
        name="Renamed behind the services' back"
    )
    return HttpResponse("done")


# Used only by the test below, as ROOT_URLCONF: the site plus one side door.
urlpatterns = [path("admin/side-door/", _side_door), *config.urls.urlpatterns]


def test_the_side_door_test_finds_a_view_that_writes_directly(newsroom, editor):
    """A test of the test: a view that saves a model itself is reported."""
    with override_settings(ROOT_URLCONF=__name__):
        routes = newsroom_routes()
        assert "admin/side-door/" in routes
        with recording() as recorder:
            exercise("/admin/side-door/", editor, recorder)
        assert recorder.side_doors and recorder.side_doors[0][0] == "/admin/side-door/"
