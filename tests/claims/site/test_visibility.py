"""Acceptance 3: nothing that is not public reaches any public URL.

A claim in each non-public state (draft, in review, retracted, merged away),
an unpublished correction and unpublished evidence and appearances are created
next to a public claim by the same claimant, on the same topic and citing the
same sources, so every page, feed and sitemap entry they could leak into
exists. Every public URL is then fetched, in both languages, including every
URL the sitemap lists, and none may carry their text or verdict.
"""

import html
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest

from claims import services
from claims.models import Claim
from tests.claims.site.builders import merge_into
from tests.factories import ClaimantFactory, SourceFactory, TopicFactory, rating

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def build_claim(researcher, *, token, claimant, topic, sources, state, editor=None):
    claim = services.claim_create(
        by=researcher,
        text=f"Claim {token}text about wages",
        claimant=claimant,
        topics=[topic],
    )
    services.appearance_create(
        claim=claim, by=researcher, source=sources[0], quote=f"Quote {token}quote"
    )
    for n, source in enumerate(sources):
        services.evidence_create(
            claim=claim,
            by=researcher,
            source=source,
            excerpt=f"Excerpt {n} {token}excerpt",
            stance="refutes",
        )
    services.verdict_create(
        claim=claim,
        by=researcher,
        rating=rating("mostly-false"),
        conclusion=f"Conclusion {token}verdict",
        explanation=f"Explanation {token}explanation",
    )
    if state == "draft":
        return claim
    claim = services.claim_submit(claim=claim, by=researcher)
    if state == "in_review":
        return claim
    return services.claim_publish(claim=claim, by=editor)


@pytest.fixture
def newsroom(researcher, editor, editor2):
    claimant = ClaimantFactory(name="Shared Claimant", slug="shared-claimant")
    topic = TopicFactory(name="Wages", slug="wages")
    sources = [SourceFactory(slug="source-a"), SourceFactory(slug="source-b")]
    common = {"claimant": claimant, "topic": topic, "sources": sources, "editor": editor}

    public = build_claim(researcher, token="zqxpublic", state="published", **common)
    build_claim(researcher, token="zqxdraft", state="draft", **common)
    build_claim(researcher, token="zqxreview", state="in_review", **common)
    retracted = build_claim(researcher, token="zqxretracted", state="published", **common)
    services.claim_retract(claim=retracted, by=editor, reason="Retraction notice zqxnotice")
    duplicate = build_claim(researcher, token="zqxmerged", state="published", **common)
    merge_into(duplicate, public)

    # A published claim with a pending correction and pending evidence/appearance.
    corrected = build_claim(researcher, token="zqxcorrected", state="published", **common)
    services.evidence_create(
        claim=corrected,
        by=researcher,
        source=sources[1],
        excerpt="Pending zqxpendingevidence excerpt",
        stance="supports",
        figure_quantity="Workers zqxpendingfigure",
        figure_value=12,
    )
    services.appearance_create(
        claim=corrected, by=researcher, source=sources[1], quote="Pending zqxpendingquote"
    )
    services.correction_propose(
        claim=corrected,
        by=editor,
        kind="correction",
        note="Pending note zqxpendingnote",
        rating=rating("true"),
        conclusion="New conclusion zqxpendingverdict",
    )
    return {
        "public": public,
        "retracted": Claim.objects.get(pk=retracted.pk),
        "corrected": corrected,
        "slugs": dict(Claim.objects.values_list("text", "slug")),
    }


NEVER_SHOWN = [
    # draft, in review: nothing of them
    *(
        f"{state}{part}"
        for state in ("zqxdraft", "zqxreview")
        for part in ("text", "quote", "excerpt", "verdict", "explanation")
    ),
    # merged: nothing of its own; its published quote moved to the claim it was
    # merged into, where it is one more appearance of that fact-check.
    *(f"zqxmerged{part}" for part in ("text", "excerpt", "verdict", "explanation")),
    # retracted: never the verdict, evidence or quotes
    "zqxretractedverdict",
    "zqxretractedexplanation",
    "zqxretractedexcerpt",
    "zqxretractedquote",
    # unpublished correction, evidence and appearance on a public claim
    "zqxpendingnote",
    "zqxpendingverdict",
    "zqxpendingevidence",
    "zqxpendingfigure",
    "zqxpendingquote",
]


def public_urls(client, newsroom) -> list[str]:
    claims = Claim.objects.all()
    pages = [
        "/",
        "/claims/",
        "/claims/?ordering=-modified",
        "/claimants/shared-claimant/",
        "/topics/wages/",
        "/sources/source-a/",
        "/sources/source-b/",
        "/corrections/",
        "/methodology/",
        "/about/",
        "/contact/",
        *(c.get_absolute_url() for c in claims),
        # search, for every word of every hidden item, and the filters
        *(f"/claims/?q={token}" for token in NEVER_SHOWN + ["zqxretractedtext", "wages"]),
        "/claims/?claimant=shared-claimant",
        "/claims/?topic=wages",
        "/claims/?rating=mostly-false",
        "/claims/?rating=true",
    ]
    feeds = [
        f"/feeds/{name}.{fmt}"
        for name in ("fact-checks", "topics/wages", "claimants/shared-claimant")
        for fmt in ("rss", "atom")
    ]
    urls = [*pages, *feeds]
    urls += ["/es" + url for url in urls]
    sitemap = client.get("/sitemap.xml")
    locs = [
        loc.text.removeprefix(SITE)
        for loc in ET.fromstring(sitemap.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    return ["/sitemap.xml", "/robots.txt", *urls, *locs]


def body_of(response) -> str:
    content = response.content.decode()
    # Feeds escape text twice; compare against every decoding.
    return "\n".join([content, html.unescape(content), html.unescape(html.unescape(content))])


def test_no_public_url_shows_anything_that_is_not_public(client, newsroom):
    retracted_page = newsroom["retracted"].get_absolute_url()
    seen_public = set()
    urls = public_urls(client, newsroom)
    assert len(urls) > 100
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 301, 404), (url, response.status_code)
        body = body_of(response).lower()
        # A search page echoes the reader's own words in the form; that is not a leak.
        for typed in parse_qs(urlsplit(url).query).get("q", []):
            body = body.replace(typed.lower(), "")
        leaks = [token for token in NEVER_SHOWN if token in body]
        assert not leaks, (url, leaks)
        if url.removeprefix("/es") != retracted_page:
            assert "zqxretractedtext" not in body, url
            assert "zqxnotice" not in body, url
        if "zqxpublictext" in body:
            seen_public.add(url)

    # The crawl can see what is public, so the absences above mean something.
    for url in ("/", "/claims/", "/feeds/fact-checks.rss", "/es/feeds/topics/wages.atom"):
        assert url in seen_public, url
    assert client.get("/claims/?q=zqxpublictext").content.lower().count(b"zqxpublictext") >= 1


def test_non_public_claims_answer_404_or_redirect_or_the_retraction_notice(client, newsroom):
    by_token = {
        re.search(r"zqx[a-z]+", text).group(0): slug for text, slug in newsroom["slugs"].items()
    }
    for token in ("zqxdraft", "zqxreview"):
        for prefix in ("", "/es"):
            assert client.get(f"{prefix}/claims/{by_token[token + 'text']}/").status_code == 404
    merged = client.get(f"/claims/{by_token['zqxmergedtext']}/")
    assert merged.status_code == 301 and merged["Location"] == newsroom["public"].get_absolute_url()
    assert merged.content == b""
    retracted = client.get(newsroom["retracted"].get_absolute_url())
    assert retracted.status_code == 200
    body = retracted.content.decode().lower()
    assert "zqxretractedtext" in body and "zqxnotice" in body
    assert "zqxretractedverdict" not in body and "mostly false" not in body


def test_pending_items_appear_once_a_correction_publishes_them(client, newsroom, editor2):
    corrected = newsroom["corrected"]
    correction = corrected.corrections.get()
    services.correction_publish(correction=correction, by=editor2)
    body = client.get(corrected.get_absolute_url()).content.decode().lower()
    for token in ("zqxpendingnote", "zqxpendingverdict", "zqxpendingevidence", "zqxpendingquote"):
        assert token in body, token
