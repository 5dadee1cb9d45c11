"""The public page as it would look after the pending step: for the staff-only
preview. Built in memory from the draft verdict or the pending correction;
nothing here is saved, and the result never reaches a reader's page."""

from __future__ import annotations

from django.utils import timezone

from claims.models import Appearance, Claim, ClaimStatus, Correction, Evidence
from claims.selectors import claim_page_shape


def claim_as_published(claim_pk) -> Claim | None:
    """The claim with its draft verdict (before the first publication) or its
    pending correction applied, every appearance and evidence item included as
    publication would include them; None when there is nothing to preview."""
    claim = (
        claim_page_shape(
            Claim.objects.filter(merged_into__isnull=True),
            appearances=Appearance.objects.all(),
            evidence=Evidence.objects.all(),
            corrections=Correction.objects.select_related("verdict__rating__scale", "claimant"),
        )
        .filter(pk=claim_pk)
        .first()
    )
    if claim is None:
        return None
    now = timezone.now()
    pending = next((c for c in claim.public_corrections if c.published_at is None), None)
    if claim.status in {ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW}:
        verdict = claim.verdicts.pending().select_related("rating__scale").first()
        if verdict is None:
            return None
        claim.published_verdict = verdict
        claim.published_at = claim.public_updated_at = now
    elif claim.status == ClaimStatus.PUBLISHED and pending is not None:
        for name in ("text", "context", "claimant"):
            if name in pending.changed_fields:
                setattr(claim, name, getattr(pending, name))
        if pending.verdict_id:
            claim.published_verdict = pending.verdict
        pending.published_at = claim.public_updated_at = now
    else:
        return None
    # In memory only, so the reader template shows the page as public.
    claim.status = ClaimStatus.PUBLISHED
    claim.public_corrections.sort(key=lambda c: c.published_at, reverse=True)
    return claim


def preview_available(claim: Claim, pending_correction: Correction | None) -> bool:
    """Whether `claim_as_published` has something to show (without building it)."""
    if claim.merged_into_id is not None:
        return False
    if claim.status == ClaimStatus.PUBLISHED:
        return pending_correction is not None
    if claim.status in {ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW}:
        return claim.verdicts.pending().exists()
    return False
