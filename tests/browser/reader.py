"""A reader's browser tab for the browser tests."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"

# Collects the Content-Security-Policy violations the page reports: markup
# smuggled in through claim text would be blocked, and reported, here.
WATCH_PAGE = """
window.__veraz = {violations: []};
document.addEventListener("securitypolicyviolation", (event) => {
  window.__veraz.violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def require_chromium(executable: Path = CHROMIUM) -> Path:
    """Debian's chromium, or a clear failure; a skip only when asked for."""
    if executable.is_file() and os.access(executable, os.X_OK):
        return executable
    if os.environ.get("VERAZ_SKIP_BROWSER") == "1":
        pytest.skip("VERAZ_SKIP_BROWSER=1: browser tests skipped on purpose")
    pytest.fail(
        f"Browser tests need Debian's chromium at {executable}: run "
        "'apt-get install -y chromium' (make test does it as root), or set "
        "VERAZ_SKIP_BROWSER=1 to skip them knowingly."
    )


class Reader:
    """A browser tab that fails the test on console errors, page errors, CSP
    violations, failed requests, dialogs and responses over 399."""

    def __init__(self, browser, base_url: str, *, width: int = 1280, height: int = 900):
        self.base_url = base_url
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=base_url
        )
        self.page = self.context.new_page()
        self.page.add_init_script(WATCH_PAGE)
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console",
            lambda m: m.type in ("error", "warning") and self.problems.append(f"console: {m.text}"),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", self._request_failed)
        self.page.on(
            "response",
            lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"),
        )
        self.page.on("dialog", self._dialog)

    def _request_failed(self, request) -> None:
        # Leaving a page aborts what it was still loading (its favicon, which
        # the load event does not wait for): not a problem of the page. A
        # missing resource still shows as its HTTP status, a refused one as
        # its own error or a console message.
        if request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"failed: {request.url} ({request.failure})")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self) -> None:
        """No problem on the page so far."""
        violations = self.page.evaluate("window.__veraz.violations")
        assert not violations, violations
        assert not self.problems, self.problems
        assert not self.dialogs, self.dialogs

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        # Headless Chromium on a busy machine sometimes answers a full-page
        # capture with "Unable to capture screenshot" (its compositor missed
        # a frame); the page itself is fine, so the capture is tried again.
        for attempt in range(3):
            try:
                self.page.screenshot(path=str(path), full_page=True)
                return path
            except PlaywrightError as error:
                if "Unable to capture screenshot" not in str(error) or attempt == 2:
                    raise
                self.page.wait_for_timeout(500)
        return path

    def close(self) -> None:
        self.context.close()
