"""What a fact-check is made of: appearances, evidence, verdict versions and corrections."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from claims.models.claim import Claim, public_claim_q
from claims.models.reference import Claimant, Rating
from sources.excerpts import MismatchMessage, mismatch_message, text_contains_excerpt
from sources.models import Source, SourceSnapshot


class PublicationQuerySet(models.QuerySet):
    """Appearances and evidence become public with the claim's publication, or
    with the correction that added them, never on their own."""

    def published(self):
        return self.filter(published_at__isnull=False)

    def public(self):
        return self.published().filter(public_claim_q("claim__"))


def source_mismatch(item, words: str, lead: str) -> MismatchMessage | None:
    """Why a quote or excerpt does not occur in the snapshot it is pinned to
    (or, not pinned yet, in the source's current text), with the closest
    passage; None when it does, or when the source has no text to check.
    The model's clean() serves the admin forms and the API alike."""
    if item.snapshot_id and item.snapshot.source_id == item.source_id:
        text = item.snapshot.text
    else:
        text = item.source.snapshot
    if not text or text_contains_excerpt(text, words):
        return None
    return mismatch_message(text, words, lead)


class Appearance(models.Model):
    claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="appearances", verbose_name=_("claim")
    )
    source = models.ForeignKey(
        Source, models.PROTECT, related_name="appearances", verbose_name=_("source")
    )
    quote = models.TextField(_("exact quote"))
    # The version of the source's text this quote was verified against; a
    # later recapture adds a version and leaves this pointer where it was.
    snapshot = models.ForeignKey(
        SourceSnapshot,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("verified against"),
    )
    appeared_on = models.DateField(_("date"), null=True, blank=True)
    speaker = models.ForeignKey(
        Claimant,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker"),
        help_text=_("Only when someone other than the claimant said it here."),
    )
    published_at = models.DateTimeField(_("published"), null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Set while the appearance sits on a canonical claim because its own claim
    # was merged there; un-merging moves exactly these back.
    merged_from = models.ForeignKey(
        Claim,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("moved here from"),
    )

    objects = PublicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")
        ordering = ["appeared_on", "pk"]
        indexes = [models.Index(fields=["claim", "appeared_on"])]

    def __str__(self):
        return f"{self.source} ({self.appeared_on or _('undated')})"

    def clean(self):
        if self.source_id and self.quote:
            lead = _("This quote does not occur in the source's stored text.")
            if problem := source_mismatch(self, self.quote, str(lead)):
                raise ValidationError({"quote": problem})


def plain_decimal(value: Decimal) -> Decimal:
    """A figure as a person writes it: the column keeps four decimal places,
    but 200.0000 is 200 and 30.5000 is 30.5."""
    normalized = value.normalize()
    # normalize() writes 200 as 2E+2; quantize back to a whole number then.
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral() else normalized


class EvidenceStance(models.TextChoices):
    SUPPORTS = "supports", _("Supports the claim")
    REFUTES = "refutes", _("Refutes the claim")
    CONTEXT = "context", _("Adds context")


class FigureQualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    AT_LEAST = "at_least", _("at least")
    UP_TO = "up_to", _("up to")
    MORE_THAN = "more_than", _("more than")


class Evidence(models.Model):
    claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="evidence", verbose_name=_("claim")
    )
    source = models.ForeignKey(
        Source, models.PROTECT, related_name="evidence", verbose_name=_("source")
    )
    excerpt = models.TextField(_("excerpt"))
    # The version of the source's text this excerpt was verified against; a
    # later recapture adds a version and leaves this pointer where it was.
    snapshot = models.ForeignKey(
        SourceSnapshot,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("verified against"),
    )
    stance = models.CharField(_("stance"), max_length=16, choices=EvidenceStance.choices)
    note = models.TextField(_("note"), blank=True)

    # An optional figure the source reports, so conflicting numbers for the
    # same quantity can be set side by side.
    figure_quantity = models.CharField(
        _("quantity measured"),
        max_length=200,
        blank=True,
        help_text=_(
            "What the figure counts, worded the same way for every source that "
            "reports it, e.g. 'Police officers deployed to the border'."
        ),
    )
    figure_qualifier = models.CharField(
        _("qualifier"),
        max_length=16,
        choices=FigureQualifier.choices,
        default=FigureQualifier.EXACT,
        blank=True,
    )
    figure_value = models.DecimalField(
        _("value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    figure_unit = models.CharField(_("unit"), max_length=50, blank=True)
    figure_as_of = models.DateField(_("as of"), null=True, blank=True)

    published_at = models.DateTimeField(_("published"), null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = PublicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["stance", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(figure_value__isnull=True) | ~Q(figure_quantity=""),
                name="evidence_figure_names_quantity",
                violation_error_message=_("A figure needs the quantity it measures."),
            ),
        ]
        indexes = [models.Index(fields=["claim", "stance"])]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.source}"

    def clean(self):
        errors = {}
        if self.source_id and self.excerpt:
            lead = _(
                "This excerpt does not occur in the source's stored text (spacing, "
                "quotation marks, dashes and the case of the first letter are "
                "ignored; the wording must match)."
            )
            if problem := source_mismatch(self, self.excerpt, str(lead)):
                errors["excerpt"] = problem
        if self.figure_value is not None and not self.figure_quantity.strip():
            errors["figure_quantity"] = _("Say what the figure measures.")
        if self.figure_value is None and (self.figure_quantity or self.figure_as_of):
            errors["figure_value"] = _("Enter the figure's value, or clear the figure fields.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_figure(self) -> bool:
        return self.figure_value is not None


class VerdictQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def pending(self):
        return self.filter(published_at__isnull=True)


class Verdict(models.Model):
    """One version of the newsroom's verdict on a claim.

    A published version is never edited: a change is a new version, published
    together with a public Correction, so the full history stays queryable.
    """

    claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="verdicts", verbose_name=_("claim")
    )
    number = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    rating = models.ForeignKey(
        Rating, models.PROTECT, related_name="verdicts", verbose_name=_("rating")
    )
    conclusion = models.CharField(
        _("conclusion"), max_length=300, help_text=_("One line a reader can quote.")
    )
    explanation = models.TextField(
        _("explanation"), help_text=_("Markdown; links and emphasis are kept, scripts are not.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="authored_verdicts",
        editable=False,
        verbose_name=_("author"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="reviewed_verdicts",
        editable=False,
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, editable=False)
    version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)

    objects = VerdictQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        ordering = ["claim", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="verdict_number_unique"),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(published_at__isnull=True),
                name="verdict_one_pending_per_claim",
                violation_error_message=_("A claim can have only one unpublished verdict."),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(reviewer__isnull=False),
                name="verdict_published_has_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=F("author")),
                name="verdict_two_person_rule",
                violation_error_message=_("The author of a verdict cannot approve it."),
            ),
        ]

    def __str__(self):
        return _("Verdict v%(number)s on “%(claim)s”") % {
            "number": self.number,
            "claim": self.claim,
        }

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    UPDATE = "update", _("Update")
    CLARIFICATION = "clarification", _("Clarification")


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def pending(self):
        """Proposed and waiting for a second editor (at most one per claim)."""
        return self.filter(published_at__isnull=True)

    def public(self):
        return self.published().filter(public_claim_q("claim__"))


class Correction(models.Model):
    """A public note that a published fact-check changed after publication.

    Proposed by one editor and published by another, together with the new
    verdict version it introduces (if the verdict changed) and any evidence or
    appearances added since the last publication.
    """

    claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="corrections", verbose_name=_("claim")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CorrectionKind.choices)
    note = models.TextField(_("public note"))
    verdict = models.OneToOneField(
        Verdict,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("new verdict version"),
    )
    # The claim's own fields a correction may change, locked otherwise after
    # publication. Each applies only when named in `changed_fields`, so an
    # empty context or no claimant can be what the correction sets.
    text = models.CharField(_("new wording"), max_length=500, blank=True)
    context = models.TextField(_("new context"), blank=True)
    claimant = models.ForeignKey(
        Claimant,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new claimant"),
    )
    # What the correction changes ("text", "claimant", "context", "rating",
    # "conclusion", "explanation"), fixed when it is proposed: only one
    # correction is pending at a time and those fields are locked meanwhile,
    # so it still describes the change when it is published.
    changed_fields = models.JSONField(_("changed"), default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", editable=False
    )
    published_at = models.DateTimeField(_("published"), null=True, editable=False)

    objects = CorrectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(published_at__isnull=True),
                name="correction_one_pending_per_claim",
                violation_error_message=_("This claim already has a pending correction."),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(published_by__isnull=False),
                name="correction_published_has_publisher",
            ),
        ]
        indexes = [models.Index(fields=["-published_at"], name="correction_published")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.claim}"

    def change_summary(self) -> str:
        """What readers are told changed, e.g. "The claim's wording and the
        rating were changed." (empty for a note that changed nothing else)."""
        changed = set(self.changed_fields)
        parts = [label for name, label in CORRECTABLE_PARTS.items() if name in changed]
        if not parts:
            return ""
        if len(parts) == 1:
            listed = str(parts[0])
        else:
            listed = _("%(first)s and %(last)s") % {
                "first": ", ".join(str(part) for part in parts[:-1]),
                "last": parts[-1],
            }
        message = ngettext("%(parts)s was changed.", "%(parts)s were changed.", len(parts)) % {
            "parts": listed
        }
        return message[:1].upper() + message[1:]


# Reader-facing names of what a correction can change, in the order a
# correction note lists them.
CORRECTABLE_PARTS = {
    "text": _("the claim's wording"),
    "claimant": _("the claimant"),
    "context": _("the context of the claim"),
    "rating": _("the rating"),
    "conclusion": _("the conclusion"),
    "explanation": _("the explanation"),
}
