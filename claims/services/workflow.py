"""The editorial workflow: every change of a claim's status goes through here.

    draft ──submit──▶ in review ──publish──▶ published ──retract──▶ retracted
      ▲                   │                      │
      └─request changes───┘                      └─ corrections (claims.services.corrections)

Each transition checks (permission, state, content), then acts, then writes
one row to the transition log, all in one transaction on a locked row. The
admin, the API and management commands call these functions; none of them
sets `status` itself. Errors carry a message meant for the person who asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exceptions import NotPermitted, TransitionRejected, WorkflowError
from claims.models import Appearance, Claim, ClaimStatus, Evidence, TransitionAction, Verdict
from claims.services.base import _locked, _log, _save_state, check_version, require_perm
from claims.services.tips import tipsters_notify_after_publish


def take_step(
    action: str, *, claim: Claim, by, comment: str = "", expected_version: int | None = None
) -> Claim:
    """The four transitions by name, for the admin's buttons and the API's
    transitions endpoint. A retraction's comment is its public reason."""
    if action == TransitionAction.RETRACT:
        return claim_retract(claim=claim, by=by, reason=comment, expected_version=expected_version)
    step = {
        TransitionAction.SUBMIT: claim_submit,
        TransitionAction.REQUEST_CHANGES: claim_request_changes,
        TransitionAction.PUBLISH: claim_publish,
    }.get(action)
    if step is None:
        raise TransitionRejected(_("Unknown workflow step."), code="action")
    return step(claim=claim, by=by, comment=comment, expected_version=expected_version)


STEP_ACTIONS = (
    TransitionAction.SUBMIT,
    TransitionAction.REQUEST_CHANGES,
    TransitionAction.PUBLISH,
    TransitionAction.RETRACT,
)


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


# --- Gates: who may take which step from which state -------------------------
# A gate checks permission and state only; content checks run when the step is
# taken, so the admin can offer "Submit" and then say what is missing.


def _require_status(claim: Claim, allowed: set[str], message: str) -> None:
    if claim.status not in allowed:
        raise TransitionRejected(message, code="state")


def _gate_submit(claim: Claim, by) -> None:
    require_perm(by, "claims.submit_claim", _("You do not have permission to submit claims."))
    _require_status(claim, {ClaimStatus.DRAFT}, _("Only a draft can be submitted for review."))
    _require_not_merged(claim)


def _gate_request_changes(claim: Claim, by) -> None:
    require_perm(by, "claims.review_claim", _("You do not have permission to review claims."))
    _require_status(
        claim, {ClaimStatus.IN_REVIEW}, _("Changes can be requested only on a claim in review.")
    )


def _gate_publish(claim: Claim, by) -> None:
    require_perm(by, "claims.publish_claim", _("You do not have permission to publish."))
    _require_status(claim, {ClaimStatus.IN_REVIEW}, _("Only a claim in review can be published."))
    _require_not_merged(claim)
    verdict = claim.verdicts.pending().first()
    if verdict is not None and wrote_verdict(verdict, by):
        raise NotPermitted(
            _("You wrote or edited this verdict; another editor must approve and publish it."),
            code="two_person_rule",
        )


def wrote_verdict(verdict: Verdict, user) -> bool:
    """Whether `user` wrote or edited this verdict version (the two-person rule)."""
    return verdict.author_id == user.pk or verdict.contributors.filter(pk=user.pk).exists()


def _gate_retract(claim: Claim, by) -> None:
    require_perm(by, "claims.retract_claim", _("You do not have permission to retract."))
    _require_status(
        claim, {ClaimStatus.PUBLISHED}, _("Only a published fact-check can be retracted.")
    )
    _require_not_merged(claim)


def _gate_propose_correction(claim: Claim, by) -> None:
    require_perm(
        by, "claims.correct_claim", _("You do not have permission to correct fact-checks.")
    )
    _require_status(
        claim, {ClaimStatus.PUBLISHED}, _("Only a published fact-check can be corrected.")
    )
    _require_not_merged(claim)
    if claim.corrections.filter(published_at__isnull=True).exists():
        raise TransitionRejected(
            _("This fact-check already has a pending correction; publish or discard it first."),
            code="pending_correction",
        )


def _require_not_merged(claim: Claim) -> None:
    if claim.merged_into_id is not None:
        raise TransitionRejected(
            _(
                "This claim was merged into another claim and cannot change state; "
                "un-merge it first, or act on the claim it was merged into."
            ),
            code="merged",
        )


_GATES: dict[str, Callable[[Claim, AbstractBaseUser], None]] = {
    TransitionAction.SUBMIT: _gate_submit,
    TransitionAction.REQUEST_CHANGES: _gate_request_changes,
    TransitionAction.PUBLISH: _gate_publish,
    TransitionAction.RETRACT: _gate_retract,
    TransitionAction.PROPOSE_CORRECTION: _gate_propose_correction,
}


def allowed_actions(*, claim: Claim, user) -> list[str]:
    """The steps this user may take on this claim now (for buttons and the API)."""
    allowed = []
    for action, gate in _GATES.items():
        try:
            gate(claim, user)
        except WorkflowError:
            continue
        allowed.append(action)
    return allowed


def _publish_pending_items(claim: Claim, at) -> None:
    Appearance.objects.filter(claim=claim, published_at__isnull=True).update(published_at=at)
    Evidence.objects.filter(claim=claim, published_at__isnull=True).update(published_at=at)


@transaction.atomic
def claim_submit(
    *, claim: Claim, by, comment: str = "", expected_version: int | None = None
) -> Claim:
    claim = _locked(claim)
    check_version(claim, expected_version)
    _gate_submit(claim, by)
    problems = submission_problems(claim)
    if problems:
        raise TransitionRejected(
            _("Not ready for review: %(problems)s")
            % {"problems": " ".join(p.message for p in problems)},
            code="incomplete",
        )
    from_status = claim.status
    claim.status = ClaimStatus.IN_REVIEW
    _save_state(claim, ["status"])
    _log(claim, action=TransitionAction.SUBMIT, from_status=from_status, by=by, comment=comment)
    return claim


@transaction.atomic
def claim_request_changes(
    *, claim: Claim, by, comment: str, expected_version: int | None = None
) -> Claim:
    claim = _locked(claim)
    check_version(claim, expected_version)
    _gate_request_changes(claim, by)
    if not (comment or "").strip():
        raise TransitionRejected(
            _("Say what needs to change, so the researcher knows what to do."), code="comment"
        )
    from_status = claim.status
    claim.status = ClaimStatus.DRAFT
    _save_state(claim, ["status"])
    _log(
        claim,
        action=TransitionAction.REQUEST_CHANGES,
        from_status=from_status,
        by=by,
        comment=comment.strip(),
    )
    return claim


@transaction.atomic
def claim_publish(
    *, claim: Claim, by, comment: str = "", expected_version: int | None = None
) -> Claim:
    claim = _locked(claim)
    check_version(claim, expected_version)
    _gate_publish(claim, by)
    # Content is locked in review, but publishing re-checks rather than trusts.
    problems = submission_problems(claim)
    if problems:
        raise TransitionRejected(
            _("Not ready to publish: %(problems)s")
            % {"problems": " ".join(p.message for p in problems)},
            code="incomplete",
        )
    verdict = claim.verdicts.pending().get()
    now = timezone.now()
    verdict.published_at = now
    verdict.reviewer = by
    verdict.version += 1
    verdict.save(update_fields=["published_at", "reviewer", "version", "updated_at"])
    _publish_pending_items(claim, now)

    from_status = claim.status
    claim.status = ClaimStatus.PUBLISHED
    claim.published_verdict = verdict
    claim.published_at = now
    claim.public_updated_at = now
    _save_state(claim, ["status", "published_verdict", "published_at", "public_updated_at"])
    _log(
        claim,
        action=TransitionAction.PUBLISH,
        from_status=from_status,
        by=by,
        comment=comment,
        at=now,
    )
    tipsters_notify_after_publish(claim=claim)
    return claim


@transaction.atomic
def claim_retract(*, claim: Claim, by, reason: str, expected_version: int | None = None) -> Claim:
    claim = _locked(claim)
    check_version(claim, expected_version)
    _gate_retract(claim, by)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRejected(
            _("A retraction needs a public reason; readers will see it."), code="comment"
        )
    now = timezone.now()
    from_status = claim.status
    claim.status = ClaimStatus.RETRACTED
    claim.retracted_at = now
    claim.retraction_reason = reason
    claim.public_updated_at = now
    _save_state(claim, ["status", "retracted_at", "retraction_reason", "public_updated_at"])
    _log(
        claim,
        action=TransitionAction.RETRACT,
        from_status=from_status,
        by=by,
        comment=reason,
        at=now,
    )
    return claim
