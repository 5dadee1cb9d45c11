"""Appearances, evidence, verdicts, corrections and the workflow log on their
own pages: search and history; edits only through the services."""

from django.contrib import admin
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from claims import services
from claims.admin.base import ServiceRefusalsMixin
from claims.admin.forms import (
    ItemForm,
    SafeAutocompleteAdminMixin,
    VerdictForm,
)
from claims.admin.history import ReadOnlyHistoryAdmin
from claims.models import (
    Appearance,
    Correction,
    Evidence,
    Transition,
    Verdict,
)
from claims.models.content import plain_decimal
from claims.policy import ClaimPolicy
from claims.site.rendering.charts import figure_text


class ClaimItemAdmin(ServiceRefusalsMixin, SafeAutocompleteAdminMixin, ReadOnlyHistoryAdmin):
    """Appearances and evidence on their own pages (search, history, edits)."""

    form = ItemForm
    list_select_related = ["claim", "source"]
    autocomplete_fields = ["claim", "source"]
    readonly_fields = ["published_at", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "claim"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request, obj)
        return bool(ClaimPolicy(request.user, obj.claim).can_change_item(obj))

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request, obj)
        return bool(ClaimPolicy(request.user, obj.claim).can_change_item(obj, delete=True))

    def save_model(self, request, obj, form, change):
        fields = [f for f in form.base_fields if f not in {"claim", "expected_version"}]
        data = {f: form.cleaned_data[f] for f in fields if f in form.cleaned_data}
        if not change:
            item = services.item_create(
                self.model, claim=form.cleaned_data["claim"], by=request.user, **data
            )
            obj.pk = item.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return
        services.item_update(
            obj,
            by=request.user,
            data={f: data[f] for f in form.changed_data if f in data},
            expected_version=form.cleaned_data.get("expected_version"),
        )

    def delete_model(self, request, obj):
        with transaction.atomic():
            services.item_delete(obj, by=request.user, expected_version=None)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Appearance)
class AppearanceAdmin(ClaimItemAdmin):
    list_display = ["claim", "source", "appeared_on", "speaker", "published_at"]
    list_filter = ["appeared_on", "source__publisher"]
    search_fields = ["quote", "claim__text", "source__title"]
    autocomplete_fields = ["claim", "source", "speaker"]
    fields = [
        "claim",
        "source",
        "quote",
        "appeared_on",
        "speaker",
        "expected_version",
        "published_at",
        "created_by",
        "created_at",
    ]


@admin.register(Evidence)
class EvidenceAdmin(ClaimItemAdmin):
    list_display = ["claim", "stance", "source", "figure", "published_at"]
    list_filter = ["stance", "source__publisher"]
    search_fields = ["excerpt", "note", "claim__text", "source__title", "figure_quantity"]
    fields = [
        "claim",
        "source",
        "stance",
        "excerpt",
        "note",
        ("figure_quantity", "figure_qualifier", "figure_value", "figure_unit", "figure_as_of"),
        "expected_version",
        "published_at",
        "created_by",
        "created_at",
    ]

    @admin.display(description=gettext_lazy("figure"), ordering="figure_value")
    def figure(self, evidence):
        # Formatted for the admin's language, as readers see it: 200, not 200.0000.
        return figure_text(evidence) if evidence.figure_value is not None else ""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fields
        # Read-only, Django would print the column's four places: 200.0000.
        return [
            tuple("figure_value_plain" if name == "figure_value" else name for name in field)
            if isinstance(field, tuple)
            else field
            for field in fields
        ]

    @admin.display(description=gettext_lazy("value"))
    def figure_value_plain(self, evidence):
        if evidence.figure_value is None:
            return None
        return number_format(plain_decimal(evidence.figure_value), force_grouping=True)


@admin.register(Verdict)
class VerdictAdmin(ServiceRefusalsMixin, ReadOnlyHistoryAdmin):
    """Every version of every verdict; only an unpublished one can be edited."""

    form = VerdictForm
    list_display = ["claim", "number", "rating", "author", "reviewer", "published_at"]
    list_filter = ["rating", "published_at"]
    list_select_related = ["claim", "rating", "author", "reviewer"]
    search_fields = ["claim__text", "conclusion", "explanation"]
    fields = [
        "claim",
        "number",
        "rating",
        "conclusion",
        "explanation",
        "expected_version",
        "author",
        "reviewer",
        "published_at",
    ]
    readonly_fields = ["claim", "number", "author", "reviewer", "published_at"]

    def has_add_permission(self, request):
        # A verdict is written on its claim's page, where the workflow applies.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request, obj)
        return bool(ClaimPolicy(request.user, obj.claim).can_change_verdict(obj))

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.verdict_update(
            verdict=obj,
            by=request.user,
            data={
                f: form.cleaned_data[f] for f in form.changed_data if f in VerdictForm.Meta.fields
            },
            expected_version=form.cleaned_data.get("expected_version"),
        )


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyHistoryAdmin):
    """The corrections log. Corrections are proposed and published from the claim page."""

    list_display = ["claim", "kind", "created_by", "published_by", "published_at"]
    list_filter = ["kind", "published_at"]
    list_select_related = ["claim", "created_by", "published_by"]
    search_fields = ["note", "claim__text"]
    readonly_fields = [
        "claim",
        "kind",
        "note",
        "verdict",
        "created_by",
        "created_at",
        "published_by",
        "published_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["at", "claim", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "to_status", "at"]
    list_select_related = ["claim", "actor"]
    search_fields = ["claim__text", "comment"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
