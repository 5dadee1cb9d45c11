"""The workflow log: one row per step."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from claims.models.claim import Claim, ClaimStatus


class TransitionAction(models.TextChoices):
    CREATE = "create", _("Created")
    SUBMIT = "submit", _("Submitted for review")
    REQUEST_CHANGES = "request_changes", _("Changes requested")
    PUBLISH = "publish", _("Published")
    RETRACT = "retract", _("Retracted")
    PROPOSE_CORRECTION = "propose_correction", _("Correction proposed")
    PUBLISH_CORRECTION = "publish_correction", _("Correction published")
    DISCARD_CORRECTION = "discard_correction", _("Correction discarded")
    MERGE = "merge", _("Merged")
    UNMERGE = "unmerge", _("Merge undone")


# What the workflow log says of each step (translated when shown).
_STEP_SENTENCES = {
    TransitionAction.CREATE: gettext_noop("Created by %(who)s on %(date)s"),
    TransitionAction.SUBMIT: gettext_noop("Submitted for review by %(who)s on %(date)s"),
    TransitionAction.REQUEST_CHANGES: gettext_noop("Sent back for changes by %(who)s on %(date)s"),
    TransitionAction.PUBLISH: gettext_noop("Approved and published by %(who)s on %(date)s"),
    TransitionAction.RETRACT: gettext_noop("Retracted by %(who)s on %(date)s"),
    TransitionAction.PROPOSE_CORRECTION: gettext_noop("Correction proposed by %(who)s on %(date)s"),
    TransitionAction.PUBLISH_CORRECTION: gettext_noop(
        "Correction published by %(who)s on %(date)s"
    ),
    TransitionAction.DISCARD_CORRECTION: gettext_noop(
        "Correction discarded by %(who)s on %(date)s"
    ),
    TransitionAction.MERGE: gettext_noop("Merged by %(who)s on %(date)s"),
    TransitionAction.UNMERGE: gettext_noop("Merge undone by %(who)s on %(date)s"),
}


class Transition(models.Model):
    """The workflow log: one row per step, written in the step's transaction."""

    claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="transitions", verbose_name=_("claim")
    )
    action = models.CharField(_("action"), max_length=32, choices=TransitionAction.choices)
    from_status = models.CharField(
        _("from"), max_length=16, choices=ClaimStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=ClaimStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow log")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["claim", "at"])]

    def __str__(self):
        """ "Sent back for changes by Ana on Dec. 3, 2026: the figure needs a
        source.", in the language of the page showing it."""
        template = _STEP_SENTENCES.get(self.action, _STEP_SENTENCES[TransitionAction.CREATE])
        who = self.actor.get_full_name() or self.actor.get_username()
        sentence = gettext(template) % {
            "who": who,
            "date": date_format(timezone.localtime(self.at), "DATE_FORMAT"),
        }
        comment = " ".join(self.comment.split())
        if not comment:
            return sentence
        if len(comment) > 120:
            comment = comment[:119].rsplit(" ", 1)[0] + "…"
        return gettext("%(step)s: %(comment)s") % {"step": sentence, "comment": comment}


class ContributionPart(models.TextChoices):
    WORDING = "wording", _("wording and context")
    APPEARANCE = "appearance", _("appearances")
    EVIDENCE = "evidence", _("evidence")
    VERDICT = "verdict", _("verdict")
    CORRECTION = "correction", _("correction")


class ContributionQuerySet(models.QuerySet):
    def unpublished(self):
        """Changes not yet on the public record: their authors may not publish them."""
        return self.filter(published_at__isnull=True)


class Contribution(models.Model):
    """Who changed which part of a claim's content since it was last published.

    The two-person rule reads this: nobody publishes (or publishes a
    correction of) content they wrote or changed since the last publication.
    One row per claim, person and part while unpublished; publication stamps
    the rows, so the next round of edits starts a new set.
    """

    claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="contributions", verbose_name=_("claim")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    part = models.CharField(_("part"), max_length=16, choices=ContributionPart.choices)
    first_at = models.DateTimeField(_("first change"), default=timezone.now)
    last_at = models.DateTimeField(_("last change"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["claim", "first_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "user", "part"],
                condition=models.Q(published_at__isnull=True),
                name="one_unpublished_contribution_per_part",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_part_display()}"
