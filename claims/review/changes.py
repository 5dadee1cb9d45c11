"""What a publication, a correction or a retraction changes on the public page.

Read-only selectors for the confirmation pages: the second editor sees, side
by side, the page readers have now (or had when the claim was last sent back)
and the page they will have after the step, before approving it. The claim's
history (django-simple-history) gives the earlier states; every function here
runs a fixed number of queries, however many items the claim has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from claims.markup import render_markdown
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    Evidence,
    Rating,
    TransitionAction,
    Verdict,
)
from claims.review.words import WordDiff, rendered_text, word_diff
from sources.models import Source

# The parts of the public page a step can change, in page order.
PAGE_FIELDS = {
    "text": _("Wording"),
    "claimant": _("Claimant"),
    "context": _("Context"),
    "rating": _("Rating"),
    "conclusion": _("Conclusion"),
    "explanation": _("Explanation (as readers read it)"),
}

# The fields of an appearance or evidence item readers see.
ITEM_FIELDS = {
    Appearance: ("quote", "source", "appeared_on", "speaker"),
    Evidence: (
        "excerpt",
        "stance",
        "source",
        "note",
        "figure_quantity",
        "figure_qualifier",
        "figure_value",
        "figure_unit",
        "figure_as_of",
    ),
}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    diff: WordDiff

    @property
    def changed(self) -> bool:
        return self.diff.changed


@dataclass(frozen=True)
class ItemChange:
    change: str  # "added", "changed" or "removed"
    kind: str  # the model's verbose name
    summary: str
    fields: tuple[FieldChange, ...] = ()


@dataclass
class PageChanges:
    """Old page | new page, field by field, and the items that come and go."""

    fields: list[FieldChange]
    items: list[ItemChange]
    baseline: str  # what the old side is, in words
    explanation_html: SafeString | str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def changed_fields(self) -> list[FieldChange]:
        return [f for f in self.fields if f.changed]


# --- States of the page ------------------------------------------------------------


class _Names:
    """Claimants, ratings and sources named by ids, each kind in one query."""

    def __init__(self, claimants=(), ratings=(), sources=()):
        self.claimants = Claimant.objects.in_bulk({i for i in claimants if i})
        self.ratings = Rating.objects.in_bulk({i for i in ratings if i})
        self.sources = Source.objects.in_bulk({i for i in sources if i})

    def claimant(self, pk) -> str:
        return self.claimants[pk].name if pk in self.claimants else ""

    def rating(self, pk) -> str:
        return self.ratings[pk].display_label if pk in self.ratings else ""

    def source(self, pk) -> str:
        return self.sources[pk].title if pk in self.sources else ""


def _state(claim, verdict, names: _Names) -> dict[str, str]:
    """A page's visible text; `claim` and `verdict` are rows, historical rows or
    None (no page)."""
    return {
        "text": claim.text if claim else "",
        "claimant": names.claimant(claim.claimant_id) if claim else "",
        "context": claim.context if claim else "",
        "rating": names.rating(verdict.rating_id) if verdict else "",
        "conclusion": verdict.conclusion if verdict else "",
        "explanation": rendered_text(verdict.explanation) if verdict else "",
    }


def _compare(old: dict[str, str], new: dict[str, str]) -> list[FieldChange]:
    return [
        FieldChange(name, str(label), word_diff(old[name], new[name]))
        for name, label in PAGE_FIELDS.items()
    ]


def _as_of(history: models.QuerySet, when: datetime):
    """The last historical row at `when`, or None if the row did not exist then."""
    row = history.filter(history_date__lte=when).order_by("-history_date", "-history_id").first()
    return None if row is None or row.history_type == "-" else row


def last_review_round(claim: Claim) -> datetime | None:
    """When an editor last sent the claim back, or None if none ever did."""
    return (
        claim.transitions.filter(action=TransitionAction.REQUEST_CHANGES)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


# --- Appearances and evidence ---------------------------------------------------------


def _value(name: str, value, names: _Names) -> str:
    if value is None:
        return ""
    if name == "source":
        return names.source(value)
    if name == "speaker":
        return names.claimant(value)
    return str(value)


def _summary(model, row, names: _Names) -> str:
    source = names.source(row.source_id)
    if model is Evidence:
        return f"{row.get_stance_display()} — {source}: “{row.excerpt}”"
    return f"{source}: “{row.quote}”"


def _row_values(model, row) -> dict[str, object]:
    return {
        name: getattr(row, f"{name}_id" if name in {"source", "speaker"} else name)
        for name in ITEM_FIELDS[model]
    }


def _item_changes(claim: Claim, since: datetime | None, *, pending: bool) -> list[ItemChange]:
    """Items added, changed or removed since `since` (everything, if None);
    with `pending`, every item not yet public counts as added too."""
    found: list[tuple[type[models.Model], str, object, object]] = []
    for model in (Appearance, Evidence):
        current = list(model.objects.filter(claim=claim).order_by("pk"))
        if since is None:
            found += [(model, "added", None, item) for item in current]
            continue
        added = {
            item.pk
            for item in current
            if item.created_at > since or (pending and item.published_at is None)
        }
        later = list(
            model.history.filter(claim_id=claim.pk, history_date__gt=since).order_by(
                "history_date", "history_id"
            )
        )
        earlier: dict[int, object] = {}
        for row in model.history.filter(
            id__in={row.id for row in later}, history_date__lte=since
        ).order_by("history_date", "history_id"):
            earlier[row.id] = row  # the last one wins
        current_ids = {item.pk for item in current}
        for item in current:
            if item.pk in added:
                found.append((model, "added", None, item))
            elif item.pk in earlier and any(row.id == item.pk for row in later):
                found.append((model, "changed", earlier[item.pk], item))
        for row in later:
            if row.history_type == "-" and row.id not in current_ids and row.id in earlier:
                found.append((model, "removed", earlier[row.id], None))
    names = _Names(
        claimants=[
            row.speaker_id
            for _m, _c, *rows in found
            for row in rows
            if row is not None and hasattr(row, "speaker_id")
        ],
        sources=[row.source_id for _m, _c, *rows in found for row in rows if row is not None],
    )
    changes = []
    for model, change, before, after in found:
        shown = after if after is not None else before
        fields: tuple[FieldChange, ...] = ()
        if change == "changed":
            old, new = _row_values(model, before), _row_values(model, after)
            fields = tuple(
                FieldChange(
                    name,
                    str(model._meta.get_field(name).verbose_name).capitalize(),
                    word_diff(_value(name, old[name], names), _value(name, new[name], names)),
                )
                for name in ITEM_FIELDS[model]
                if old[name] != new[name]
            )
            if not fields:
                continue
        changes.append(
            ItemChange(
                change,
                str(model._meta.verbose_name).capitalize(),
                _summary(model, shown, names),
                fields,
            )
        )
    return changes


# --- The three steps -------------------------------------------------------------------


def publication_changes(claim: Claim) -> PageChanges:
    """A first publication: the page as it will be, against the claim as it was
    when an editor last sent it back (or against nothing, on a first review)."""
    verdict = claim.verdicts.pending().select_related("rating").first()
    since = last_review_round(claim)
    old_claim = old_verdict = None
    if since is not None:
        old_claim = _as_of(claim.history.all(), since)
        old_verdict = _as_of(Verdict.history.filter(claim_id=claim.pk), since)
    names = _Names(
        claimants=[claim.claimant_id, old_claim and old_claim.claimant_id],
        ratings=[verdict and verdict.rating_id, old_verdict and old_verdict.rating_id],
    )
    baseline = (
        _("Compared with the claim when changes were last requested (%(date)s).")
        % {"date": date_format(localtime(since), "SHORT_DATETIME_FORMAT")}
        if since
        else _("First review: everything below is new.")
    )
    return PageChanges(
        fields=_compare(_state(old_claim, old_verdict, names), _state(claim, verdict, names)),
        items=_item_changes(claim, since, pending=False),
        baseline=str(baseline),
        explanation_html=render_markdown(verdict.explanation) if verdict else "",
    )


def correction_changes(correction: Correction) -> PageChanges:
    """A correction: the public page now, against the page once it is published."""
    claim = correction.claim
    current = claim.published_verdict
    proposed = correction.verdict or current
    after = Claim(
        text=correction.text if "text" in correction.changed_fields else claim.text,
        context=correction.context if "context" in correction.changed_fields else claim.context,
        claimant_id=(
            correction.claimant_id if "claimant" in correction.changed_fields else claim.claimant_id
        ),
    )
    names = _Names(
        claimants=[claim.claimant_id, after.claimant_id],
        ratings=[current and current.rating_id, proposed and proposed.rating_id],
    )
    since = claim.public_updated_at or claim.published_at
    return PageChanges(
        fields=_compare(_state(claim, current, names), _state(after, proposed, names)),
        items=_item_changes(claim, since, pending=True),
        baseline=str(_("Compared with the public page as readers see it now.")),
        explanation_html=render_markdown(proposed.explanation) if proposed else "",
    )


def retraction_changes(claim: Claim) -> PageChanges:
    """A retraction: the verdict, evidence and appearances leave the page; the
    wording stays, above the retraction notice."""
    verdict = claim.published_verdict
    names = _Names(claimants=[claim.claimant_id], ratings=[verdict and verdict.rating_id])
    old = _state(claim, verdict, names)
    new = {**old, "rating": "", "conclusion": "", "explanation": ""}
    public = [
        (model, item)
        for model in (Appearance, Evidence)
        for item in model.objects.published().filter(claim=claim).order_by("pk")
    ]
    sources = _Names(sources=[item.source_id for _model, item in public])
    items = [
        ItemChange(
            "removed",
            str(model._meta.verbose_name).capitalize(),
            _summary(model, item, sources),
        )
        for model, item in public
    ]
    return PageChanges(
        fields=_compare(old, new),
        items=items,
        baseline=str(_("Compared with the public page as readers see it now.")),
        notes=[
            str(
                _(
                    "After the retraction the page keeps the claim's wording and dates and "
                    "shows your retraction notice; the verdict, evidence and appearances "
                    "are no longer shown, and the fact-check leaves lists, feeds and the API."
                )
            )
        ],
    )
