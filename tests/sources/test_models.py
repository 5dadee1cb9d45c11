import hashlib

import pytest
from django.core.exceptions import ValidationError

from tests.factories import PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_urls_are_stored_normalised_and_unique_across_spellings():
    first = SourceFactory(url="HTTPS://News.example.org/story?utm_campaign=x#top")
    first.refresh_from_db()
    assert first.url == "https://news.example.org/story"
    duplicate = SourceFactory.build(url="https://news.example.org/story", publisher=first.publisher)
    with pytest.raises(ValidationError, match="already exists"):
        duplicate.full_clean()


def test_sources_without_url_do_not_collide():
    a = SourceFactory(url=None)
    b = SourceFactory(url="")
    assert a.url is None and b.url is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,x"])
def test_only_http_and_https_urls_are_accepted(url):
    source = SourceFactory.build(url=url, publisher=PublisherFactory())
    with pytest.raises(ValidationError, match="http"):
        source.full_clean()


def test_snapshot_hash_follows_the_snapshot():
    source = SourceFactory(snapshot="texto con acentos: Perú")
    assert source.snapshot_sha256 == hashlib.sha256("texto con acentos: Perú".encode()).hexdigest()
    source.snapshot = ""
    source.save()
    assert source.snapshot_sha256 == ""


def test_source_without_snapshot_accepts_any_excerpt():
    assert SourceFactory(snapshot="").contains_excerpt("anything")
