"""Other fact-checkers' reviews, imported as ClaimReview."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models.claim import Claim
from sources.fields import NormalizedURLField


class ExternalReviewQuerySet(models.QuerySet):
    def unlinked(self):
        return self.filter(claim__isnull=True)


class ExternalReview(models.Model):
    """Another outlet's published ClaimReview, imported so the newsroom can see
    what others concluded (claims.services.external_reviews).

    Identified by its canonical URL, so importing the same review again
    updates this row. An editor links it to a local claim, or leaves it
    unlinked for triage. Their rating is kept as published (label and numbers)
    and, when numeric, normalised to 0–1 (worst to best) for comparison.
    """

    url = NormalizedURLField(_("review URL"), unique=True)
    publisher_name = models.CharField(_("publisher"), max_length=300, blank=True)
    publisher_url = models.URLField(_("publisher URL"), max_length=2000, blank=True)
    claim_reviewed = models.TextField(_("claim reviewed"))
    claimant_name = models.CharField(_("claimant"), max_length=300, blank=True)
    claim_date = models.DateField(_("claim first made on"), null=True, blank=True)
    appearance_urls = models.JSONField(_("appearance URLs"), default=list, blank=True)
    rating_label = models.CharField(_("their rating"), max_length=300, blank=True)
    rating_value = models.FloatField(_("rating value"), null=True, blank=True)
    best_rating = models.FloatField(_("best rating"), null=True, blank=True)
    worst_rating = models.FloatField(_("worst rating"), null=True, blank=True)
    normalized_rating = models.FloatField(
        _("normalised rating"),
        null=True,
        blank=True,
        help_text=_("Their numeric rating on a 0–1 scale: 0 is their worst, 1 their best."),
    )
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language"), max_length=35, blank=True)
    date_published = models.DateField(_("published on"), null=True, blank=True)
    date_modified = models.DateField(_("modified on"), null=True, blank=True)
    raw = models.JSONField(_("imported ClaimReview"), default=dict, editable=False)

    claim = models.ForeignKey(
        Claim,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="external_reviews",
        verbose_name=_("local claim"),
        help_text=_("The newsroom's claim this review concerns; empty until an editor links it."),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("linked by"),
    )
    linked_at = models.DateTimeField(_("linked"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("last imported by"),
    )
    first_imported_at = models.DateTimeField(
        _("first imported"), default=timezone.now, editable=False
    )
    last_imported_at = models.DateTimeField(
        _("last imported"), default=timezone.now, editable=False
    )

    objects = ExternalReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("external review")
        verbose_name_plural = _("external reviews")
        ordering = ["-date_published", "-pk"]
        permissions = [
            ("import_externalreview", _("Can import other fact-checkers' ClaimReview")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(normalized_rating__isnull=True)
                | Q(normalized_rating__gte=0, normalized_rating__lte=1),
                name="externalreview_normalized_in_unit_range",
                violation_error_message=_("A normalised rating lies between 0 and 1."),
            ),
        ]
        indexes = [models.Index(fields=["claim", "-date_published"], name="externalreview_claim")]

    def __str__(self):
        return _("%(publisher)s on “%(claim)s”") % {
            "publisher": self.publisher_display,
            "claim": self.claim_reviewed[:80],
        }

    @property
    def publisher_display(self) -> str:
        """The publisher's name, or the review's web site when they gave none."""
        return self.publisher_name or urlsplit(self.url).hostname or self.url
