"""Claims readers send us (the tipline), grouped for the newsroom's triage.

A tip is written only by `claims.services.tips`. The reader's email address and
the hash of their network address are personal data: they are erased after
`TIP_RETENTION_DAYS` (`tips_erase_expired`), when the reader unsubscribes, or
when they follow the deletion link.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models.claim import Claim


class TipStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered from the archive")
    CLAIMED = "claimed", _("Turned into a claim")
    NOT_CHECKABLE = "not_checkable", _("Not checkable")
    SPAM = "spam", _("Spam")


class TipChannel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("Partner channel (API)")


class TipGroupQuerySet(models.QuerySet):
    def with_counts(self, *, since=None):
        """Annotate `asked_total` and `asked_recently` (tips since `since`,
        default a week ago); spam never counts."""
        since = since or timezone.now() - timezone.timedelta(days=7)
        not_spam = ~Q(tips__status=TipStatus.SPAM)
        return self.annotate(
            # distinct: the admin's filter on tips' status joins tips a second time.
            asked_total=Count("tips", filter=not_spam, distinct=True),
            asked_recently=Count(
                "tips", filter=not_spam & Q(tips__received_at__gte=since), distinct=True
            ),
        )

    def most_asked(self, *, since=None, limit: int = 5):
        return (
            self.with_counts(since=since)
            .filter(asked_recently__gt=0)
            .select_related("claim")
            .order_by("-asked_recently", "-last_asked_at")[:limit]
        )


class TipGroup(models.Model):
    """Tips that ask the same thing: they match one existing claim, or each other."""

    claim = models.OneToOneField(
        Claim,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="tip_group",
        editable=False,
        verbose_name=_("claim"),
        help_text=_("The claim these tips match, or the claim they were turned into."),
    )
    label = models.CharField(_("asked"), max_length=500, editable=False)
    created_at = models.DateTimeField(_("first asked"), default=timezone.now, editable=False)
    last_asked_at = models.DateTimeField(_("last asked"), default=timezone.now, editable=False)

    objects = TipGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("tip group")
        verbose_name_plural = _("tip groups")
        ordering = ["-last_asked_at"]

    def __str__(self):
        return str(self.claim) if self.claim_id else self.label


class Tip(models.Model):
    text = models.TextField(_("claim or link"), editable=False)
    seen_at = models.CharField(_("where it was seen"), max_length=500, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=8, default="en", editable=False)
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=TipChannel.choices,
        default=TipChannel.WEB,
        editable=False,
    )
    # Personal data, erased after TIP_RETENTION_DAYS.
    email = models.EmailField(_("reply address"), blank=True, editable=False)
    address_hash = models.CharField(
        _("network address (keyed hash)"), max_length=64, blank=True, editable=False
    )
    personal_data_erased_at = models.DateTimeField(
        _("personal data erased"), null=True, blank=True, editable=False
    )

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TipStatus.choices,
        default=TipStatus.NEW,
        editable=False,
    )
    group = models.ForeignKey(
        TipGroup, models.PROTECT, related_name="tips", editable=False, verbose_name=_("group")
    )
    # The published fact-checks offered to the reader when they sent it.
    answers = models.ManyToManyField(
        Claim, blank=True, related_name="+", editable=False, verbose_name=_("answered with")
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    answer_sent_at = models.DateTimeField(_("answer emailed"), null=True, editable=False)
    notified_at = models.DateTimeField(_("publication notice emailed"), null=True, editable=False)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("triaged by"),
    )

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "-received_at"], name="tip_status_received"),
            models.Index(fields=["received_at"], name="tip_received"),
        ]

    def __str__(self):
        return self.text[:80]
