"""Appearances and evidence: added while the claim accepts them, edited and
removed only until they are on the public record."""

from __future__ import annotations

from typing import Any

from claims.models import Appearance, Claim, ContributionPart, Evidence
from claims.policy import ClaimPolicy, User
from claims.search.embedding import embed_appearance
from claims.services.base import (
    _assign,
    _save_versioned,
    _touch,
    check_version,
    record_contribution,
    service,
)

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


# --- Appearances and evidence ----------------------------------------------------


Item = Appearance | Evidence
ItemModel = type[Appearance] | type[Evidence]


def _part(model: ItemModel) -> str:
    return ContributionPart.APPEARANCE if model is Appearance else ContributionPart.EVIDENCE


def _item_create(
    model: ItemModel, *, claim: Claim, by: User, fields: tuple[str, ...], data: dict[str, Any]
) -> Item:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    ClaimPolicy(by, claim).can_add_item(model).require()
    item = model(claim=claim, created_by=by)
    _assign(item, data, fields)
    _pin_snapshot(item)
    item.full_clean()
    item.save()
    if isinstance(item, Appearance):
        embed_appearance(item)
    record_contribution(claim, by=by, part=_part(model))
    _touch(claim)
    return item


def _locked_item(item: Item) -> Item:
    model = type(item)
    Claim.objects.select_for_update().get(pk=item.claim_id)
    return model.objects.select_for_update().select_related("claim").get(pk=item.pk)


def _item_update(
    item: Item,
    *,
    by: User,
    fields: tuple[str, ...],
    data: dict[str, Any],
    expected_version: int | None,
) -> Item:
    item = _locked_item(item)
    check_version(item, expected_version)
    ClaimPolicy(by, item.claim).can_change_item(item).require()
    changed = _assign(item, data, fields)
    if {"source", "quote", "excerpt"} & set(changed):
        _pin_snapshot(item)
        changed.append("snapshot")
    if changed:
        _save_versioned(item, changed)
        if "quote" in changed and isinstance(item, Appearance):
            embed_appearance(item)
        record_contribution(item.claim, by=by, part=_part(type(item)))
        _touch(item.claim)
    return item


def _item_delete(item: Item, *, by: User, expected_version: int | None) -> None:
    item = _locked_item(item)
    check_version(item, expected_version)
    ClaimPolicy(by, item.claim).can_change_item(item, delete=True).require()
    claim = item.claim
    item.delete()
    record_contribution(claim, by=by, part=_part(type(item)))
    _touch(claim)


ITEM_FIELDS = {Appearance: APPEARANCE_FIELDS, Evidence: EVIDENCE_FIELDS}


def _pin_snapshot(item: Item) -> None:
    """Verify the quote or excerpt against the source's newest text version and
    keep a pointer to it (issue 13): recaptures add versions, this one stays."""
    item.snapshot = item.source.latest_snapshot() if item.source_id else None


@service
def item_create(model: ItemModel, *, claim: Claim, by: User, **data: Any) -> Item:
    """Add an appearance or a piece of evidence (`model`) to `claim`; the admin
    and the API both come through here."""
    return _item_create(model, claim=claim, by=by, fields=ITEM_FIELDS[model], data=data)


@service
def item_update(
    item: Item, *, by: User, data: dict[str, Any], expected_version: int | None = None
) -> Item:
    return _item_update(
        item, by=by, fields=ITEM_FIELDS[type(item)], data=data, expected_version=expected_version
    )


@service
def item_delete(item: Item, *, by: User, expected_version: int | None = None) -> None:
    _item_delete(item, by=by, expected_version=expected_version)


def appearance_create(*, claim: Claim, by: User, **data: Any) -> Appearance:
    return item_create(Appearance, claim=claim, by=by, **data)


def appearance_update(
    *, appearance: Appearance, by: User, data: dict[str, Any], expected_version: int | None = None
) -> Appearance:
    return item_update(appearance, by=by, data=data, expected_version=expected_version)


def appearance_delete(
    *, appearance: Appearance, by: User, expected_version: int | None = None
) -> None:
    item_delete(appearance, by=by, expected_version=expected_version)


def evidence_create(*, claim: Claim, by: User, **data: Any) -> Evidence:
    return item_create(Evidence, claim=claim, by=by, **data)


def evidence_update(
    *, evidence: Evidence, by: User, data: dict[str, Any], expected_version: int | None = None
) -> Evidence:
    return item_update(evidence, by=by, data=data, expected_version=expected_version)


def evidence_delete(*, evidence: Evidence, by: User, expected_version: int | None = None) -> None:
    item_delete(evidence, by=by, expected_version=expected_version)
