"""The claim list row and detail are built by hand for speed
(ClaimSummarySerializer.to_representation); they must give exactly what the
declared fields give, which the OpenAPI schema describes."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from claims.api.serializers import (
    ClaimDetailSerializer,
    ClaimSummarySerializer,
    RatingRefSerializer,
)
from claims.selectors import (
    claim_page_queryset,
    newsroom_claim_queryset,
    public_claims,
    with_repetitions,
)
from tests.factories import TopicFactory, make_draft, make_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(researcher, editor, editor2):
    topic = TopicFactory(name="Economy", name_es="Economía")
    full = make_published(
        researcher,
        editor,
        text="Exports doubled.",
        topics=[topic],
        first_made_on=datetime.date(2026, 1, 2),
    )
    bare = make_published(researcher, editor2, text="Nobody said this.", claimant=None)
    make_draft(researcher, text="Still a draft.")
    return [full, bare]


def generic(serializer, claim):
    """What the declared fields give, through DRF's generic path."""
    return serializers.ModelSerializer.to_representation(serializer, claim)


def context(user=None):
    request = APIRequestFactory().get("/api/v1/claims/")
    request.user = user or AnonymousUser()
    return {"request": request}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_list_row_is_what_the_declared_fields_give(claims, language):
    with translation.override(language):
        rows = list(with_repetitions(public_claims()))
        assert len(rows) == 2
        for claim in rows:
            serializer = ClaimSummarySerializer(context=context())
            assert serializer.to_representation(claim) == generic(serializer, claim)
            assert list(serializer.to_representation(claim)) == list(generic(serializer, claim))


def test_a_row_without_the_repetition_count_leaves_it_out_as_before(claims):
    claim = public_claims().first()
    serializer = ClaimSummarySerializer(context=context())
    row = serializer.to_representation(claim)
    assert "repetitions_since_rating" not in row
    assert row == generic(serializer, claim)


@pytest.mark.parametrize("newsroom", [False, True])
def test_the_detail_is_what_the_declared_fields_give(claims, newsroom, editor):
    queryset = newsroom_claim_queryset() if newsroom else claim_page_queryset()
    for claim in queryset.filter(pk__in=[c.pk for c in claims]):
        serializer = ClaimDetailSerializer(
            context={**context(editor if newsroom else None), "newsroom": newsroom}
        )
        assert serializer.to_representation(claim) == generic(serializer, claim)


def test_the_api_list_builds_no_serializer_per_row(claims, anon):
    with mock.patch.object(
        RatingRefSerializer, "__init__", autospec=True, side_effect=AssertionError("per row")
    ):
        response = anon.get("/api/v1/claims/")
    assert response.status_code == 200
    assert {row["text"] for row in response.json()["results"]} == {
        "Exports doubled.",
        "Nobody said this.",
    }
