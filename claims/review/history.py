"""Field-level differences between consecutive versions of a record, for the
admin's History pages: each row says what changed, old → new, in the words an
editor reads (labels, names, dates), not only "Changed".

django-simple-history's own `diff_against()` compares editable fields only, so
it misses exactly what the workflow changes (status, published verdict, dates);
this compares every tracked field but the bookkeeping ones, and resolves
related records in one query per related model, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from claims.review.words import Segment, WordDiff, shortened, word_diff

# Bookkeeping every save changes; showing them would hide the real change.
_NOT_SHOWN = {"id", "version", "updated_at", "search_vector"}
_WORDY = (models.CharField, models.TextField)


@dataclass(frozen=True)
class HistoryChange:
    field: str
    old: SafeString
    new: SafeString


def _shown_fields(record) -> list[models.Field]:
    model = record.instance_type
    fields = []
    for field in record.tracked_fields:
        if field.name in _NOT_SHOWN or field.name.startswith("history_"):
            continue
        fields.append(model._meta.get_field(field.name))
    return fields


def _m2m_fields(record) -> list[models.ManyToManyField]:
    model = record.instance_type
    return [model._meta.get_field(field.name) for field in record._history_m2m_fields]


class _Display:
    """Turns stored values into what an editor reads."""

    def __init__(self, records: Sequence, fields: list[models.Field], m2m: list):
        ids: dict[type[models.Model], set] = defaultdict(set)
        for record in records:
            for field in fields:
                if field.is_relation and field.many_to_one:
                    value = getattr(record, field.attname)
                    if value is not None:
                        ids[field.related_model].add(value)
        self.related = {related: related._base_manager.in_bulk(pks) for related, pks in ids.items()}
        self.m2m_values: dict[tuple[str, int], list[str]] = {}
        for field in m2m:
            self._load_m2m(records, field)

    def _load_m2m(self, records: Sequence, field: models.ManyToManyField) -> None:
        if not records:
            return
        through = getattr(records[0], field.name).model
        target = next(
            f
            for f in through._meta.fields
            if f.is_relation and f.related_model is field.related_model
        )
        rows = through.objects.filter(history__in=[r.history_id for r in records]).values_list(
            "history_id", target.attname
        )
        names = field.related_model._base_manager.in_bulk({pk for _h, pk in rows})
        for record in records:
            self.m2m_values[(field.name, record.history_id)] = []
        for history_id, pk in rows:
            name = str(names[pk]) if pk in names else _("#%(id)s (deleted)") % {"id": pk}
            self.m2m_values[(field.name, history_id)].append(name)
        for values in self.m2m_values.values():
            values.sort(key=str.casefold)

    def value(self, record, field: models.Field) -> str:
        if field.many_to_many:
            return ", ".join(self.m2m_values.get((field.name, record.history_id), []))
        value = getattr(record, field.attname)
        if value is None or value == "":
            return ""
        if field.is_relation:
            found = self.related.get(field.related_model, {}).get(value)
            return str(found) if found is not None else _("#%(id)s (deleted)") % {"id": value}
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, date):
            return formats.date_format(value, "DATE_FORMAT")
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return str(value)


def _side(diff: WordDiff, *, old: bool) -> SafeString:
    marked = "delete" if old else "insert"
    tag = "del" if old else "ins"
    segments = diff.old if old else diff.new
    if not segments:
        return format_html('<span class="history-diff empty">{}</span>', _("(empty)"))
    parts = [
        format_html("<{0}>{1}</{0}>", mark_safe(tag), segment.text)  # noqa: S308 (fixed tag)
        if segment.kind == marked
        else escape(segment.text)
        for segment in segments
    ]
    return format_html('<span class="history-diff">{}</span>', mark_safe("".join(parts)))  # noqa: S308


def history_changes(records: Sequence, previous=None) -> dict[int, list[HistoryChange]]:
    """For each historical row (newest first, as the History page lists them),
    its changes against the row before it; `previous` is the row before the
    oldest one given (from an earlier page), if any. Keyed by history_id."""
    records = list(records)
    if not records:
        return {}
    fields = _shown_fields(records[0])
    m2m = _m2m_fields(records[0])
    everything = [*records, previous] if previous is not None else records
    display = _Display(everything, fields, m2m)
    changes: dict[int, list[HistoryChange]] = {}
    for newer, older in zip(everything, everything[1:], strict=False):
        found = []
        for field in [*fields, *m2m]:
            before, after = display.value(older, field), display.value(newer, field)
            if before == after:
                continue
            if isinstance(field, _WORDY) and not field.choices:
                diff = shortened(word_diff(before, after))
            else:
                diff = _whole(before, after)
            found.append(
                HistoryChange(
                    str(capfirst(field.verbose_name)),
                    _side(diff, old=True),
                    _side(diff, old=False),
                )
            )
        changes[newer.history_id] = found
    return changes


def _whole(before: str, after: str) -> WordDiff:
    """A value replaced as a whole (a status, a name, a date)."""
    return WordDiff(
        (Segment("delete", before),) if before else (),
        (Segment("insert", after),) if after else (),
    )
