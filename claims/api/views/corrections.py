"""Corrections of a published fact-check."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import services
from claims.api import examples
from claims.api.etags import ConditionalResponseMixin, expected_version
from claims.api.permissions import (
    NewsroomModelPermissions,
    newsroom_viewer,
)
from claims.api.schema import IF_MATCH
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
from claims.api.views.base import ApiRequestMixin, claim_for_writing
from claims.models import (
    Claim,
    Correction,
)

# --- Corrections ------------------------------------------------------------------------------


class CorrectionTag:
    """What a correction's ETag guards: the correction and its drafted verdict,
    so a second editor publishes exactly the version they read."""

    def __init__(self, correction: Correction):
        self.pk = correction.pk
        self.version = services.correction_version(correction)
        self._meta = Correction._meta


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Corrections of a fact-check")),
    retrieve=extend_schema(summary=gettext_lazy("A correction")),
)
class CorrectionViewSet(ApiRequestMixin, ConditionalResponseMixin, viewsets.GenericViewSet):
    """Published corrections for readers; pending ones too for newsroom staff,
    who propose, publish or discard them through the workflow."""

    permission_classes = [NewsroomModelPermissions]
    write_model = None
    serializer_class = CorrectionSerializer
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "head"]

    def get_claim(self):
        viewer = newsroom_viewer(self.request.user)
        return get_object_or_404(Claim.objects.visible_to(viewer), pk=self.kwargs["claim_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Correction.objects.none()
        corrections = Correction.objects.filter(claim=self.get_claim())
        if newsroom_viewer(self.request.user) is None:
            corrections = corrections.public()
        return corrections.select_related("verdict__rating").order_by("-published_at", "-pk")

    def list(self, request, claim_pk):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CorrectionSerializer(page, many=True).data)

    def retrieve(self, request, claim_pk, pk):
        correction = self.get_object()
        self.etag_object = CorrectionTag(correction)
        return Response(CorrectionSerializer(correction).data)

    @extend_schema(
        summary=gettext_lazy("Propose a correction"),
        description=gettext_lazy(
            "Editors propose a correction, update or clarification of a published "
            "fact-check; a new rating, conclusion or explanation drafts a new verdict "
            "version. Another editor publishes it. If-Match is the claim's ETag."
        ),
        request=CorrectionInputSerializer,
        responses={201: CorrectionSerializer},
        parameters=[IF_MATCH],
        examples=[examples.CORRECTION],
    )
    def create(self, request, claim_pk):
        claim = claim_for_writing(request, claim_pk)
        version = expected_version(request, claim)
        serializer = CorrectionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = services.correction_propose(
            claim=claim, by=request.user, expected_version=version, **serializer.validated_data
        )
        return self.correction_response(correction.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Publish a pending correction"),
        description=gettext_lazy(
            "By an editor other than the one who proposed it. If-Match is the "
            "correction's ETag, so you publish exactly the version you read."
        ),
        request=None,
        responses={200: CorrectionSerializer},
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, claim_pk, pk):
        return self.decide(request, services.correction_publish)

    @extend_schema(
        summary=gettext_lazy("Discard a pending correction"),
        request=None,
        responses={204: None},
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def discard(self, request, claim_pk, pk):
        return self.decide(request, services.correction_discard)

    def decide(self, request, step):
        correction = self.get_object()
        version = expected_version(request, CorrectionTag(correction))
        # The workflow compares the version under its own row lock.
        step(correction=correction, by=request.user, expected_version=version)
        if step is services.correction_discard:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self.correction_response(correction.pk)

    def correction_response(self, pk, status_code=status.HTTP_200_OK):
        correction = Correction.objects.select_related("verdict__rating").get(pk=pk)
        self.etag_object = CorrectionTag(correction)
        return Response(CorrectionSerializer(correction).data, status=status_code)
