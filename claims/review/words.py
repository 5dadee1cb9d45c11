"""Word-level comparison of two texts, for the second editor's review pages.

Pure functions on strings: the templates print the segments with autoescaping,
marking deletions with <del> and insertions with <ins>, so a hostile wording
(`<script>`) is shown as text and never as markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from claims.markup import render_markdown

# A token is a run of non-space characters or a run of spaces, so the text can
# be put back together exactly from the segments.
_TOKENS = re.compile(r"\s+|\S+")
_BLOCK_END = re.compile(r"</(p|li|h3|h4|blockquote|pre)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_LINES = re.compile(r"[^\n]*\n|[^\n]+")
# Above this many word pairs, texts are compared by lines instead of words.
_MAX_WORD_PAIRS = 25_000_000


@dataclass(frozen=True)
class Segment:
    kind: str  # "equal", "delete" or "insert"
    text: str


@dataclass(frozen=True)
class WordDiff:
    """Both sides of a comparison: the old text with what goes marked, the new
    text with what comes marked."""

    old: tuple[Segment, ...]
    new: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        return any(segment.kind != "equal" for segment in (*self.old, *self.new))


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def _merged(segments: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].kind == segment.kind:
            merged[-1] = Segment(segment.kind, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return tuple(merged)


def word_diff(old: str, new: str) -> WordDiff:
    """Compare two texts word by word (whitespace runs count as tokens, so
    both sides read exactly as written)."""
    before, after = _tokens(old), _tokens(new)
    if len(before) * len(after) > _MAX_WORD_PAIRS:
        # Long texts (a whole source's text) are compared line by line, so a
        # page stays quick whatever was pasted into a field.
        before, after = _LINES.findall(old or ""), _LINES.findall(new or "")
    old_side: list[Segment] = []
    new_side: list[Segment] = []
    opcodes = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        # A lone space between two changes belongs to the change: "<del>a b</del>",
        # not "<del>a</del> <del>b</del>".
        between_changes = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (between_changes and "".join(before[i1:i2]).isspace()):
            text = "".join(before[i1:i2])
            old_side.append(Segment("equal", text))
            new_side.append(Segment("equal", text))
            continue
        if i2 > i1:
            old_side.append(Segment("delete", "".join(before[i1:i2])))
        if j2 > j1:
            new_side.append(Segment("insert", "".join(after[j1:j2])))
    return WordDiff(_merged(old_side), _merged(new_side))


def rendered_text(markdown_text: str) -> str:
    """What a reader reads of an explanation: the Markdown rendered and
    sanitised as on the public page, then reduced to its text, one block a
    line (so a changed link target or emphasis shows as the words around it)."""
    rendered = str(render_markdown(markdown_text))
    text = _TAG.sub("", _BLOCK_END.sub("\n", rendered))
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def shortened(diff: WordDiff, *, keep: int = 8) -> WordDiff:
    """The same comparison with long unchanged stretches cut to their first and
    last `keep` words around an ellipsis, so a one-word change in a long
    explanation reads as that word in its sentence."""

    def cut(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
        result = []
        last = len(segments) - 1
        for index, segment in enumerate(segments):
            tokens = _tokens(segment.text)
            words = sum(1 for token in tokens if not token.isspace())
            if segment.kind != "equal" or words <= 2 * keep:
                result.append(segment)
                continue
            head = _first_words(tokens, keep) if index > 0 else []
            tail = _first_words(tokens[::-1], keep)[::-1] if index < last else []
            text = "".join(head).rstrip() + " … " + "".join(tail).lstrip()
            if not head:
                text = text.lstrip()
            if not tail:
                text = text.rstrip()
            result.append(Segment("equal", text))
        return tuple(result)

    return WordDiff(cut(diff.old), cut(diff.new))


def _first_words(tokens: list[str], count: int) -> list[str]:
    taken, words = [], 0
    for token in tokens:
        if not token.isspace():
            if words == count:
                break
            words += 1
        taken.append(token)
    return taken
