"""The newsroom's workspace. A client of claims.services and claims.workflow.

Every save, inline edit and workflow button calls those modules; the admin
never sets a status or writes a locked object itself. What the rules forbid is
either not offered (read-only fields, hidden buttons) or refused with the
service's own message.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from claims import matching, services, workflow
from claims.claimreview_import import external_review_link
from claims.forms import (
    ClaimAdminForm,
    CorrectionProposalForm,
    SafeAutocompleteAdminMixin,
    TransitionForm,
    VersionedModelForm,
    default_scale_ratings,
)
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimStatus,
    Correction,
    Evidence,
    ExternalReview,
    Rating,
    RatingScale,
    Topic,
    Transition,
    TransitionAction,
    Verdict,
)
from claims.search import search_claims


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
        return [(r.slug, r.label) for r in Rating.objects.order_by("scale", "order")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        pending = Verdict.objects.pending().filter(rating__slug=self.value())
        return queryset.filter(published_verdict__rating__slug=self.value()) | queryset.filter(
            published_verdict__isnull=True, pk__in=pending.values("claim_id")
        )


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


class ItemForm(VersionedModelForm):
    pass


class PendingItemInline(SafeAutocompleteAdminMixin, admin.StackedInline):
    """Appearances or evidence not yet public: editable while the claim accepts them."""

    form = ItemForm
    extra = 0

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(published_at__isnull=True).select_related("source")
        )

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or services.claim_accepts_new_items(obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or services.claim_accepts_new_items(obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or services.claim_accepts_new_items(obj)
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
    fields = ["source", "stance", "excerpt", "figure_value", "figure_unit", "published_at"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("evidence on the public record")


class VerdictForm(VersionedModelForm):
    class Meta:
        model = Verdict
        fields = ["rating", "conclusion", "explanation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "rating" in self.fields:
            self.fields["rating"].queryset = default_scale_ratings()


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
        if pending is not None and hasattr(pending, "correction"):
            # The new version in a pending correction is an editor's work.
            return services.verdict_is_editable(pending) and request.user.has_perm(
                "claims.correct_claim"
            )
        return pending is None or services.verdict_is_editable(pending)


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


_ACTION_LABELS = {
    TransitionAction.SUBMIT: gettext_lazy("Submit for review"),
    TransitionAction.REQUEST_CHANGES: gettext_lazy("Request changes"),
    TransitionAction.PUBLISH: gettext_lazy("Approve and publish"),
    TransitionAction.RETRACT: gettext_lazy("Retract"),
    TransitionAction.PROPOSE_CORRECTION: gettext_lazy("Propose a correction"),
}


@admin.register(Claim)
class ClaimAdmin(SafeAutocompleteAdminMixin, SimpleHistoryAdmin):
    form = ClaimAdminForm
    change_form_template = "admin/claims/claim/change_form.html"
    list_display = [
        "short_text",
        "status",
        "rating_label",
        "claimant",
        "assigned_to",
        "updated_at",
    ]
    list_filter = ["status", RatingFilter, AssignedToMeFilter, "language", "topics", "claimant"]
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
    ]

    def view_on_site(self, obj):
        # Only claims with a public page; a draft's URL would be a 404.
        if obj.has_public_page:
            return obj.get_absolute_url()
        return None

    @admin.display(description=gettext_lazy("claim"), ordering="text")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"

    @admin.display(description=gettext_lazy("rating"))
    def rating_label(self, obj):
        if obj.published_verdict_id:
            return obj.published_verdict.rating.label
        if obj.proposed_rating:
            return _("%(label)s (proposed)") % {"label": obj.proposed_rating}
        return "—"

    def get_queryset(self, request):
        proposed = Verdict.objects.filter(claim=OuterRef("pk"), published_at__isnull=True).values(
            "rating__label"
        )[:1]
        return super().get_queryset(request).annotate(proposed_rating=Subquery(proposed))

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
        editable = services.claim_editable_fields(obj)
        content = [f for f in ClaimAdminForm.Meta.fields if f not in editable]
        return [*content, *self.workflow_readonly]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets[:2]
        return self.fieldsets

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return (
            obj is None
            or bool(services.claim_editable_fields(obj))
            or (services.claim_accepts_new_items(obj))
        )

    def has_delete_permission(self, request, obj=None):
        # Published work is retracted, never deleted; drafts can be discarded.
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.status == ClaimStatus.DRAFT
        )

    def delete_model(self, request, obj):
        services.claim_discard(claim=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for claim in queryset:
            services.claim_discard(claim=claim, by=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except workflow.WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[object_id]))

    # --- Saving through the services ------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The services re-check every rule under a row lock; if one refuses at
        # that point the whole save is rolled back and its message shown.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

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

    # --- Workflow buttons -------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/workflow/<str:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            path(
                "<path:object_id>/correction/propose/",
                self.admin_site.admin_view(self.correction_propose_view),
                name="{}_{}_correction_propose".format(*info),
            ),
            path(
                "<path:object_id>/correction/<str:decision>/",
                self.admin_site.admin_view(self.correction_decide_view),
                name="{}_{}_correction_decide".format(*info),
            ),
            path(
                "<path:object_id>/merge/",
                self.admin_site.admin_view(self.merge_view),
                name="{}_{}_merge".format(*info),
            ),
            path(
                "<path:object_id>/unmerge/",
                self.admin_site.admin_view(self.unmerge_view),
                name="{}_{}_unmerge".format(*info),
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.workflow_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_context(self, request, obj):
        allowed = workflow.allowed_actions(claim=obj, user=request.user)
        pending_correction = (
            obj.corrections.filter(published_at__isnull=True)
            .select_related("verdict__rating", "created_by")
            .first()
        )
        return {
            "pending_correction_version": workflow.correction_version(pending_correction)
            if pending_correction is not None
            else None,
            "workflow_actions": [
                {
                    "label": _ACTION_LABELS[action],
                    "url": (
                        reverse("admin:claims_claim_correction_propose", args=[obj.pk])
                        if action == TransitionAction.PROPOSE_CORRECTION
                        else reverse("admin:claims_claim_workflow", args=[obj.pk, action])
                    ),
                }
                for action in allowed
            ],
            "submission_problems": (
                workflow.submission_problems(obj) if obj.status == ClaimStatus.DRAFT else []
            ),
            "pending_correction": pending_correction,
            "can_publish_correction": pending_correction is not None
            and request.user.has_perm("claims.publish_claim"),
            "can_discard_correction": pending_correction is not None
            and request.user.has_perm("claims.correct_claim"),
            "public_url": obj.get_absolute_url() if obj.has_public_page else None,
            "merge_url": reverse("admin:claims_claim_merge", args=[obj.pk])
            if request.user.has_perm("claims.merge_claim") and obj.merged_into_id is None
            else None,
            "unmerge_url": reverse("admin:claims_claim_unmerge", args=[obj.pk])
            if request.user.has_perm("claims.merge_claim") and obj.merged_into_id is not None
            else None,
        }

    def _claim_for(self, request, object_id, queryset=None) -> Claim:
        """The claim a custom admin page is about, for users who may see it."""
        claim = get_object_or_404(queryset if queryset is not None else Claim.objects, pk=object_id)
        if not self.has_view_permission(request, claim):
            raise PermissionDenied
        return claim

    def workflow_view(self, request, object_id, action):
        claim = self._claim_for(request, object_id)
        if action not in workflow.STEP_ACTIONS:
            raise PermissionDenied
        change_url = reverse("admin:claims_claim_change", args=[claim.pk])
        form = TransitionForm(
            request.POST if request.method == "POST" else None,
            initial={"expected_version": claim.version},
        )
        if request.method == "POST" and form.is_valid():
            try:
                workflow.take_step(
                    action,
                    claim=claim,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except workflow.WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(action)s: done.") % {"action": _ACTION_LABELS[action]},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": claim,
            "title": _ACTION_LABELS[action],
            "form": form,
            "action": action,
            "comment_required": action
            in {TransitionAction.REQUEST_CHANGES, TransitionAction.RETRACT},
            "change_url": change_url,
            "problems": workflow.submission_problems(claim)
            if action in {TransitionAction.SUBMIT, TransitionAction.PUBLISH}
            else [],
        }
        return TemplateResponse(request, "admin/claims/claim/workflow_confirm.html", context)

    def correction_propose_view(self, request, object_id):
        claim = self._claim_for(
            request, object_id, Claim.objects.select_related("published_verdict__rating__scale")
        )
        change_url = reverse("admin:claims_claim_change", args=[claim.pk])
        current = claim.published_verdict
        if current is None:
            self.message_user(
                request, _("Only a published fact-check can be corrected."), messages.ERROR
            )
            return HttpResponseRedirect(change_url)
        form = CorrectionProposalForm(
            request.POST if request.method == "POST" else None,
            scale=current.rating.scale,
            initial={
                "expected_version": claim.version,
                "rating": current.rating_id,
                "conclusion": current.conclusion,
                "explanation": current.explanation,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                workflow.correction_propose(claim=claim, by=request.user, **form.cleaned_data)
            except workflow.WorkflowError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _("Correction proposed. Another editor must publish it."),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": claim,
            "title": _("Propose a correction"),
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/claims/claim/correction_propose.html", context)

    def correction_decide_view(self, request, object_id, decision):
        claim = self._claim_for(request, object_id)
        change_url = reverse("admin:claims_claim_change", args=[claim.pk])
        if request.method != "POST" or decision not in {"publish", "discard"}:
            return HttpResponseRedirect(change_url)
        correction = claim.corrections.filter(published_at__isnull=True).first()
        if correction is None:
            self.message_user(request, _("There is no pending correction."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        try:
            version = int(request.POST.get("expected_version", ""))
        except ValueError:
            version = None  # a form without it: decide on the current version
        try:
            if decision == "publish":
                workflow.correction_publish(
                    correction=correction, by=request.user, expected_version=version
                )
                done = _("Correction published.")
            else:
                workflow.correction_discard(
                    correction=correction, by=request.user, expected_version=version
                )
                done = _("Correction discarded.")
        except workflow.WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    # --- Merging duplicates (claims.workflow.claim_merge / claim_unmerge) -----------

    def merge_view(self, request, object_id):
        duplicate = self._claim_for(request, object_id)
        change_url = reverse("admin:claims_claim_change", args=[duplicate.pk])
        if not request.user.has_perm("claims.merge_claim"):
            raise PermissionDenied
        form = MergeForm(
            request.POST if request.method == "POST" else None,
            initial={
                "canonical": request.GET.get("canonical"),
                "expected_version": duplicate.version,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                workflow.claim_merge(
                    duplicate=duplicate,
                    canonical=form.cleaned_data["canonical"],
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except workflow.WorkflowError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _("Merged into “%(claim)s”. The merge can be undone from this page.")
                    % {"claim": form.cleaned_data["canonical"]},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        chosen = form.chosen_claim()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": duplicate,
            "title": _("Merge into another claim"),
            "form": form,
            "chosen": chosen,
            "suggestions": matching.similar_claims(
                duplicate.text, language=duplicate.language, exclude_pk=duplicate.pk, limit=10
            ),
            "change_url": change_url,
            "merge_url": reverse("admin:claims_claim_merge", args=[duplicate.pk]),
        }
        return TemplateResponse(request, "admin/claims/claim/merge.html", context)

    def unmerge_view(self, request, object_id):
        duplicate = self._claim_for(request, object_id, Claim.objects.select_related("merged_into"))
        change_url = reverse("admin:claims_claim_change", args=[duplicate.pk])
        if not request.user.has_perm("claims.merge_claim"):
            raise PermissionDenied
        form = TransitionForm(
            request.POST if request.method == "POST" else None,
            initial={"expected_version": duplicate.version},
        )
        if request.method == "POST" and form.is_valid():
            try:
                workflow.claim_unmerge(
                    duplicate=duplicate,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except workflow.WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, _("The merge was undone."), messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": duplicate,
            "title": _("Undo the merge"),
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/claims/claim/unmerge.html", context)


class ClaimAddForm(ClaimAdminForm):
    """The add form first shows claims the newsroom already logged that look
    like the same claim, and saves only once the researcher confirms."""

    confirm_new_claim = forms.BooleanField(
        label=gettext_lazy("None of these is the same claim: save it as a new claim"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.similar_claims: list[matching.SimilarClaim] = []

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text")
        if text and not self.errors and not cleaned.get("confirm_new_claim"):
            self.similar_claims = matching.similar_claims(
                text, language=cleaned.get("language"), limit=10
            )
            if self.similar_claims:
                raise forms.ValidationError(
                    _(
                        "Not saved yet: the newsroom may have logged this claim already. "
                        "Check the similar claims below. If one is the same claim, add "
                        "this appearance to it instead; if none is, confirm and save again."
                    ),
                    code="similar_claims",
                )
        return cleaned


class MergeForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    canonical = forms.ModelChoiceField(
        label=gettext_lazy("Merge into claim number"),
        queryset=Claim.objects.filter(merged_into__isnull=True),
        widget=forms.TextInput(attrs={"size": 10, "inputmode": "numeric"}),
        help_text=gettext_lazy(
            "The claim that stays: this one's appearances move there and its page redirects there."
        ),
        error_messages={
            "invalid_choice": gettext_lazy("There is no claim with this number to merge into.")
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the workflow log"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def chosen_claim(self) -> Claim | None:
        value = self.data.get("canonical") if self.is_bound else self.initial.get("canonical")
        try:
            return Claim.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None


class ClaimItemAdmin(SafeAutocompleteAdminMixin, SimpleHistoryAdmin):
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
        return super().has_change_permission(request, obj) and (
            obj is None or services.item_is_editable(obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or services.item_is_editable(obj)
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

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
    list_display = ["claim", "stance", "source", "figure_value", "figure_unit", "published_at"]
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


@admin.register(Verdict)
class VerdictAdmin(SimpleHistoryAdmin):
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
        return super().has_change_permission(request, obj) and (
            obj is None or services.verdict_is_editable(obj)
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

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
class CorrectionAdmin(SimpleHistoryAdmin):
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


@admin.register(Claimant)
class ClaimantAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "role", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
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


# --- Other fact-checkers' reviews (claims.claimreview_import) --------------------------


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


@admin.register(ExternalReview)
class ExternalReviewAdmin(admin.ModelAdmin):
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
    fields = [
        "claim",
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
        if name != "claim"
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
        external_review_link(review=obj, claim=form.cleaned_data.get("claim"), by=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


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


ClaimAdmin.inlines = [*ClaimAdmin.inlines, ExternalReviewInline]
