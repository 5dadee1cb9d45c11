"""The tipline for partner channels (a WhatsApp or Telegram bot the newsroom runs)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from claims.api.serializers.matching import SimilarClaimSerializer


class TipInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=settings.TIP_TEXT_MAX_CHARS,
        help_text=_("The claim (or link) as the reader sent it."),
    )
    seen_at = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Where the reader saw it, if they said."),
    )
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "The reader's address, only if they asked for email replies: they get the "
            "answer and one notice when a fact-check of their claim is published."
        ),
    )
    language = serializers.ChoiceField(
        choices=[("en", "en"), ("es", "es")],
        default="en",
        help_text=_("The language the reader wrote in; emails to them use it."),
    )


class TipAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The tip, for the newsroom's triage."))
    status = serializers.CharField(
        help_text=_(
            "`answered` when a published fact-check answers it (the results, or the claim "
            "earlier readers' tips became); `claimed` when it waits on a claim in progress; "
            "otherwise `new`."
        )
    )
    count = serializers.IntegerField()
    thresholds = serializers.DictField(child=serializers.FloatField())
    results = SimilarClaimSerializer(
        many=True, help_text=_("Published fact-checks only, best first.")
    )
