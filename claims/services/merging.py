"""Merging duplicates, and undoing a merge.

A duplicate is a claim the newsroom logged twice. Merging moves its
appearances to the canonical claim (so repetitions are counted there), marks
the duplicate as merged (it leaves every public list, and its public URL
redirects to the canonical claim) and logs the step on both claims.
Un-merging moves exactly those appearances back. Evidence and verdicts stay
with the duplicate, untouched, so an un-merge restores it as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exceptions import TransitionRejected
from claims.models import Appearance, Claim, ClaimStatus, TransitionAction
from claims.policy import ClaimPolicy, User
from claims.services.base import _log, _save_state, check_version, service


@dataclass(frozen=True)
class MergeProblem:
    message: str
    code: str


def merge_problem(duplicate: Claim, canonical: Claim | None) -> MergeProblem | None:
    """Why `duplicate` cannot be merged into `canonical` (or into any claim,
    when `canonical` is None), or None when it can. The policy asks this."""
    if duplicate.merged_into_id is not None:
        return MergeProblem(_("This claim is already merged into another claim."), "already_merged")
    if duplicate.merged_duplicates.exists():
        return MergeProblem(
            _(
                "Other claims are merged into this one; it cannot be merged in turn. "
                "Merge into this claim instead, or undo those merges first."
            ),
            "merge_chain",
        )
    if duplicate.corrections.pending().exists():
        return MergeProblem(
            _("This claim has a pending correction; publish or discard it before merging."),
            "merge_pending_correction",
        )
    if duplicate.sub_claims.exists():
        return MergeProblem(
            _("This claim has sub-claims; attach them to the other claim before merging."),
            "merge_sub_claims",
        )
    if duplicate.status == ClaimStatus.RETRACTED or (
        canonical is not None and canonical.status == ClaimStatus.RETRACTED
    ):
        return MergeProblem(
            _("A retracted fact-check stays on the record with its notice; it cannot be merged."),
            "merge_retracted",
        )
    if canonical is None:
        return None
    if duplicate.pk == canonical.pk:
        return MergeProblem(_("A claim cannot be merged into itself."), "merge_self")
    if canonical.merged_into_id is not None:
        return MergeProblem(
            _("The chosen claim is itself merged into another claim; merge into that one instead."),
            "merged_target",
        )
    if canonical.parent_id == duplicate.pk or duplicate.parent_id == canonical.pk:
        return MergeProblem(
            _("A claim and its sub-claim are different claims; they cannot be merged."),
            "merge_sub_claim",
        )
    if canonical.status == ClaimStatus.IN_REVIEW:
        return MergeProblem(
            _(
                "The chosen claim is in review and frozen; merge after the review, or "
                "after changes are requested."
            ),
            "merge_into_review",
        )
    if duplicate.status == ClaimStatus.PUBLISHED and canonical.status != ClaimStatus.PUBLISHED:
        return MergeProblem(
            _(
                "A published fact-check can only be merged into another published "
                "fact-check, so its readers are redirected to a public page."
            ),
            "merge_published_into_unpublished",
        )
    return None


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


def _mark_appearances_changed(claim: Claim, *, public: bool, at: datetime) -> None:
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


@service
def claim_merge(
    *,
    duplicate: Claim,
    canonical: Claim,
    by: User,
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
    ClaimPolicy(by, duplicate).can_merge(canonical).require()
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


@service
def claim_unmerge(
    *, duplicate: Claim, by: User, comment: str = "", expected_version: int | None = None
) -> Claim:
    """Undo a merge: the appearances that came from `duplicate` go back to it,
    and it is a claim of its own again (with its status from before)."""
    ClaimPolicy(by, Claim.objects.get(pk=duplicate.pk)).can_unmerge().require()
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
    by: User,
    at: datetime,
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
