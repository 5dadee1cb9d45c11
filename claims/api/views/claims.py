"""Claims: the published list and detail for readers, every claim for the
newsroom, and writes through the services."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from claims import services
from claims.api import examples
from claims.api.etags import ConditionalResponseMixin, expected_version
from claims.api.exceptions import Gone
from claims.api.permissions import (
    NewsroomModelPermissions,
    newsroom_viewer,
)
from claims.api.renderers import JSONLDRenderer
from claims.api.schema import IF_MATCH, ErrorSerializer
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
from claims.api.views.base import (
    CLAIM_DETAIL_RESPONSE,
    MERGED_RESPONSE,
    NO_FORMAT_PARAMETER,
    ApiRequestMixin,
    claim_for_writing,
    claim_response,
    merged_redirect,
    site_url,
)
from claims.claimreview.build import claim_review
from claims.filters import ClaimFilter
from claims.models import (
    Claim,
    ClaimStatus,
)
from claims.search import INDEX_ORDER
from claims.selectors import (
    claim_page_queryset,
    claims_for_listing,
    newsroom_claim_queryset,
    public_claims,
    with_repetitions,
)

# --- Claims -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Published fact-checks"),
        description=gettext_lazy(
            "Published fact-checks, newest first. Newsroom staff who may view claims "
            "can pass `status` to list unpublished work too; for everyone else `status` "
            "only narrows the published list."
        ),
        responses=ClaimSummarySerializer(many=True),
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("A fact-check"),
        description=gettext_lazy(
            "The full fact-check: appearances, evidence, verdict, sub-claims and "
            "corrections. A retracted fact-check answers with its retraction notice; a "
            "merged duplicate with 301 to the claim it became. Newsroom staff also see "
            "unpublished claims and work in progress (`newsroom`)."
        ),
        responses={200: CLAIM_DETAIL_RESPONSE, 301: MERGED_RESPONSE},
    ),
    create=extend_schema(
        summary=gettext_lazy("Log a claim (draft)"),
        description=gettext_lazy(
            "A new draft, assigned to nobody unless `assigned_to` names a researcher. "
            "Researchers and editors may log claims; the draft is private until a "
            "verdict on it is published."
        ),
        request=ClaimInputSerializer,
        responses={201: ClaimDetailSerializer},
        examples=[examples.CLAIM_CREATE],
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("Edit a claim"),
        description=gettext_lazy(
            "A draft is editable; a published claim only its assignment; in review "
            "or retracted nothing (409 with the reason)."
        ),
        request=ClaimInputSerializer,
        responses={200: CLAIM_DETAIL_RESPONSE},
        parameters=[IF_MATCH],
    ),
)
class ClaimViewSet(ApiRequestMixin, ConditionalResponseMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"[0-9]+"
    filterset_class = ClaimFilter
    permission_classes = [NewsroomModelPermissions]
    write_model = Claim
    serializer_class = ClaimSummarySerializer
    http_method_names = ["get", "post", "patch", "head"]

    def get_queryset(self):
        viewer = newsroom_viewer(self.request.user)
        if viewer is not None and "status" in self.request.query_params:
            return claims_for_listing(viewer)
        return with_repetitions(public_claims())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Whatever `ordering` asked for, ties are broken the same way on every
        # page, so paginating never skips or repeats a claim. (A search read
        # from the ranked index is already in the same order on every page,
        # and a tie-breaker would stop PostgreSQL reading the index in order.)
        order = list(queryset.query.order_by)
        if "-pk" not in order and "pk" not in order and tuple(order) != INDEX_ORDER:
            queryset = queryset.order_by(*order, "-pk")
        return queryset

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = ClaimSummarySerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk):
        redirect = merged_redirect(request, pk, "api:claim-detail")
        if redirect is not None:
            return redirect
        viewer = newsroom_viewer(request.user)
        queryset = newsroom_claim_queryset() if viewer else claim_page_queryset()
        claim = get_object_or_404(queryset, pk=pk)
        self.etag_object = claim
        if claim.status == ClaimStatus.RETRACTED:
            return Response(RetractedClaimSerializer(claim, context={"request": request}).data)
        context = {"request": request, "newsroom": viewer is not None}
        return Response(ClaimDetailSerializer(claim, context=context).data)

    def create(self, request):
        serializer = ClaimInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_create(by=request.user, **serializer.validated_data)
        location = request.build_absolute_uri(claim_api_path(claim.pk))
        return claim_response(
            request,
            claim.pk,
            view=self,
            status_code=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    def partial_update(self, request, pk):
        claim = claim_for_writing(request, pk)
        version = expected_version(request, claim)
        serializer = ClaimInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.claim_update(
            claim=claim, by=request.user, data=serializer.validated_data, expected_version=version
        )
        return claim_response(request, claim.pk, view=self)

    @extend_schema(
        summary=gettext_lazy("Take a workflow step"),
        description=gettext_lazy(
            "submit (researchers and editors), request_changes, publish and retract "
            "(editors). The workflow checks the role, the state and the two-person rule: "
            "a step the state does not allow is 409, one the role does not allow 403, "
            "with the workflow's own message."
        ),
        request=TransitionInputSerializer,
        responses={200: CLAIM_DETAIL_RESPONSE},
        parameters=[IF_MATCH],
        examples=[examples.TRANSITION_SUBMIT, examples.TRANSITION_RETRACT],
    )
    @action(detail=True, methods=["post"], write_model=None)
    def transitions(self, request, pk):
        claim = claim_for_writing(request, pk)
        version = expected_version(request, claim)
        serializer = TransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The workflow compares the version under its own row lock.
        services.take_step(
            serializer.validated_data["action"],
            claim=claim,
            by=request.user,
            comment=serializer.validated_data["comment"],
            expected_version=version,
        )
        return claim_response(request, claim.pk, view=self)

    @extend_schema(
        summary=gettext_lazy("The fact-check's ClaimReview (JSON-LD)"),
        description=gettext_lazy(
            "The schema.org ClaimReview the fact-check's page embeds, built by the same "
            "code. A fact-check whose outcome is Not checkable (opinion) has none (404, "
            "code not_rated); a retracted one neither (410, code retracted)."
        ),
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[examples.CLAIMREVIEW]),
            301: MERGED_RESPONSE,
            410: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("The fact-check was retracted.")
            ),
        },
        parameters=[NO_FORMAT_PARAMETER],
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONLDRenderer, JSONRenderer],
        filterset_class=None,
        pagination_class=None,
    )
    def claimreview(self, request, pk):
        redirect = merged_redirect(request, pk, "api:claim-claimreview")
        if redirect is not None:
            return redirect
        claim = get_object_or_404(claim_page_queryset(), pk=pk)
        if claim.status == ClaimStatus.RETRACTED:
            raise Gone(
                _("This fact-check was retracted; a retracted fact-check has no ClaimReview."),
                code="retracted",
            )
        review = claim_review(claim, site_url=site_url(request))
        if review is None:
            raise NotFound(
                _(
                    "This fact-check's outcome is “%(label)s”, which is not a rating, so it "
                    "is not published as ClaimReview."
                )
                % {"label": claim.published_verdict.rating.display_label},
                code="not_rated",
            )
        return Response(review)
