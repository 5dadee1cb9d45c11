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

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from claims.exceptions import TransitionRejected
from claims.models import (
    Claim,
    Claimant,
    ContributionPart,
    NotificationEvent,
    Topic,
    Transition,
    TransitionAction,
)
from claims.policy import CLAIM_FIELDS_EDITABLE_AFTER_PUBLICATION, ClaimPolicy, User
from claims.search.embedding import embed_claim
from claims.services.base import (
    _assign,
    _save_versioned,
    check_version,
    record_contribution,
    require_perm,
    service,
)
from claims.services.notifications import notify
from claims.text import slug_for


def makes_cycle(claim: Claim, parent: Claim | None) -> bool:
    """Whether making `parent` the parent of `claim` would make a claim its own ancestor."""
    node = parent
    while node is not None:
        if node.pk == claim.pk:
            return True
        node = node.parent
    return False


def unique_claim_slug(text: str, *, exclude_pk: int | None = None) -> str:
    base = slug_for(text)[:100].strip("-") or "claim"
    slug, n = base, 2
    taken = Claim.objects.exclude(pk=exclude_pk) if exclude_pk else Claim.objects.all()
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def reclaim_public_slug(claim: Claim) -> list[str]:
    """At first publication, take back the plain slug from an unpublished claim.

    A claim logged after a draft with the same wording got `<slug>-2`; if it
    were published so, its public address would tell readers that another,
    unpublished claim with that wording exists. The draft (which has no public
    address) moves aside instead. Returns the fields changed on `claim`.
    """
    match = re.fullmatch(r"(?P<base>.+)-(?P<n>[2-9]|[1-9][0-9]+)", claim.slug)
    if match is None:
        return []
    base = match["base"]
    holder = Claim.objects.select_for_update().filter(slug=base).exclude(pk=claim.pk).first()
    if (
        holder is None
        or holder.published_at is not None
        or slug_for(holder.text)[:100].strip("-") != base
    ):
        # Only a draft's slug is taken back: a free slug may be taken by a
        # concurrent publication that this transaction cannot see yet.
        return []
    holder.slug = f"{base}-unpublished-{holder.pk}"
    holder.save(update_fields=["slug"])
    claim.slug = base
    return ["slug"]


# --- Claims --------------------------------------------------------------------


@service(public=False)
def claim_create(
    *,
    by: User,
    text: str,
    claimant: Claimant | None = None,
    language: str = "en",
    first_made_on: date | None = None,
    context: str = "",
    topics: Iterable[Topic] = (),
    assigned_to: User | None = None,
    true_as_of: date | None = None,
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
    record_contribution(claim, by=by, part=ContributionPart.WORDING)
    Transition.objects.create(
        claim=claim, action=TransitionAction.CREATE, to_status=claim.status, actor=by
    )
    if claim.assigned_to_id:
        notify(NotificationEvent.ASSIGNED, claim=claim, by=by)
    return claim


@service
def claim_update(
    *,
    claim: Claim,
    by: User,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    check_version(claim, expected_version)
    data = dict(data)
    topics = data.pop("topics", None)
    policy = ClaimPolicy(by, claim)
    policy.can_edit(set(data) | ({"topics"} if topics is not None else set())).require()
    if "parent" in data and makes_cycle(claim, data["parent"]):
        raise TransitionRejected(_("A claim cannot be a sub-claim of itself."), code="parent")
    changed = _assign(claim, data, policy.editable_fields())
    topics_changed = topics is not None and {t.pk for t in topics} != set(
        claim.topics.values_list("pk", flat=True)
    )
    if changed or topics_changed:
        _save_versioned(claim, changed)
        if "text" in changed:
            embed_claim(claim)
        if topics_changed:
            claim.topics.set(topics)
        if topics_changed or set(changed) - CLAIM_FIELDS_EDITABLE_AFTER_PUBLICATION:
            record_contribution(claim, by=by, part=ContributionPart.WORDING)
        if "assigned_to" in changed and claim.assigned_to_id:
            notify(NotificationEvent.ASSIGNED, claim=claim, by=by)
    return claim


@service
def claim_take(*, claim: Claim, by: User, expected_version: int | None = None) -> Claim:
    """A researcher takes an unassigned claim: it is assigned to them."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    check_version(claim, expected_version)
    ClaimPolicy(by, claim).can_take().require()
    claim.assigned_to = by
    _save_versioned(claim, ["assigned_to"])
    return claim


@service
def claim_discard(*, claim: Claim, by: User, expected_version: int | None = None) -> None:
    """Delete a draft that will never go out.

    Only drafts: published work is retracted, never deleted, and a claim in
    review is frozen. The draft's appearances, evidence, verdict and workflow
    log go with it; the history keeps the deletion (who and when).
    """
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    check_version(claim, expected_version)
    ClaimPolicy(by, claim).can_discard().require()
    claim.delete()
