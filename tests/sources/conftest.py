import pytest

from tests.sources.web import LocalWeb


@pytest.fixture
def web():
    with LocalWeb() as server:
        yield server


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
