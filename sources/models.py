from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.reverse import reverse_slug
from sources.excerpts import text_contains_excerpt
from sources.fields import NormalizedURLField
from sources.normalization import normalize_snapshot_text, text_sha256


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


class LinkStatus(models.TextChoices):
    """What the last link-rot check found at a source's URL."""

    UNCHECKED = "unchecked", _("Not checked yet")
    LIVE = "live", _("Live")
    CHANGED = "changed", _("Changed since captured")
    GONE = "gone", _("Gone")


class SourceTextLocked(ValidationError):
    """A cited source's stored text was about to be rewritten."""


# Link-check bookkeeping changes on every check; it is not an edit.
_UNVERSIONED_FIELDS = [
    "link_status",
    "link_status_since",
    "link_checked_at",
    "link_next_check_at",
    "link_check_interval_hours",
    "last_captured_at",
]


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
    link_status = models.CharField(
        _("link status"),
        max_length=16,
        choices=LinkStatus.choices,
        default=LinkStatus.UNCHECKED,
        editable=False,
    )
    link_status_since = models.DateTimeField(_("status since"), null=True, editable=False)
    link_checked_at = models.DateTimeField(_("last checked"), null=True, editable=False)
    link_next_check_at = models.DateTimeField(_("next check"), null=True, editable=False)
    link_check_interval_hours = models.PositiveIntegerField(
        _("check interval (hours)"), default=0, editable=False
    )
    # Denormalised from the newest captured snapshot, so reader pages can say
    # "archived copy (date)" without a query per citation.
    last_captured_at = models.DateTimeField(_("last captured"), null=True, editable=False)

    history = HistoricalRecords(excluded_fields=_UNVERSIONED_FIELDS)

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
        indexes = [
            models.Index(fields=["publisher", "-published_on"]),
            models.Index(fields=["link_status", "link_next_check_at"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The text is stored normalised and its hash derived from it, never
        # entered, so an unchanged save from a browser keeps the hash.
        self.snapshot = normalize_snapshot_text(self.snapshot)
        self.snapshot_sha256 = text_sha256(self.snapshot)
        if self.url == "":
            self.url = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "snapshot" in update_fields:
            # The hash is derived, never entered: it goes wherever the text goes.
            kwargs["update_fields"] = {*update_fields, "snapshot_sha256"}
        # Every path that writes text (admin, demo, captures, factories) gets a
        # snapshot version, so no text that an excerpt was checked against is
        # ever lost; and no path can rewrite the text under a citation.
        with transaction.atomic():
            if self.text_would_be_rewritten():
                raise SourceTextLocked(
                    _("Source “%(source)s” is cited; its stored text cannot be rewritten.")
                    % {"source": self.title}
                )
            super().save(*args, **kwargs)
            if self.snapshot and self.snapshot_sha256 != self.latest_snapshot_sha256():
                SourceSnapshot.objects.create(
                    source=self, text=self.snapshot, origin=SnapshotOrigin.ENTERED
                )

    def get_absolute_url(self):
        return reverse_slug("sources:detail", self.slug)

    def clean(self):
        if self.text_would_be_rewritten():
            raise SourceTextLocked(
                {
                    "snapshot": _(
                        "Evidence or an appearance cites this source, so its stored text "
                        "cannot be rewritten. Capture the page again to add a new version; "
                        "the cited one stays."
                    )
                }
            )

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

    def latest_snapshot(self) -> "SourceSnapshot | None":
        if self.pk is None:
            return None
        return self.snapshots.order_by("-number").first()

    def latest_snapshot_sha256(self) -> str:
        latest = self.latest_snapshot()
        return latest.sha256 if latest else ""

    def is_cited(self) -> bool:
        if self.pk is None:
            return False
        return self.evidence.exists() or self.appearances.exists()

    def text_would_be_rewritten(self) -> bool:
        """Whether saving now would replace text that evidence was checked against."""
        if self.pk is None:
            return False
        latest = self.latest_snapshot_sha256()
        return bool(latest) and text_sha256(self.snapshot) != latest and self.is_cited()

    @property
    def is_gone(self) -> bool:
        return self.link_status == LinkStatus.GONE


class SnapshotOrigin(models.TextChoices):
    ENTERED = "entered", _("Entered by the newsroom")
    CAPTURED = "captured", _("Captured from the web")


def _capture_path(snapshot: "SourceSnapshot", filename: str) -> str:
    return f"captures/{snapshot.source_id}/{snapshot.number}-{filename}"


class SourceSnapshot(models.Model):
    """One immutable version of a source's text.

    Evidence and appearances point at the version they were verified against;
    a recapture or a new entry adds a version, and the old ones stay. A
    capture's version also keeps the raw response (WARC) and what the fetcher
    saw (final URL, status, headers).
    """

    source = models.ForeignKey(
        Source, models.PROTECT, related_name="snapshots", verbose_name=_("source")
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    origin = models.CharField(_("origin"), max_length=16, choices=SnapshotOrigin.choices)
    taken_at = models.DateTimeField(_("date"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    requested_url = models.URLField(_("requested URL"), max_length=2000, blank=True)
    final_url = models.URLField(_("final URL after redirects"), max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    headers = models.JSONField(_("response headers"), default=dict, blank=True)
    warc = models.FileField(_("WARC record"), upload_to=_capture_path, blank=True)
    screenshot = models.FileField(_("screenshot"), upload_to=_capture_path, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=_capture_path, blank=True)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["source", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "number"], name="source_snapshot_number_unique"
            ),
        ]

    def __str__(self):
        return _("%(source)s, version %(number)s") % {
            "source": self.source,
            "number": self.number,
        }

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A snapshot is immutable: add a new version instead."))
        self.text = normalize_snapshot_text(self.text)
        self.sha256 = text_sha256(self.text)
        if not self.number:
            previous = (
                SourceSnapshot.objects.filter(source_id=self.source_id)
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            self.number = (previous or 0) + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("sources:snapshot", kwargs={"slug": self.source.slug, "number": self.number})

    @property
    def is_capture(self) -> bool:
        return self.origin == SnapshotOrigin.CAPTURED

    def contains_excerpt(self, excerpt: str) -> bool:
        return text_contains_excerpt(self.text, excerpt)


class CaptureStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class CaptureReason(models.TextChoices):
    ADDED = "added", _("URL added")
    REQUESTED = "requested", _("Requested in the admin")
    BULK = "bulk", _("Bulk capture")
    CHANGED = "changed", _("Page changed")


_OPEN_STATUSES = [CaptureStatus.QUEUED, CaptureStatus.RUNNING]


class CaptureJob(models.Model):
    """One request to capture a source's page, and what became of it.

    At most one job per source is open (queued or running), so a capture
    requested twice is one capture; this row is also the task state the
    admin shows.
    """

    source = models.ForeignKey(
        Source, models.CASCADE, related_name="capture_jobs", verbose_name=_("source")
    )
    reason = models.CharField(_("reason"), max_length=16, choices=CaptureReason.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=CaptureStatus.choices, default=CaptureStatus.QUEUED
    )
    url = models.URLField(_("URL"), max_length=2000)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    snapshot = models.ForeignKey(
        SourceSnapshot,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("snapshot"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("capture job")
        verbose_name_plural = _("capture jobs")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(status__in=_OPEN_STATUSES),
                name="capture_job_one_open_per_source",
            ),
        ]

    def __str__(self):
        return f"{self.source} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in _OPEN_STATUSES
