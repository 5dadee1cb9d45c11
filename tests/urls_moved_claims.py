"""A URL configuration where claim pages live elsewhere (tests/test_reverse.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from claims.site import views

moved = ([path("elsewhere/<slug:slug>/", views.claim_detail, name="detail")], "claims")

urlpatterns = i18n_patterns(path("", include(moved)), prefix_default_language=False)
