import os

import pytest
from django.apps import apps
from django.db import connection
from django.template import Context
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered
from hypothesis import settings as hypothesis_settings

from tests.factories import UserFactory

# Property tests explore new inputs on every local run; CI replays a fixed
# sequence (derandomize), so a red CI always means a change broke something.
# A failure found locally is kept in .hypothesis/ and should become a test.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("VERAZ_HYPOTHESIS_PROFILE", "default"))

_render_jinja2 = jinja2_backend.Template.render


def _render_jinja2_signalled(self, context=None, request=None):
    """Django's test environment reports every Django template it renders
    (template_rendered: response.templates, response.context); the reader
    pages are Jinja2 templates (claims/site/rendering/), so their renders are
    reported too: each page's template and each part rendered on its own
    (the layout's parts), not what a template includes or extends."""
    template_rendered.send(sender=self, template=self.template, context=Context(context or {}))
    return _render_jinja2(self, context, request)


jinja2_backend.Template.render = _render_jinja2_signalled


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English, whatever the previous one activated."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def unthrottled(settings):
    """API rate limits and cached counters start empty in every test: throttling
    has its own tests (tests/claims/api/test_throttling.py); elsewhere a limit reached by
    earlier tests would make results depend on their order."""
    from django.core.cache import cache

    settings.API_ANON_THROTTLE_RATE = None
    settings.API_USER_THROTTLE_RATE = None
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def researcher(db):
    return UserFactory(username="rita", role="Researcher")


@pytest.fixture
def editor(db):
    return UserFactory(username="eddie", role="Editor")


@pytest.fixture
def editor2(db):
    return UserFactory(username="edna", role="Editor")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def outsider(db):
    """Staff account with no role at all."""
    return UserFactory(username="otto")


def database_snapshot() -> dict:
    """Every row of every project table, to prove a refused step changed nothing."""
    snapshot = {}
    for model in apps.get_models():
        # The publication version is the reader cache's bookkeeping: a service
        # that ran moves it even when it changed nothing (readers then get a
        # fresh render of the same page, never a wrong one).
        if model._meta.label == "claims.PublicationVersion":
            continue
        if model._meta.app_label in {"claims", "sources"}:
            snapshot[model._meta.label] = sorted(
                model._base_manager.values_list(), key=lambda row: repr(row)
            )
    return snapshot


@pytest.fixture
def unchanged_database(db):
    """Use as `with unchanged_database(): <refused step>`."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = database_snapshot()
        yield
        assert database_snapshot() == before

    return check


def pytest_collection_modifyitems(config, items):
    # A transactional test (live_server, threads) empties the database when it
    # ends. Without serialized rollback the rows the migrations created (roles,
    # the rating scale, site pages) would be gone for every later test, and the
    # next test that does restore them would collide with the content types
    # the flush recreated. So every transactional test restores them.
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and marker.kwargs.get("transaction")
        if transactional or "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(
                pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False
            )
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL set")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
