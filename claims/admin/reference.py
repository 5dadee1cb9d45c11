"""Claimants, topics and the rating scale."""

from django.contrib import admin

from claims.admin.history import ReadOnlyHistoryAdmin
from claims.models import (
    Claimant,
    Rating,
    RatingScale,
    Topic,
)


@admin.register(Claimant)
class ClaimantAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "kind", "role", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "name_es", "slug"]
    search_fields = ["name", "name_es"]
    prepopulated_fields = {"slug": ["name"]}


class RatingInline(admin.TabularInline):
    model = Rating
    fields = [
        "order",
        "slug",
        "label",
        "label_es",
        "value",
        "colour",
        "definition",
        "definition_es",
    ]
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "best_value", "worst_value", "is_default"]
    inlines = [RatingInline]
