"""A URL configuration where claim pages live elsewhere, and topics and
claimants under patterns narrower than a slug (tests/test_reverse.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from claims.site import views

moved = (
    [
        path("elsewhere/<slug:slug>/", views.claim_detail, name="detail"),
        re_path(r"^short/(?P<slug>[a-z]{1,5})/$", views.topic_detail, name="topic"),
        re_path(r"^narrow/(?P<slug>[-a-z]{1,40})/$", views.claimant_detail, name="claimant"),
    ],
    "claims",
)

urlpatterns = i18n_patterns(path("", include(moved)), prefix_default_language=False)
