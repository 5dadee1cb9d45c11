"""The claim, and the one definition of what readers may see of claims."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.models.reference import Claimant, Topic
from config.reverse import reverse_slug
from sources.models import Language


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

    # Workflow state: written only by claims.services.
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
            (
                "change_published_record",
                _("Can change claimants, topics and sources shown on published fact-checks"),
            ),
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
        return reverse_slug("claims:detail", self.slug)

    # In-memory mirrors of public_claim_q() and with_public_page(), for an
    # object already loaded.
    @property
    def is_public(self) -> bool:
        return self.status == ClaimStatus.PUBLISHED and self.merged_into_id is None

    @property
    def has_public_page(self) -> bool:
        return self.status in PUBLIC_PAGE_STATUSES and self.merged_into_id is None
