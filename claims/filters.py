"""The one FilterSet for claims, shared by the public list page and the API."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import ClaimStatus, Rating
from claims.search import search_claims
from claims.selectors import claimants_visible_to, topics_visible_to
from sources.models import Language


def _start_of(day: datetime.date) -> datetime.datetime | None:
    """Midnight of `day` in the site's time zone, or None when that moment (or
    the UTC value the database stores) falls outside the calendar."""
    try:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        return None
    return moment


def _day_after(day: datetime.date) -> datetime.date | None:
    try:
        return day + datetime.timedelta(days=1)
    except OverflowError:
        return None


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Words"),
        method="filter_words",
        max_length=200,
        help_text=_("Words in the claim, the verdict, quotes or the claimant's name."),
    )
    rating = django_filters.ModelChoiceFilter(
        label=_("Rating"),
        field_name="published_verdict__rating",
        to_field_name="slug",
        queryset=Rating.objects.order_by("scale", "order"),
        help_text=_("Rating slug, e.g. false or half-true."),
    )
    # Claimant and topic choices depend on who asks: readers may only name what
    # the public record names, so a slug known only from a draft is "not a
    # valid choice", exactly like one that does not exist.
    claimant = django_filters.ModelChoiceFilter(
        label=_("Claimant"),
        to_field_name="slug",
        queryset=lambda request: claimants_visible_to(getattr(request, "user", None)),
        help_text=_("Claimant slug."),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        to_field_name="slug",
        queryset=lambda request: topics_visible_to(getattr(request, "user", None)),
        help_text=_("Topic slug."),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language of the claim"), choices=Language.choices
    )
    published_after = django_filters.DateFilter(
        label=_("Published on or after"),
        method="filter_published_after",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("ISO 8601 date, e.g. 2023-05-01."),
    )
    published_before = django_filters.DateFilter(
        label=_("Published on or before"),
        method="filter_published_before",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("ISO 8601 date, inclusive."),
    )
    modified_since = django_filters.IsoDateTimeFilter(
        label=_("Changed since"),
        method="filter_modified_since",
        help_text=_(
            "ISO 8601 date-time; returns fact-checks published, corrected or "
            "retracted since then (for clients that sync)."
        ),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=ClaimStatus.choices,
        help_text=_("Newsroom staff only; readers always see published fact-checks."),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("published_at", "published"), ("public_updated_at", "modified")),
        # Explicit lazy labels: django-filter's own "(descending)" labels are
        # formatted once at import, so they would stay English in every language.
        choices=[
            ("-published", _("Newest first")),
            ("published", _("Oldest first")),
            ("-modified", _("Recently updated first")),
            ("modified", _("Least recently updated first")),
        ],
        help_text=_("published, -published, modified or -modified."),
    )

    class Meta:
        fields = []

    def filter_queryset(self, queryset):
        # The words go last, just before the sort order: a search narrowed by
        # nothing after it reads a page of a public search straight from the
        # ranked index, one scan per reading of the query (claims.search).
        data = self.form.cleaned_data
        names = [n for n in data if n not in ("q", "ordering")]
        names += [n for n in ("q", "ordering") if n in data]
        for name in names:
            queryset = self.filters[name].filter(queryset, data[name])
        return queryset

    def filter_words(self, queryset, name, value):
        return search_claims(queryset, value)

    def filter_modified_since(self, queryset, name, value):
        # ISO 8601 allows any offset; the database may not (PostgreSQL refuses
        # +21:35). Compared in UTC; a moment before the calendar bounds
        # nothing, one after it leaves nothing.
        try:
            moment = value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            if value.year == datetime.MINYEAR:
                return queryset.filter(public_updated_at__isnull=False)
            return queryset.none()
        return queryset.filter(public_updated_at__gte=moment)

    # A bound at the edge of the calendar (0001-01-01, 9999-12-31) has no
    # midnight the database can store: it bounds nothing below, or everything above.

    def filter_published_after(self, queryset, name, value):
        start = _start_of(value)
        if start is None:
            return queryset if value.year == datetime.MINYEAR else queryset.none()
        return queryset.filter(published_at__gte=start)

    def filter_published_before(self, queryset, name, value):
        # Inclusive of the whole day, without casting the indexed column.
        next_day = _day_after(value)
        end = _start_of(next_day) if next_day is not None else None
        if end is None:
            return queryset.none() if value.year == datetime.MINYEAR else queryset
        return queryset.filter(published_at__lt=end)
