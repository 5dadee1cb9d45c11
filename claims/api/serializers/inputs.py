"""Input shapes: each validates a request and becomes a service's keyword
arguments. None of them writes anything."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from claims.admin.forms import default_scale_ratings
from claims.api.serializers.content import FigureSerializer
from claims.models import (
    Claim,
    Claimant,
    CorrectionKind,
    EvidenceStance,
    FigureQualifier,
    Rating,
    Topic,
    TransitionAction,
)
from sources.models import Language, Source

# --- Input --------------------------------------------------------------------------------


# Input text fields keep `trim_whitespace=False`: DRF would otherwise trim
# before checking `max_length`, accepting more than the schema's maxLength
# promises. The services strip what they store.


class RelatedBySlugField(serializers.SlugRelatedField):
    """A related object by slug (or username), where "" is an error, not null.

    DRF turns "" into null for related fields; the schema (and a client) reads
    `minLength: 1`, so a blank value is refused: send null to clear the field.
    """

    def run_validation(self, data=serializers.empty):
        if data == "":
            self.fail("blank")
        return super().run_validation(data)

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "blank": _("This field may not be blank; send null to leave it empty."),
    }


class ClaimInputSerializer(serializers.Serializer):
    """A new draft, or (PATCH) the fields to change. Related objects by slug,
    the parent claim by id, the assigned researcher by username."""

    text = serializers.CharField(trim_whitespace=False, max_length=500)
    claimant = RelatedBySlugField(
        slug_field="slug", queryset=Claimant.objects.all(), allow_null=True, required=False
    )
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    first_made_on = serializers.DateField(allow_null=True, required=False)
    context = serializers.CharField(
        trim_whitespace=False, allow_blank=True, required=False, max_length=20000
    )
    topics = RelatedBySlugField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False
    )
    assigned_to = RelatedBySlugField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True, is_staff=True),
        allow_null=True,
        required=False,
        help_text=_("Username of the newsroom member to assign; null or absent: nobody."),
    )
    true_as_of = serializers.DateField(allow_null=True, required=False)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(), allow_null=True, required=False
    )


class AppearanceInputSerializer(serializers.Serializer):
    source = RelatedBySlugField(slug_field="slug", queryset=Source.objects.all())
    quote = serializers.CharField(trim_whitespace=False, max_length=20000)
    appeared_on = serializers.DateField(allow_null=True, required=False)
    speaker = RelatedBySlugField(
        slug_field="slug", queryset=Claimant.objects.all(), allow_null=True, required=False
    )


class EvidenceInputSerializer(serializers.Serializer):
    source = RelatedBySlugField(slug_field="slug", queryset=Source.objects.all())
    excerpt = serializers.CharField(trim_whitespace=False, max_length=20000)
    stance = serializers.ChoiceField(choices=EvidenceStance.choices)
    note = serializers.CharField(
        trim_whitespace=False, allow_blank=True, required=False, max_length=20000
    )
    figure = FigureSerializer(
        allow_null=True, required=False, help_text=_("Null removes the figure.")
    )

    def to_service_data(self) -> dict:
        data = dict(self.validated_data)
        if "figure" in data:
            figure = data.pop("figure") or {}
            data.update(
                figure_quantity=figure.get("quantity", ""),
                figure_qualifier=figure.get("qualifier", FigureQualifier.EXACT),
                figure_value=figure.get("value"),
                figure_unit=figure.get("unit", ""),
                figure_as_of=figure.get("as_of"),
            )
        return data


class VerdictInputSerializer(serializers.Serializer):
    rating = RelatedBySlugField(
        slug_field="slug",
        queryset=default_scale_ratings(),
        help_text=_("Rating slug from the default scale, e.g. false (see /api/v1/ratings/)."),
    )
    conclusion = serializers.CharField(trim_whitespace=False, max_length=300)
    explanation = serializers.CharField(
        trim_whitespace=False, max_length=50000, help_text=_("Markdown.")
    )


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            (TransitionAction.SUBMIT, TransitionAction.SUBMIT.label),
            (TransitionAction.REQUEST_CHANGES, TransitionAction.REQUEST_CHANGES.label),
            (TransitionAction.PUBLISH, TransitionAction.PUBLISH.label),
            (TransitionAction.RETRACT, TransitionAction.RETRACT.label),
        ]
    )
    comment = serializers.CharField(
        trim_whitespace=False,
        allow_blank=True,
        required=False,
        default="",
        max_length=5000,
        help_text=_(
            "Required for request_changes (what to change) and retract (the public notice)."
        ),
    )


class CorrectionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CorrectionKind.choices)
    note = serializers.CharField(
        trim_whitespace=False, max_length=5000, help_text=_("The public note.")
    )
    rating = RelatedBySlugField(slug_field="slug", queryset=Rating.objects.all(), required=False)
    conclusion = serializers.CharField(trim_whitespace=False, max_length=300, required=False)
    explanation = serializers.CharField(trim_whitespace=False, max_length=50000, required=False)
    text = serializers.CharField(
        trim_whitespace=False,
        max_length=500,
        required=False,
        help_text=_("A corrected wording of the claim."),
    )
    context = serializers.CharField(
        trim_whitespace=False,
        max_length=50000,
        required=False,
        allow_blank=True,
        help_text=_("A corrected context of the claim (empty to remove it)."),
    )
    claimant = RelatedBySlugField(
        slug_field="slug",
        queryset=Claimant.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A corrected claimant (null for an unattributed claim)."),
    )
