"""ClaimPolicy: what a user may do to a claim in its current state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from claims.exceptions import ContentLocked, NotPermitted
from claims.models import (
    Claim,
    ClaimStatus,
    Contribution,
    Correction,
    TransitionAction,
    Verdict,
)
from claims.policy.base import ALLOWED, Decision, User, deny, first_refusal, perm_decision


def approvable_by(user: User, claims: QuerySet) -> QuerySet:
    """The claims among `claims` whose content `user` did not write or change
    since the last publication: the two-person rule of `ClaimPolicy`, as one
    query, for lists of work waiting for a second person (the desk)."""
    theirs = Contribution.objects.unpublished().filter(claim=OuterRef("pk"), user=user)
    return claims.exclude(Exists(theirs))


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def submission_problems(claim: Claim) -> list[Problem]:
    """What is missing before a claim can go to review (empty when ready)."""
    problems = []
    verdict = claim.verdicts.pending().select_related("rating").first()
    if verdict is None:
        problems.append(
            Problem("verdict", _("Write a verdict: rating, conclusion and explanation."))
        )
    else:
        if not verdict.conclusion.strip():
            problems.append(Problem("verdict", _("The verdict needs a one-line conclusion.")))
        if not verdict.explanation.strip():
            problems.append(Problem("verdict", _("The verdict needs an explanation.")))
    if not claim.appearances.exists():
        problems.append(
            Problem("appearances", _("Record at least one appearance: where and when it was said."))
        )
    source_ids = list(claim.evidence.values_list("source_id", flat=True))
    if len(source_ids) < 2:
        problems.append(Problem("evidence", _("Attach at least two pieces of evidence.")))
    elif len(set(source_ids)) < 2:
        problems.append(
            Problem("evidence", _("The evidence must come from at least two different sources."))
        )
    return problems


def _incomplete(problems: list[Problem], message: str) -> Decision:
    return deny(message % {"problems": " ".join(p.message for p in problems)}, "incomplete")


CLAIM_EDITABLE_FIELDS = (
    "text",
    "claimant",
    "language",
    "first_made_on",
    "context",
    "assigned_to",
    "true_as_of",
    "parent",
)
# Assignment is newsroom bookkeeping, not published content.
CLAIM_FIELDS_EDITABLE_AFTER_PUBLICATION = frozenset({"assigned_to"})


def state_message(claim: Claim) -> str:
    """Why a claim's content cannot change in its current state."""
    if claim.merged_into_id is not None:
        return _("This claim was merged into another claim and cannot be edited.")
    if claim.status == ClaimStatus.IN_REVIEW:
        return _("This claim is in review and cannot be edited; an editor can request changes.")
    if claim.status == ClaimStatus.PUBLISHED:
        return _("This fact-check is published; change it through a correction.")
    return _("This fact-check is retracted and cannot be edited.")


class ClaimPolicy:
    """What `user` may do to `claim` in its current state.

    Content checks (is the verdict written, is there evidence) are part of the
    answer for submit and publish, so a button is never offered for a step
    that would be refused; the admin lists what is missing instead.
    """

    def __init__(self, user: User | None, claim: Claim) -> None:
        self.user = user
        self.claim = claim

    # --- content -------------------------------------------------------------

    def editable_fields(self) -> frozenset[str]:
        claim = self.claim
        if claim.merged_into_id is not None:
            return frozenset()
        if claim.status == ClaimStatus.DRAFT:
            return frozenset(CLAIM_EDITABLE_FIELDS) | {"topics"}
        if claim.status == ClaimStatus.PUBLISHED:
            return CLAIM_FIELDS_EDITABLE_AFTER_PUBLICATION
        return frozenset()

    def can_edit(self, fields: set[str] | frozenset[str] | None = None) -> Decision:
        """Whether the user may change the claim's own fields (`fields`, or any)."""
        permission = perm_decision(
            self.user, "claims.change_claim", _("You do not have permission to edit claims.")
        )
        if not permission:
            return permission
        editable = self.editable_fields()
        if not editable or (fields is not None and set(fields) - editable):
            return deny(state_message(self.claim), "locked", ContentLocked)
        return ALLOWED

    def can_take(self) -> Decision:
        """Whether the user may assign this unassigned claim to themself."""
        permission = perm_decision(
            self.user, "claims.change_claim", _("You do not have permission to edit claims.")
        )
        if not permission:
            return permission
        if self.claim.assigned_to_id is not None:
            return deny(_("This claim is already assigned; an editor can reassign it."), "assigned")
        if "assigned_to" not in self.editable_fields():
            return deny(state_message(self.claim), "locked", ContentLocked)
        return ALLOWED

    def accepts_new_items(self) -> bool:
        """Whether appearances and evidence may be added now (new ones stay
        private on a published claim until its next correction)."""
        return self.claim.merged_into_id is None and self.claim.status in {
            ClaimStatus.DRAFT,
            ClaimStatus.PUBLISHED,
        }

    def can_add_item(self, model: type[models.Model]) -> Decision:
        meta = model._meta
        permission = perm_decision(
            self.user,
            f"claims.add_{meta.model_name}",
            _("You do not have permission to add %(items)s.") % {"items": meta.verbose_name_plural},
        )
        if not permission:
            return permission
        if not self.accepts_new_items():
            return deny(state_message(self.claim), "locked", ContentLocked)
        return ALLOWED

    def can_change_item(self, item: models.Model, *, delete: bool = False) -> Decision:
        meta = item._meta
        verb = "delete" if delete else "change"
        permission = perm_decision(
            self.user,
            f"claims.{verb}_{meta.model_name}",
            (
                _("You do not have permission to delete %(items)s.")
                if delete
                else _("You do not have permission to edit %(items)s.")
            )
            % {"items": meta.verbose_name_plural},
        )
        if not permission:
            return permission
        if item.published_at is not None:
            message = (
                _("This %(item)s is part of the published record and cannot be removed.")
                if delete
                else _("This %(item)s is part of the published record and cannot be edited.")
            )
            return deny(message % {"item": meta.verbose_name}, "locked", ContentLocked)
        if not self.accepts_new_items():
            return deny(state_message(self.claim), "locked", ContentLocked)
        return ALLOWED

    def can_write_verdict(self) -> Decision:
        permission = perm_decision(
            self.user, "claims.add_verdict", _("You do not have permission to write verdicts.")
        )
        if not permission:
            return permission
        if self.claim.merged_into_id is not None or self.claim.status != ClaimStatus.DRAFT:
            return deny(state_message(self.claim), "locked", ContentLocked)
        if self.claim.verdicts.pending().exists():
            return deny(
                _("This claim already has a verdict in progress; edit that one."), "duplicate"
            )
        return ALLOWED

    def can_change_verdict(self, verdict: Verdict) -> Decision:
        permission = perm_decision(
            self.user, "claims.change_verdict", _("You do not have permission to edit verdicts.")
        )
        if not permission:
            return permission
        if verdict.published_at is not None:
            return deny(
                _(
                    "A published verdict is never edited in place. Propose a correction: "
                    "it creates a new version and a public note."
                ),
                "published_verdict",
                ContentLocked,
            )
        claim = self.claim
        drafted_by_correction = hasattr(verdict, "correction")
        if drafted_by_correction:
            if claim.status != ClaimStatus.PUBLISHED or claim.merged_into_id is not None:
                return deny(state_message(claim), "locked", ContentLocked)
            # The new version of a published verdict is part of a correction.
            return perm_decision(
                self.user,
                "claims.correct_claim",
                _("Only editors can change the verdict proposed in a correction."),
            )
        if claim.status != ClaimStatus.DRAFT or claim.merged_into_id is not None:
            return deny(state_message(claim), "locked", ContentLocked)
        return ALLOWED

    def can_discard(self) -> Decision:
        """Delete a draft that will never go out (published work is retracted)."""
        permission = perm_decision(
            self.user, "claims.delete_claim", _("You do not have permission to discard claims.")
        )
        if not permission:
            return permission
        claim = self.claim
        if claim.status != ClaimStatus.DRAFT:
            return deny(
                _("Only a draft can be discarded; a published fact-check is retracted instead."),
                "state",
            )
        if claim.merged_into_id is not None or claim.merged_duplicates.exists():
            return deny(
                _("This claim is part of a merge; undo the merge before discarding it."),
                "merged",
            )
        if claim.sub_claims.exists():
            return deny(_("This claim has sub-claims; detach or discard them first."), "sub_claims")
        return ALLOWED

    # --- the workflow ----------------------------------------------------------

    def _state(self, allowed: set[str], message: str) -> Decision:
        return ALLOWED if self.claim.status in allowed else deny(message, "state")

    def _not_merged(self) -> Decision:
        if self.claim.merged_into_id is not None:
            return deny(
                _(
                    "This claim was merged into another claim and cannot change state; "
                    "un-merge it first, or act on the claim it was merged into."
                ),
                "merged",
            )
        return ALLOWED

    def changed_since_publication(self) -> list[str]:
        """The parts of the content this user wrote or changed that are not yet
        on the public record (the two-person rule)."""
        if not (self.user and self.user.is_authenticated):
            return []
        return sorted(
            set(
                Contribution.objects.unpublished()
                .filter(claim=self.claim, user=self.user)
                .values_list("part", flat=True)
            )
        )

    def _second_person(self, message: str) -> Decision:
        # The same rule for many claims at once: `approvable_by`.
        parts = self.changed_since_publication()
        if parts:
            labels = dict(Contribution._meta.get_field("part").choices)
            return deny(
                message % {"parts": ", ".join(str(labels[p]) for p in parts)},
                "two_person_rule",
                NotPermitted,
            )
        return ALLOWED

    def can_submit(self) -> Decision:
        return first_refusal(
            lambda: perm_decision(
                self.user, "claims.submit_claim", _("You do not have permission to submit claims.")
            ),
            lambda: self._state(
                {ClaimStatus.DRAFT}, _("Only a draft can be submitted for review.")
            ),
            self._not_merged,
            lambda: self._complete(_("Not ready for review: %(problems)s")),
        )

    def can_request_changes(self) -> Decision:
        return first_refusal(
            lambda: perm_decision(
                self.user, "claims.review_claim", _("You do not have permission to review claims.")
            ),
            lambda: self._state(
                {ClaimStatus.IN_REVIEW}, _("Changes can be requested only on a claim in review.")
            ),
        )

    def can_publish(self) -> Decision:
        return first_refusal(
            lambda: perm_decision(
                self.user, "claims.publish_claim", _("You do not have permission to publish.")
            ),
            lambda: self._state(
                {ClaimStatus.IN_REVIEW}, _("Only a claim in review can be published.")
            ),
            self._not_merged,
            lambda: self._second_person(
                _(
                    "You wrote or changed this fact-check's %(parts)s since it was last "
                    "published; another editor must approve and publish it."
                )
            ),
            # Content is locked in review, but publishing re-checks rather than trusts.
            lambda: self._complete(_("Not ready to publish: %(problems)s")),
        )

    def _complete(self, message: str) -> Decision:
        problems = submission_problems(self.claim)
        return _incomplete(problems, message) if problems else ALLOWED

    def can_retract(self) -> Decision:
        return first_refusal(
            lambda: perm_decision(
                self.user, "claims.retract_claim", _("You do not have permission to retract.")
            ),
            lambda: self._state(
                {ClaimStatus.PUBLISHED}, _("Only a published fact-check can be retracted.")
            ),
            self._not_merged,
        )

    # --- corrections -----------------------------------------------------------

    def pending_correction(self) -> Correction | None:
        return (
            self.claim.corrections.pending().select_related("verdict__rating", "created_by").first()
        )

    def can_propose_correction(self) -> Decision:
        def no_pending() -> Decision:
            if self.claim.corrections.pending().exists():
                return deny(
                    _(
                        "This fact-check already has a pending correction; publish or "
                        "discard it first."
                    ),
                    "pending_correction",
                )
            return ALLOWED

        return first_refusal(
            lambda: perm_decision(
                self.user,
                "claims.correct_claim",
                _("You do not have permission to correct fact-checks."),
            ),
            lambda: self._state(
                {ClaimStatus.PUBLISHED}, _("Only a published fact-check can be corrected.")
            ),
            self._not_merged,
            no_pending,
        )

    def _correction_pending(self, correction: Correction, message: str) -> Decision:
        return deny(message, "state") if correction.published_at is not None else ALLOWED

    def can_publish_correction(self, correction: Correction) -> Decision:
        return first_refusal(
            lambda: perm_decision(
                self.user, "claims.publish_claim", _("You do not have permission to publish.")
            ),
            lambda: self._state(
                {ClaimStatus.PUBLISHED}, _("Only a published fact-check can be corrected.")
            ),
            self._not_merged,
            lambda: self._correction_pending(
                correction, _("This correction is already published.")
            ),
            lambda: (
                deny(
                    _("You proposed this correction; another editor must publish it."),
                    "two_person_rule",
                    NotPermitted,
                )
                if correction.created_by_id == getattr(self.user, "pk", None)
                else ALLOWED
            ),
            lambda: self._second_person(
                _(
                    "You wrote or changed this fact-check's %(parts)s since it was last "
                    "published; another editor must publish the correction."
                )
            ),
        )

    def can_discard_correction(self, correction: Correction) -> Decision:
        return first_refusal(
            lambda: perm_decision(
                self.user,
                "claims.correct_claim",
                _("You do not have permission to correct fact-checks."),
            ),
            lambda: self._correction_pending(
                correction,
                _("A published correction stays on the record; propose a new one instead."),
            ),
        )

    # --- merging ---------------------------------------------------------------

    def can_merge(self, canonical: Claim | None = None) -> Decision:
        """Merge this claim into another; without `canonical`, whether it can
        be merged into some claim at all (for offering the button)."""
        from claims.services.merging import merge_problem

        permission = perm_decision(
            self.user, "claims.merge_claim", _("You do not have permission to merge claims.")
        )
        if not permission:
            return permission
        problem = merge_problem(self.claim, canonical)
        return deny(problem.message, problem.code) if problem else ALLOWED

    def can_unmerge(self) -> Decision:
        permission = perm_decision(
            self.user, "claims.merge_claim", _("You do not have permission to merge claims.")
        )
        if not permission:
            return permission
        if self.claim.merged_into_id is None:
            return deny(_("This claim is not merged into another claim."), "not_merged")
        return ALLOWED

    # --- everything the UI offers ---------------------------------------------

    def _step_checks(self) -> dict[str, Callable[[], Decision]]:
        return {
            TransitionAction.SUBMIT: self.can_submit,
            TransitionAction.REQUEST_CHANGES: self.can_request_changes,
            TransitionAction.PUBLISH: self.can_publish,
            TransitionAction.RETRACT: self.can_retract,
            TransitionAction.PROPOSE_CORRECTION: self.can_propose_correction,
        }

    def allowed_actions(self) -> list[str]:
        """What this user may do to this claim now, by the names the API's
        transitions and corrections endpoints and the admin's buttons use:
        the workflow steps, then the decisions on a pending correction."""
        allowed = [action for action, check in self._step_checks().items() if check()]
        pending = self.pending_correction()
        if pending is not None:
            if self.can_publish_correction(pending):
                allowed.append(TransitionAction.PUBLISH_CORRECTION)
            if self.can_discard_correction(pending):
                allowed.append(TransitionAction.DISCARD_CORRECTION)
        return allowed

    def decision_for(self, action: str) -> Decision:
        check = self._step_checks().get(action)
        return check() if check is not None else deny(_("Unknown workflow step."), "action")
