"""Corrections of a published fact-check: proposed by one editor, published
by another, with a new verdict version when the verdict changes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exceptions import NotPermitted, StaleVersion, TransitionRejected
from claims.models import (
    Claim,
    ClaimStatus,
    Correction,
    CorrectionKind,
    Rating,
    TransitionAction,
    Verdict,
)
from claims.services.base import _locked, _log, _save_state, check_version, require_perm
from claims.services.workflow import (
    _gate_propose_correction,
    _publish_pending_items,
    _require_not_merged,
    _require_status,
    wrote_verdict,
)


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
