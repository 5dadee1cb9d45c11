import threading

import pytest

from claims import markup
from claims.markup import forget_rendered_markdown, render_markdown


@pytest.fixture(autouse=True)
def nothing_kept():
    forget_rendered_markdown()
    yield
    forget_rendered_markdown()


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        "<style>body{display:none}</style>",
    ],
)
def test_markdown_never_keeps_script_or_handlers(hostile):
    html = str(render_markdown(hostile)).lower()
    for needle in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style", "<img"):
        assert needle not in html


def test_markdown_keeps_emphasis_lists_and_safe_links():
    html = str(render_markdown("**Falso**: see [IOM](https://www.iom.int/)\n\n- one\n- two"))
    assert "<strong>Falso</strong>" in html
    assert 'href="https://www.iom.int/"' in html and 'rel="nofollow noopener noreferrer"' in html
    assert html.count("<li>") == 2


def test_one_converter_serves_every_text_without_carrying_state(monkeypatch):
    import markdown

    built = []
    original = markdown.Markdown

    def counting(*args, **kwargs):
        built.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(markdown, "Markdown", counting)
    monkeypatch.setattr("claims.markup._converters", threading.local(), raising=False)
    first = str(render_markdown("See [the report][r].\n\n[r]: https://example.org/report"))
    second = str(render_markdown("See [the report][r].\n\n1. one\n2. two"))
    assert len(built) == 1
    assert 'href="https://example.org/report"' in first
    # The first text's link reference does not resolve in the second.
    assert "example.org" not in second and "[the report][r]" in second
    assert second.count("<li>") == 2


@pytest.fixture
def conversions(monkeypatch):
    """The texts actually converted (not served from what the process keeps)."""
    converted = []
    original = markup._converter

    def counting():
        converter = original()
        convert = converter.convert

        class Counting:
            def convert(self, text):
                converted.append(text)
                return convert(text)

        return Counting()

    monkeypatch.setattr(markup, "_converter", counting)
    return converted


def test_a_text_is_converted_once_and_its_html_kept(conversions):
    text = "**Falso**: see [IOM](https://www.iom.int/)"
    first, second = render_markdown(text), render_markdown(text)
    assert first == second and "<strong>Falso</strong>" in first
    assert conversions == [text]
    # An edited text is another text: converted, never the old HTML.
    edited = render_markdown(text.replace("Falso", "Engañoso"))
    assert "<strong>Engañoso</strong>" in edited and "Falso" not in edited
    assert len(conversions) == 2


def test_what_is_kept_is_sanitised_too(conversions):
    for _ in range(2):
        html = str(render_markdown('<a href="javascript:alert(1)">x</a><script>x</script>'))
        assert "javascript:" not in html and "<script" not in html
    assert len(conversions) == 1


def test_what_is_kept_is_bounded(conversions, monkeypatch):
    long = "word " * (markup.MARKDOWN_KEPT_MAX_CHARS // 5 + 1)
    render_markdown(long)
    render_markdown(long)
    assert conversions == [long, long]  # a long text is never kept
    for number in range(markup.MARKDOWN_KEPT + 10):
        render_markdown(f"text {number}")
    assert markup._kept_clean_html.cache_info().currsize == markup.MARKDOWN_KEPT


def test_empty_and_missing_text_render_as_nothing():
    assert render_markdown("") == "" and render_markdown(None) == ""
