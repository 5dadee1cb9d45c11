"""The verdict in progress: written on a draft, or drafted by a correction.
A published verdict is never edited in place."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from claims.exceptions import TransitionRejected
from claims.models import Claim, ClaimStatus, Rating, Verdict
from claims.services.base import _assign, _save_versioned, _touch, check_version, require_perm
from claims.services.content import _state_message, verdict_is_editable

VERDICT_FIELDS = ("rating", "conclusion", "explanation")


# --- Verdicts --------------------------------------------------------------------


@transaction.atomic
def verdict_create(
    *, claim: Claim, by, rating: Rating, conclusion: str, explanation: str
) -> Verdict:
    require_perm(by, "claims.add_verdict", _("You do not have permission to write verdicts."))
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.DRAFT or claim.merged_into_id is not None:
        raise TransitionRejected(
            _state_message(claim)
            if claim.status != ClaimStatus.DRAFT
            else _("This claim was merged into another claim and cannot be edited."),
            code="locked",
        )
    if claim.verdicts.pending().exists():
        raise TransitionRejected(
            _("This claim already has a verdict in progress; edit that one."), code="duplicate"
        )
    verdict = Verdict(
        claim=claim,
        number=claim.verdicts.count() + 1,
        rating=rating,
        conclusion=(conclusion or "").strip(),
        explanation=(explanation or "").strip(),
        author=by,
    )
    verdict.full_clean()
    verdict.save()
    verdict.contributors.add(by)
    _touch(claim)
    return verdict


@transaction.atomic
def verdict_update(
    *, verdict: Verdict, by, data: dict[str, Any], expected_version: int | None = None
) -> Verdict:
    require_perm(by, "claims.change_verdict", _("You do not have permission to edit verdicts."))
    Claim.objects.select_for_update().get(pk=verdict.claim_id)
    verdict = Verdict.objects.select_for_update().select_related("claim").get(pk=verdict.pk)
    check_version(verdict, expected_version)
    if verdict.published_at is not None:
        raise TransitionRejected(
            _(
                "A published verdict is never edited in place. Propose a correction: "
                "it creates a new version and a public note."
            ),
            code="published_verdict",
        )
    if not verdict_is_editable(verdict):
        raise TransitionRejected(_state_message(verdict.claim), code="locked")
    if hasattr(verdict, "correction"):
        # The new version of a published verdict is part of a correction.
        require_perm(
            by,
            "claims.correct_claim",
            _("Only editors can change the verdict proposed in a correction."),
        )
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    changed = _assign(verdict, data, VERDICT_FIELDS)
    if changed:
        _save_versioned(verdict, changed)
        # Whoever edits a verdict shares its authorship for the two-person rule.
        verdict.contributors.add(by)
        _touch(verdict.claim)
    return verdict
