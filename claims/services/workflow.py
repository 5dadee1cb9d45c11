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

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exceptions import TransitionRejected
from claims.models import (
    Appearance,
    Claim,
    ClaimStatus,
    Contribution,
    Evidence,
    NotificationEvent,
    TransitionAction,
)
from claims.policy import ClaimPolicy, User
from claims.services.base import _locked, _log, _save_state, check_version, service
from claims.services.content import reclaim_public_slug
from claims.services.notifications import notify
from claims.services.tips import tipsters_notify_after_publish


def take_step(
    action: str, *, claim: Claim, by: User, comment: str = "", expected_version: int | None = None
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


def allowed_actions(*, claim: Claim, user: User | None) -> list[str]:
    """The steps this user may take on this claim now (for buttons and the API)."""
    return ClaimPolicy(user, claim).allowed_actions()


def _publish_pending_items(claim: Claim, at: datetime) -> None:
    """Everything pending goes on the record: new appearances and evidence, and
    the contributions the two-person rule counted (the next round starts anew)."""
    Appearance.objects.filter(claim=claim, published_at__isnull=True).update(published_at=at)
    Evidence.objects.filter(claim=claim, published_at__isnull=True).update(published_at=at)
    Contribution.objects.unpublished().filter(claim=claim).update(published_at=at)


@service(public=False)
def claim_submit(
    *, claim: Claim, by: User, comment: str = "", expected_version: int | None = None
) -> Claim:
    claim = _locked(claim)
    check_version(claim, expected_version)
    ClaimPolicy(by, claim).can_submit().require()
    from_status = claim.status
    claim.status = ClaimStatus.IN_REVIEW
    _save_state(claim, ["status"])
    _log(claim, action=TransitionAction.SUBMIT, from_status=from_status, by=by, comment=comment)
    notify(NotificationEvent.SUBMITTED, claim=claim, by=by, comment=comment)
    return claim


@service(public=False)
def claim_request_changes(
    *, claim: Claim, by: User, comment: str, expected_version: int | None = None
) -> Claim:
    claim = _locked(claim)
    check_version(claim, expected_version)
    ClaimPolicy(by, claim).can_request_changes().require()
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
    notify(NotificationEvent.CHANGES_REQUESTED, claim=claim, by=by, comment=comment.strip())
    return claim


@service
def claim_publish(
    *, claim: Claim, by: User, comment: str = "", expected_version: int | None = None
) -> Claim:
    claim = _locked(claim)
    check_version(claim, expected_version)
    ClaimPolicy(by, claim).can_publish().require()
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
    slug = reclaim_public_slug(claim)
    _save_state(claim, ["status", "published_verdict", "published_at", "public_updated_at", *slug])
    _log(
        claim,
        action=TransitionAction.PUBLISH,
        from_status=from_status,
        by=by,
        comment=comment,
        at=now,
    )
    tipsters_notify_after_publish(claim=claim)
    notify(NotificationEvent.PUBLISHED, claim=claim, by=by, comment=comment)
    return claim


@service
def claim_retract(
    *, claim: Claim, by: User, reason: str, expected_version: int | None = None
) -> Claim:
    claim = _locked(claim)
    check_version(claim, expected_version)
    ClaimPolicy(by, claim).can_retract().require()
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
