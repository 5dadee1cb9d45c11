"""List filters of the newsroom's changelists."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.models import (
    Rating,
    Verdict,
)


class AssignedToMeFilter(admin.SimpleListFilter):
    title = gettext_lazy("assignment")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("nobody", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class RatingFilter(admin.SimpleListFilter):
    """The rating a reader sees if published, else the one proposed."""

    title = gettext_lazy("rating")
    parameter_name = "rating"

    def lookups(self, request, model_admin):
        return [(r.slug, r.display_label) for r in Rating.objects.order_by("scale", "order")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        pending = Verdict.objects.pending().filter(rating__slug=self.value())
        return queryset.filter(published_verdict__rating__slug=self.value()) | queryset.filter(
            published_verdict__isnull=True, pk__in=pending.values("claim_id")
        )


# --- Other fact-checkers' reviews (claims.services.external_reviews) --------------------------


class LinkedFilter(admin.SimpleListFilter):
    title = gettext_lazy("triage")
    parameter_name = "linked"

    def lookups(self, request, model_admin):
        return [("no", _("Unlinked (to triage)")), ("yes", _("Linked to a claim"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.unlinked()
        if self.value() == "yes":
            return queryset.filter(claim__isnull=False)
        return queryset
