"""Imported reviews and import reports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from claims.models import (
    ExternalReview,
)

# --- ClaimReview import --------------------------------------------------------------


class ExternalReviewSerializer(serializers.ModelSerializer):
    claim = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ExternalReview
        fields = [
            "id",
            "url",
            "publisher_name",
            "publisher_url",
            "claim_reviewed",
            "claimant_name",
            "claim_date",
            "appearance_urls",
            "rating_label",
            "rating_value",
            "best_rating",
            "worst_rating",
            "normalized_rating",
            "summary",
            "language",
            "date_published",
            "date_modified",
            "claim",
            "first_imported_at",
            "last_imported_at",
        ]


class ExternalReviewQuerySerializer(serializers.Serializer):
    linked = serializers.ChoiceField(choices=["true", "false"], required=False)
    claim = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class ImportedItemSerializer(serializers.Serializer):
    position = serializers.CharField(help_text=_("JSON Pointer to the item in the document."))
    outcome = serializers.ChoiceField(choices=["created", "updated", "unchanged"])
    id = serializers.IntegerField()
    url = serializers.URLField()


class ImportProblemSerializer(serializers.Serializer):
    position = serializers.CharField(help_text=_("JSON Pointer to the item in the document."))
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    imported = ImportedItemSerializer(many=True)
    problems = ImportProblemSerializer(
        many=True, help_text=_("Items not imported, with why; nothing of them was written.")
    )
    warnings = ImportProblemSerializer(
        many=True, help_text=_("Items imported with a field left out, with why.")
    )
