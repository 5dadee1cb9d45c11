"""Helpers and references to related objects, shared by the API's shapes."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import (
    Claim,
    Claimant,
    Topic,
)
from claims.site.links import site_url
from sources.models import Publisher, Source

# --- Helpers ----------------------------------------------------------------------

NULLABLE_URI = {"type": "string", "format": "uri", "nullable": True}


def _absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _public_page(path: str) -> str:
    """A reader page's address on the configured site (SITE_URL), as in the
    ClaimReview and the sitemap, whatever host the API was called on."""
    return site_url(path)


def _items(obj, name: str) -> list:
    """Prefetched rows: the newsroom's (everything) when the view fetched them,
    else the public ones from `claims.selectors.claim_page_queryset()`."""
    newsroom = getattr(obj, f"newsroom_{name}", None)
    return newsroom if newsroom is not None else getattr(obj, f"public_{name}", [])


def claim_api_path(claim_id: int) -> str:
    return reverse("api:claim-detail", kwargs={"pk": claim_id})


# --- References to related objects ------------------------------------------------


class ClaimantRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claimant
        fields = ["id", "slug", "name", "kind"]


class TopicRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", help_text=_("In the request's language."))

    class Meta:
        model = Topic
        fields = ["id", "slug", "name"]


class RatingRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    label = serializers.CharField(source="display_label")
    value = serializers.IntegerField(
        allow_null=True,
        help_text=_("Null for an outcome that is not a rating (Not checkable, opinion)."),
    )
    best = serializers.IntegerField(source="scale.best_value")
    worst = serializers.IntegerField(source="scale.worst_value")


# The references above as plain dicts, for read paths that build rows by hand
# (ClaimSummarySerializer.to_representation); tests/claims/api/test_lean_reads.py
# holds them to the serializers' output.
def claimant_ref(claimant: Claimant) -> dict:
    return {
        "id": claimant.pk,
        "slug": claimant.slug,
        "name": claimant.name,
        "kind": claimant.kind,
    }


def topic_ref(topic: Topic) -> dict:
    return {"id": topic.pk, "slug": topic.slug, "name": topic.display_name}


def rating_ref(rating) -> dict:
    return {
        "slug": rating.slug,
        "label": rating.display_label,
        "value": rating.value,
        "best": rating.scale.best_value,
        "worst": rating.scale.worst_value,
    }


class RatingBriefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    label = serializers.CharField(source="display_label")
    value = serializers.IntegerField(allow_null=True)


class PublisherRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publisher
        fields = ["id", "slug", "name", "url"]


class SourceRefSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text=_("Where to read it: its own address, else its archived copy.")
    )
    publisher = PublisherRefSerializer()
    page_url = serializers.SerializerMethodField(
        help_text=_("This newsroom's page for the source, with its stored text.")
    )

    class Meta:
        model = Source
        fields = ["id", "slug", "title", "url", "publisher", "page_url"]

    @extend_schema_field(NULLABLE_URI)
    def get_url(self, source) -> str | None:
        return source.citation_url or None

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, source) -> str:
        return _public_page(source.get_absolute_url())


class ClaimRefSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "slug", "text", "api_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, claim) -> str:
        return _absolute(self.context, claim_api_path(claim.pk))
