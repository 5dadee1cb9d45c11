"""Reference records (claimants, topics, publishers, sources): created,
changed and deleted here, with the same version check as claims and the
record policy's rule for what published pages show."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils.translation import gettext as _

from claims.policy import RecordPolicy, perm_decision
from claims.services.base import _assign, _save_versioned, check_version


def record_fields(model: type[models.Model]) -> list[str]:
    """The fields a person edits (not the id, the version or timestamps)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name != "version"
    ]


@transaction.atomic
def record_create(
    *, model: type[models.Model], by: AbstractBaseUser, data: dict[str, Any]
) -> models.Model:
    meta = model._meta
    perm_decision(
        by,
        f"{meta.app_label}.add_{meta.model_name}",
        _("You do not have permission to add %(records)s.") % {"records": meta.verbose_name_plural},
    ).require()
    record = model()
    _assign(record, data, record_fields(model))
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def record_update(
    *,
    record: models.Model,
    by: AbstractBaseUser,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> models.Model:
    record = type(record).objects.select_for_update().get(pk=record.pk)
    check_version(record, expected_version)
    RecordPolicy(by, record).can_change().require()
    changed = _assign(record, data, record_fields(type(record)))
    if changed:
        _save_versioned(record, changed)
    return record


@transaction.atomic
def record_delete(
    *, record: models.Model, by: AbstractBaseUser, expected_version: int | None = None
) -> None:
    record = type(record).objects.select_for_update().get(pk=record.pk)
    check_version(record, expected_version)
    RecordPolicy(by, record).can_delete().require()
    record.delete()
