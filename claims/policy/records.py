"""RecordPolicy: who may change the reference records and site pages that
published pages show."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from claims.exceptions import NotPermitted
from claims.models import (
    Claim,
    Claimant,
    Rating,
    RatingScale,
    Topic,
)
from claims.policy.base import ALLOWED, Decision, User, deny, has_perm, perm_decision

# --- Reference records: claimants, topics, publishers, sources ----------------


def on_published_page(record: models.Model) -> bool:
    """Whether a reader can see this record on a published page now."""
    from django.contrib.flatpages.models import FlatPage

    from sources.models import Publisher, Source

    if isinstance(record, FlatPage):
        return not record.registration_required
    if isinstance(record, Rating | RatingScale):
        # The ratings and their scale are explained on the public methodology page.
        return True

    public = Claim.objects.public()
    if isinstance(record, Source):
        return public.filter(
            models.Q(evidence__source=record, evidence__published_at__isnull=False)
            | models.Q(appearances__source=record, appearances__published_at__isnull=False)
        ).exists()
    if isinstance(record, Publisher):
        return public.filter(
            models.Q(evidence__source__publisher=record, evidence__published_at__isnull=False)
            | models.Q(
                appearances__source__publisher=record, appearances__published_at__isnull=False
            )
        ).exists()
    if isinstance(record, Claimant):
        return public.filter(claimant=record).exists()
    if isinstance(record, Topic):
        return public.filter(topics=record).exists()
    return False


class RecordPolicy:
    """Who may change a reference record. Anyone with the model's permission
    may fix one that no published page shows yet; once readers see it (a
    claimant's name, a topic, a source's title or publisher), only editors
    may change it, and every change is in its history."""

    def __init__(self, user: User | None, record: models.Model) -> None:
        self.user = user
        self.record = record

    def _model_perm(self, verb: str) -> Decision:
        meta = self.record._meta
        return perm_decision(
            self.user,
            f"{meta.app_label}.{verb}_{meta.model_name}",
            _("You do not have permission to change %(records)s.")
            % {"records": meta.verbose_name_plural},
        )

    def _published_needs_editor(self, permission: Decision) -> Decision:
        if not permission or self.record.pk is None:
            return permission
        if on_published_page(self.record) and not has_perm(
            self.user, "claims.change_published_record"
        ):
            return deny(
                _("Readers see this %(record)s on a published page; only an editor can change it.")
                % {"record": self.record._meta.verbose_name},
                "published_record",
                NotPermitted,
            )
        return ALLOWED

    def can_change(self) -> Decision:
        return self._published_needs_editor(self._model_perm("change"))

    def can_delete(self) -> Decision:
        """Records that claims cite are protected by the database as well."""
        return self._published_needs_editor(self._model_perm("delete"))
