import pytest
from django.apps import apps
from django.db import connection

from tests.factories import UserFactory


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
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL set")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
