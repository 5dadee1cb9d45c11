"""Whether a quote occurs in a source's text, as a person reading both would say.

A quote copied out of a word processor, a chat or a PDF arrives re-dressed:
curly apostrophes where the page had straight ones, an en dash for a hyphen,
non-breaking or thin spaces, "..." for "…", a capital where the quote starts a
sentence. None of that changes what was said, so the comparison runs on a
*reading form* of both texts; the excerpt itself is stored exactly as typed.
Words, digits and punctuation that carry meaning (a comma, a percent sign)
still have to match.

When the excerpt is not found, `closest_passage` points at the stretch of the
source that is most like it and at the words that differ, so the person can see
what to fix instead of re-reading the whole source.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

# Every character a keyboard, a word processor or a typesetter uses for the
# same reading: quotation marks and apostrophes (primes included, which fonts
# and OCR confuse with them), and dashes of every width.
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02b9\u0060\u00b4\u2039\u203a"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u301d\u301e\u02ba"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(_SINGLE_QUOTES, "'"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
        **dict.fromkeys(_DASHES, "-"),
        "\u2026": "...",
        # Invisible characters a copy can pick up between letters.
        "\u00ad": "",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
    }
)
_ELLIPSIS_EDGES = re.compile(r"^(?:\.\.\.|\s)+|(?:\.\.\.|\s)+$")
_WORD = re.compile(r"\S+")


def _reading_char(char: str) -> str:
    # NFKC folds compatibility forms (no-break and thin spaces, full-width
    # letters, ligatures, the ellipsis); the table folds what NFKC keeps apart,
    # and goes first too, as NFKC would split a double prime into two primes.
    return unicodedata.normalize("NFKC", char.translate(_TRANSLATE)).translate(_TRANSLATE)


def _reading_form_with_offsets(text: str) -> tuple[str, list[int]]:
    """The reading form of `text` and, for each of its characters, the index
    of the character of `text` it came from."""
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(unicodedata.normalize("NFC", text or "")):
        for folded in _reading_char(char):
            if folded.isspace():
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                offsets.append(index)
                pending_space = False
            out.append(folded)
            offsets.append(index)
    return "".join(out), offsets


def reading_form(text: str) -> str:
    """`text` as a reader sees it: typographic variants of quotes, dashes,
    spaces and the ellipsis folded to one spelling, runs of whitespace to one
    space, Unicode normalised. Idempotent."""
    return _reading_form_with_offsets(text)[0]


def _needles(excerpt: str) -> list[str]:
    """The spellings of `excerpt` to look for: as read, and with an ellipsis
    marking an omission at either end left out, each with its first letter in
    either case (a quote often starts a sentence where the source did not)."""
    needle = reading_form(excerpt)
    trimmed = _ELLIPSIS_EDGES.sub("", needle)
    needles = []
    for candidate in dict.fromkeys((needle, trimmed)):
        if not candidate:
            continue
        needles.append(candidate)
        if candidate[0].isalpha():
            needles.append(candidate[0].swapcase() + candidate[1:])
    return needles


def text_contains_excerpt(text: str, excerpt: str) -> bool:
    """Whether `excerpt` occurs in `text` as a reader would see it (see the
    module docstring for what counts as the same)."""
    if not any(char.isalnum() for char in excerpt or ""):
        return False  # dots or quote marks alone quote nothing
    haystack = reading_form(text)
    return any(needle in haystack for needle in _needles(excerpt))


# The hint is computed only when a check fails; these bound its cost on long
# sources (a book-length text is scanned in steps, never word by word).
_MAX_SCAN_WORDS = 60_000
_MAX_EXCERPT_WORDS = 400
_MIN_SIMILARITY = 0.4
# How many words longer or shorter than the excerpt the closest passage may be.
_REFINE_WORDS = 6


@dataclass(frozen=True)
class Difference:
    source: str  # the source's words here ("" where the excerpt added words)
    excerpt: str  # the excerpt's words here ("" where it left words out)


@dataclass(frozen=True)
class Passage:
    """The stretch of a source most like an excerpt that is not in it."""

    text: str  # as stored in the source, original characters
    # (words, differs) pairs in reading order, to mark what does not match
    segments: tuple[tuple[str, bool], ...]
    differences: tuple[Difference, ...]
    similarity: float


def _words(form: str) -> list[tuple[int, int]]:
    return [match.span() for match in _WORD.finditer(form)]


def closest_passage(text: str, excerpt: str) -> Passage | None:
    """The passage of `text` most like `excerpt` and where they differ, or None
    when nothing in the text is reasonably close."""
    form, offsets = _reading_form_with_offsets(text)
    spans = _words(form)[:_MAX_SCAN_WORDS]
    needle = reading_form(excerpt).split(" ")[:_MAX_EXCERPT_WORDS]
    if not spans or not needle or not needle[0]:
        return None
    hay = [form[start:end] for start, end in spans]
    # Compare case-insensitively to find the place; the differences shown
    # below come from the real words.
    folded_hay = [word.casefold() for word in hay]
    folded_needle = [word.casefold() for word in needle]
    size = len(needle)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(folded_needle)

    def score(start: int, length: int) -> float:
        matcher.set_seq1(folded_hay[start : start + length])
        if matcher.real_quick_ratio() == 0 or matcher.quick_ratio() == 0:
            return 0.0
        return matcher.ratio()

    step = max(1, size // 4)
    starts = range(0, max(1, len(hay) - size + 1), step)
    best = max(((score(start, size), start) for start in starts), default=(0.0, 0))
    # Refine around the best window, coarse to fine, so a long excerpt costs a
    # bounded number of comparisons (every start × every length near it took
    # seconds for a 400-word excerpt): first the start at the excerpt's length,
    # then a few starts and lengths around it.
    best_score, best_start = best
    radius = step
    while radius >= 1:
        stride = max(1, radius // 4)
        candidates = {best_start}.union(
            range(max(0, best_start - radius), min(len(hay), best_start + radius + 1), stride)
        )
        best_score, best_start = max(
            ((score(start, size), start) for start in candidates), default=(best_score, best_start)
        )
        radius = stride // 2
    best_size = size
    slack = min(max(2, size // 4), _REFINE_WORDS)
    for start in range(max(0, best_start - 2), min(len(hay), best_start + 3)):
        for length in range(max(1, size - slack), size + slack + 1):
            candidate = score(start, length)
            if candidate > best_score:
                best_score, best_start, best_size = candidate, start, length
    if best_score < _MIN_SIMILARITY:
        return None
    window = hay[best_start : best_start + best_size]
    stored = unicodedata.normalize("NFC", text)
    # The same words as the source spells them (curly quotes and all).
    shown = [
        stored[offsets[start] : offsets[end - 1] + 1]
        for start, end in spans[best_start : best_start + best_size]
    ]
    original = stored[
        offsets[spans[best_start][0]] : offsets[spans[best_start + len(window) - 1][1] - 1] + 1
    ]

    segments: list[tuple[str, bool]] = []
    differences: list[Difference] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, window, needle, autojunk=False
    ).get_opcodes():
        source_words = " ".join(shown[i1:i2])
        if source_words:
            segments.append((source_words, tag != "equal"))
        if tag != "equal":
            differences.append(Difference(source_words, " ".join(needle[j1:j2])))
    return Passage(original, tuple(segments), tuple(differences), round(best_score, 3))


class MismatchMessage(str):
    """An error message in plain text (for the API and logs) that renders
    with the differing words marked in HTML templates (the admin form).

    Django's templates call `__html__` on what they print, and the form's error
    list prints the message it gets from `str()`, hence `__str__` returning the
    object itself rather than a plain copy.
    """

    html: str

    def __new__(cls, text: str, html: str) -> MismatchMessage:
        message = super().__new__(cls, text)
        message.html = html
        return message

    def __str__(self) -> str:
        return self

    def __html__(self) -> str:
        return self.html


_MAX_DIFFERENCES = 5


def _describe(difference: Difference) -> str:
    words = {"source": difference.source, "excerpt": difference.excerpt}
    if not difference.source:
        return _("the excerpt adds “%(excerpt)s”") % words
    if not difference.excerpt:
        return _("the excerpt leaves out “%(source)s”") % words
    return _("the source has “%(source)s” where the excerpt has “%(excerpt)s”") % words


def mismatch_message(text: str, excerpt: str, lead: str) -> MismatchMessage:
    """`lead` (why the excerpt was refused) followed by the closest passage of
    `text` and the words that differ, escaped for HTML."""
    passage = closest_passage(text, excerpt)
    if passage is None:
        hint = _("Nothing in the source's text is close to it.")
        return MismatchMessage(f"{lead} {hint}", format_html("{} {}", lead, hint))
    differences = [_describe(difference) for difference in passage.differences[:_MAX_DIFFERENCES]]
    closest = _("Closest passage in the source:")
    differs = _("Where it differs:")
    text_hint = f"{lead} {closest} “{passage.text}”. {differs} {'; '.join(differences)}."
    marked = format_html_join(
        " ",
        "{}",
        (
            (format_html("<mark>{}</mark>", words) if differs_here else words,)
            for words, differs_here in passage.segments
        ),
    )
    html_hint = format_html(
        '{} <span class="excerpt-hint">{} “<span class="excerpt-passage">{}</span>”. {} {}.</span>',
        lead,
        closest,
        marked,
        differs,
        "; ".join(differences),
    )
    return MismatchMessage(text_hint, html_hint)
