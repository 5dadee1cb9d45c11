"""A claim's verdict."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from claims import services
from claims.api import examples
from claims.api.etags import ConditionalResponseMixin, expected_version
from claims.api.exceptions import Conflict
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
    Verdict,
)

# --- The verdict ---------------------------------------------------------------------------


class VerdictView(ApiRequestMixin, ConditionalResponseMixin, GenericAPIView):
    """The claim's verdict: readers get the published one; newsroom staff the one
    being written (or drafted by a pending correction) if any, else the published one."""

    permission_classes = [NewsroomModelPermissions]
    write_model = Verdict
    serializer_class = VerdictSerializer
    pagination_class = None
    filter_backends = []

    def verdicts(self):
        return Verdict.objects.select_related("rating__scale")

    @extend_schema(summary=gettext_lazy("The verdict"), responses=VerdictSerializer)
    def get(self, request, claim_pk):
        viewer = newsroom_viewer(request.user)
        claim = get_object_or_404(Claim.objects.visible_to(viewer), pk=claim_pk)
        verdict = None
        if viewer is not None:
            verdict = self.verdicts().filter(claim=claim).pending().first()
        if verdict is None and claim.published_verdict_id:
            verdict = self.verdicts().get(pk=claim.published_verdict_id)
        if verdict is None:
            raise NotFound(_("This claim has no verdict yet."))
        return self.verdict_response(request, verdict)

    @extend_schema(
        summary=gettext_lazy("Write the verdict"),
        description=gettext_lazy("A draft gets one verdict; edit it with PATCH."),
        request=VerdictInputSerializer,
        responses={201: VerdictSerializer},
        examples=[examples.VERDICT],
    )
    def post(self, request, claim_pk):
        claim = claim_for_writing(request, claim_pk)
        serializer = VerdictInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        verdict = services.verdict_create(claim=claim, by=request.user, **serializer.validated_data)
        return self.verdict_response(
            request,
            self.verdicts().get(pk=verdict.pk),
            status.HTTP_201_CREATED,
            headers={
                "Location": request.build_absolute_uri(
                    reverse("api:claim-verdict", kwargs={"claim_pk": claim.pk})
                )
            },
        )

    @extend_schema(
        summary=gettext_lazy("Edit the verdict in progress"),
        description=gettext_lazy(
            "A published verdict is never edited in place: propose a correction instead."
        ),
        request=VerdictInputSerializer,
        responses={200: VerdictSerializer},
        parameters=[IF_MATCH],
    )
    def patch(self, request, claim_pk):
        claim = claim_for_writing(request, claim_pk)
        verdict = claim.verdicts.pending().first()
        if verdict is None:
            if claim.published_verdict_id:
                raise Conflict(
                    _(
                        "A published verdict is never edited in place. Propose a correction: "
                        "it creates a new version and a public note."
                    ),
                    code="published_verdict",
                )
            raise NotFound(_("This claim has no verdict yet; POST one first."))
        version = expected_version(request, verdict)
        serializer = VerdictInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.verdict_update(
            verdict=verdict,
            by=request.user,
            data=serializer.validated_data,
            expected_version=version,
        )
        return self.verdict_response(request, self.verdicts().get(pk=verdict.pk))

    def verdict_response(self, request, verdict, status_code=status.HTTP_200_OK, **kwargs):
        self.etag_object = verdict
        data = VerdictSerializer(verdict, context={"request": request}).data
        return Response(data, status=status_code, **kwargs)
