"""The claim's page and list: every save goes through the services."""

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import services
from claims.admin.assignment import AssignmentAdminMixin
from claims.admin.base import ServiceRefusalsMixin
from claims.admin.claim_pages import ClaimPagesMixin
from claims.admin.desk import ClaimDeskMixin, DeskFilter
from claims.admin.filters import AssignedToMeFilter, RatingFilter
from claims.admin.forms import (
    ClaimAddForm,
    ClaimAdminForm,
    SafeAutocompleteAdminMixin,
)
from claims.admin.history import ReadOnlyHistoryAdmin
from claims.admin.inlines import (
    AppearanceInline,
    CorrectionInline,
    EvidenceInline,
    ExternalReviewInline,
    PendingVerdictInline,
    PublishedAppearanceInline,
    PublishedEvidenceInline,
    PublishedVerdictInline,
    TransitionInline,
    _save_items_via_services,
)
from claims.exceptions import WorkflowError
from claims.models import (
    Appearance,
    Claim,
    Evidence,
    Rating,
    Verdict,
)
from claims.policy import ClaimPolicy
from claims.search import search_claims


@admin.register(Claim)
class ClaimAdmin(
    ClaimDeskMixin,
    AssignmentAdminMixin,
    ClaimPagesMixin,
    ServiceRefusalsMixin,
    SafeAutocompleteAdminMixin,
    ReadOnlyHistoryAdmin,
):
    form = ClaimAdminForm
    change_form_template = "admin/claims/claim/change_form.html"
    list_display = [
        "short_text",
        "workflow_status",
        "rating_label",
        "claimant",
        "assigned_to",
        "updated_at",
    ]
    list_filter = [
        DeskFilter,
        "status",
        RatingFilter,
        AssignedToMeFilter,
        "language",
        "topics",
        "claimant",
    ]
    list_select_related = ["claimant", "assigned_to", "published_verdict__rating"]
    search_fields = ["text", "claimant__name", "appearances__quote"]
    autocomplete_fields = ["claimant", "parent", "assigned_to"]
    filter_horizontal = ["topics"]
    date_hierarchy = "created_at"
    list_per_page = 50
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "text",
                    "claimant",
                    "language",
                    "first_made_on",
                    "context",
                    "topics",
                    "parent",
                    "true_as_of",
                ]
            },
        ),
        (gettext_lazy("Newsroom"), {"fields": ["assigned_to", "expected_version"]}),
        (
            gettext_lazy("Workflow"),
            {
                "fields": [
                    "status",
                    "slug",
                    "published_at",
                    "public_updated_at",
                    "retracted_at",
                    "retraction_reason",
                    "merged_into",
                    "created_by",
                    "created_at",
                ]
            },
        ),
    ]
    workflow_readonly = [
        "status",
        "slug",
        "published_at",
        "public_updated_at",
        "retracted_at",
        "retraction_reason",
        "merged_into",
        "created_by",
        "created_at",
    ]
    inlines = [
        PendingVerdictInline,
        AppearanceInline,
        EvidenceInline,
        PublishedVerdictInline,
        PublishedAppearanceInline,
        PublishedEvidenceInline,
        CorrectionInline,
        TransitionInline,
        ExternalReviewInline,
    ]

    def view_on_site(self, obj):
        # Only claims with a public page; a draft's URL would be a 404.
        if obj.has_public_page:
            return obj.get_absolute_url()
        return None

    @admin.display(description=gettext_lazy("claim"), ordering="text")
    def short_text(self, obj):
        if len(obj.text) <= 140:
            return obj.text
        # Cut at a word, with the whole claim on hover.
        shown = obj.text[:139].rsplit(" ", 1)[0]
        return format_html('<span title="{}">{}…</span>', obj.text, shown)

    @admin.display(description=gettext_lazy("rating"))
    def rating_label(self, obj):
        if obj.published_verdict_id:
            return obj.published_verdict.rating.display_label
        if obj.proposed_rating:
            # The label in the admin's language, by the rating's own rule.
            proposed = Rating(label=obj.proposed_rating, label_es=obj.proposed_rating_es or "")
            return _("%(label)s (proposed)") % {"label": proposed.display_label}
        return "—"

    def get_queryset(self, request):
        proposed = Verdict.objects.pending().filter(claim=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                proposed_rating=Subquery(proposed.values("rating__label")[:1]),
                proposed_rating_es=Subquery(proposed.values("rating__label_es")[:1]),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        # The newsroom searches like readers do (claims.search), over every claim.
        if not search_term.strip():
            return queryset, False
        return search_claims(queryset, search_term), False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ClaimAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.workflow_readonly
        editable = ClaimPolicy(request.user, obj).editable_fields()
        content = [f for f in ClaimAdminForm.Meta.fields if f not in editable]
        return [*content, *self.workflow_readonly]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets[:2]
        return self.fieldsets

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        policy = ClaimPolicy(request.user, obj)
        return bool(policy.editable_fields()) or policy.accepts_new_items()

    def has_delete_permission(self, request, obj=None):
        # Published work is retracted, never deleted; drafts can be discarded.
        if obj is None:
            return super().has_delete_permission(request, obj)
        return bool(ClaimPolicy(request.user, obj).can_discard())

    def delete_model(self, request, obj):
        services.claim_discard(claim=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for claim in queryset:
            services.claim_discard(claim=claim, by=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[object_id]))

    # --- Saving through the services ------------------------------------------

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in ClaimAdminForm.Meta.fields
            if name in form.cleaned_data
        }
        if not change:
            claim = services.claim_create(by=request.user, **data)
            obj.pk = claim.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return
        changed = {name: data[name] for name in form.changed_data if name in data}
        if not changed:
            return  # only inlines changed; they carry their own versions
        services.claim_update(
            claim=obj,
            by=request.user,
            data=changed,
            expected_version=form.cleaned_data.get("expected_version"),
        )

    def save_related(self, request, form, formsets, change):
        # Topics were saved by the service; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        claim = form.instance
        if not formset.has_changed():
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        elif formset.model is Appearance:
            _save_items_via_services(
                request,
                claim,
                formset,
                create=services.appearance_create,
                update=lambda item, **kw: services.appearance_update(appearance=item, **kw),
                delete=lambda item, **kw: services.appearance_delete(appearance=item, **kw),
            )
        elif formset.model is Evidence:
            _save_items_via_services(
                request,
                claim,
                formset,
                create=services.evidence_create,
                update=lambda item, **kw: services.evidence_update(evidence=item, **kw),
                delete=lambda item, **kw: services.evidence_delete(evidence=item, **kw),
            )
        elif formset.model is Verdict:
            _save_items_via_services(
                request,
                claim,
                formset,
                create=services.verdict_create,
                update=lambda item, **kw: services.verdict_update(verdict=item, **kw),
                delete=None,
            )
        else:  # read-only inlines: nothing to save
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
