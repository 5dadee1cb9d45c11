"""Appearances and evidence: added while the claim accepts them, edited and
removed only until they are on the public record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from claims.exceptions import TransitionRejected
from claims.models import Appearance, Claim, Evidence
from claims.services.base import _assign, _save_versioned, _touch, check_version, require_perm
from claims.services.content import _state_message, claim_accepts_new_items, item_is_editable

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
    _pin_snapshot(item)
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
    if {"source", "quote", "excerpt"} & set(changed):
        _pin_snapshot(item)
        changed.append("snapshot")
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


def _pin_snapshot(item) -> None:
    """Verify the quote or excerpt against the source's newest text version and
    keep a pointer to it (issue 13): recaptures add versions, this one stays."""
    item.snapshot = item.source.latest_snapshot() if item.source_id else None


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
