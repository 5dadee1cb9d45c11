"""The verdict in progress: written on a draft, or drafted by a correction.
A published verdict is never edited in place."""

from __future__ import annotations

from typing import Any

from claims.models import Claim, ContributionPart, Rating, Verdict
from claims.policy import ClaimPolicy, User
from claims.services.base import (
    _assign,
    _save_versioned,
    _touch,
    check_version,
    record_contribution,
    service,
)

VERDICT_FIELDS = ("rating", "conclusion", "explanation")


# --- Verdicts --------------------------------------------------------------------


@service
def verdict_create(
    *, claim: Claim, by: User, rating: Rating, conclusion: str, explanation: str
) -> Verdict:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    ClaimPolicy(by, claim).can_write_verdict().require()
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
    record_contribution(claim, by=by, part=ContributionPart.VERDICT)
    _touch(claim)
    return verdict


@service
def verdict_update(
    *, verdict: Verdict, by: User, data: dict[str, Any], expected_version: int | None = None
) -> Verdict:
    Claim.objects.select_for_update().get(pk=verdict.claim_id)
    verdict = Verdict.objects.select_for_update().select_related("claim").get(pk=verdict.pk)
    check_version(verdict, expected_version)
    ClaimPolicy(by, verdict.claim).can_change_verdict(verdict).require()
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    changed = _assign(verdict, data, VERDICT_FIELDS)
    if changed:
        _save_versioned(verdict, changed)
        record_contribution(
            verdict.claim,
            by=by,
            part=ContributionPart.CORRECTION
            if hasattr(verdict, "correction")
            else ContributionPart.VERDICT,
        )
        _touch(verdict.claim)
    return verdict
