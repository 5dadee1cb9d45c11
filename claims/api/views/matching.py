"""Claim matching for newsroom tools."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.permissions import (
    NewsroomViewerPermission,
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
    Claim,
)
from claims.search import matching
from claims.selectors import (
    claims_for_listing,
)


class SimilarClaimsView(ApiRequestMixin, APIView):
    """Claims that probably say the same thing as a new one (newsroom tools)."""

    permission_classes = [NewsroomViewerPermission]

    @extend_schema(
        summary=gettext_lazy("Claims similar to a new one"),
        description=gettext_lazy(
            "Before logging a claim, ask whether the newsroom has already checked or "
            "is checking it. Published fact-checks and claims still in progress are "
            "searched (not merged duplicates), best first, with a 0–1 score and a "
            "level: `likely` (very likely the same claim) or `possible` (worth a "
            "look). Nothing is merged automatically. Newsroom staff only."
        ),
        parameters=[SimilarClaimsQuerySerializer],
        responses={200: SimilarClaimsSerializer},
    )
    def get(self, request):
        query = SimilarClaimsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        found = matching.similar_claims(
            params["text"],
            queryset=Claim.objects.visible_to(request.user),
            limit=params["limit"],
            exclude_pk=params.get("exclude"),
            language=params.get("language"),
        )
        # Serialize from the list selector, so rows cost a fixed number of queries.
        rows = claims_for_listing(request.user).in_bulk([m.claim.pk for m in found])
        possible, likely = matching.thresholds()
        data = {
            "count": len(found),
            "thresholds": {"possible": possible, "likely": likely},
            "results": [
                {"score": round(m.score, 3), "level": m.level, "claim": rows[m.claim.pk]}
                for m in found
                if m.claim.pk in rows
            ],
        }
        return Response(SimilarClaimsSerializer(data, context={"request": request}).data)
