import pytest

from sources.excerpts import text_contains_excerpt
from sources.normalization import normalize_url


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://Example.COM/Path", "https://example.com/Path"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a#section", "https://example.com/a"),
        ("https://example.com/a?utm_source=x&b=2&a=1&fbclid=z", "https://example.com/a?a=1&b=2"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)
def test_equal_addresses_normalise_to_one_spelling(raw, canonical):
    assert normalize_url(raw) == canonical


def test_non_http_urls_are_left_for_the_validator_to_reject():
    assert normalize_url("javascript:alert(1)") == "javascript:alert(1)"


def test_excerpt_matching_ignores_whitespace_but_not_words():
    text = "about 30 foreigners\n\nremain   in the region"
    assert text_contains_excerpt(text, "30 foreigners remain in the region")
    assert not text_contains_excerpt(text, "40 foreigners remain")
    assert not text_contains_excerpt(text, "   ")
