"""What a fact-check is made of: appearances, evidence, verdicts, corrections."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers.common import (
    ClaimantRefSerializer,
    RatingBriefSerializer,
    RatingRefSerializer,
    SourceRefSerializer,
    _absolute,
)
from claims.markup import render_markdown
from claims.models import (
    CORRECTABLE_PARTS,
    Appearance,
    Correction,
    Evidence,
    FigureQualifier,
    Verdict,
)
from claims.models.content import plain_decimal

# --- Content of a fact-check ------------------------------------------------------


class AppearanceSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()
    speaker = ClaimantRefSerializer(allow_null=True)
    source = SourceRefSerializer()
    published_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_("When it became public; null while it is newsroom work in progress."),
    )

    class Meta:
        model = Appearance
        fields = ["id", "api_url", "quote", "appeared_on", "speaker", "source", "published_at"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, item) -> str:
        return _absolute(
            self.context,
            reverse("api:appearance-detail", kwargs={"claim_pk": item.claim_id, "pk": item.pk}),
        )


class FigureValueField(serializers.DecimalField):
    """The stored figure without the column's padding: "200", not "200.0000"."""

    def to_representation(self, value):
        return format(plain_decimal(Decimal(value)), "f")


class FigureSerializer(serializers.Serializer):
    quantity = serializers.CharField(
        max_length=200, help_text=_("What the figure counts, worded the same for every source.")
    )
    qualifier = serializers.ChoiceField(
        choices=FigureQualifier.choices, default=FigureQualifier.EXACT
    )
    value = FigureValueField(max_digits=20, decimal_places=4)
    unit = serializers.CharField(max_length=50, allow_blank=True, default="")
    as_of = serializers.DateField(allow_null=True, default=None)


class EvidenceSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()
    source = SourceRefSerializer()
    figure = serializers.SerializerMethodField(
        help_text=_("A figure the source reports, so conflicting numbers can be compared.")
    )
    published_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_("When it became public; null while it is newsroom work in progress."),
    )

    class Meta:
        model = Evidence
        fields = ["id", "api_url", "stance", "excerpt", "note", "figure", "source", "published_at"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, item) -> str:
        return _absolute(
            self.context,
            reverse("api:evidence-detail", kwargs={"claim_pk": item.claim_id, "pk": item.pk}),
        )

    @extend_schema_field(FigureSerializer(allow_null=True))
    def get_figure(self, item):
        if not item.has_figure:
            return None
        return FigureSerializer(
            {
                "quantity": item.figure_quantity,
                "qualifier": item.figure_qualifier or FigureQualifier.EXACT,
                "value": item.figure_value,
                "unit": item.figure_unit,
                "as_of": item.figure_as_of,
            }
        ).data


class VerdictSerializer(serializers.ModelSerializer):
    rating = RatingRefSerializer()
    explanation = serializers.CharField(help_text=_("Markdown, as written."))
    explanation_html = serializers.SerializerMethodField(
        help_text=_("The explanation rendered to sanitised HTML.")
    )
    published_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Null while the verdict is being written or reviewed.")
    )

    class Meta:
        model = Verdict
        fields = [
            "number",
            "rating",
            "conclusion",
            "explanation",
            "explanation_html",
            "published_at",
        ]

    def get_explanation_html(self, verdict) -> str:
        return str(render_markdown(verdict.explanation))


class VerdictBriefSerializer(serializers.ModelSerializer):
    rating = RatingBriefSerializer()

    class Meta:
        model = Verdict
        fields = ["number", "rating", "conclusion"]


class CorrectionSerializer(serializers.ModelSerializer):
    verdict = VerdictBriefSerializer(
        allow_null=True,
        help_text=_("The new verdict version it introduced, if the verdict changed."),
    )
    published_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Null while the correction waits for a second editor.")
    )

    changed = serializers.ListField(
        source="changed_fields",
        child=serializers.ChoiceField(choices=list(CORRECTABLE_PARTS)),
        read_only=True,
        help_text=_(
            "What the correction changed: text (the wording), claimant, context, "
            "rating, conclusion, explanation."
        ),
    )
    summary = serializers.CharField(
        source="change_summary",
        read_only=True,
        help_text=_("What changed, in words, as the public page says it."),
    )

    class Meta:
        model = Correction
        fields = ["id", "kind", "note", "changed", "summary", "verdict", "published_at"]
