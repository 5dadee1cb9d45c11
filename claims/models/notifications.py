"""What the newsroom is told about its own work: one row per person and event,
shown unread on the admin desk and, unless they turned it off, emailed.

Written only by `claims.services.notifications`; the desk marks rows read.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models.claim import Claim


class NotificationEvent(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    CORRECTION_PROPOSED = "correction_proposed", _("Correction proposed")
    CORRECTION_PUBLISHED = "correction_published", _("Correction published")
    ASSIGNED = "assigned", _("Assigned to you")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event = models.CharField(_("event"), max_length=32, choices=NotificationEvent.choices)
    claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="notifications", verbose_name=_("claim")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    # What the actor wrote with the step (the editor's request, a correction's note).
    comment = models.TextField(_("comment"), blank=True)
    created = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set when the email went out, so a retry never sends it twice.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created"], name="notification_inbox")
        ]

    def __str__(self):
        return f"{self.get_event_display()}: {self.claim_id} → {self.recipient_id}"


class NewsroomProfile(models.Model):
    """A newsroom user's own settings (the admin's "My settings" page)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="newsroom_profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the emails Veraz sends you."),
    )
    email_notifications = models.BooleanField(
        _("email me about my work"),
        default=True,
        help_text=_(
            "Submissions, requested changes, publications, corrections and assignments "
            "that concern you. They are always listed on your desk."
        ),
    )

    class Meta:
        verbose_name = _("my settings")
        verbose_name_plural = _("my settings")

    def __str__(self):
        return str(self.user)
