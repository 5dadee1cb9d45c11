"""A claim's appearances and evidence."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
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
from claims.api.views.base import ApiRequestMixin
from claims.models import (
    Appearance,
    Claim,
    Evidence,
)

# --- Appearances and evidence -------------------------------------------------------------


class ClaimItemViewSet(ApiRequestMixin, ConditionalResponseMixin, viewsets.GenericViewSet):
    """Appearances or evidence of one claim. Readers see the published ones of a
    public fact-check; newsroom staff see all, and add, edit or remove them
    through the services (which keep the published record untouchable)."""

    permission_classes = [NewsroomModelPermissions]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head"]
    write_model: type = None
    input_serializer_class: type = None

    def get_claim(self) -> Claim:
        viewer = newsroom_viewer(self.request.user)
        return get_object_or_404(Claim.objects.visible_to(viewer), pk=self.kwargs["claim_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.write_model.objects.none()
        items = self.write_model.objects.filter(claim=self.get_claim())
        if newsroom_viewer(self.request.user) is None:
            items = items.public()
        return self.related(items)

    def related(self, items):
        raise NotImplementedError

    def list(self, request, claim_pk):
        page = self.paginate_queryset(self.get_queryset())
        data = self.serializer_class(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, claim_pk, pk):
        item = self.get_object()
        self.etag_object = item
        return Response(self.serializer_class(item, context={"request": request}).data)

    def item_response(self, request, pk, status_code=status.HTTP_200_OK, **kwargs):
        item = self.related(self.write_model.objects.filter(pk=pk)).get()
        self.etag_object = item
        data = self.serializer_class(item, context={"request": request}).data
        return Response(data, status=status_code, **kwargs)

    def validated(self, request, *, partial=False) -> dict:
        serializer = self.input_serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if hasattr(serializer, "to_service_data"):
            return serializer.to_service_data()
        return dict(serializer.validated_data)

    def create(self, request, claim_pk):
        claim = self.get_claim()
        item = services.item_create(
            self.write_model, claim=claim, by=request.user, **self.validated(request)
        )
        return self.item_response(
            request,
            item.pk,
            status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(self.item_path(item))},
        )

    def partial_update(self, request, claim_pk, pk):
        item = self.get_object()
        version = expected_version(request, item)
        data = self.validated(request, partial=True)
        services.item_update(item, by=request.user, data=data, expected_version=version)
        return self.item_response(request, item.pk)

    def destroy(self, request, claim_pk, pk):
        item = self.get_object()
        version = expected_version(request, item)
        services.item_delete(item, by=request.user, expected_version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _item_schema(name: str, serializer, input_serializer, example):
    return extend_schema_view(
        list=extend_schema(summary=gettext_lazy("%s of a claim") % name.capitalize()),
        retrieve=extend_schema(summary=gettext_lazy("One of its %s") % name),
        create=extend_schema(
            summary=gettext_lazy("Add to its %s") % name,
            description=gettext_lazy(
                "Allowed while the claim is a draft or published; on a published claim "
                "the new item stays private until a correction or update is published."
            ),
            request=input_serializer,
            responses={201: serializer},
            examples=[example],
        ),
        partial_update=extend_schema(
            summary=gettext_lazy("Edit one of its %s") % name,
            description=gettext_lazy("Only items not yet on the public record can change."),
            request=input_serializer,
            responses={200: serializer},
            parameters=[IF_MATCH],
        ),
        destroy=extend_schema(
            summary=gettext_lazy("Remove one of its %s") % name,
            description=gettext_lazy("Only items not yet on the public record can be removed."),
            parameters=[IF_MATCH],
        ),
    )


@_item_schema("appearances", AppearanceSerializer, AppearanceInputSerializer, examples.APPEARANCE)
class AppearanceViewSet(ClaimItemViewSet):
    write_model = Appearance
    serializer_class = AppearanceSerializer
    input_serializer_class = AppearanceInputSerializer

    def related(self, items):
        return items.select_related("source__publisher", "speaker").order_by("appeared_on", "pk")

    def item_path(self, item):
        return reverse("api:appearance-detail", kwargs={"claim_pk": item.claim_id, "pk": item.pk})


@_item_schema("evidence", EvidenceSerializer, EvidenceInputSerializer, examples.EVIDENCE)
class EvidenceViewSet(ClaimItemViewSet):
    write_model = Evidence
    serializer_class = EvidenceSerializer
    input_serializer_class = EvidenceInputSerializer

    def related(self, items):
        return items.select_related("source__publisher").order_by("stance", "pk")

    def item_path(self, item):
        return reverse("api:evidence-detail", kwargs={"claim_pk": item.claim_id, "pk": item.pk})
