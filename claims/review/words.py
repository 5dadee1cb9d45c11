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
    old_side: list[Segment] = []
    new_side: list[Segment] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
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
