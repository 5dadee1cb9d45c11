"""Fuzz the ClaimReview importer: any document, however shaped, is either
refused whole or imported item by item; never a crash, never a half-written
review."""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from claims.claimreview.parse import ImportRejected, claimreview_items
from claims.models import ExternalReview
from claims.services import import_claimreviews
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    any_text,
)
any_json = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=20,
)
# Plausible ClaimReviews with every field possibly wrong.
maybe = lambda strategy: st.one_of(strategy, any_json)  # noqa: E731
urls = st.one_of(
    st.builds(lambda s: f"https://factcheck.example/{s}", st.text("abc/-%é", max_size=12)),
    st.just("javascript:alert(1)"),
    st.just("ftp://x.example/a"),
    any_text,
)
ratings = st.fixed_dictionaries(
    {},
    optional={
        "@type": maybe(st.just("Rating")),
        "ratingValue": maybe(st.one_of(st.integers(-3, 12), st.floats(-1e9, 1e9), any_text)),
        "bestRating": maybe(st.integers(-3, 12)),
        "worstRating": maybe(st.integers(-3, 12)),
        "alternateName": maybe(any_text),
    },
)
claimreviews = st.fixed_dictionaries(
    {"@type": maybe(st.just("ClaimReview")), "url": maybe(urls)},
    optional={
        "@context": maybe(st.just("https://schema.org")),
        "claimReviewed": maybe(any_text),
        "datePublished": maybe(st.one_of(st.dates().map(str), any_text)),
        "reviewRating": maybe(ratings),
        "author": maybe(
            st.one_of(
                st.fixed_dictionaries({"name": maybe(any_text), "url": maybe(urls)}),
                st.lists(st.fixed_dictionaries({"name": any_text}), max_size=3),
            )
        ),
        "itemReviewed": maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "@type": st.just("Claim"),
                    "appearance": maybe(st.lists(st.fixed_dictionaries({"url": urls}), max_size=3)),
                    "author": maybe(st.fixed_dictionaries({"name": any_text})),
                },
            )
        ),
    },
)
documents = st.one_of(
    any_json,
    claimreviews,
    st.lists(claimreviews, max_size=5),
    st.builds(
        lambda items: {"@type": "DataFeed", "dataFeedElement": items},
        st.lists(
            st.one_of(claimreviews, st.builds(lambda r: {"item": r}, claimreviews)), max_size=5
        ),
    ),
)


def assert_every_review_is_whole():
    for review in ExternalReview.objects.all():
        assert review.url.startswith(("http://", "https://")), review.url
        assert review.claim_reviewed.strip()
        if review.normalized_rating is not None:
            assert 0.0 <= review.normalized_rating <= 1.0
            assert math.isfinite(review.rating_value)


@FUZZ
@given(document=documents)
def test_importer_never_crashes_or_half_writes(editor, document):
    raw = json.dumps(document)
    before = database_snapshot()
    try:
        report = import_claimreviews(raw, by=editor)
    except ImportRejected:
        assert database_snapshot() == before
        return
    # Every item is accounted for: imported (or unchanged), or reported.
    assert len(report.imported) + len(report.problems) == len(claimreview_items(document))
    assert_every_review_is_whole()


@FUZZ
@given(
    body=st.one_of(
        documents.map(json.dumps), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))
    )
)
def test_import_endpoint_never_answers_500(editor, body):
    client = APIClient()
    client.force_authenticate(editor)
    before = database_snapshot()
    response = client.post(
        "/api/v1/imports/claimreview/", data=body, content_type="application/json"
    )
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert database_snapshot() == before
    assert_every_review_is_whole()
