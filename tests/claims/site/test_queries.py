"""Acceptance 5: every public page runs a fixed number of queries, whether the
newsroom has published 2 fact-checks or 40 (with as many evidence items,
sources, sub-claims and corrections)."""

from decimal import Decimal

import pytest
from django.db import connection

from claims import services
from tests.claims.site.builders import publish_claim
from tests.claims.site.reading import page, text_of
from tests.factories import ClaimantFactory, SourceFactory, TopicFactory, rating

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    """These tests count the queries of rendering a page; a page served from
    the shared cache runs none (tests/claims/site/test_shared_cache.py)."""
    settings.READER_SHARED_CACHE = False


# Search results carry snippets: the matching quotes in one query, and on
# PostgreSQL one more for ts_headline, for any number of results. PostgreSQL
# also reads the query in the claims' languages first (claims.search._readings).
SEARCH_QUERIES = 3 if connection.vendor == "postgresql" else 1

# Queries per page, the same for 2 and for 40 fact-checks.
EXPECTED_QUERIES = {
    "/": 6,
    "/claims/": 6,
    "/claims/?q=wages&rating=false&claimant=pat&topic=wages&language=en"
    "&published_after=2000-01-01&published_before=2999-01-01&ordering=-published": 9
    + SEARCH_QUERIES,
    # The claim (asking whether it has corrections and sub-claims), its topics,
    # appearances, evidence, sub-claims, their topics, and their figures.
    "/claims/rich/": 7,
    "/es/claims/rich/": 7,
    "/claimants/pat/": 6,
    "/topics/wages/": 4,
    "/sources/source-0/": 7,  # + the versions of its text (issue 13)
    "/corrections/": 2,
    "/methodology/": 1,
    "/about/": 1,
    "/es/": 6,
    "/feeds/fact-checks.rss": 2,
    "/feeds/topics/wages.atom": 3,
    "/feeds/claimants/pat.rss": 3,
    "/sitemap.xml": 5,  # incl. which flat pages exist
    "/robots.txt": 0,
}


def build_newsroom(n: int, researcher, editor, editor2) -> None:
    """n published, corrected sub-claims of one rich claim that has n pieces of
    evidence (all reporting the same quantity) from n sources."""
    claimant = ClaimantFactory(slug="pat")
    topic = TopicFactory(slug="wages")
    sources = [SourceFactory(slug=f"source-{i}") for i in range(n)]

    rich = services.claim_create(
        by=researcher, text="Wages doubled", slug="rich", claimant=claimant, topics=[topic]
    )
    for i, source in enumerate(sources):
        services.appearance_create(claim=rich, by=researcher, source=source, quote=f"Q {i}")
        services.evidence_create(
            claim=rich,
            by=researcher,
            source=source,
            excerpt=f"E {i}",
            stance=("supports", "refutes", "context")[i % 3],
            note=f"Note {i}",
            figure_quantity="Average wage",
            figure_value=Decimal(100 + i),
            figure_unit="soles",
        )
    services.verdict_create(
        claim=rich, by=researcher, rating=rating("false"), conclusion="No.", explanation="No."
    )
    services.claim_submit(claim=rich, by=researcher)
    services.claim_publish(claim=rich, by=editor)

    for i in range(n):
        claim = services.claim_create(
            by=researcher,
            text=f"Wages claim {i}",
            claimant=claimant,
            topics=[topic],
            parent=rich,
        )
        services.appearance_create(claim=claim, by=researcher, source=sources[i], quote="Q")
        for source in (sources[i], sources[(i + 1) % n]):
            services.evidence_create(
                claim=claim, by=researcher, source=source, excerpt="E", stance="refutes"
            )
        services.verdict_create(
            claim=claim, by=researcher, rating=rating("false"), conclusion="C", explanation="X"
        )
        services.claim_submit(claim=claim, by=researcher)
        services.claim_publish(claim=claim, by=editor)
        correction = services.correction_propose(
            claim=claim, by=editor, kind="update", note="Updated.", rating=rating("mostly-false")
        )
        services.correction_publish(correction=correction, by=editor2)


@pytest.mark.parametrize("n", [2, 40])
def test_public_pages_run_a_fixed_number_of_queries(
    n, researcher, editor, editor2, client, django_assert_num_queries
):
    build_newsroom(n, researcher, editor, editor2)
    for url, expected in EXPECTED_QUERIES.items():
        assert client.get(url).status_code == 200, url  # warms per-process caches
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert response.status_code == 200, url
    # The pages really grew with n.
    rich = page(client.get("/claims/rich/"))
    assert len(rich.select("ul.evidence > li")) == n
    assert len(rich.select("section[aria-labelledby=sub-claims-title] .claim-row")) == n
    assert len(rich.select(".figure-chart__bar")) == n
    assert f"{n + 1} fact-checks" in text_of(page(client.get("/claims/")).find(id="results-title"))


def test_a_claim_without_corrections_or_sub_claims_reads_neither(
    researcher, editor, client, django_assert_num_queries
):
    """The page loads the claim's evidence already; its figures need no second
    read unless sub-claims add theirs (the rich claim above)."""
    sources = [SourceFactory() for _ in range(3)]
    claim = services.claim_create(by=researcher, text="Prices rose", slug="prices")
    services.appearance_create(claim=claim, by=researcher, source=sources[0], quote="Q")
    for i, source in enumerate(sources):
        services.evidence_create(
            claim=claim, by=researcher, source=source, excerpt="E", stance="refutes",
            figure_quantity="Price", figure_value=Decimal(10 + i), figure_unit="soles",
        )  # fmt: skip
    services.verdict_create(
        claim=claim, by=researcher, rating=rating("false"), conclusion="C", explanation="X"
    )
    services.claim_submit(claim=claim, by=researcher)
    services.claim_publish(claim=claim, by=editor)
    client.get("/claims/prices/")
    # The claim, its topics, appearances and evidence: it has no correction
    # and no sub-claim to read.
    with django_assert_num_queries(4):
        response = client.get("/claims/prices/")
    assert len(page(response).select(".figure-chart__bar")) == 3


def test_the_claim_page_leaves_what_readers_never_see_in_the_database(researcher, editor, client):
    """A source's stored text is a whole article; before, every evidence and
    appearance row of the page carried its source's (and its bookkeeping
    times, each parsed in Python)."""
    from django.test.utils import CaptureQueriesContext

    excerpts = "Excerpt 0 of Prices rose. Excerpt 1 of Prices rose. "
    article = excerpts + "An archived article. " * 20_000  # about 400 kB
    claim = publish_claim(
        researcher,
        editor,
        text="Prices rose",
        slug="prices",
        quote="An archived article.",
        sources=[SourceFactory(snapshot=article) for _ in range(2)],
    )
    never_selected = {
        "/claims/prices/": [
            '"sources_source"."snapshot"',
            '"sources_source"."link_next_check_at"',
            '"claims_claim"."search_vector"',
            '"claims_evidence"."created_at"',
        ],
        f"/api/v1/claims/{claim.pk}/": ['"sources_source"."snapshot"'],
    }
    for url, columns in never_selected.items():
        client.get(url)
        with CaptureQueriesContext(connection) as reads:
            response = client.get(url)
        assert response.status_code == 200
        selected = " ".join(query["sql"].split(" FROM ")[0] for query in reads.captured_queries)
        for column in columns:
            assert column not in selected, (url, column)
    # As loaded: by the page's own reads, and by the queryset the API detail
    # and the staff preview's shape share.
    from claims.selectors import claim_page, claim_page_queryset

    for loaded in [claim_page(slug="prices"), claim_page_queryset().get(pk=claim.pk)]:
        assert {"search_vector", "created_at"} <= loaded.get_deferred_fields()
        assert {"created_at", "updated_at"} <= loaded.published_verdict.get_deferred_fields()
        for item in [*loaded.public_evidence, *loaded.public_appearances]:
            assert "created_at" in item.get_deferred_fields()
            assert {"snapshot", "notes", "link_next_check_at"} <= (
                item.source.get_deferred_fields()
            )
