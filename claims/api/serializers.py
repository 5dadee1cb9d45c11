"""Shapes of the API. Output serializers translate models to JSON; input
serializers validate the shape of a request and translate it into the keyword
arguments of a service or workflow function. None of them writes anything."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import workflow
from claims.forms import default_scale_ratings
from claims.markup import render_markdown
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimStatus,
    Correction,
    CorrectionKind,
    Evidence,
    EvidenceStance,
    ExternalReview,
    FigureQualifier,
    Rating,
    Topic,
    TransitionAction,
    Verdict,
)
from sources.models import Language, Publisher, Source

# --- Helpers ----------------------------------------------------------------------

NULLABLE_URI = {"type": "string", "format": "uri", "nullable": True}


def _absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _public_page(path: str) -> str:
    """A reader page's address on the configured site (SITE_URL), as in the
    ClaimReview and the sitemap, whatever host the API was called on."""
    return settings.SITE_URL.rstrip("/") + path


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


class FigureSerializer(serializers.Serializer):
    quantity = serializers.CharField(
        max_length=200, help_text=_("What the figure counts, worded the same for every source.")
    )
    qualifier = serializers.ChoiceField(
        choices=FigureQualifier.choices, default=FigureQualifier.EXACT
    )
    value = serializers.DecimalField(max_digits=20, decimal_places=4)
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

    class Meta:
        model = Correction
        fields = ["id", "kind", "note", "verdict", "published_at"]


# --- Claims ---------------------------------------------------------------------------


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
        help_text=_("Workflow steps you may take now (POST …/transitions/ or …/corrections/).")
    )
    submission_problems = serializers.SerializerMethodField(
        help_text=_("What is missing before a draft can be submitted.")
    )
    pending_verdict = serializers.SerializerMethodField(
        help_text=_("The verdict being written, or drafted by a pending correction.")
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, claim):
        return workflow.allowed_actions(claim=claim, user=self.context["request"].user)

    @extend_schema_field(ProblemSerializer(many=True))
    def get_submission_problems(self, claim):
        if claim.status != ClaimStatus.DRAFT:
            return []
        return ProblemSerializer(workflow.submission_problems(claim), many=True).data

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
