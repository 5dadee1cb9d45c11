"""Reference data: claimants, topics, sources, ratings."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets

from claims.api.etags import ConditionalResponseMixin
from claims.api.permissions import (
    newsroom_viewer,
)
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
    Claimant,
    Rating,
    Topic,
)
from claims.selectors import (
    public_claimants,
    public_sources,
    public_topics,
)
from sources.models import Source

# --- Reference data ------------------------------------------------------------------------------


class ReferenceViewSet(ApiRequestMixin, ConditionalResponseMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only lists for readers (what the public record mentions) and, with
    the view permission, everything for newsroom staff."""

    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends = []
    view_permission: str = ""

    def public_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        if newsroom_viewer(self.request.user, self.view_permission) is not None:
            return self.queryset.all()
        return self.public_queryset()


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Claimants")),
    retrieve=extend_schema(summary=gettext_lazy("A claimant")),
)
class ClaimantViewSet(ReferenceViewSet):
    queryset = Claimant.objects.order_by("name", "pk")
    serializer_class = ClaimantSerializer
    view_permission = "claims.view_claimant"

    def public_queryset(self):
        return public_claimants().order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Topics")),
    retrieve=extend_schema(summary=gettext_lazy("A topic")),
)
class TopicViewSet(ReferenceViewSet):
    queryset = Topic.objects.order_by("name", "pk")
    serializer_class = TopicSerializer
    view_permission = "claims.view_topic"

    def public_queryset(self):
        return public_topics().order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Sources")),
    retrieve=extend_schema(summary=gettext_lazy("A source")),
)
class SourceViewSet(ReferenceViewSet):
    queryset = Source.objects.select_related("publisher").order_by(
        F("published_on").desc(nulls_last=True), "title", "pk"
    )
    serializer_class = SourceSerializer
    view_permission = "sources.view_source"

    def public_queryset(self):
        return (
            public_sources()
            .select_related("publisher")
            .order_by(F("published_on").desc(nulls_last=True), "title", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The rating scale"),
        description=gettext_lazy(
            "Every rating with its definition and numeric value on its scale (best and "
            "worst), as the methodology page explains them. 'Not checkable (opinion)' "
            "has no value: it is an outcome, not a rating."
        ),
    ),
    retrieve=extend_schema(summary=gettext_lazy("A rating")),
)
class RatingViewSet(ReferenceViewSet):
    queryset = Rating.objects.select_related("scale").order_by("scale", "order", "pk")
    serializer_class = RatingSerializer

    def get_queryset(self):
        return self.queryset.all()
