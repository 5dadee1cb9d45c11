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
