"""The publication version: one number that changes whenever anything a
reader can see changes. Cached pages and API responses are keyed by it
(claims/publication.py), so a change needs no purge list."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationVersion(models.Model):
    """A single row, the durable copy of the version the shared cache holds."""

    value = models.PositiveBigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("publication version")
        verbose_name_plural = _("publication version")

    def __str__(self):
        return str(self.value)
