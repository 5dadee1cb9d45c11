"""The editorial workflow: every change of a claim's status goes through here.

    draft ──submit──▶ in review ──publish──▶ published ──retract──▶ retracted
      ▲                   │                      │
      └─request changes───┘                      └─ corrections (propose, publish, discard)

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
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import (
    Appearance,
    Claim,
    ClaimStatus,
    Correction,
    CorrectionKind,
    Evidence,
    Rating,
    Transition,
    TransitionAction,
    Verdict,
)


class WorkflowError(Exception):
    """A step the rules do not allow; `message` is shown to the user as is."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class TransitionRejected(WorkflowError):
    """The claim is not in a state, or not complete enough, for this step."""


class NotPermitted(WorkflowError):
    """This user may not take this step (role, or the two-person rule)."""


class StaleVersion(WorkflowError):
    """The object changed since the user read it; their change would overwrite another."""


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


def require_perm(user: AbstractBaseUser, perm: str, message: str) -> None:
    if not (user and user.is_active and user.has_perm(perm)):
        raise NotPermitted(message, code="permission")


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


# --- Steps ---------------------------------------------------------------------


def check_version(obj, expected_version: int | None) -> None:
    """Refuse to act on an object that changed since the user read it.

    Every editable object carries a `version` that each save increments; the
    admin's forms and the API's If-Match send the version the user saw.
    """
    if expected_version is not None and obj.version != expected_version:
        raise StaleVersion(
            _(
                "Someone else saved this %(object)s after you opened it "
                "(your copy: version %(yours)s, now: version %(current)s). "
                "Reload to see their change, then reapply yours."
            )
            % {
                "object": obj._meta.verbose_name,
                "yours": expected_version,
                "current": obj.version,
            },
            code="stale",
        )


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim.pk)


def _log(
    claim: Claim, *, action: str, from_status: str, by, comment: str = "", at=None
) -> Transition:
    return Transition.objects.create(
        claim=claim,
        action=action,
        from_status=from_status,
        to_status=claim.status,
        actor=by,
        comment=comment,
        at=at or timezone.now(),
    )


def _save_state(claim: Claim, fields: list[str]) -> None:
    # The row is locked by _locked(), so a plain increment cannot race.
    claim.version += 1
    claim.save(update_fields=[*fields, "version", "updated_at"])


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


@transaction.atomic
def correction_propose(
    *,
    claim: Claim,
    by,
    kind: str,
    note: str,
    rating: Rating | None = None,
    conclusion: str | None = None,
    explanation: str | None = None,
    expected_version: int | None = None,
) -> Correction:
    """Start a correction, update or clarification of a published fact-check.

    When the rating, conclusion or explanation change, a new verdict version is
    drafted; it stays private until another editor publishes the correction.
    """
    claim = _locked(claim)
    check_version(claim, expected_version)
    _gate_propose_correction(claim, by)
    note = (note or "").strip()
    if kind not in CorrectionKind.values:
        raise TransitionRejected(_("Choose correction, update or clarification."), code="kind")
    if not note:
        raise TransitionRejected(
            _("A correction needs a public note saying what changed and why."), code="note"
        )
    current = claim.published_verdict
    changes = {
        "rating": rating if rating is not None else current.rating,
        "conclusion": (conclusion if conclusion is not None else current.conclusion).strip(),
        "explanation": (explanation if explanation is not None else current.explanation).strip(),
    }
    if not changes["conclusion"] or not changes["explanation"]:
        raise TransitionRejected(
            _("A verdict needs a conclusion and an explanation."), code="verdict"
        )
    verdict = None
    if (
        changes["rating"].pk != current.rating_id
        or changes["conclusion"] != current.conclusion
        or changes["explanation"] != current.explanation
    ):
        if changes["rating"].scale_id != current.rating.scale_id:
            raise TransitionRejected(
                _("The new rating must come from the same rating scale."), code="rating"
            )
        verdict = Verdict.objects.create(
            claim=claim,
            number=claim.verdicts.count() + 1,
            author=by,
            **changes,
        )
        verdict.contributors.add(by)
    correction = Correction.objects.create(
        claim=claim, kind=kind, note=note, verdict=verdict, created_by=by
    )
    _save_state(claim, [])
    _log(
        claim,
        action=TransitionAction.PROPOSE_CORRECTION,
        from_status=claim.status,
        by=by,
        comment=note,
    )
    return correction


def _check_correction_version(correction: Correction, expected_version: int | None) -> None:
    if expected_version is not None and correction_version(correction) != expected_version:
        raise StaleVersion(
            _(
                "The proposed verdict was edited after you read it. Reload to see the "
                "correction as it is now before deciding."
            ),
            code="stale",
        )


def _gate_publish_correction(correction: Correction, claim: Claim, by) -> None:
    require_perm(by, "claims.publish_claim", _("You do not have permission to publish."))
    _require_status(
        claim, {ClaimStatus.PUBLISHED}, _("Only a published fact-check can be corrected.")
    )
    _require_not_merged(claim)
    if correction.published_at is not None:
        raise TransitionRejected(_("This correction is already published."), code="state")
    if correction.created_by_id == by.pk or (
        correction.verdict_id and wrote_verdict(correction.verdict, by)
    ):
        raise NotPermitted(
            _("You proposed or edited this correction; another editor must publish it."),
            code="two_person_rule",
        )


def correction_version(correction: Correction) -> int:
    """The version a decision on a pending correction is taken against: its
    drafted verdict's, which is all of it that can still change."""
    return correction.verdict.version if correction.verdict_id else 0


@transaction.atomic
def correction_publish(
    *, correction: Correction, by, expected_version: int | None = None
) -> Correction:
    claim = _locked(correction.claim)
    correction = (
        Correction.objects.select_for_update(of=("self",))
        .select_related("verdict")
        .get(pk=correction.pk)
    )
    _check_correction_version(correction, expected_version)
    _gate_publish_correction(correction, claim, by)
    now = timezone.now()
    if correction.verdict_id:
        verdict = correction.verdict
        verdict.published_at = now
        verdict.reviewer = by
        verdict.version += 1
        verdict.save(update_fields=["published_at", "reviewer", "version", "updated_at"])
        claim.published_verdict = verdict
    correction.published_at = now
    correction.published_by = by
    correction.save(update_fields=["published_at", "published_by"])
    _publish_pending_items(claim, now)
    claim.public_updated_at = now
    _save_state(claim, ["published_verdict", "public_updated_at"])
    _log(
        claim,
        action=TransitionAction.PUBLISH_CORRECTION,
        from_status=claim.status,
        by=by,
        comment=correction.note,
        at=now,
    )
    return correction


@transaction.atomic
def correction_discard(
    *, correction: Correction, by, comment: str = "", expected_version: int | None = None
) -> None:
    claim = _locked(correction.claim)
    correction = (
        Correction.objects.select_for_update(of=("self",))
        .select_related("verdict")
        .get(pk=correction.pk)
    )
    _check_correction_version(correction, expected_version)
    require_perm(
        by, "claims.correct_claim", _("You do not have permission to correct fact-checks.")
    )
    if correction.published_at is not None:
        raise TransitionRejected(
            _("A published correction stays on the record; propose a new one instead."),
            code="state",
        )
    verdict = correction.verdict
    correction.delete()
    if verdict is not None:
        verdict.delete()
    _save_state(claim, [])
    _log(
        claim,
        action=TransitionAction.DISCARD_CORRECTION,
        from_status=claim.status,
        by=by,
        comment=(comment or "").strip() or correction.note,
    )


# --- Merging duplicates ---------------------------------------------------------
# A duplicate is a claim the newsroom logged twice. Merging moves its
# appearances to the canonical claim (so repetitions are counted there),
# marks the duplicate as merged (it leaves every public list, and its public
# URL redirects to the canonical claim) and logs the step on both claims.
# Un-merging moves exactly those appearances back. Evidence and verdicts stay
# with the duplicate, untouched, so an un-merge restores it as it was.


def _gate_merge(duplicate: Claim, canonical: Claim, by) -> None:
    require_perm(by, "claims.merge_claim", _("You do not have permission to merge claims."))
    if duplicate.pk == canonical.pk:
        raise TransitionRejected(_("A claim cannot be merged into itself."), code="merge_self")
    if duplicate.merged_into_id is not None:
        raise TransitionRejected(
            _("This claim is already merged into another claim."), code="already_merged"
        )
    if canonical.merged_into_id is not None:
        raise TransitionRejected(
            _("The chosen claim is itself merged into another claim; merge into that one instead."),
            code="merged_target",
        )
    if duplicate.merged_duplicates.exists():
        raise TransitionRejected(
            _(
                "Other claims are merged into this one; it cannot be merged in turn. "
                "Merge into this claim instead, or undo those merges first."
            ),
            code="merge_chain",
        )
    if canonical.parent_id == duplicate.pk or duplicate.parent_id == canonical.pk:
        raise TransitionRejected(
            _("A claim and its sub-claim are different claims; they cannot be merged."),
            code="merge_sub_claim",
        )
    if duplicate.corrections.filter(published_at__isnull=True).exists():
        raise TransitionRejected(
            _("This claim has a pending correction; publish or discard it before merging."),
            code="merge_pending_correction",
        )
    if duplicate.sub_claims.exists():
        raise TransitionRejected(
            _("This claim has sub-claims; attach them to the other claim before merging."),
            code="merge_sub_claims",
        )
    if ClaimStatus.RETRACTED in {duplicate.status, canonical.status}:
        raise TransitionRejected(
            _("A retracted fact-check stays on the record with its notice; it cannot be merged."),
            code="merge_retracted",
        )
    if canonical.status == ClaimStatus.IN_REVIEW:
        raise TransitionRejected(
            _(
                "The chosen claim is in review and frozen; merge after the review, or "
                "after changes are requested."
            ),
            code="merge_into_review",
        )
    if duplicate.status == ClaimStatus.PUBLISHED and canonical.status != ClaimStatus.PUBLISHED:
        raise TransitionRejected(
            _(
                "A published fact-check can only be merged into another published "
                "fact-check, so its readers are redirected to a public page."
            ),
            code="merge_published_into_unpublished",
        )


def _locked_pair(first: Claim, second: Claim) -> tuple[Claim, Claim]:
    # Lock in primary-key order so two merges of the same pair cannot deadlock.
    locked = {
        c.pk: c
        for c in Claim.objects.select_for_update()
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    if len(locked) != len({first.pk, second.pk}):
        raise TransitionRejected(_("One of these claims no longer exists."), code="missing")
    return locked[first.pk], locked[second.pk]


def _mark_appearances_changed(claim: Claim, *, public: bool, at) -> None:
    """Appearances are not the claim's own fields: its version stays, so a
    colleague's open edit of the wording is not made stale by a merge."""
    changes = {"updated_at": at}
    if public and claim.status == ClaimStatus.PUBLISHED:
        changes["public_updated_at"] = at
    Claim.objects.filter(pk=claim.pk).update(**changes)


def _describe(claim: Claim) -> str:
    return _("#%(pk)s “%(text)s”") % {"pk": claim.pk, "text": claim.text}


def _with_comment(note: str, comment: str) -> str:
    comment = (comment or "").strip()
    return f"{note} {comment}" if comment else note


@transaction.atomic
def claim_merge(
    *,
    duplicate: Claim,
    canonical: Claim,
    by,
    comment: str = "",
    expected_version: int | None = None,
) -> Claim:
    """Merge `duplicate` into `canonical`; returns the merged duplicate.

    Appearances move with a record of where they came from (`merged_from`);
    published ones stay published (they were already public on the
    duplicate's page), pending ones stay pending on the canonical claim until
    its next publication. A published duplicate leaves the public lists and its
    URL redirects to the canonical fact-check.
    """
    duplicate, canonical = _locked_pair(duplicate, canonical)
    check_version(duplicate, expected_version)
    _gate_merge(duplicate, canonical, by)
    now = timezone.now()
    moved_public = Appearance.objects.filter(claim=duplicate, published_at__isnull=False).exists()
    # The version moves so an edit form opened before the merge is refused.
    Appearance.objects.filter(claim=duplicate).update(
        claim=canonical, merged_from=duplicate, version=F("version") + 1
    )

    _record_merge_change(
        duplicate,
        canonical,
        merged_into=canonical,
        action=TransitionAction.MERGE,
        moved_public=moved_public,
        by=by,
        at=now,
        duplicate_note=_("Merged into %(claim)s.") % {"claim": _describe(canonical)},
        canonical_note=_("%(claim)s was merged into this claim.") % {"claim": _describe(duplicate)},
        comment=comment,
    )
    return duplicate


@transaction.atomic
def claim_unmerge(
    *, duplicate: Claim, by, comment: str = "", expected_version: int | None = None
) -> Claim:
    """Undo a merge: the appearances that came from `duplicate` go back to it,
    and it is a claim of its own again (with its status from before)."""
    require_perm(by, "claims.merge_claim", _("You do not have permission to merge claims."))
    current = Claim.objects.filter(pk=duplicate.pk).values_list("merged_into", flat=True).first()
    if current is None:
        raise TransitionRejected(
            _("This claim is not merged into another claim."), code="not_merged"
        )
    duplicate, canonical = _locked_pair(duplicate, Claim(pk=current))
    if duplicate.merged_into_id != canonical.pk:
        raise TransitionRejected(
            _("This claim changed while you were looking at it; reload and try again."),
            code="stale",
        )
    check_version(duplicate, expected_version)
    now = timezone.now()
    moved = Appearance.objects.filter(claim=canonical, merged_from=duplicate)
    moved_public = moved.filter(published_at__isnull=False).exists()
    moved.update(claim=duplicate, merged_from=None, version=F("version") + 1)

    _record_merge_change(
        duplicate,
        canonical,
        merged_into=None,
        action=TransitionAction.UNMERGE,
        moved_public=moved_public,
        by=by,
        at=now,
        duplicate_note=_("No longer merged into %(claim)s.") % {"claim": _describe(canonical)},
        canonical_note=_("%(claim)s is a separate claim again.") % {"claim": _describe(duplicate)},
        comment=comment,
    )
    return duplicate


def _record_merge_change(
    duplicate: Claim,
    canonical: Claim,
    *,
    merged_into: Claim | None,
    action: str,
    moved_public: bool,
    by,
    at,
    duplicate_note: str,
    canonical_note: str,
    comment: str,
) -> None:
    """What a merge and an un-merge share once the appearances have moved: the
    duplicate's new state, the public dates that change, and a log line on
    each claim."""
    duplicate.merged_into = merged_into
    fields = ["merged_into"]
    if duplicate.status == ClaimStatus.PUBLISHED:
        duplicate.public_updated_at = at
        fields.append("public_updated_at")
    _save_state(duplicate, fields)
    _mark_appearances_changed(canonical, public=moved_public, at=at)
    for claim, note in ((duplicate, duplicate_note), (canonical, canonical_note)):
        _log(
            claim,
            action=action,
            from_status=claim.status,
            by=by,
            at=at,
            comment=_with_comment(note, comment),
        )
