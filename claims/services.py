"""Content writes: claims, appearances, evidence and verdicts.

The workflow decides *when* content may change (`claims.workflow`); these
functions are the only writers, so the admin, the API and commands apply the
same rules:

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

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from claims.models import (
    Appearance,
    Claim,
    ClaimStatus,
    Evidence,
    Rating,
    Topic,
    Transition,
    TransitionAction,
    Verdict,
)
from claims.workflow import (
    NotPermitted,
    StaleVersion,
    TransitionRejected,
    check_version,
    require_perm,
)

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
APPEARANCE_FIELDS = ("source", "quote", "appeared_on", "speaker")
EVIDENCE_FIELDS = (
    "source",
    "excerpt",
    "stance",
    "note",
    "figure_quantity",
    "figure_qualifier",
    "figure_value",
    "figure_unit",
    "figure_as_of",
)
VERDICT_FIELDS = ("rating", "conclusion", "explanation")


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


# --- Helpers -------------------------------------------------------------------


def _assign(obj: models.Model, data: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TransitionRejected(
            _("These fields cannot be changed: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            code="locked",
        )
    changed = []
    for name, value in data.items():
        field = obj._meta.get_field(name)
        if getattr(obj, field.attname) != (value.pk if isinstance(value, models.Model) else value):
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _save_versioned(obj: models.Model, changed: list[str]) -> None:
    # Callers hold a row lock (select_for_update), so a plain increment cannot race.
    obj.full_clean()
    obj.version += 1
    update_fields = [*changed, "version"]
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        update_fields.append("updated_at")
    obj.save(update_fields=update_fields)


def _touch(claim: Claim) -> None:
    """Show a change to appearances, evidence or the verdict as a change to the claim.

    Only the timestamp moves: the claim's version guards the claim's own fields,
    so adding evidence never makes a colleague's edit of the wording "stale".
    """
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())


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


# --- Appearances and evidence ----------------------------------------------------


def _item_create(model, *, claim: Claim, by, fields: tuple[str, ...], data: dict[str, Any]):
    meta = model._meta
    require_perm(
        by,
        f"claims.add_{meta.model_name}",
        _("You do not have permission to add %(items)s.") % {"items": meta.verbose_name_plural},
    )
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not claim_accepts_new_items(claim):
        raise TransitionRejected(_state_message(claim), code="locked")
    item = model(claim=claim, created_by=by)
    _assign(item, data, fields)
    item.full_clean()
    item.save()
    _touch(claim)
    return item


def _item_update(item, *, by, fields: tuple[str, ...], data: dict[str, Any], expected_version):
    model = type(item)
    meta = model._meta
    require_perm(
        by,
        f"claims.change_{meta.model_name}",
        _("You do not have permission to edit %(items)s.") % {"items": meta.verbose_name_plural},
    )
    Claim.objects.select_for_update().get(pk=item.claim_id)
    item = model.objects.select_for_update().select_related("claim").get(pk=item.pk)
    check_version(item, expected_version)
    if not item_is_editable(item):
        raise TransitionRejected(
            _("This %(item)s is part of the published record and cannot be edited.")
            % {"item": meta.verbose_name}
            if item.published_at
            else _state_message(item.claim),
            code="locked",
        )
    changed = _assign(item, data, fields)
    if changed:
        _save_versioned(item, changed)
        _touch(item.claim)
    return item


def _item_delete(item, *, by, expected_version) -> None:
    model = type(item)
    meta = model._meta
    require_perm(
        by,
        f"claims.delete_{meta.model_name}",
        _("You do not have permission to delete %(items)s.") % {"items": meta.verbose_name_plural},
    )
    Claim.objects.select_for_update().get(pk=item.claim_id)
    item = model.objects.select_for_update().select_related("claim").get(pk=item.pk)
    check_version(item, expected_version)
    if not item_is_editable(item):
        raise TransitionRejected(
            _("This %(item)s is part of the published record and cannot be removed.")
            % {"item": meta.verbose_name}
            if item.published_at
            else _state_message(item.claim),
            code="locked",
        )
    claim = item.claim
    item.delete()
    _touch(claim)


ITEM_FIELDS = {Appearance: APPEARANCE_FIELDS, Evidence: EVIDENCE_FIELDS}


@transaction.atomic
def item_create(model, *, claim: Claim, by, **data):
    """Add an appearance or a piece of evidence (`model`) to `claim`; the admin
    and the API both come through here."""
    return _item_create(model, claim=claim, by=by, fields=ITEM_FIELDS[model], data=data)


@transaction.atomic
def item_update(item, *, by, data: dict[str, Any], expected_version: int | None = None):
    return _item_update(
        item, by=by, fields=ITEM_FIELDS[type(item)], data=data, expected_version=expected_version
    )


@transaction.atomic
def item_delete(item, *, by, expected_version: int | None = None) -> None:
    _item_delete(item, by=by, expected_version=expected_version)


def appearance_create(*, claim: Claim, by, **data) -> Appearance:
    return item_create(Appearance, claim=claim, by=by, **data)


def appearance_update(
    *, appearance: Appearance, by, data: dict[str, Any], expected_version: int | None = None
) -> Appearance:
    return item_update(appearance, by=by, data=data, expected_version=expected_version)


def appearance_delete(*, appearance: Appearance, by, expected_version: int | None = None) -> None:
    item_delete(appearance, by=by, expected_version=expected_version)


def evidence_create(*, claim: Claim, by, **data) -> Evidence:
    return item_create(Evidence, claim=claim, by=by, **data)


def evidence_update(
    *, evidence: Evidence, by, data: dict[str, Any], expected_version: int | None = None
) -> Evidence:
    return item_update(evidence, by=by, data=data, expected_version=expected_version)


def evidence_delete(*, evidence: Evidence, by, expected_version: int | None = None) -> None:
    item_delete(evidence, by=by, expected_version=expected_version)


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


__all__ = [
    "NotPermitted",
    "StaleVersion",
    "TransitionRejected",
    "appearance_create",
    "appearance_delete",
    "appearance_update",
    "claim_create",
    "claim_update",
    "evidence_create",
    "evidence_delete",
    "evidence_update",
    "verdict_create",
    "verdict_update",
]
