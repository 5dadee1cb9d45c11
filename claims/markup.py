"""Safe rendering of the Markdown newsroom staff write (explanations, notes)."""

import threading
from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "a",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


_converters = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's converter. Building one costs twice what converting a
    paragraph does, and a claim page converts several; `reset()` clears what
    the last text left (Python-Markdown's documented way to reuse one)."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(
            extensions=["sane_lists"], output_format="html"
        )
    return converter.reset()


# The texts whose HTML a process keeps (render_markdown): a claim page's
# explanation, notes and corrections, for the claims being read (search
# results' explanations pass through too). The HTML is a function of the text
# alone, so what is kept is never stale. HTML can be several times longer than
# its text (measured on 10,000-character texts: prose 1.0x, links 2.7x, lists
# 2.8x, ampersands 3.0x, <autolinks> 4.5x), so the bound is on both: at most
# MARKDOWN_KEPT texts of at most MARKDOWN_KEPT_MAX_CHARS characters, under
# 256 x 55,000 characters (about 14 MB of Latin text) per process in the
# worst case; the demo's explanations, 270 characters on average and 518 at
# most, take a few hundred kB. Longer texts are converted every time.
MARKDOWN_KEPT = 256
MARKDOWN_KEPT_MAX_CHARS = 10_000


def _to_clean_html(text: str) -> str:
    html = _converter().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


_kept_clean_html = lru_cache(maxsize=MARKDOWN_KEPT)(_to_clean_html)


def forget_rendered_markdown() -> None:
    """Drop the kept HTML (for a test that counts conversions)."""
    _kept_clean_html.cache_clear()


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then sanitised: raw HTML, scripts, event handlers and
    javascript: links never survive.

    Converting costs a claim page about 0.7 ms of the 3.6 its rendering takes,
    for the same few texts on every view, so the HTML of recent texts is kept,
    keyed by the text itself (not by the record: an edit is a new text).
    """
    text = text or ""
    convert = _to_clean_html if len(text) > MARKDOWN_KEPT_MAX_CHARS else _kept_clean_html
    clean = convert(text)
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 in _to_clean_html
