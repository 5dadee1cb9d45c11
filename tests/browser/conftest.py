"""Playwright (sync API) driving Debian's chromium against pytest-django's
live server. Without /usr/bin/chromium these tests fail, unless
VERAZ_SKIP_BROWSER=1 says to skip them knowingly."""

import pytest
from django.db import connections

from tests.browser.reader import require_chromium

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium(monkeypatch):
    executable = require_chromium()
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # test makes between browser steps are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Connections the test opened while Playwright's loop ran belong to
            # that context; close them here, or PostgreSQL cannot drop the
            # test database at the end of the run.
            connections.close_all()
