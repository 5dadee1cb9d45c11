"""Server-rendered charts: no JavaScript, CSP-safe (SVG attributes, no inline
styles), each with a text or table equivalent."""

from __future__ import annotations

from django.utils.formats import date_format, number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from claims.models import FigureQualifier
from claims.selectors import FigureGroup, RatingCount

CHART_WIDTH = 320
FIGURE_ROW = 64
SOURCE_CHARS = 34


def figure_text(item) -> str:
    """ "about 30 people", "at least 300 people", "180 police officers"."""
    # normalize() drops the stored trailing zeros: 30.5000 reads as 30.5.
    value = number_format(item.figure_value.normalize(), force_grouping=True)
    if item.figure_qualifier and item.figure_qualifier != FigureQualifier.EXACT:
        value = _("%(qualifier)s %(value)s") % {
            "qualifier": item.get_figure_qualifier_display(),
            "value": value,
        }
    if item.figure_unit.strip() == "%":
        # "5%" in English, "5 %" in Spanish: each language's translation says.
        return _("%(number)s%%") % {"number": value}
    return f"{value} {item.figure_unit}".strip()


def rating_chart(distribution: list[RatingCount], list_url: str, extra_query: str = "") -> dict:
    """A table of ratings with a bar each; every label links to the filtered list."""
    most = max((row.count for row in distribution), default=0) or 1
    total = sum(row.count for row in distribution)
    rows = [
        {
            "rating": row.rating,
            "count": row.count,
            "bar": round(100 * row.count / most, 1),
            "query": f"rating={row.rating.slug}" + (f"&{extra_query}" if extra_query else ""),
        }
        for row in distribution
    ]
    return {"rows": rows, "total": total, "list_url": list_url}


def figure_chart(group: FigureGroup, number: int, claim_language: str) -> dict:
    """Horizontal bars from zero, one per figure, labelled with the qualifier,
    the source's publisher and the as-of date.

    Each row says what it shows three times (the chart's description, its
    bar's label, the table): it is worked out once here, not by the template
    each time."""
    largest = float(group.max_value) or 1.0
    rows = []
    for index, item in enumerate(group.figures):
        top = index * FIGURE_ROW
        source, as_of = item.source, item.figure_as_of
        as_of_date = date_format(as_of, "DATE_FORMAT") if as_of else ""
        rows.append(
            {
                "text": figure_text(item),
                "publisher": Truncator(source.publisher.name).chars(SOURCE_CHARS),
                "publisher_name": source.publisher.name,
                "source_url": source.get_absolute_url(),
                "source_title": source.title,
                "source_language": source.language,
                "as_of_iso": as_of.isoformat() if as_of else "",
                "as_of_date": as_of_date,
                "as_of": _("as of %(date)s") % {"date": as_of_date}
                if as_of
                else _("date not stated"),
                "text_y": top + 16,
                "meta_y": top + 34,
                "bar_y": top + 42,
                "bar_width": round(max(2.0, CHART_WIDTH * float(item.figure_value) / largest), 1),
            }
        )
    return {
        "group": group,
        "rows": rows,
        "width": CHART_WIDTH,
        "height": FIGURE_ROW * len(rows),
        "chart_id": f"figures-{number}",
        "claim_language": claim_language,
    }
