"""Claims: a list row, the full fact-check, a retraction, a merge."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import services
from claims.api.serializers.common import (
    NULLABLE_URI,
    ClaimantRefSerializer,
    ClaimRefSerializer,
    RatingRefSerializer,
    TopicRefSerializer,
    _absolute,
    _items,
    _public_page,
    claim_api_path,
    claimant_ref,
    rating_ref,
    topic_ref,
)
from claims.api.serializers.content import (
    AppearanceSerializer,
    CorrectionSerializer,
    EvidenceSerializer,
    VerdictSerializer,
)
from claims.models import (
    Claim,
    ClaimStatus,
)

# --- Claims ---------------------------------------------------------------------------

_MISSING = object()


class ClaimSummarySerializer(serializers.ModelSerializer):
    """A list row."""

    url = serializers.SerializerMethodField(
        help_text=_("The public page; null for a claim that has none (not yet published).")
    )
    api_url = serializers.SerializerMethodField()
    claimant = ClaimantRefSerializer(allow_null=True)
    topics = TopicRefSerializer(many=True)
    rating = serializers.SerializerMethodField(help_text=_("The published rating."))
    conclusion = serializers.SerializerMethodField(help_text=_("The published conclusion."))
    modified_at = serializers.DateTimeField(
        source="public_updated_at",
        allow_null=True,
        help_text=_("Last published change: publication, correction or retraction."),
    )
    repetitions_since_rating = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "How often the claim was repeated after we rated it: its published "
            "appearances dated after the day of first publication."
        ),
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "slug",
            "url",
            "api_url",
            "text",
            "language",
            "status",
            "claimant",
            "topics",
            "rating",
            "conclusion",
            "first_made_on",
            "published_at",
            "modified_at",
            "true_as_of",
            "repetitions_since_rating",
        ]

    def to_representation(self, claim):
        """The same row as the declared fields give (tests/claims/api/
        test_lean_reads.py compares them), built by hand: a list page is twenty
        of these, and the generic path walks every field, every nested
        serializer and the rating's own serializer once per row. The fields
        above stay the schema's source of truth."""
        fields = self.fields
        verdict = claim.published_verdict
        claimant = claim.claimant
        date = fields["first_made_on"].to_representation
        moment = fields["published_at"].to_representation
        row = {
            "id": claim.pk,
            "slug": claim.slug,
            "url": self.get_url(claim),
            "api_url": self.get_api_url(claim),
            "text": claim.text,
            "language": claim.language,
            "status": claim.status,
            "claimant": None if claimant is None else claimant_ref(claimant),
            "topics": [topic_ref(topic) for topic in claim.topics.all()],
            "rating": None if verdict is None else rating_ref(verdict.rating),
            "conclusion": None if verdict is None else verdict.conclusion,
            "first_made_on": None if claim.first_made_on is None else date(claim.first_made_on),
            "published_at": None if claim.published_at is None else moment(claim.published_at),
            "modified_at": (
                None if claim.public_updated_at is None else moment(claim.public_updated_at)
            ),
            "true_as_of": None if claim.true_as_of is None else date(claim.true_as_of),
        }
        # Left out, as the declared field leaves it, where the queryset did not
        # annotate it (a claim found by the matcher, say).
        repetitions = getattr(claim, "repetitions_since_rating", _MISSING)
        if repetitions is not _MISSING:
            row["repetitions_since_rating"] = repetitions
        return row

    @extend_schema_field(NULLABLE_URI)
    def get_url(self, claim) -> str | None:
        if not claim.has_public_page:
            return None
        return _public_page(claim.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, claim) -> str:
        return _absolute(self.context, claim_api_path(claim.pk))

    @extend_schema_field(RatingRefSerializer(allow_null=True))
    def get_rating(self, claim):
        verdict = claim.published_verdict
        return RatingRefSerializer(verdict.rating).data if verdict else None

    def get_conclusion(self, claim) -> str | None:
        verdict = claim.published_verdict
        return verdict.conclusion if verdict else None


class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class NewsroomInfoSerializer(serializers.Serializer):
    """What only newsroom staff see: work in progress and what they may do next."""

    version = serializers.IntegerField()
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    assigned_to = serializers.CharField(source="assigned_to.username", allow_null=True)
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    allowed_actions = serializers.SerializerMethodField(
        help_text=_(
            "What you may do now: workflow steps (POST …/transitions/), proposing a "
            "correction (POST …/corrections/), and publish_correction or "
            "discard_correction for the pending one (POST …/corrections/<id>/publish/ "
            "or …/discard/)."
        )
    )
    submission_problems = serializers.SerializerMethodField(
        help_text=_("What is missing before a draft can be submitted.")
    )
    pending_verdict = serializers.SerializerMethodField(
        help_text=_("The verdict being written, or drafted by a pending correction.")
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, claim):
        return services.allowed_actions(claim=claim, user=self.context["request"].user)

    @extend_schema_field(ProblemSerializer(many=True))
    def get_submission_problems(self, claim):
        if claim.status != ClaimStatus.DRAFT:
            return []
        return ProblemSerializer(services.submission_problems(claim), many=True).data

    @extend_schema_field(VerdictSerializer(allow_null=True))
    def get_pending_verdict(self, claim):
        pending = getattr(claim, "pending_verdicts", [])
        return VerdictSerializer(pending[0], context=self.context).data if pending else None


class ClaimDetailSerializer(ClaimSummarySerializer):
    """The full fact-check."""

    parent = serializers.SerializerMethodField(
        help_text=_("The vaguer claim this one makes precise, if any.")
    )
    sub_claims = serializers.SerializerMethodField()
    appearances = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    verdict = serializers.SerializerMethodField(help_text=_("The published verdict."))
    corrections = serializers.SerializerMethodField()
    claimreview_url = serializers.SerializerMethodField(
        help_text=_("Its ClaimReview JSON-LD; null when it has none (unpublished, or an opinion).")
    )
    newsroom = serializers.SerializerMethodField(
        help_text=_("Newsroom-only information; null for readers.")
    )

    class Meta(ClaimSummarySerializer.Meta):
        fields = [
            *ClaimSummarySerializer.Meta.fields,
            "context",
            "parent",
            "sub_claims",
            "appearances",
            "evidence",
            "verdict",
            "corrections",
            "claimreview_url",
            "newsroom",
        ]

    def to_representation(self, claim):
        """The list row (built by hand), then what only the detail shows."""
        row = super().to_representation(claim)
        for name in self.Meta.fields[len(ClaimSummarySerializer.Meta.fields) :]:
            field = self.fields[name]
            attribute = field.get_attribute(claim)
            row[name] = None if attribute is None else field.to_representation(attribute)
        return row

    @property
    def _for_newsroom(self) -> bool:
        return bool(self.context.get("newsroom"))

    @extend_schema_field(ClaimRefSerializer(allow_null=True))
    def get_parent(self, claim):
        parent = claim.parent
        if parent is None or not (self._for_newsroom or parent.is_public):
            return None
        return ClaimRefSerializer(parent, context=self.context).data

    @extend_schema_field(ClaimRefSerializer(many=True))
    def get_sub_claims(self, claim):
        return ClaimRefSerializer(_items(claim, "sub_claims"), many=True, context=self.context).data

    @extend_schema_field(AppearanceSerializer(many=True))
    def get_appearances(self, claim):
        return AppearanceSerializer(
            _items(claim, "appearances"), many=True, context=self.context
        ).data

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, claim):
        return EvidenceSerializer(_items(claim, "evidence"), many=True, context=self.context).data

    @extend_schema_field(VerdictSerializer(allow_null=True))
    def get_verdict(self, claim):
        verdict = claim.published_verdict
        return VerdictSerializer(verdict, context=self.context).data if verdict else None

    @extend_schema_field(CorrectionSerializer(many=True))
    def get_corrections(self, claim):
        return CorrectionSerializer(_items(claim, "corrections"), many=True).data

    @extend_schema_field(NULLABLE_URI)
    def get_claimreview_url(self, claim) -> str | None:
        verdict = claim.published_verdict
        if not claim.is_public or verdict is None or not verdict.rating.is_rating:
            return None
        return _absolute(self.context, reverse("api:claim-claimreview", kwargs={"pk": claim.pk}))

    @extend_schema_field(NewsroomInfoSerializer(allow_null=True))
    def get_newsroom(self, claim):
        if not self._for_newsroom:
            return None
        return NewsroomInfoSerializer(claim, context=self.context).data


class RetractedClaimSerializer(ClaimSummarySerializer):
    """A retracted fact-check answers with its retraction notice, not its verdict."""

    # Another set of fields than a list row: the generic path.
    to_representation = serializers.ModelSerializer.to_representation

    retracted_at = serializers.DateTimeField()
    retraction_notice = serializers.CharField(source="retraction_reason")

    class Meta(ClaimSummarySerializer.Meta):
        fields = [
            "id",
            "slug",
            "url",
            "api_url",
            "text",
            "language",
            "status",
            "claimant",
            "published_at",
            "modified_at",
            "retracted_at",
            "retraction_notice",
        ]


class MergedClaimSerializer(serializers.Serializer):
    """Body of the 301 a merged duplicate answers with."""

    detail = serializers.CharField()
    code = serializers.CharField()
    merged_into = serializers.IntegerField()
    location = serializers.URLField()
