"""The claim's own pages beyond the change form: workflow steps, corrections
and merges, each a confirmation page that calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import services
from claims.admin.forms import (
    CorrectionProposalForm,
    MergeForm,
    TransitionForm,
)
from claims.admin.preview import claim_preview, preview_available
from claims.exceptions import WorkflowError
from claims.models import (
    Claim,
    ClaimStatus,
    TransitionAction,
)
from claims.policy import ClaimPolicy, Decision
from claims.review.changes import correction_changes, publication_changes, retraction_changes
from claims.search import matching

_ACTION_LABELS = {
    TransitionAction.SUBMIT: gettext_lazy("Submit for review"),
    TransitionAction.REQUEST_CHANGES: gettext_lazy("Request changes"),
    TransitionAction.PUBLISH: gettext_lazy("Approve and publish"),
    TransitionAction.RETRACT: gettext_lazy("Retract"),
    TransitionAction.PROPOSE_CORRECTION: gettext_lazy("Propose a correction"),
}


SAVE_AND_SUBMIT = "_save_and_submit"

# Steps whose confirmation page shows what readers will see change.
_REVIEWED_STEPS = {
    TransitionAction.PUBLISH: publication_changes,
    TransitionAction.RETRACT: retraction_changes,
}


class ClaimPagesMixin:
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
                "<path:object_id>/preview/",
                # Not admin_view(): that would send an anonymous visitor to the
                # login page, telling them the claim exists; the view answers 404.
                claim_preview,
                name="{}_{}_preview".format(*info),
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
        # Offered on any draft the user may submit: whether it is complete is
        # known only once the form's inlines are saved, and the step says why not.
        context["show_save_and_submit"] = request.user.has_perm("claims.submit_claim") and (
            obj is None or (obj.status == ClaimStatus.DRAFT and obj.merged_into_id is None)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- "Save and submit for review": one form post instead of three pages ------

    def response_add(self, request, obj, post_url_continue=None):
        if SAVE_AND_SUBMIT in request.POST:
            return self._submit_after_save(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if SAVE_AND_SUBMIT in request.POST:
            return self._submit_after_save(request, obj)
        return super().response_change(request, obj)

    def _submit_after_save(self, request, obj):
        """The claim and its inlines are saved; submit them as one step more.
        When submission is refused the draft stays saved and the reason shows."""
        try:
            services.claim_submit(claim=obj, by=request.user)
        except WorkflowError as error:
            self.message_user(
                request,
                _("Saved, but not submitted: %(reason)s") % {"reason": error.message},
                messages.WARNING,
            )
        else:
            self.message_user(request, _("Saved and submitted for review."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[obj.pk]))

    def workflow_context(self, request, obj):
        policy = ClaimPolicy(request.user, obj)
        allowed = policy.allowed_actions()
        pending_correction = policy.pending_correction()
        return {
            "pending_correction_version": services.correction_version(pending_correction)
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
                if action in _ACTION_LABELS
            ],
            "submission_problems": (
                services.submission_problems(obj) if obj.status == ClaimStatus.DRAFT else []
            ),
            "pending_correction": pending_correction,
            "can_publish_correction": TransitionAction.PUBLISH_CORRECTION in allowed,
            "can_discard_correction": TransitionAction.DISCARD_CORRECTION in allowed,
            "public_url": obj.get_absolute_url() if obj.has_public_page else None,
            "preview_url": reverse("admin:claims_claim_preview", args=[obj.pk])
            if preview_available(obj, pending_correction)
            else None,
            "merge_url": reverse("admin:claims_claim_merge", args=[obj.pk])
            if policy.can_merge()
            else None,
            "unmerge_url": reverse("admin:claims_claim_unmerge", args=[obj.pk])
            if policy.can_unmerge()
            else None,
        }

    def _claim_for(self, request, object_id, queryset=None) -> Claim:
        """The claim a custom admin page is about, for users who may see it."""
        object_id = str(object_id)
        if not (object_id.isascii() and object_id.isdigit() and len(object_id) < 16):
            raise Http404(_("No claim at this address."))
        claim = get_object_or_404(queryset if queryset is not None else Claim.objects, pk=object_id)
        if not self.has_view_permission(request, claim):
            raise PermissionDenied
        return claim

    def _refused(self, request, decision: Decision, change_url: str):
        """A confirmation page is shown only for a step the policy allows: the
        user is sent back to the claim with the reason ("You do not have
        permission to correct fact-checks."), before filling in anything.
        Those who may not see the claim never get here (`_claim_for`)."""
        if decision:
            return None
        self.message_user(request, decision.message, messages.ERROR)
        return HttpResponseRedirect(change_url)

    def workflow_view(self, request, object_id, action):
        claim = self._claim_for(request, object_id)
        if action not in services.STEP_ACTIONS:
            raise PermissionDenied
        change_url = reverse("admin:claims_claim_change", args=[claim.pk])
        if request.method != "POST":
            refused = self._refused(
                request, ClaimPolicy(request.user, claim).decision_for(action), change_url
            )
            if refused:
                return refused
        form = TransitionForm(
            request.POST if request.method == "POST" else None,
            initial={"expected_version": claim.version},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.take_step(
                    action,
                    claim=claim,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except WorkflowError as error:
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
            "problems": services.submission_problems(claim)
            if action in {TransitionAction.SUBMIT, TransitionAction.PUBLISH}
            else [],
            "changes": _REVIEWED_STEPS[action](claim) if action in _REVIEWED_STEPS else None,
            "preview_url": reverse("admin:claims_claim_preview", args=[claim.pk])
            if action == TransitionAction.PUBLISH
            else None,
            # The review page also sends the claim back, so the editor decides
            # on the page where they read it.
            "request_changes_url": reverse(
                "admin:claims_claim_workflow", args=[claim.pk, TransitionAction.REQUEST_CHANGES]
            )
            if action == TransitionAction.PUBLISH
            and ClaimPolicy(request.user, claim).can_request_changes()
            else None,
        }
        return TemplateResponse(request, "admin/claims/claim/workflow_confirm.html", context)

    def correction_propose_view(self, request, object_id):
        claim = self._claim_for(
            request, object_id, Claim.objects.select_related("published_verdict__rating__scale")
        )
        change_url = reverse("admin:claims_claim_change", args=[claim.pk])
        current = claim.published_verdict
        refused = self._refused(
            request, ClaimPolicy(request.user, claim).can_propose_correction(), change_url
        )
        if refused:
            return refused
        form = CorrectionProposalForm(
            request.POST if request.method == "POST" else None,
            scale=current.rating.scale,
            initial={
                "expected_version": claim.version,
                "text": claim.text,
                "claimant": claim.claimant_id,
                "context": claim.context,
                "rating": current.rating_id,
                "conclusion": current.conclusion,
                "explanation": current.explanation,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.correction_propose(claim=claim, by=request.user, **form.cleaned_data)
            except WorkflowError as error:
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
        if decision not in {"publish", "discard"}:
            return HttpResponseRedirect(change_url)
        if request.method != "POST" and decision == "discard":
            return HttpResponseRedirect(change_url)
        correction = (
            claim.corrections.pending()
            .select_related("verdict__rating", "created_by", "claimant")
            .first()
        )
        if correction is None:
            self.message_user(request, _("There is no pending correction."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method != "POST":
            return self._correction_publish_confirm(request, claim, correction, change_url)
        try:
            version = int(request.POST.get("expected_version", ""))
        except ValueError:
            version = None  # a form without it: decide on the current version
        try:
            if decision == "publish":
                services.correction_publish(
                    correction=correction, by=request.user, expected_version=version
                )
                done = _("Correction published.")
            else:
                services.correction_discard(
                    correction=correction, by=request.user, expected_version=version
                )
                done = _("Correction discarded.")
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def _correction_publish_confirm(self, request, claim, correction, change_url):
        """The second editor's page: the public page now and after the correction."""
        refused = self._refused(
            request, ClaimPolicy(request.user, claim).can_publish_correction(correction), change_url
        )
        if refused:
            return refused
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": claim,
            "title": _("Publish correction"),
            "correction": correction,
            "correction_version": services.correction_version(correction),
            "changes": correction_changes(correction),
            "change_url": change_url,
            "preview_url": reverse("admin:claims_claim_preview", args=[claim.pk]),
        }
        return TemplateResponse(
            request, "admin/claims/claim/correction_publish_confirm.html", context
        )

    # --- Merging duplicates (claims.services.claim_merge / claim_unmerge) -----------

    def merge_view(self, request, object_id):
        duplicate = self._claim_for(request, object_id)
        change_url = reverse("admin:claims_claim_change", args=[duplicate.pk])
        refused = self._refused(
            request, ClaimPolicy(request.user, duplicate).can_merge(), change_url
        )
        if refused:
            return refused
        form = MergeForm(
            request.POST if request.method == "POST" else None,
            initial={
                "canonical": request.GET.get("canonical"),
                "expected_version": duplicate.version,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.claim_merge(
                    duplicate=duplicate,
                    canonical=form.cleaned_data["canonical"],
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except WorkflowError as error:
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
        refused = self._refused(
            request, ClaimPolicy(request.user, duplicate).can_unmerge(), change_url
        )
        if refused:
            return refused
        form = TransitionForm(
            request.POST if request.method == "POST" else None,
            initial={"expected_version": duplicate.version},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.claim_unmerge(
                    duplicate=duplicate,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except WorkflowError as error:
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
