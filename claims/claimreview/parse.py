"""Import other fact-checkers' ClaimReview as external reviews.

One entry point for `manage.py import_claimreview` and the API's
`POST /api/v1/imports/claimreview/`: `import_claimreviews(raw, by=...)`.

Publishers emit ClaimReview in many shapes, and this module takes them as they
come: a single ClaimReview object, a list of them, a JSON-LD `@graph`, or a
schema.org `DataFeed` whose `dataFeedElement` items are ClaimReviews or
`DataFeedItem`s wrapping them in `item` (as Google's Fact Check Markup Tool
emits). Ratings may be numeric on any scale (bestRating/worstRating, schema.org
defaults 5 and 1), numbers written as strings, or text only. `author` may be an
object, a list or a name; `itemReviewed` may or may not carry appearances.

The rules:

- The whole document is refused, with nothing written, when it is too large,
  not JSON, not one of the shapes above, or has more items than allowed.
- Otherwise each item is imported on its own, in its own transaction: a
  malformed item is reported with its position (a JSON Pointer into the
  document) and the reason, and the valid items are imported.
- A review is identified by its URL in canonical form
  (`sources.normalization.normalize_url`): importing it again updates it, and
  importing it unchanged writes nothing.
- A numeric rating is normalised to 0–1 as (value − worst) / (best − worst),
  so 0 is the publisher's worst verdict and 1 their best, whatever the scale.

Linking an external review to a local claim is an editor's decision
(`external_review_link`); imports never link or unlink.
"""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from claims.models import ExternalReview
from claims.text import UnreadableJSON, clean_data, contains_nul, load_json
from sources.fields import http_url_validator
from sources.normalization import normalize_url

# schema.org: "If bestRating is omitted, 5 is assumed"; worstRating likewise 1.
SCHEMA_ORG_BEST = 5.0
SCHEMA_ORG_WORST = 1.0

IMPORTED_FIELDS = (
    "publisher_name",
    "publisher_url",
    "claim_reviewed",
    "claimant_name",
    "claim_date",
    "appearance_urls",
    "rating_label",
    "rating_value",
    "best_rating",
    "worst_rating",
    "normalized_rating",
    "summary",
    "language",
    "date_published",
    "date_modified",
    "raw",
)


class ImportRejected(Exception):
    """The document as a whole cannot be imported; nothing was written."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class ImportTooLarge(ImportRejected):
    pass


class ItemProblem(Exception):
    """One item cannot be imported; the message says why."""


@dataclass(frozen=True)
class ImportedItem:
    position: str
    outcome: str  # created, updated or unchanged
    review: ExternalReview


@dataclass(frozen=True)
class ImportProblem:
    position: str
    reason: str


@dataclass
class ImportReport:
    imported: list[ImportedItem] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.imported if item.outcome == outcome)


# --- Reading the document ------------------------------------------------------------


def _pointer(*parts: str | int) -> str:
    """A JSON Pointer (RFC 6901); the empty string is the whole document."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _types(node: Any) -> set[str]:
    """The node's @type names without vocabulary prefix (`schema:ClaimReview`,
    `http://schema.org/ClaimReview` and `ClaimReview` are the same)."""
    if not isinstance(node, dict):
        return set()
    raw = node.get("@type", [])
    names = raw if isinstance(raw, list) else [raw]
    return {str(n).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] for n in names if n}


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_document(raw: bytes | str, *, max_bytes: int | None = None) -> Any:
    max_bytes = settings.CLAIMREVIEW_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    data = raw.encode() if isinstance(raw, str) else raw
    if len(data) > max_bytes:
        raise ImportTooLarge(
            _(
                "The file is %(size)s bytes; the limit is %(max)s bytes. "
                "Split it and import the parts."
            )
            % {"size": len(data), "max": max_bytes},
            code="too_large",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(
            _("The file is not UTF-8 text (byte %(at)s).") % {"at": error.start}, code="encoding"
        ) from None
    try:
        return load_json(text)
    except json.JSONDecodeError as error:
        raise ImportRejected(
            _("The file is not valid JSON: %(reason)s at line %(line)s, column %(column)s.")
            % {"reason": error.msg, "line": error.lineno, "column": error.colno},
            code="not_json",
        ) from None
    except UnreadableJSON as error:
        raise ImportRejected(
            _("The file is JSON Veraz does not read: %(reason)s.") % {"reason": error},
            code="not_json",
        ) from None


def _feed_items(feed: dict, base: tuple) -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    elements = feed.get("dataFeedElement")
    if isinstance(elements, dict):
        indexed = [((*base, "dataFeedElement"), elements)]
    elif isinstance(elements, list):
        indexed = [((*base, "dataFeedElement", i), e) for i, e in enumerate(elements)]
    else:
        raise ImportRejected(
            _("This DataFeed has no dataFeedElement list."), code="not_claimreview"
        )
    for parts, element in indexed:
        if "DataFeedItem" in _types(element) or (
            isinstance(element, dict) and "item" in element and "ClaimReview" not in _types(element)
        ):
            wrapped = element.get("item")
            if isinstance(wrapped, list):
                items.extend((_pointer(*parts, "item", j), w) for j, w in enumerate(wrapped))
            else:
                items.append((_pointer(*parts, "item"), wrapped))
        else:
            items.append((_pointer(*parts), element))
    return items


def claimreview_items(document: Any) -> list[tuple[str, Any]]:
    """Every candidate ClaimReview in the document, with its position."""
    if isinstance(document, list):
        return [(_pointer(i), item) for i, item in enumerate(document)]
    if not isinstance(document, dict):
        raise ImportRejected(
            _("Expected a ClaimReview object, a list of them or a DataFeed."),
            code="not_claimreview",
        )
    if "@graph" in document and isinstance(document["@graph"], list):
        items = []
        for i, node in enumerate(document["@graph"]):
            if "DataFeed" in _types(node):
                items.extend(_feed_items(node, ("@graph", i)))
            else:
                items.append((_pointer("@graph", i), node))
        return items
    types = _types(document)
    if "DataFeed" in types:
        return _feed_items(document, ())
    if "ClaimReview" in types:
        return [("", document)]
    raise ImportRejected(
        _(
            "Expected a ClaimReview object, a list of them or a DataFeed; "
            "this document's @type is %(type)s."
        )
        % {"type": ", ".join(sorted(types)) or _("missing")},
        code="not_claimreview",
    )


# --- Reading one item ------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, list):
        for item in value:
            text = _text(item)
            if text:
                return text
        return ""
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or "")
    if isinstance(value, bool) or value is None:
        return ""
    return str(value).strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _date(value: Any, name: str, warnings: list[str]) -> datetime.date | None:
    text = _text(value)
    if not text:
        return None
    try:
        moment = parse_datetime(text)
        if moment is not None:
            return moment.date()
        day = parse_date(text[:10])
        if day is not None:
            return day
    except ValueError:
        pass
    warnings.append(
        _("%(name)s “%(value)s” is not an ISO 8601 date; left out.")
        % {
            "name": name,
            "value": text[:40],
        }
    )
    return None


def _http_url(value: Any) -> str | None:
    text = _text(value) if not isinstance(value, str) else value.strip()
    if not text:
        return None
    try:
        http_url_validator(text)
    except ValidationError:
        return None
    return normalize_url(text)


def _clip(text: str, limit: int, name: str, warnings: list[str]) -> str:
    if len(text) <= limit:
        return text
    warnings.append(
        _("%(name)s was longer than %(limit)s characters and was shortened.")
        % {"name": name, "limit": limit}
    )
    return text[: limit - 1] + "…"


def _first_object(value: Any) -> dict:
    for item in _as_list(value):
        if isinstance(item, dict):
            return item
    return {}


def _appearance_urls(item_reviewed: dict) -> list[str]:
    urls: list[str] = []
    for key in ("appearance", "firstAppearance"):
        for work in _as_list(item_reviewed.get(key)):
            url = _http_url(work.get("url") or work.get("@id")) if isinstance(work, dict) else None
            if url is None and isinstance(work, str):
                url = _http_url(work)
            if url and url not in urls:
                urls.append(url)
    return urls


def _rating(review: dict, warnings: list[str]) -> dict[str, Any]:
    rating = _first_object(review.get("reviewRating"))
    label = _text(rating.get("alternateName")) or _text(rating.get("name"))
    raw_value = rating.get("ratingValue")
    value = _number(raw_value)
    if value is None and _text(raw_value):
        if label:
            warnings.append(
                _("ratingValue “%(value)s” is not a number; only the label was kept.")
                % {"value": _text(raw_value)[:40]}
            )
        else:
            label = _text(raw_value)
    if not label and value is None:
        raise ItemProblem(
            _("reviewRating has neither a label (alternateName) nor a numeric ratingValue.")
        )
    result = {
        "rating_label": _clip(label, 300, "alternateName", warnings),
        "rating_value": value,
        "best_rating": None,
        "worst_rating": None,
        "normalized_rating": None,
    }
    if value is None:
        return result
    best, worst = _number(rating.get("bestRating")), _number(rating.get("worstRating"))
    if best is None:
        best = SCHEMA_ORG_BEST
        warnings.append(_("bestRating is missing; schema.org's default of 5 was assumed."))
    if worst is None:
        worst = SCHEMA_ORG_WORST
        warnings.append(_("worstRating is missing; schema.org's default of 1 was assumed."))
    result.update(best_rating=best, worst_rating=worst)
    if best == worst:
        warnings.append(_("bestRating equals worstRating; the rating was not normalised."))
        return result
    normalized = (value - worst) / (best - worst)
    if not 0 <= normalized <= 1:
        warnings.append(
            _(
                "ratingValue %(value)s lies outside worstRating %(worst)s to bestRating "
                "%(best)s; the rating was not normalised."
            )
            % {"value": value, "worst": worst, "best": best}
        )
        return result
    result["normalized_rating"] = round(normalized, 6)
    return result


def _language(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name") or ""
    return _text(value)[:35]


def review_fields(review: Any) -> tuple[str, dict[str, Any], list[str]]:
    """(canonical URL, ExternalReview field values, warnings) for one item.

    Raises ItemProblem when the item cannot be imported.
    """
    if not isinstance(review, dict):
        raise ItemProblem(_("This item is not a JSON object."))
    if contains_nul(review):
        raise ItemProblem(_("This item contains a NUL character, which text cannot hold."))
    review = clean_data(review)
    types = _types(review)
    if "ClaimReview" not in types:
        raise ItemProblem(
            _("This item's @type is %(type)s, not ClaimReview.")
            % {"type": ", ".join(sorted(types)) or _("missing")}
        )
    warnings: list[str] = []
    raw_url = review.get("url") or review.get("@id")
    if not _text(raw_url):
        raise ItemProblem(_("url is missing: a review is identified by its address."))
    url = _http_url(raw_url)
    if url is None:
        raise ItemProblem(
            _("url “%(url)s” is not an http(s) address.") % {"url": _text(raw_url)[:200]}
        )
    item_reviewed = _first_object(review.get("itemReviewed"))
    claim_text = _text(review.get("claimReviewed")) or _text(item_reviewed.get("name"))
    if not claim_text:
        raise ItemProblem(_("claimReviewed is missing: what claim does this review check?"))
    author = _first_object(review.get("author")) or _first_object(review.get("publisher"))
    publisher_name = _text(author) or _text(review.get("author"))
    publisher_url = ""
    if author.get("url"):
        publisher_url = _http_url(author.get("url")) or ""
        if not publisher_url:
            warnings.append(_("The author's url is not an http(s) address; left out."))
    fields = {
        "publisher_name": _clip(publisher_name, 300, "author", warnings),
        "publisher_url": publisher_url if len(publisher_url) <= 2000 else "",
        "claim_reviewed": claim_text,
        "claimant_name": _clip(
            _text(item_reviewed.get("author")), 300, "itemReviewed.author", warnings
        ),
        "claim_date": _date(
            item_reviewed.get("datePublished"), "itemReviewed.datePublished", warnings
        ),
        "appearance_urls": _appearance_urls(item_reviewed),
        **_rating(review, warnings),
        "summary": _text(review.get("description")) or _text(review.get("reviewBody")),
        "language": _language(review.get("inLanguage")),
        "date_published": _date(review.get("datePublished"), "datePublished", warnings),
        "date_modified": _date(review.get("dateModified"), "dateModified", warnings),
        "raw": review,
    }
    return url, fields, warnings


# --- Writing ----------------------------------------------------------------------------
