from django.urls import path

from claims.site import tips, views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="list"),
    path("claims/<slug:slug>/", views.claim_detail, name="detail"),
    path("claimants/<slug:slug>/", views.claimant_detail, name="claimant"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("corrections/", views.corrections, name="corrections"),
    path("methodology/", views.methodology, name="methodology"),
    # The tipline: readers send claims; links in our emails carry a signed token.
    path("tips/", tips.tip_new, name="tip-new"),
    path("tips/answer/<str:token>/", tips.tip_answer, name="tip-answer"),
    path("tips/unsubscribe/<str:token>/", tips.tip_unsubscribe, name="tip-unsubscribe"),
    path("tips/delete/<str:token>/", tips.tip_delete, name="tip-delete"),
    path("privacy/", tips.privacy, name="privacy"),
    # Flat pages the administrator edits (see migration 0004_site_pages).
    path("about/", views.site_page, {"key": "about"}, name="about"),
    path("contact/", views.site_page, {"key": "contact"}, name="contact"),
]
