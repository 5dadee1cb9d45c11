"""/api/v1/. Claims are addressed by id (`[0-9]+`), so other paths under
claims/ (such as claims/similar/) can be added before the router's."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from claims.api import views

app_name = "api"


class Router(DefaultRouter):
    """One URL per resource: no ".json" suffix routes (JSON is the format; the
    browsable page is chosen with Accept or ?format=api)."""

    include_format_suffixes = False


router = Router()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("claimants", views.ClaimantViewSet, basename="claimant")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("sources", views.SourceViewSet, basename="source")
router.register("ratings", views.RatingViewSet, basename="rating")
router.register("external-reviews", views.ExternalReviewViewSet, basename="externalreview")

appearances = views.AppearanceViewSet.as_view({"get": "list", "post": "create"})
appearance = views.AppearanceViewSet.as_view(
    {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
)
evidence_list = views.EvidenceViewSet.as_view({"get": "list", "post": "create"})
evidence = views.EvidenceViewSet.as_view(
    {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
)
corrections = views.CorrectionViewSet.as_view({"get": "list", "post": "create"})
correction = views.CorrectionViewSet.as_view({"get": "retrieve"})
correction_publish = views.CorrectionViewSet.as_view({"post": "publish"})
correction_discard = views.CorrectionViewSet.as_view({"post": "discard"})

urlpatterns = [
    path("claims/similar/", views.SimilarClaimsView.as_view(), name="claim-similar"),
    path("claims/<int:claim_pk>/appearances/", appearances, name="appearance-list"),
    path("claims/<int:claim_pk>/appearances/<int:pk>/", appearance, name="appearance-detail"),
    path("claims/<int:claim_pk>/evidence/", evidence_list, name="evidence-list"),
    path("claims/<int:claim_pk>/evidence/<int:pk>/", evidence, name="evidence-detail"),
    path("claims/<int:claim_pk>/verdict/", views.VerdictView.as_view(), name="claim-verdict"),
    path("claims/<int:claim_pk>/corrections/", corrections, name="correction-list"),
    path("claims/<int:claim_pk>/corrections/<int:pk>/", correction, name="correction-detail"),
    path(
        "claims/<int:claim_pk>/corrections/<int:pk>/publish/",
        correction_publish,
        name="correction-publish",
    ),
    path(
        "claims/<int:claim_pk>/corrections/<int:pk>/discard/",
        correction_discard,
        name="correction-discard",
    ),
    path("tips/", views.TipView.as_view(), name="tip-create"),
    path("claimreview-feed/", views.ClaimReviewFeedView.as_view(), name="claimreview-feed"),
    path(
        "imports/claimreview/",
        views.ClaimReviewImportView.as_view(),
        name="claimreview-import",
    ),
    *router.urls,
    # Last: any other address under /api/v1/ is a JSON 404 in the API's error
    # shape, not the site's HTML page. Only addresses ending in a slash, so one
    # without it still gets CommonMiddleware's redirect to the slashed address.
    # New paths go above this line.
    re_path(r"^[\s\S]*/$", views.NotFoundView.as_view()),
]
