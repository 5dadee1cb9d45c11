"""Dates in a claim's wording: "26 de abril", "April 26, 2023", "a comienzos de mayo".

A date is a figure: "Al 26 de mayo, 150 migrantes seguían varados" is another
claim than "Al 26 de abril, …". But a date only one wording gives is a detail
left out, not a disagreement, so dates are kept apart from the other figures
(their day and year are not counted as figures) and compared on their own:
`dates_disagree`. A year alone ("in 2023") stays an ordinary figure.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from claims.search.wording_basics import word_set


class Date(NamedTuple):
    year: int | None
    month: int
    day: int | None

    def agrees_with(self, other: Date) -> bool:
        """The same month, and the same day and year where both give one."""
        return (
            self.month == other.month
            and (None in (self.day, other.day) or self.day == other.day)
            and (None in (self.year, other.year) or self.year == other.year)
        )


_MONTHS = {
    1: "january jan enero ene",
    2: "february feb febrero",
    3: "march mar marzo",
    4: "april apr abril abr",
    5: "may mayo",
    6: "june jun junio",
    7: "july jul julio",
    8: "august aug agosto ago",
    9: "september sept sep septiembre setiembre set",
    10: "october oct octubre",
    11: "november nov noviembre",
    12: "december dec diciembre dic",
}
MONTH_NUMBERS = {word: month for month, words in _MONTHS.items() for word in words.split()}
_FULL_NAMES = word_set(
    """
    january february march april may june july august september october november december
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre
    """
)
# English month names that are also everyday words count only capitalised
# ("in May", not "prices may rise"); Spanish writes months in lower case.
_CAPITALISED_ONLY = frozenset({"may", "march", "mar", "jan", "set", "sep", "sept", "dec", "ago"})

_MONTH = r"(?P<month>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|º|°)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_END = r"\b(?![.,]?\d|\s*%)"
# Tried in this order; what one finds is blanked before the next reads.
_PATTERNS = [
    # "26 de mayo (de 2023)", "26 May 2023", "the 26th of May"
    re.compile(
        rf"\b{_DAY}\s+(?:de\s+|of\s+)?{_MONTH}(?:,?\s+(?:de\s+|del\s+|of\s+)?{_YEAR})?{_END}",
        re.IGNORECASE,
    ),
    # "May 26", "May 26th, 2023", "mayo 26"
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?{_END}", re.IGNORECASE),
    # "May 2023", "mayo de 2023"
    re.compile(rf"\b{_MONTH},?\s+(?:de\s+|del\s+|of\s+)?{_YEAR}{_END}", re.IGNORECASE),
    # A month alone after a word that places it: "in May", "a comienzos de mayo".
    re.compile(
        r"\b(?:in|en|since|desde|until|hasta|by|early|late|mid|de|del|of|last|next)\s+"
        rf"{_MONTH}(?!\w)",
        re.IGNORECASE,
    ),
]


def read_dates(text: str) -> tuple[str, frozenset[Date]]:
    """The text with its dates blanked out, and the dates."""
    dates = set()
    for pattern in _PATTERNS:

        def blank(match: re.Match) -> str:
            groups = match.groupdict()
            written = groups["month"]
            month = written.lower()
            alone = groups.get("day") is None and groups.get("year") is None
            if (month in _CAPITALISED_ONLY and not written[0].isupper()) or (
                month not in _FULL_NAMES and groups.get("day") is None
            ):
                return match.group(0)
            day = int(groups["day"]) if groups.get("day") else None
            if day is not None and not 1 <= day <= 31:
                return match.group(0)
            year = int(groups["year"]) if groups.get("year") else None
            dates.add(Date(year, MONTH_NUMBERS[month], day))
            if alone:  # keep the word that placed it ("comienzos de")
                start, end = match.span("month")
                offset = match.start()
                whole = match.group(0)
                return whole[: start - offset] + " " * (end - start) + whole[end - offset :]
            return " " * len(match.group(0))

        text = pattern.sub(blank, text)
    return text, frozenset(dates)


def dates_disagree(a: frozenset[Date], b: frozenset[Date]) -> bool:
    """Each wording gives a date the other contradicts (a date only one gives is left out)."""
    return any(not any(x.agrees_with(y) for y in b) for x in a) and any(
        not any(y.agrees_with(x) for x in a) for y in b
    )
