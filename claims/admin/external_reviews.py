"""Triage of other fact-checkers' reviews (claims.services.external_reviews)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from claims import services
from claims.admin.base import ServiceRefusalsMixin
from claims.admin.filters import LinkedFilter
from claims.admin.forms import VersionedModelForm
from claims.models import (
    ExternalReview,
)


@admin.register(ExternalReview)
class ExternalReviewAdmin(ServiceRefusalsMixin, admin.ModelAdmin):
    """Triage of imported reviews: an editor links each to the local claim it
    concerns (through the import module's service). Imports create them; the
    imported fields are never edited by hand."""

    list_display = [
        "short_claim",
        "publisher_display",
        "rating_label",
        "normalized_rating",
        "date_published",
        "claim",
    ]
    list_filter = [LinkedFilter, "language", "publisher_name"]
    list_select_related = ["claim"]
    search_fields = ["claim_reviewed", "claimant_name", "publisher_name", "url", "rating_label"]
    autocomplete_fields = ["claim"]
    date_hierarchy = "date_published"
    form = VersionedModelForm
    fields = [
        "claim",
        "expected_version",
        "url",
        "publisher_name",
        "publisher_url",
        "claim_reviewed",
        "claimant_name",
        "claim_date",
        "appearance_urls",
        ("rating_label", "rating_value", "worst_rating", "best_rating", "normalized_rating"),
        "summary",
        "language",
        ("date_published", "date_modified"),
        ("linked_by", "linked_at"),
        ("imported_by", "first_imported_at", "last_imported_at"),
    ]
    readonly_fields = [
        name
        for entry in fields
        for name in (entry if isinstance(entry, tuple) else (entry,))
        if name not in {"claim", "expected_version"}
    ]

    @admin.display(description=gettext_lazy("claim reviewed"), ordering="claim_reviewed")
    def short_claim(self, obj):
        text = obj.claim_reviewed
        return text if len(text) <= 90 else text[:89] + "…"

    @admin.display(description=gettext_lazy("publisher"), ordering="publisher_name")
    def publisher_display(self, obj):
        return obj.publisher_display

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.external_review_link(
            review=obj,
            claim=form.cleaned_data.get("claim"),
            by=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
        )
