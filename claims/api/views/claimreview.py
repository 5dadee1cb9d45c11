"""ClaimReview out (the feed) and in (imports of other fact-checkers' reviews)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api import examples
from claims.api.etags import ConditionalResponseMixin
from claims.api.exceptions import DocumentRejected, PayloadTooLarge
from claims.api.parsers import ClaimReviewDocumentParser, ClaimReviewLDDocumentParser
from claims.api.permissions import (
    ExternalReviewPermission,
    ImportPermission,
)
from claims.api.renderers import JSONLDRenderer
from claims.api.serializers import (  # noqa: F401
    AppearanceInputSerializer,
    AppearanceSerializer,
    ClaimantSerializer,
    ClaimDetailSerializer,
    ClaimInputSerializer,
    ClaimSummarySerializer,
    CorrectionInputSerializer,
    CorrectionSerializer,
    EvidenceInputSerializer,
    EvidenceSerializer,
    ExternalReviewQuerySerializer,
    ExternalReviewSerializer,
    ImportReportSerializer,
    MergedClaimSerializer,
    RatingSerializer,
    RetractedClaimSerializer,
    SimilarClaimsQuerySerializer,
    SimilarClaimsSerializer,
    SourceSerializer,
    TopicSerializer,
    TransitionInputSerializer,
    VerdictInputSerializer,
    VerdictSerializer,
    claim_api_path,
)
from claims.api.views.base import IMPORT_DOCUMENT, NO_FORMAT_PARAMETER, ApiRequestMixin, site_url
from claims.claimreview.feed import claimreview_feed, feed_claims
from claims.claimreview.parse import ImportRejected, ImportTooLarge
from claims.filters import ClaimFilter
from claims.models import (
    ExternalReview,
)
from claims.services import import_claimreviews

# --- ClaimReview feed and import ------------------------------------------------------------------


class ClaimReviewFeedView(ApiRequestMixin, ConditionalResponseMixin, GenericAPIView):
    renderer_classes = [JSONLDRenderer, JSONRenderer]
    filterset_class = ClaimFilter
    pagination_class = None

    def get_queryset(self):
        return feed_claims()

    @extend_schema(
        summary=gettext_lazy("Every published fact-check as a ClaimReview DataFeed"),
        description=gettext_lazy(
            "A schema.org DataFeed for aggregators; each DataFeedItem wraps the same "
            "ClaimReview the fact-check's page embeds. Fact-checks whose outcome is not "
            "a rating (Not checkable, opinion) are left out. The claim filters narrow it "
            "(e.g. modified_since for incremental sync); it only ever holds published "
            "fact-checks. `manage.py export_claimreview` writes the same feed to a file."
        ),
        responses=OpenApiResponse(OpenApiTypes.OBJECT, examples=[examples.FEED]),
        parameters=[NO_FORMAT_PARAMETER],
    )
    def get(self, request):
        claims = self.filter_queryset(self.get_queryset())
        feed = claimreview_feed(
            claims, site_url=site_url(request), feed_url=request.build_absolute_uri()
        )
        return Response(feed)


class ClaimReviewImportView(ApiRequestMixin, APIView):
    """Import other fact-checkers' ClaimReview (editors)."""

    permission_classes = [ImportPermission]
    parser_classes = [ClaimReviewDocumentParser, ClaimReviewLDDocumentParser]

    @extend_schema(
        summary=gettext_lazy("Import other fact-checkers' ClaimReview"),
        description=gettext_lazy(
            "The body is the document as published: a ClaimReview object, a list of "
            "them, or a DataFeed (dataFeedElement items that are ClaimReview or "
            "DataFeedItem wrapping them). Numeric ratings on any scale are normalised "
            "to 0–1; text-only ratings are kept as labels. Each item is imported on its "
            "own: a malformed one is reported in `problems` with its position (JSON "
            "Pointer) and the reason, and the others are imported. Importing the same "
            "review URL again updates it. A document that is too large (413), not JSON, "
            "not ClaimReview or with too many items (400) writes nothing. Imported "
            "reviews are left unlinked; an editor links them to a claim in the admin."
        ),
        request={
            "application/json": IMPORT_DOCUMENT,
            "application/ld+json": IMPORT_DOCUMENT,
        },
        responses={200: ImportReportSerializer},
        examples=[examples.IMPORT_FEED, examples.IMPORT_REPORT],
    )
    def post(self, request):
        document = request.data
        if not isinstance(document, bytes):
            raise DocumentRejected(
                _("Send the ClaimReview document as the request body."), code="empty"
            )
        try:
            report = import_claimreviews(document, by=request.user)
        except ImportTooLarge as error:
            raise PayloadTooLarge(error.message, code=error.code) from None
        except ImportRejected as error:
            raise DocumentRejected(error.message, code=error.code) from None
        data = {
            "imported": [
                {
                    "position": item.position,
                    "outcome": item.outcome,
                    "id": item.review.pk,
                    "url": item.review.url,
                }
                for item in report.imported
            ],
            "problems": [vars(p) for p in report.problems],
            "warnings": [vars(w) for w in report.warnings],
        }
        return Response(ImportReportSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Imported external reviews"),
        description=gettext_lazy(
            "Other fact-checkers' reviews imported as ClaimReview; `linked=false` lists "
            "those awaiting triage. Newsroom staff only."
        ),
        parameters=[
            OpenApiParameter(
                "linked", OpenApiTypes.BOOL, description=gettext_lazy("Linked to a claim or not.")
            ),
            OpenApiParameter(
                "claim", OpenApiTypes.INT, description=gettext_lazy("Reviews of this claim.")
            ),
        ],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("An imported external review"),
        description=gettext_lazy(
            "One review imported from another fact-checker, as it was read, with the "
            "local claim it is linked to, if any. Newsroom staff only."
        ),
    ),
)
class ExternalReviewViewSet(
    ApiRequestMixin, ConditionalResponseMixin, viewsets.ReadOnlyModelViewSet
):
    permission_classes = [ExternalReviewPermission]
    serializer_class = ExternalReviewSerializer
    queryset = ExternalReview.objects.order_by("-date_published", "-pk")
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def get_queryset(self):
        reviews = self.queryset.all()
        params = ExternalReviewQuerySerializer(
            data={k: v for k, v in self.request.query_params.items() if v != ""}
        )
        params.is_valid(raise_exception=True)
        if "linked" in params.validated_data:
            reviews = reviews.filter(claim__isnull=params.validated_data["linked"] == "false")
        if params.validated_data.get("claim") is not None:
            reviews = reviews.filter(claim_id=params.validated_data["claim"])
        return reviews
