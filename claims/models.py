"""The fact-checking domain: who claimed what, where, the evidence, and the verdict.

State changes (status, publication, corrections, retraction) are made only by
`claims.workflow`; content edits only by `claims.services`. Models hold data,
constraints and the definition of what is public.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sources.fields import NormalizedURLField
from sources.models import Language, Source

country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", _("Use a two-letter ISO 3166-1 country code in capitals, e.g. PE.")
)
hex_colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Use a six-digit hex colour such as #1a7f37.")
)


def _localized(english: str, spanish: str) -> str:
    """Pick the Spanish text for a Spanish UI when one is stored."""
    if spanish and (get_language() or "").startswith("es"):
        return spanish
    return english


class ClaimantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")


class Claimant(models.Model):
    kind = models.CharField(
        _("kind"), max_length=16, choices=ClaimantKind.choices, default=ClaimantKind.PERSON
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    role = models.CharField(
        _("role"), max_length=300, blank=True, help_text=_("e.g. President of Peru")
    )
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[country_code_validator]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claimant")
        verbose_name_plural = _("claimants")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("claims:claimant", kwargs={"slug": self.slug})


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_es = models.CharField(_("name in Spanish"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("claims:topic", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return _localized(self.name, self.name_es)


class RatingScale(models.Model):
    """A newsroom's rating scale; its levels are `Rating` rows.

    The bounds are explicit (not the min and max of the levels) because
    ClaimReview publishes them as bestRating and worstRating.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    best_value = models.SmallIntegerField(_("best value"))
    worst_value = models.SmallIntegerField(_("worst value"))
    is_default = models.BooleanField(
        _("default scale"), default=False, help_text=_("New verdicts use the default scale.")
    )

    class Meta:
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")
        constraints = [
            models.CheckConstraint(
                condition=Q(best_value__gt=F("worst_value")),
                name="ratingscale_best_above_worst",
                violation_error_message=_("The best value must be greater than the worst."),
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="ratingscale_single_default",
                violation_error_message=_("Only one rating scale can be the default."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.pk is None or self.best_value is None or self.worst_value is None:
            return
        outside = self.ratings.filter(value__isnull=False).exclude(
            value__gte=self.worst_value, value__lte=self.best_value
        )
        if outside.exists():
            raise ValidationError(
                _("These bounds would leave ratings outside the scale: %(labels)s")
                % {"labels": ", ".join(r.label for r in outside)}
            )


class Rating(models.Model):
    """One level of a rating scale, or an outcome that is not a rating.

    "Not checkable (opinion)" is stored here so a verdict can record it, but it
    has no value and is never published as a ClaimReview rating.
    """

    scale = models.ForeignKey(
        RatingScale, models.PROTECT, related_name="ratings", verbose_name=_("scale")
    )
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    label = models.CharField(_("label"), max_length=60)
    label_es = models.CharField(_("label in Spanish"), max_length=60)
    definition = models.TextField(_("definition"))
    definition_es = models.TextField(_("definition in Spanish"))
    value = models.SmallIntegerField(
        _("numeric value"),
        null=True,
        blank=True,
        help_text=_("Empty for an outcome that is not a rating, such as an opinion."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    colour = models.CharField(_("colour"), max_length=7, validators=[hex_colour_validator])

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["scale", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "value"],
                condition=Q(value__isnull=False),
                name="rating_value_unique_in_scale",
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        # A check constraint cannot look across tables, so the bounds of the
        # scale are enforced here and by RatingScale.clean().
        if self.value is None or self.scale_id is None:
            return
        scale = self.scale
        if not scale.worst_value <= self.value <= scale.best_value:
            raise ValidationError(
                {
                    "value": _("The value must lie between %(worst)s and %(best)s.")
                    % {"worst": scale.worst_value, "best": scale.best_value}
                }
            )

    @property
    def is_rating(self) -> bool:
        return self.value is not None

    @property
    def display_label(self) -> str:
        return _localized(self.label, self.label_es)

    @property
    def display_definition(self) -> str:
        return _localized(self.definition, self.definition_es)


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETRACTED = "retracted", _("Retracted")


# Statuses whose claims answer at their public URL: published ones, and
# retracted ones, which keep their URL to show the retraction notice.
PUBLIC_PAGE_STATUSES = (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED)


def public_claim_q(prefix: str = "") -> Q:
    """The one definition of a public claim, as a condition (`prefix` reaches
    the claim from a related model, e.g. "claim__"). Published, and not merged
    into another claim; a retracted claim is no longer published."""
    return Q(**{f"{prefix}status": ClaimStatus.PUBLISHED, f"{prefix}merged_into__isnull": True})


class ClaimQuerySet(models.QuerySet):
    def public(self):
        """What readers and API clients may see. Every public surface (pages,
        feeds, sitemap, search, API, exports) starts here."""
        return self.filter(public_claim_q())

    def with_public_page(self):
        """Claims that answer at their public URL: public ones, plus retracted ones."""
        return self.filter(status__in=PUBLIC_PAGE_STATUSES, merged_into__isnull=True)

    def visible_to(self, user):
        """Public claims for readers; everything for newsroom staff."""
        return self.all() if sees_unpublished_work(user) else self.public()


def sees_unpublished_work(user) -> bool:
    """Newsroom staff who may see work in progress: active staff with the view
    permission. Everyone else sees only what `ClaimQuerySet.public()` allows."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("claims.view_claim")
    )


class Claim(models.Model):
    text = models.CharField(
        _("claim"),
        max_length=500,
        help_text=_("The claim as worded by the newsroom: one short, checkable sentence."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    claimant = models.ForeignKey(
        Claimant,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("claimant"),
        help_text=_("Leave empty for an unattributed claim."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    first_made_on = models.DateField(_("first made on"), null=True, blank=True)
    context = models.TextField(_("context"), blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="claims", verbose_name=_("topics")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
        verbose_name=_("assigned researcher"),
    )
    true_as_of = models.DateField(
        _("true as of"),
        null=True,
        blank=True,
        help_text=_("The date the verdict refers to, when the claim's truth depends on time."),
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_claims",
        verbose_name=_("parent claim"),
        help_text=_("Set when this is a precise sub-claim of a vaguer claim."),
    )

    # Workflow state: written only by claims.workflow.
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ClaimStatus.choices,
        default=ClaimStatus.DRAFT,
        editable=False,
    )
    published_verdict = models.ForeignKey(
        "Verdict",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("published verdict"),
    )
    published_at = models.DateTimeField(_("first published"), null=True, editable=False)
    public_updated_at = models.DateTimeField(_("last updated"), null=True, editable=False)
    retracted_at = models.DateTimeField(_("retracted"), null=True, editable=False)
    retraction_reason = models.TextField(_("retraction notice"), blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        editable=False,
        verbose_name=_("merged into"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # Derived by the database (claims.search): on PostgreSQL, triggers keep it
    # current and a GIN index serves it; on SQLite it stays empty.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[topics], excluded_fields=["updated_at", "search_vector"]
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-published_at", "-created_at"]
        permissions = [
            ("submit_claim", _("Can submit a claim for review")),
            ("review_claim", _("Can review a claim and request changes")),
            ("publish_claim", _("Can publish a fact-check")),
            ("retract_claim", _("Can retract a published fact-check")),
            ("correct_claim", _("Can propose a correction to a published fact-check")),
            ("merge_claim", _("Can merge a duplicate claim into another and undo it")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["published", "retracted"])
                | Q(published_at__isnull=False, published_verdict__isnull=False),
                name="claim_published_has_date_and_verdict",
                violation_error_message=_("A published claim needs a publication date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="retracted")
                | (Q(retracted_at__isnull=False) & ~Q(retraction_reason="")),
                name="claim_retracted_has_reason",
                violation_error_message=_("A retraction needs a date and a public reason."),
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="claim_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="claim_status_published"),
            models.Index(fields=["status", "-updated_at"], name="claim_status_updated"),
            models.Index(fields=["status", "-public_updated_at"], name="claim_status_modified"),
            models.Index(fields=["claimant", "status"], name="claim_claimant_status"),
            models.Index(fields=["language", "status"], name="claim_language_status"),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("claims:detail", kwargs={"slug": self.slug})

    # In-memory mirrors of public_claim_q() and with_public_page(), for an
    # object already loaded.
    @property
    def is_public(self) -> bool:
        return self.status == ClaimStatus.PUBLISHED and self.merged_into_id is None

    @property
    def has_public_page(self) -> bool:
        return self.status in PUBLIC_PAGE_STATUSES and self.merged_into_id is None


class PublicationQuerySet(models.QuerySet):
    """Appearances and evidence become public with the claim's publication, or
    with the correction that added them, never on their own."""

    def published(self):
        return self.filter(published_at__isnull=False)

    def public(self):
        return self.published().filter(public_claim_q("claim__"))


class Appearance(models.Model):
    claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="appearances", verbose_name=_("claim")
    )
    source = models.ForeignKey(
        Source, models.PROTECT, related_name="appearances", verbose_name=_("source")
    )
    quote = models.TextField(_("exact quote"))
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
        if self.source_id and self.quote and not self.source.contains_excerpt(self.quote):
            raise ValidationError(
                {"quote": _("This quote does not occur in the source's stored text.")}
            )


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
        if self.source_id and self.excerpt and not self.source.contains_excerpt(self.excerpt):
            errors["excerpt"] = _(
                "This excerpt does not occur in the source's stored text "
                "(whitespace is ignored; the wording must match)."
            )
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
    # Everyone who wrote or edited this version: none of them may approve it.
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        editable=False,
        verbose_name=_("written or edited by"),
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
        return f"{self.claim_id}: {self.from_status or '∅'} → {self.to_status} ({self.action})"


class ExternalReviewQuerySet(models.QuerySet):
    def unlinked(self):
        return self.filter(claim__isnull=True)


class ExternalReview(models.Model):
    """Another outlet's published ClaimReview, imported so the newsroom can see
    what others concluded (claims.claimreview_import).

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
