"""Reference data the public record names: claimants, topics and the rating scale."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.reverse import reverse_slug

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

    version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claimant")
        verbose_name_plural = _("claimants")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_slug("claims:claimant", self.slug)


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_es = models.CharField(_("name in Spanish"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        # Pickers, filters and lists in the Spanish admin show the Spanish name.
        return self.display_name

    def get_absolute_url(self):
        return reverse_slug("claims:topic", self.slug)

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
    version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)

    history = HistoricalRecords()

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
    version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)

    history = HistoricalRecords()

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
        return self.display_label

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
