"""Content writes to claims: create, edit, discard a draft.

The workflow decides *when* content may change; these functions are the only
writers, so the admin, the API and commands apply the same rules:

- a draft is editable by researchers and editors;
- a claim in review is frozen, so the reviewer approves exactly what they read;
- a published claim keeps its wording and verdict (changes go through a
  correction), but new appearances and evidence may be added; they stay
  private until the next correction or update is published;
- a retracted claim is frozen.

Every update takes the `version` the user read; a mismatch means someone else
saved in between, and the write is refused rather than overwriting theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from claims.exceptions import TransitionRejected
from claims.models import (
    Appearance,
    Claim,
    ClaimStatus,
    Evidence,
    Topic,
    Transition,
    TransitionAction,
    Verdict,
)
from claims.search.embedding import embed_claim
from claims.services.base import _assign, _save_versioned, check_version, require_perm

CLAIM_EDITABLE_FIELDS = (
    "text",
    "claimant",
    "language",
    "first_made_on",
    "context",
    "assigned_to",
    "true_as_of",
    "parent",
)
# Assignment is newsroom bookkeeping, not published content.
CLAIM_FIELDS_EDITABLE_AFTER_PUBLICATION = frozenset({"assigned_to"})


# --- What may change when ------------------------------------------------------


def claim_editable_fields(claim: Claim) -> frozenset[str]:
    if claim.merged_into_id is not None:
        return frozenset()
    if claim.status == ClaimStatus.DRAFT:
        return frozenset(CLAIM_EDITABLE_FIELDS) | {"topics"}
    if claim.status == ClaimStatus.PUBLISHED:
        return CLAIM_FIELDS_EDITABLE_AFTER_PUBLICATION
    return frozenset()


def claim_accepts_new_items(claim: Claim) -> bool:
    """Whether appearances and evidence may be added now."""
    return claim.merged_into_id is None and claim.status in {
        ClaimStatus.DRAFT,
        ClaimStatus.PUBLISHED,
    }


def item_is_editable(item: Appearance | Evidence) -> bool:
    """Published appearances and evidence are part of the record; pending ones are not yet."""
    return item.published_at is None and claim_accepts_new_items(item.claim)


def verdict_is_editable(verdict: Verdict) -> bool:
    if verdict.published_at is not None:
        return False
    claim = verdict.claim
    if claim.status == ClaimStatus.DRAFT:
        return True
    # The new version drafted by a pending correction.
    return claim.status == ClaimStatus.PUBLISHED and hasattr(verdict, "correction")


def _state_message(claim: Claim) -> str:
    if claim.status == ClaimStatus.IN_REVIEW:
        return _("This claim is in review and cannot be edited; an editor can request changes.")
    if claim.status == ClaimStatus.PUBLISHED:
        return _("This fact-check is published; change it through a correction.")
    if claim.merged_into_id is not None:
        return _("This claim was merged into another claim and cannot be edited.")
    return _("This fact-check is retracted and cannot be edited.")


def makes_cycle(claim: Claim, parent: Claim | None) -> bool:
    """Whether making `parent` the parent of `claim` would make a claim its own ancestor."""
    node = parent
    while node is not None:
        if node.pk == claim.pk:
            return True
        node = node.parent
    return False


def unique_claim_slug(text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text)[:100].strip("-") or "claim"
    slug, n = base, 2
    taken = Claim.objects.exclude(pk=exclude_pk) if exclude_pk else Claim.objects.all()
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


# --- Claims --------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *,
    by,
    text: str,
    claimant=None,
    language: str = "en",
    first_made_on=None,
    context: str = "",
    topics: Iterable[Topic] = (),
    assigned_to=None,
    true_as_of=None,
    parent: Claim | None = None,
    slug: str = "",
) -> Claim:
    require_perm(by, "claims.add_claim", _("You do not have permission to log claims."))
    claim = Claim(
        text=(text or "").strip(),
        slug=slug or unique_claim_slug(text or ""),
        claimant=claimant,
        language=language,
        first_made_on=first_made_on,
        context=context,
        assigned_to=assigned_to,
        true_as_of=true_as_of,
        parent=parent,
        created_by=by,
    )
    claim.full_clean()
    claim.save()
    embed_claim(claim)
    claim.topics.set(topics)
    Transition.objects.create(
        claim=claim, action=TransitionAction.CREATE, to_status=claim.status, actor=by
    )
    return claim


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    by,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Claim:
    require_perm(by, "claims.change_claim", _("You do not have permission to edit claims."))
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    check_version(claim, expected_version)
    data = dict(data)
    topics = data.pop("topics", None)
    editable = claim_editable_fields(claim)
    if not editable:
        raise TransitionRejected(_state_message(claim), code="locked")
    locked = (set(data) | ({"topics"} if topics is not None else set())) - editable
    if locked:
        raise TransitionRejected(_state_message(claim), code="locked")
    if "parent" in data and makes_cycle(claim, data["parent"]):
        raise TransitionRejected(_("A claim cannot be a sub-claim of itself."), code="parent")
    changed = _assign(claim, data, editable)
    topics_changed = topics is not None and {t.pk for t in topics} != set(
        claim.topics.values_list("pk", flat=True)
    )
    if changed or topics_changed:
        _save_versioned(claim, changed)
        if "text" in changed:
            embed_claim(claim)
        if topics_changed:
            claim.topics.set(topics)
    return claim


@transaction.atomic
def claim_discard(*, claim: Claim, by, expected_version: int | None = None) -> None:
    """Delete a draft that will never go out.

    Only drafts: published work is retracted, never deleted, and a claim in
    review is frozen. The draft's appearances, evidence, verdict and workflow
    log go with it; the history keeps the deletion (who and when).
    """
    require_perm(by, "claims.delete_claim", _("You do not have permission to discard claims."))
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    check_version(claim, expected_version)
    if claim.status != ClaimStatus.DRAFT:
        raise TransitionRejected(
            _("Only a draft can be discarded; a published fact-check is retracted instead."),
            code="state",
        )
    if claim.merged_into_id is not None or claim.merged_duplicates.exists():
        raise TransitionRejected(
            _("This claim is part of a merge; undo the merge before discarding it."),
            code="merged",
        )
    if claim.sub_claims.exists():
        raise TransitionRejected(
            _("This claim has sub-claims; detach or discard them first."), code="sub_claims"
        )
    claim.delete()
