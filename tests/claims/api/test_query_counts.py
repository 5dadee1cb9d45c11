"""Acceptance 5: the number of queries of every list endpoint does not grow
with the number of results, nor the claim detail's with its evidence."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.publication import publication_version
from claims.services import import_claimreviews
from tests.claims.api.conftest import client_for
from tests.factories import (
    SourceFactory,
    TopicFactory,
    UserFactory,
    make_draft,
    make_published,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    """These tests count the queries of rendering a page; a page served from
    the shared cache runs none (tests/claims/site/test_shared_cache.py)."""
    settings.READER_SHARED_CACHE = False


def queries(client, url, params=None) -> int:
    # The publication version is read from the cache, as between any two
    # requests in production (the first after a change reads it from its row).
    publication_version()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.content)
    return len(captured)


def add_claims(researcher, editor, count, offset):
    claims = []
    for n in range(offset, offset + count):
        topics = [TopicFactory(), TopicFactory()]
        claim = make_published(researcher, editor, text=f"Claim {n}", topics=topics)
        make_draft(researcher, text=f"Draft {n}")
        claims.append(claim)
    import_claimreviews(
        json.dumps(
            [
                {
                    "@type": "ClaimReview",
                    "url": f"https://other.example/{n}",
                    "claimReviewed": f"Claim {n}",
                    "reviewRating": {"alternateName": "False"},
                }
                for n in range(offset, offset + count)
            ]
        )
    )
    return claims


LIST_URLS = [
    ("/api/v1/claims/", None),
    ("/api/v1/claims/", {"q": "claim", "ordering": "-modified"}),
    ("/api/v1/claimants/", None),
    ("/api/v1/topics/", None),
    ("/api/v1/sources/", None),
    ("/api/v1/ratings/", None),
    ("/api/v1/claimreview-feed/", None),
]


@pytest.mark.parametrize("reader", ["anonymous", "researcher", "editor"])
def test_list_endpoints_make_a_constant_number_of_queries(reader, researcher, editor, anon):
    client = {
        "anonymous": anon,
        "researcher": client_for(researcher),
        "editor": client_for(editor),
    }[reader]
    urls = list(LIST_URLS)
    if reader != "anonymous":
        urls += [
            ("/api/v1/claims/", {"status": ["draft", "published"]}),
            ("/api/v1/external-reviews/", None),
        ]
    first = add_claims(researcher, editor, 2, 0)
    nested = [
        f"/api/v1/claims/{first[0].pk}/appearances/",
        f"/api/v1/claims/{first[0].pk}/evidence/",
        f"/api/v1/claims/{first[0].pk}/corrections/",
    ]
    small = {(url, str(params)): queries(client, url, params) for url, params in urls}
    small.update({(url, None): queries(client, url) for url in nested})
    add_claims(researcher, editor, 5, 2)
    for _ in range(4):
        source = SourceFactory()
        services.appearance_create(claim=first[0], by=researcher, source=source, quote="Again.")
        services.evidence_create(
            claim=first[0], by=researcher, source=source, excerpt="More", stance="context"
        )
    large = {(url, str(params)): queries(client, url, params) for url, params in urls}
    large.update({(url, None): queries(client, url) for url in nested})
    assert large == small
    assert max(large.values()) <= 12, large


@pytest.mark.parametrize("reader", ["anonymous", "researcher", "editor"])
def test_claim_detail_queries_do_not_grow_with_evidence(reader, researcher, editor, anon):
    client = {
        "anonymous": anon,
        "researcher": client_for(researcher),
        "editor": client_for(editor),
    }[reader]
    claim = make_published(researcher, editor)
    url = f"/api/v1/claims/{claim.pk}/"
    before = queries(client, url)
    for _ in range(6):
        source = SourceFactory()
        services.evidence_create(
            claim=claim, by=researcher, source=source, excerpt="More", stance="supports"
        )
        services.appearance_create(claim=claim, by=researcher, source=source, quote="Again.")
    correction = services.correction_propose(
        claim=claim, by=editor, kind="update", note="More evidence."
    )
    services.correction_publish(correction=correction, by=UserFactory(role="Editor"))
    assert len(client.get(url).json()["evidence"]) == 8
    assert queries(client, url) == before
    assert before <= 20
