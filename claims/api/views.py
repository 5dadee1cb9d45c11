"""The API's views: each translates HTTP into a selector, service or workflow
call and back. What a reader may see comes from `claims.selectors`; every
write goes through `claims.services` or `claims.workflow`, which check the
role, the claim's state and the version under a row lock."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import matching, services, workflow
from claims.api import examples
from claims.api.etags import ConditionalResponseMixin, expected_version
from claims.api.exceptions import Conflict, DocumentRejected, Gone, PayloadTooLarge
from claims.api.parsers import ClaimReviewDocumentParser, ClaimReviewLDDocumentParser
from claims.api.permissions import (
    ExternalReviewPermission,
    ImportPermission,
    NewsroomModelPermissions,
    NewsroomViewerPermission,
    is_newsroom_user,
    newsroom_viewer,
)
from claims.api.renderers import JSONLDRenderer
from claims.api.schema import IF_MATCH, ErrorSerializer
from claims.api.serializers import (
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
from claims.claimreview import claim_review
from claims.claimreview_feed import claimreview_feed, feed_claims
from claims.claimreview_import import ImportRejected, ImportTooLarge, import_claimreviews
from claims.filters import ClaimFilter
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimStatus,
    Correction,
    Evidence,
    ExternalReview,
    Rating,
    Topic,
    Verdict,
)
from claims.search import INDEX_ORDER
from claims.selectors import (
    claim_page_queryset,
    claims_for_listing,
    merged_claim_target,
    newsroom_claim_queryset,
    public_claimants,
    public_claims,
    public_sources,
    public_topics,
    with_repetitions,
)
from sources.models import Source

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
        workflow.take_step(
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


# --- Corrections ------------------------------------------------------------------------------


class CorrectionTag:
    """What a correction's ETag guards: the correction and its drafted verdict,
    so a second editor publishes exactly the version they read."""

    def __init__(self, correction: Correction):
        self.pk = correction.pk
        self.version = workflow.correction_version(correction)
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
        correction = workflow.correction_propose(
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
        return self.decide(request, workflow.correction_publish)

    @extend_schema(
        summary=gettext_lazy("Discard a pending correction"),
        request=None,
        responses={204: None},
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def discard(self, request, claim_pk, pk):
        return self.decide(request, workflow.correction_discard)

    def decide(self, request, step):
        correction = self.get_object()
        version = expected_version(request, CorrectionTag(correction))
        # The workflow compares the version under its own row lock.
        step(correction=correction, by=request.user, expected_version=version)
        if step is workflow.correction_discard:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self.correction_response(correction.pk)

    def correction_response(self, pk, status_code=status.HTTP_200_OK):
        correction = Correction.objects.select_related("verdict__rating").get(pk=pk)
        self.etag_object = CorrectionTag(correction)
        return Response(CorrectionSerializer(correction).data, status=status_code)


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
    retrieve=extend_schema(summary=gettext_lazy("An imported external review")),
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
