"""The site's own pages (about, methodology, corrections policy) are Django
flat pages; Veraz keeps their edit version beside them and their history."""

from django.contrib.flatpages.models import FlatPage
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register

# Flat pages are public content: every change is in history, like the record's.
register(FlatPage, app="claims", table_name="claims_historicalflatpage")


class SitePageVersion(models.Model):
    """The edit version of a flat page, for the same lost-update check as
    every other editable record (FlatPage itself is Django's model)."""

    page = models.OneToOneField(
        FlatPage,
        models.CASCADE,
        primary_key=True,
        related_name="edit_version",
        verbose_name=_("page"),
    )
    version = models.PositiveIntegerField(_("edit version"), default=1)

    class Meta:
        verbose_name = _("site page version")
        verbose_name_plural = _("site page versions")

    def __str__(self):
        return f"{self.page.url} v{self.version}"
