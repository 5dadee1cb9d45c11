from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request to /es/ leaves
    Spanish active in the test's thread, which would leak into the next test's
    `get_absolute_url()` and labels."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def demo(db):
    """The demo newsroom: every state, a correction, a retraction, conflicting figures."""
    call_command("load_demo", stdout=StringIO())
