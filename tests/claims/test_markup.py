import threading

import pytest

from claims.markup import render_markdown


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
