"""Canonical forms for source URLs and quoted text.

A source is identified by its URL, so two spellings of the same address
(`HTTP://Example.com:80/a?utm_source=x#top` and `http://example.com/a`) must
collapse to one. How excerpts are compared with a source's text is in
`sources.excerpts`.
"""

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ALLOWED_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING_PARAMS = {"fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ref_src"}


def normalize_url(url: str) -> str:
    """Return the canonical spelling of an http(s) URL.

    Lower-cases scheme and host, drops default ports, fragments and tracking
    parameters, and sorts the remaining query parameters. Anything that is not
    an http(s) URL is returned stripped but otherwise untouched, so the
    validator can reject it with a clear message.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES or not parts.hostname:
        return url
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if parts.username or parts.password:
        userinfo = parts.username or ""
        if parts.password:
            userinfo += f":{parts.password}"
        host = f"{userinfo}@{host}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING_PARAMS
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


_TRAILING_SPACE = re.compile(r"[ \t\f\v\u00a0]+$", re.MULTILINE)


def normalize_snapshot_text(text: str) -> str:
    """The form a source's text is stored and hashed in.

    Line endings become LF (browsers submit textareas with CRLF), trailing
    whitespace goes from every line and from the end, and the text is put in
    Unicode NFC, so saving a source unchanged never changes its hash.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return _TRAILING_SPACE.sub("", text).strip("\n")


def text_sha256(text: str) -> str:
    """SHA-256 of the normalised text, hex; empty text has no fingerprint."""
    text = normalize_snapshot_text(text)
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""
