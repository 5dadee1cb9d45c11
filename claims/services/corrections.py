"""Corrections of a published fact-check: proposed by one editor, published
by another, with a new verdict version when the verdict changes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exceptions import StaleVersion, TransitionRejected
from claims.models import (
    Claim,
    Claimant,
    Contribution,
    ContributionPart,
    Correction,
    CorrectionKind,
    NotificationEvent,
    Rating,
    TransitionAction,
    Verdict,
)
from claims.policy import ClaimPolicy, User
from claims.search.embedding import embed_claim
from claims.services.base import (
    _locked,
    _log,
    _save_state,
    check_version,
    record_contribution,
    service,
)
from claims.services.notifications import notify
from claims.services.workflow import _publish_pending_items

# Passed for `claimant` when the correction leaves the claimant as it is (None
# is a change: to an unattributed claim).
UNCHANGED: Any = object()


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
    text: str | None = None,
    context: str | None = None,
    claimant: Claimant | None = UNCHANGED,
    expected_version: int | None = None,
) -> Correction:
    """Start a correction, update or clarification of a published fact-check.

    It may change the verdict (rating, conclusion, explanation: a new verdict
    version is drafted) and the claim's wording, context and claimant, which
    are otherwise locked after publication. Nothing is public until another
    editor publishes the correction.
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
        "explanation": _text_block(explanation if explanation is not None else current.explanation),
    }
    if not changes["conclusion"] or not changes["explanation"]:
        raise TransitionRejected(
            _("A verdict needs a conclusion and an explanation."), code="verdict"
        )
    claim_changes = _claim_changes(claim, text=text, context=context, claimant=claimant)
    changed_fields = [name for name in ("text", "claimant", "context") if name in claim_changes]
    changed_fields += [
        name
        for name, differs in (
            ("rating", changes["rating"].pk != current.rating_id),
            ("conclusion", changes["conclusion"] != current.conclusion),
            ("explanation", changes["explanation"] != _text_block(current.explanation)),
        )
        if differs
    ]
    verdict = None
    if set(changed_fields) & {"rating", "conclusion", "explanation"}:
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
        claim=claim,
        kind=kind,
        note=note,
        verdict=verdict,
        created_by=by,
        changed_fields=changed_fields,
        **claim_changes,
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
    notify(
        NotificationEvent.CORRECTION_PROPOSED,
        claim=claim,
        by=by,
        comment=note,
        correction=correction,
    )
    return correction


def _claim_changes(
    claim: Claim, *, text: str | None, context: str | None, claimant: Claimant | None
) -> dict[str, Any]:
    """The claim's own fields the correction changes, as Correction fields."""
    changed: dict[str, Any] = {}
    if text is not None:
        text = " ".join(text.split())
        if not text:
            raise TransitionRejected(_("The claim's wording cannot be empty."), code="text")
        limit = Claim._meta.get_field("text").max_length
        if len(text) > limit:
            raise TransitionRejected(
                _("The claim's wording can have at most %(limit)d characters.") % {"limit": limit},
                code="text",
            )
        if text != " ".join(claim.text.split()):
            changed["text"] = text
    if context is not None and _text_block(context) != _text_block(claim.context):
        changed["context"] = _text_block(context)
    if claimant is not UNCHANGED and getattr(claimant, "pk", None) != claim.claimant_id:
        changed["claimant"] = claimant
    return changed


def _text_block(value: str) -> str:
    """Multi-line text as compared and stored: browsers post CRLF line endings,
    while the API, imports and the demo store LF; an untouched field must not
    read as a change in the public correction note."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


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
    corrected = _apply_claim_changes(claim, correction)
    claim.public_updated_at = now
    _save_state(claim, ["published_verdict", "public_updated_at", *corrected])
    if "text" in corrected:
        embed_claim(claim)
    _log(
        claim,
        action=TransitionAction.PUBLISH_CORRECTION,
        from_status=claim.status,
        by=by,
        comment=correction.note,
        at=now,
    )
    notify(NotificationEvent.CORRECTION_PUBLISHED, claim=claim, by=by, correction=correction)
    return correction


def _apply_claim_changes(claim: Claim, correction: Correction) -> list[str]:
    """Set the wording, context and claimant the correction changes (saved,
    and so versioned in the claim's history, by the caller)."""
    fields = [name for name in ("text", "context", "claimant") if name in correction.changed_fields]
    for name in fields:
        setattr(claim, name, getattr(correction, name))
    return fields


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
