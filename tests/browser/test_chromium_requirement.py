"""Without chromium the browser tests fail loudly; they skip only on request."""

import pytest

from tests.browser.reader import require_chromium


def test_missing_chromium_fails_with_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("VERAZ_SKIP_BROWSER", raising=False)
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        require_chromium(tmp_path / "chromium")


def test_missing_chromium_skips_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("VERAZ_SKIP_BROWSER", "1")
    with pytest.raises(pytest.skip.Exception):
        require_chromium(tmp_path / "chromium")


def test_an_executable_chromium_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("VERAZ_SKIP_BROWSER", "1")
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert require_chromium(fake) == fake
