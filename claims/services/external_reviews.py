"""Other fact-checkers' reviews: importing them (as ClaimReview) and linking
each to the local claim it concerns. The parsing is `claims.claimreview.parse`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.claimreview.parse import (
    ImportedItem,
    ImportProblem,
    ImportRejected,
    ImportReport,
    ItemProblem,
    claimreview_items,
    parse_document,
    review_fields,
)
from claims.models import Claim, ExternalReview
from claims.policy import User
from claims.services.base import check_version, require_perm, service


def _save(url: str, fields: dict[str, Any], by: User) -> tuple[str, ExternalReview]:
    with transaction.atomic():
        review = ExternalReview.objects.select_for_update().filter(url=url).first()
        if review is None:
            review = ExternalReview(url=url, imported_by=by, **fields)
            review.full_clean()
            review.save()
            return "created", review
        changed = [name for name, value in fields.items() if getattr(review, name) != value]
        if not changed:
            return "unchanged", review
        for name in changed:
            setattr(review, name, fields[name])
        review.imported_by = by
        review.last_imported_at = timezone.now()
        review.version += 1
        review.full_clean()
        review.save(update_fields=[*changed, "imported_by", "last_imported_at", "version"])
        return "updated", review


def _validation_reason(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


@service(atomic=False)
def import_claimreviews(raw: bytes | str, *, by: User | None = None) -> ImportReport:
    """Import every valid ClaimReview in `raw` (a JSON document).

    `by` is the user importing (None for a management command run by the
    system); when given, they need the `claims.import_externalreview`
    permission. Raises ImportRejected (nothing written) for a document that
    cannot be read as a whole.
    """
    if by is not None:
        require_perm(
            by,
            "claims.import_externalreview",
            _("You do not have permission to import other fact-checkers' reviews."),
        )
    items = claimreview_items(parse_document(raw))
    if not items:
        raise ImportRejected(_("The document contains no ClaimReview items."), code="empty")
    max_items = settings.CLAIMREVIEW_IMPORT_MAX_ITEMS
    if len(items) > max_items:
        raise ImportRejected(
            _(
                "The document has %(count)s items; the limit is %(max)s. "
                "Split it and import the parts."
            )
            % {"count": len(items), "max": max_items},
            code="too_many_items",
        )
    report = ImportReport()
    for position, item in items:
        try:
            url, fields, warnings = review_fields(item)
            try:
                outcome, review = _save(url, fields, by)
            except IntegrityError:
                # Another import created the same URL meanwhile: this one updates it.
                outcome, review = _save(url, fields, by)
        except ItemProblem as problem:
            report.problems.append(ImportProblem(position, str(problem)))
            continue
        except ValidationError as error:
            report.problems.append(ImportProblem(position, _validation_reason(error)))
            continue
        report.imported.append(ImportedItem(position, outcome, review))
        report.warnings.extend(ImportProblem(position, warning) for warning in warnings)
    return report


@service
def external_review_link(
    *,
    review: ExternalReview,
    claim: Claim | None,
    by: AbstractBaseUser,
    expected_version: int | None = None,
) -> ExternalReview:
    """Link an external review to the local claim it concerns (None unlinks it)."""
    require_perm(
        by,
        "claims.change_externalreview",
        _("You do not have permission to link external reviews to claims."),
    )
    review = ExternalReview.objects.select_for_update().get(pk=review.pk)
    check_version(review, expected_version)
    if (claim.pk if claim else None) == review.claim_id:
        return review
    review.claim = claim
    review.linked_by = by if claim else None
    review.linked_at = timezone.now() if claim else None
    review.version += 1
    review.save(update_fields=["claim", "linked_by", "linked_at", "version"])
    return review
