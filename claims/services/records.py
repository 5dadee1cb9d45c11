"""Reference records (claimants, topics, publishers, sources, ratings and
their scales) and the site's own pages: created, changed and deleted here,
with the same version check as claims and the record policy's rule for what
published pages show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import models
from django.utils.translation import gettext as _

from claims.models import SitePageVersion
from claims.policy import RecordPolicy, perm_decision
from claims.services.base import _assign, _save_versioned, check_version, service


def record_fields(model: type[models.Model]) -> list[str]:
    """The fields a person edits (not the id, the version or timestamps)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name != "version"
    ]


@service
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


@service
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


@service
def record_delete(
    *, record: models.Model, by: AbstractBaseUser, expected_version: int | None = None
) -> None:
    record = type(record).objects.select_for_update().get(pk=record.pk)
    check_version(record, expected_version)
    RecordPolicy(by, record).can_delete().require()
    record.delete()


SITE_PAGE_FIELDS = ("url", "title", "content", "registration_required", "template_name")


@service
def site_page_save(
    *,
    page: FlatPage | None,
    by: AbstractBaseUser,
    data: dict[str, Any],
    sites: Iterable[Site] | None = None,
    expected_version: int | None = None,
) -> FlatPage:
    """Create (`page=None`) or change one of the site's own pages."""
    if page is None:
        perm_decision(
            by, "flatpages.add_flatpage", _("You do not have permission to add site pages.")
        ).require()
        page = FlatPage()
        state = None
    else:
        page = FlatPage.objects.select_for_update().get(pk=page.pk)
        state, _created = SitePageVersion.objects.select_for_update().get_or_create(page=page)
        check_version(state, expected_version)
        RecordPolicy(by, page).can_change().require()
    changed = _assign(page, data, SITE_PAGE_FIELDS)
    sites = list(sites) if sites is not None else None
    sites_changed = sites is not None and (
        page.pk is None or {s.pk for s in sites} != set(page.sites.values_list("pk", flat=True))
    )
    if page.pk is not None and not changed and not sites_changed:
        return page
    page.full_clean(exclude=["sites"])
    page.save()
    if sites is not None:
        page.sites.set(sites)
    if state is None:
        SitePageVersion.objects.create(page=page)
    else:
        state.version += 1
        state.save(update_fields=["version"])
    return page


@service
def site_page_delete(*, page: FlatPage, by: AbstractBaseUser) -> None:
    page = FlatPage.objects.select_for_update().get(pk=page.pk)
    RecordPolicy(by, page).can_delete().require()
    page.delete()
