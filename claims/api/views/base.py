"""What every API view shares: the request's language, refusing NUL
characters, merged-claim redirects, and the claim a write is about."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.permissions import (
    is_newsroom_user,
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
from claims.models import (
    Claim,
    ClaimStatus,
)
from claims.selectors import (
    merged_claim_target,
    newsroom_claim_queryset,
)

CLAIM_DETAIL_RESPONSE = PolymorphicProxySerializer(
    component_name="ClaimDetailOrRetraction",
    serializers=[ClaimDetailSerializer, RetractedClaimSerializer],
    resource_type_field_name=None,
)
IMPORT_DOCUMENT = {
    "description": "A ClaimReview object, a list of them, or a schema.org DataFeed.",
    "anyOf": [{"type": "object"}, {"type": "array", "items": {}}],
}
# Content negotiation is by Accept header; DRF's ?format= override still works
# but is not part of the documented interface.
NO_FORMAT_PARAMETER = OpenApiParameter("format", exclude=True)
MERGED_RESPONSE = OpenApiResponse(
    MergedClaimSerializer,
    description=gettext_lazy(
        "A merged duplicate: Location is the claim it was merged into. "
        "Newsroom staff are redirected too."
    ),
)


class ApiRequestMixin:
    """What every API view does first: answer in the language the client asks
    for, and refuse NUL characters, which no text field can store (PostgreSQL
    rejects them), before any of them reaches a query.

    Labels and names follow Accept-Language (English or Spanish). The site
    chooses the language by URL prefix; the API has one URL per resource, so it
    honours the header instead.
    """

    def dispatch(self, request, *args, **kwargs):
        # The language is the request's alone: restored when the response is
        # ready, so the next request on this thread starts from the default.
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return super().dispatch(request, *args, **kwargs)

    def get_renderers(self):
        # The browsable API is a newsroom tool; readers' browsers get JSON.
        renderers = super().get_renderers()
        if is_newsroom_user(self.request.user):
            return renderers
        return [r for r in renderers if not isinstance(r, BrowsableAPIRenderer)] or renderers

    def initial(self, request, *args, **kwargs):
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise ValidationError({name: [_("Null characters are not allowed.")]})
        super().initial(request, *args, **kwargs)


def site_url(request) -> str:
    """Where public pages live, for ClaimReview: SITE_URL, exactly as the page
    embeds it (one ClaimReview, whichever door it comes out of)."""
    return settings.SITE_URL


def merged_redirect(request, pk: int, route: str) -> Response | None:
    """301 to the claim a merged duplicate became: for readers, the rule the
    public site follows (`merged_claim_target`); newsroom staff follow any merge."""
    if newsroom_viewer(request.user) is None:
        target = merged_claim_target(pk=pk)
        target_id = target.pk if target is not None else None
    else:
        target_id = Claim.objects.filter(pk=pk).values_list("merged_into_id", flat=True).first()
    if target_id is None:
        return None
    location = request.build_absolute_uri(reverse(route, kwargs={"pk": target_id}))
    body = MergedClaimSerializer(
        {
            "detail": _("This claim was merged into claim %(id)s.") % {"id": target_id},
            "code": "merged",
            "merged_into": target_id,
            "location": location,
        }
    ).data
    return Response(body, status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": location})


def claim_for_writing(request, pk) -> Claim:
    """A claim the user may work on (404 for one they may not even see)."""
    return get_object_or_404(Claim.objects.visible_to(newsroom_viewer(request.user)), pk=pk)


def claim_response(request, pk: int, *, view, status_code: int = status.HTTP_200_OK, **kwargs):
    """The claim as the newsroom sees it after a write, with its new ETag."""
    claim = newsroom_claim_queryset().get(pk=pk)
    view.etag_object = claim
    if claim.status == ClaimStatus.RETRACTED:
        data = RetractedClaimSerializer(claim, context={"request": request}).data
    else:
        data = ClaimDetailSerializer(claim, context={"request": request, "newsroom": True}).data
    return Response(data, status=status_code, **kwargs)


@extend_schema(exclude=True)
class NotFoundView(ApiRequestMixin, APIView):
    """Any other address under /api/v1/: a 404 in the API's error shape and
    the client's language, whatever the method."""

    permission_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound(_("There is no API endpoint at this address."))


# --- Interactive documentation ------------------------------------------------------------


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar (no CDN). The page loads its
    start-up script as a separate file from this site, and the template has no
    inline style, so it runs under the site's CSP (script-src/style-src 'self')."""

    template_name = "api/swagger_ui.html"
