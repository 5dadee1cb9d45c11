import hashlib

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sources.fields import NormalizedURLField
from sources.normalization import text_contains_excerpt


class Language(models.TextChoices):
    """Languages a claim or a source can be written in (not the UI languages)."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    FRENCH = "fr", _("French")


class Publisher(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    url = NormalizedURLField(_("home page"), blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code, e.g. PE.")
    )
    notes = models.TextField(_("notes"), blank=True)

    version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="publisher_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", _("News report")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    REPORT = "report", _("Survey or report")
    DATASET = "dataset", _("Dataset")
    BROADCAST = "broadcast", _("Broadcast")
    INTERVIEW = "interview", _("Interview")


class Source(models.Model):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    url = NormalizedURLField(
        _("URL"),
        blank=True,
        null=True,
        help_text=_("Stored in canonical form; two sources cannot share a URL."),
    )
    publisher = models.ForeignKey(
        Publisher, models.PROTECT, related_name="sources", verbose_name=_("publisher")
    )
    authors = models.CharField(_("author(s)"), max_length=300, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=SourceKind.choices, default=SourceKind.NEWS_REPORT
    )
    retrieved_on = models.DateField(_("date retrieved"), null=True, blank=True)
    archive_url = NormalizedURLField(_("archived copy URL"), blank=True)
    snapshot = models.TextField(
        _("text snapshot"),
        blank=True,
        help_text=_(
            "The source's text as retrieved. When present, every excerpt and quote "
            "taken from this source must occur in it."
        ),
    )
    snapshot_sha256 = models.CharField(
        _("snapshot SHA-256"), max_length=64, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=models.Q(url__isnull=False),
                name="source_url_unique",
                violation_error_message=_("A source with this URL already exists."),
            ),
        ]
        indexes = [models.Index(fields=["publisher", "-published_on"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The hash is derived from the snapshot, never entered, so it cannot drift.
        self.snapshot_sha256 = (
            hashlib.sha256(self.snapshot.encode("utf-8")).hexdigest() if self.snapshot else ""
        )
        if self.url == "":
            self.url = None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("sources:detail", kwargs={"slug": self.slug})

    @property
    def citation_url(self) -> str:
        """Where a reader can check the source: its URL, else its archived copy."""
        return self.url or self.archive_url

    def contains_excerpt(self, excerpt: str) -> bool:
        """Whether an excerpt can be verified against this source.

        Without a stored snapshot there is nothing to check against, so any
        excerpt is accepted; with one, the excerpt must occur in it.
        """
        return not self.snapshot or text_contains_excerpt(self.snapshot, excerpt)
