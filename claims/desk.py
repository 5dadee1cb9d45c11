"""Reads for the newsroom's desk: the work waiting for each person.

The admin home's desk and the claims list's "desk" filter both read these
querysets, so a count on the desk is exactly what its link lists. Unlike
`claims.selectors` (reader-facing, public only) these see work in progress:
callers are newsroom pages behind the admin login.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from claims.models import (
    Claim,
    ClaimQuerySet,
    ClaimStatus,
    Correction,
    Notification,
    Transition,
    TransitionAction,
)
from claims.policy import User, approvable_by, has_perm

OPEN_STATUSES = (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW)
DESK_ITEMS = 5
ACTIVITY_ITEMS = 8


def with_last_step(claims: QuerySet) -> QuerySet:
    """Annotate `last_step`: the action of the claim's latest workflow step."""
    if "last_step" in claims.query.annotations:
        return claims
    latest = Transition.objects.filter(claim=OuterRef("pk")).order_by("-at", "-pk")
    return claims.annotate(last_step=Subquery(latest.values("action")[:1]))


def is_returned(claim: Claim) -> bool:
    """A draft whose last step was an editor's request for changes (in memory:
    needs `with_last_step`). Resubmitting adds a step, which clears it."""
    return (
        claim.status == ClaimStatus.DRAFT
        and getattr(claim, "last_step", None) == TransitionAction.REQUEST_CHANGES
    )


def returned_claims(claims: QuerySet | None = None) -> QuerySet:
    """Drafts sent back by an editor and not resubmitted since."""
    claims = with_last_step(claims if claims is not None else Claim.objects.all())
    return claims.filter(
        status=ClaimStatus.DRAFT,
        merged_into__isnull=True,
        last_step=TransitionAction.REQUEST_CHANGES,
    )


def change_requests(claim_ids) -> dict[int, Transition]:
    """The latest request for changes on each of `claim_ids` (one query)."""
    requests: dict[int, Transition] = {}
    rows = (
        Transition.objects.filter(claim_id__in=list(claim_ids))
        .filter(action=TransitionAction.REQUEST_CHANGES)
        .select_related("actor")
        .order_by("claim_id", "-at", "-pk")
    )
    for row in rows:
        requests.setdefault(row.claim_id, row)
    return requests


def change_request_for(claim: Claim) -> Transition | None:
    """The editor's request that sent this draft back, while it is still back."""
    if claim.status != ClaimStatus.DRAFT or claim.merged_into_id is not None:
        return None
    last = claim.transitions.order_by("-at", "-pk").select_related("actor").first()
    if last is None or last.action != TransitionAction.REQUEST_CHANGES:
        return None
    return last


# --- The desk's queues -----------------------------------------------------------------


def assigned_to(user: User, claims: QuerySet | None = None) -> ClaimQuerySet:
    """Open work (draft or in review) assigned to `user`."""
    claims = claims if claims is not None else Claim.objects.all()
    return claims.filter(assigned_to=user, status__in=OPEN_STATUSES, merged_into__isnull=True)


def returned_to(user: User, claims: QuerySet | None = None) -> QuerySet:
    """Drafts sent back for changes that are `user`'s: assigned to them, or
    theirs and assigned to nobody."""
    claims = claims if claims is not None else Claim.objects.all()
    return returned_claims(
        claims.filter(Q(assigned_to=user) | Q(assigned_to__isnull=True, created_by=user))
    )


def waiting_for_review(user: User, claims: QuerySet | None = None) -> ClaimQuerySet:
    """Claims in review that `user` may approve (not their own work)."""
    claims = claims if claims is not None else Claim.objects.all()
    return approvable_by(
        user, claims.filter(status=ClaimStatus.IN_REVIEW, merged_into__isnull=True)
    )


def corrections_waiting_for(user: User, claims: QuerySet | None = None) -> QuerySet:
    """Claims with a pending correction that `user` may publish: not one they
    proposed, nor of content they changed since the last publication."""
    claims = claims if claims is not None else Claim.objects.all()
    pending = Correction.objects.pending().exclude(created_by=user)
    return approvable_by(
        user, claims.filter(pk__in=pending.values("claim_id"), merged_into__isnull=True)
    )


@dataclass
class Queue:
    key: str
    title: str
    count: int
    items: list[Any] = field(default_factory=list)


def desk_for(user: User) -> dict[str, Any]:
    """Everything the admin home's desk shows `user`, in a fixed number of queries."""
    queues = []

    def add(key: str, title: str, claims: QuerySet) -> Queue:
        claims = claims.select_related("claimant", "assigned_to").order_by("-updated_at", "-pk")
        queue = Queue(key, title, claims.count(), list(claims[:DESK_ITEMS]))
        queues.append(queue)
        return queue

    if has_perm(user, "claims.view_claim"):
        add("assigned", _("Assigned to me"), assigned_to(user))
        returned = add("returned", _("Returned to me"), returned_to(user))
        requests = change_requests(claim.pk for claim in returned.items)
        for claim in returned.items:
            claim.change_request = requests.get(claim.pk)
    if has_perm(user, "claims.review_claim"):
        add("review", _("Waiting for review"), waiting_for_review(user))
    if has_perm(user, "claims.publish_claim"):
        add(
            "corrections",
            _("Corrections waiting for a second editor"),
            corrections_waiting_for(user),
        )
    unread = Notification.objects.unread().filter(recipient=user)
    return {
        "queues": queues,
        "unread_count": unread.count(),
        "unread": list(unread.select_related("claim", "actor")[:10]),
        "activity": list(
            Transition.objects.filter(actor=user)
            .select_related("claim")
            .order_by("-at", "-pk")[:ACTIVITY_ITEMS]
        ),
    }


DESK_FILTERS = {
    "assigned": lambda user, claims: assigned_to(user, claims),
    "returned": lambda user, claims: returned_to(user, claims),
    "review": lambda user, claims: waiting_for_review(user, claims),
    "corrections": lambda user, claims: corrections_waiting_for(user, claims),
}
