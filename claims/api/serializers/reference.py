"""Reference data: claimants, topics, sources, ratings."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers.common import SourceRefSerializer, _absolute, _public_page
from claims.models import (
    Claimant,
    Rating,
    Topic,
)
from sources.models import Source

# --- Reference data -------------------------------------------------------------------


class ClaimantSerializer(serializers.ModelSerializer):
    page_url = serializers.SerializerMethodField()
    claims_url = serializers.SerializerMethodField(help_text=_("Their fact-checks in the API."))

    class Meta:
        model = Claimant
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "role",
            "description",
            "country",
            "page_url",
            "claims_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, claimant) -> str:
        return _public_page(claimant.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_claims_url(self, claimant) -> str:
        return _absolute(self.context, f"{reverse('api:claim-list')}?claimant={claimant.slug}")


class TopicSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", help_text=_("In the request's language."))
    page_url = serializers.SerializerMethodField()
    claims_url = serializers.SerializerMethodField(help_text=_("Its fact-checks in the API."))

    class Meta:
        model = Topic
        fields = ["id", "slug", "name", "description", "page_url", "claims_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, topic) -> str:
        return _absolute(self.context, topic.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_claims_url(self, topic) -> str:
        return _absolute(self.context, f"{reverse('api:claim-list')}?topic={topic.slug}")


class SourceSerializer(SourceRefSerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "slug",
            "title",
            "url",
            "archive_url",
            "publisher",
            "authors",
            "published_on",
            "retrieved_on",
            "language",
            "kind",
            "snapshot_sha256",
            "page_url",
        ]


class RatingScaleRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    best = serializers.IntegerField(source="best_value")
    worst = serializers.IntegerField(source="worst_value")
    is_default = serializers.BooleanField()


class RatingSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="display_label")
    definition = serializers.CharField(source="display_definition")
    value = serializers.IntegerField(
        allow_null=True, help_text=_("Null for an outcome that is not a rating.")
    )
    is_rating = serializers.BooleanField(
        help_text=_("False for 'Not checkable (opinion)': it is never published as ClaimReview.")
    )
    scale = RatingScaleRefSerializer()

    class Meta:
        model = Rating
        fields = ["slug", "label", "definition", "value", "is_rating", "order", "colour", "scale"]
