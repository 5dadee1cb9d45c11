"""Claim matching."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from claims.api.serializers.claims import ClaimSummarySerializer
from sources.models import Language

# --- Claim matching -------------------------------------------------------------------


class SimilarClaimsQuerySerializer(serializers.Serializer):
    text = serializers.CharField(
        trim_whitespace=False,
        max_length=500,
        help_text=_("The claim as the newsroom would word it."),
    )
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        help_text=_("The claim's language; guessed from its words when not given."),
    )
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)
    exclude = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text=_("A claim id to leave out (the claim being edited)."),
    )


class SimilarClaimSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text=_("0 to 1; higher is more alike."))
    level = serializers.ChoiceField(
        choices=[("possible", "possible"), ("likely", "likely")],
        help_text=_("`likely`: very likely the same claim; `possible`: worth a look."),
    )
    claim = ClaimSummarySerializer()


class SimilarClaimsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    thresholds = serializers.DictField(child=serializers.FloatField())
    results = SimilarClaimSerializer(many=True)
