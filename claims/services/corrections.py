"""Corrections of a published fact-check: proposed by one editor, published
by another, with a new verdict version when the verdict changes."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exceptions import StaleVersion, TransitionRejected
from claims.models import (
    Claim,
    Contribution,
    ContributionPart,
    Correction,
    CorrectionKind,
    Rating,
    TransitionAction,
    Verdict,
)
from claims.policy import ClaimPolicy, User
from claims.services.base import (
    _locked,
    _log,
    _save_state,
    check_version,
    record_contribution,
    service,
)
from claims.services.workflow import _publish_pending_items


@service
def correction_propose(
    *,
    claim: Claim,
    by: User,
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
    ClaimPolicy(by, claim).can_propose_correction().require()
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
    correction = Correction.objects.create(
        claim=claim, kind=kind, note=note, verdict=verdict, created_by=by
    )
    record_contribution(claim, by=by, part=ContributionPart.CORRECTION)
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


def correction_version(correction: Correction) -> int:
    """The version a decision on a pending correction is taken against: its
    drafted verdict's, which is all of it that can still change."""
    return correction.verdict.version if correction.verdict_id else 0


@service
def correction_publish(
    *, correction: Correction, by: User, expected_version: int | None = None
) -> Correction:
    claim = _locked(correction.claim)
    correction = (
        Correction.objects.select_for_update(of=("self",))
        .select_related("verdict")
        .get(pk=correction.pk)
    )
    _check_correction_version(correction, expected_version)
    ClaimPolicy(by, claim).can_publish_correction(correction).require()
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


@service
def correction_discard(
    *, correction: Correction, by: User, comment: str = "", expected_version: int | None = None
) -> None:
    claim = _locked(correction.claim)
    correction = (
        Correction.objects.select_for_update(of=("self",))
        .select_related("verdict")
        .get(pk=correction.pk)
    )
    _check_correction_version(correction, expected_version)
    ClaimPolicy(by, claim).can_discard_correction(correction).require()
    verdict = correction.verdict
    correction.delete()
    if verdict is not None:
        verdict.delete()
    # What was written for the discarded correction never reaches the record,
    # so it no longer keeps its authors from publishing the next one.
    Contribution.objects.unpublished().filter(
        claim=claim, part=ContributionPart.CORRECTION
    ).delete()
    _save_state(claim, [])
    _log(
        claim,
        action=TransitionAction.DISCARD_CORRECTION,
        from_status=claim.status,
        by=by,
        comment=(comment or "").strip() or correction.note,
    )
