"""What a claim's page holds: the verdict, appearances, evidence, corrections
and the workflow log, pending parts editable, the public record read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from claims.admin.forms import (
    ItemForm,
    SafeAutocompleteAdminMixin,
    VerdictForm,
)
from claims.models import (
    Appearance,
    ClaimStatus,
    Correction,
    Evidence,
    ExternalReview,
    Transition,
    Verdict,
)
from claims.policy import ClaimPolicy
from claims.site.rendering.charts import figure_text


def _save_items_via_services(request, claim, formset, *, create, update, delete):
    """Apply an inline formset through the services instead of formset.save().

    Records what was done on the formset the way formset.save() would, so the
    admin's change message and history entry stay accurate.
    """
    fields = [name for name in formset.form.base_fields if name != "expected_version"]
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.deleted_forms:
        if form.instance.pk:
            delete(
                form.instance,
                by=request.user,
                expected_version=form.cleaned_data.get("expected_version"),
            )
            formset.deleted_objects.append(form.instance)
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed():
            continue
        data = {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}
        if form.instance.pk is None:
            formset.new_objects.append(create(claim=claim, by=request.user, **data))
        else:
            changed = {name: data[name] for name in form.changed_data if name in data}
            update(
                form.instance,
                by=request.user,
                data=changed,
                expected_version=form.cleaned_data.get("expected_version"),
            )
            formset.changed_objects.append((form.instance, list(changed)))


class PendingItemInline(SafeAutocompleteAdminMixin, admin.StackedInline):
    """Appearances or evidence not yet public: editable while the claim accepts them."""

    form = ItemForm
    extra = 0

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(published_at__isnull=True).select_related("source")
        )

    def has_add_permission(self, request, obj=None):
        if obj is None:
            return super().has_add_permission(request, obj)
        return bool(ClaimPolicy(request.user, obj).can_add_item(self.model))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or ClaimPolicy(request.user, obj).accepts_new_items()
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or ClaimPolicy(request.user, obj).accepts_new_items()
        )


class PublishedItemInline(admin.TabularInline):
    """Appearances or evidence already on the public record: read-only."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(published_at__isnull=False)
            .select_related("source")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AppearanceInline(PendingItemInline):
    model = Appearance
    fk_name = "claim"
    fields = ["source", "quote", "appeared_on", "speaker", "expected_version"]
    autocomplete_fields = ["source", "speaker"]
    verbose_name_plural = gettext_lazy("appearances (not yet public)")


class PublishedAppearanceInline(PublishedItemInline):
    model = Appearance
    fk_name = "claim"
    fields = ["source", "quote", "appeared_on", "speaker", "published_at"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("appearances on the public record")


class EvidenceInline(PendingItemInline):
    model = Evidence
    fields = [
        "source",
        "stance",
        "excerpt",
        "note",
        ("figure_quantity", "figure_qualifier", "figure_value", "figure_unit", "figure_as_of"),
        "expected_version",
    ]
    autocomplete_fields = ["source"]
    verbose_name_plural = gettext_lazy("evidence (not yet public)")


class PublishedEvidenceInline(PublishedItemInline):
    model = Evidence
    fields = ["source", "stance", "excerpt", "figure", "published_at"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("evidence on the public record")

    @admin.display(description=gettext_lazy("figure"))
    def figure(self, evidence):
        return figure_text(evidence) if evidence.figure_value is not None else ""


class PendingVerdictInline(admin.StackedInline):
    model = Verdict
    form = VerdictForm
    fields = ["rating", "conclusion", "explanation", "expected_version"]
    extra = 0
    max_num = 1
    can_delete = False
    verbose_name = gettext_lazy("verdict in progress")
    verbose_name_plural = gettext_lazy("verdict in progress")

    def get_queryset(self, request):
        return super().get_queryset(request).pending()

    def get_extra(self, request, obj=None, **kwargs):
        if (
            obj is not None
            and obj.status == ClaimStatus.DRAFT
            and not obj.verdicts.pending().exists()
        ):
            return 1
        return 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or obj.status == ClaimStatus.DRAFT
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        pending = obj.verdicts.pending().select_related("correction").first()
        if pending is None:
            return bool(ClaimPolicy(request.user, obj).can_write_verdict())
        return bool(ClaimPolicy(request.user, obj).can_change_verdict(pending))


class PublishedVerdictInline(admin.TabularInline):
    model = Verdict
    fields = ["number", "rating", "conclusion", "author", "reviewer", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = gettext_lazy("published verdict versions")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).published().select_related("rating", "author", "reviewer")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CorrectionInline(admin.TabularInline):
    model = Correction
    fields = ["kind", "note", "verdict", "created_by", "published_by", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = Transition
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("workflow log")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ExternalReviewInline(admin.TabularInline):
    """What other fact-checkers concluded about this claim (read-only here;
    linking happens on the external review's own page)."""

    model = ExternalReview
    fk_name = "claim"
    fields = ["publisher_display", "rating_label", "normalized_rating", "date_published", "url"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = gettext_lazy("other fact-checkers' reviews")

    @admin.display(description=gettext_lazy("publisher"))
    def publisher_display(self, obj):
        return obj.publisher_display

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
