"""An excerpt matches its source as a person reading both would say it does
(issue 14, acceptance 4), and a refusal points at the closest passage."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.excerpts import closest_passage, mismatch_message, reading_form, text_contains_excerpt

SOURCE = (
    "Officials said on Monday that Peru’s economy grew 3.1 per cent in 2025 — "
    "the fastest rate since 2019. “We expected less,” the minister said… "
    "Exports of copper rose by a third; imports fell slightly."
)


@pytest.mark.parametrize(
    "excerpt",
    [
        "Peru's economy grew",  # straight apostrophe for a curly one
        "Peru‘s economy grew",  # the wrong curly one
        "Peru′s economy grew",  # a prime, as OCR and some fonts produce
        "Peru‚s economy grew",
        "Peru‛s economy grew",
    ],
)
def test_apostrophe_variants_match(excerpt):
    assert text_contains_excerpt(SOURCE, excerpt)


@pytest.mark.parametrize(
    "excerpt",
    [
        '"We expected less," the minister said',
        "„We expected less,‟ the minister said",
        "«We expected less,» the minister said",
        "″We expected less,″ the minister said",
    ],
)
def test_double_quote_variants_match(excerpt):
    assert text_contains_excerpt(SOURCE, excerpt)


@pytest.mark.parametrize("dash", ["-", "--"[:1], "–", "—", "−", "‒", "‐", "‑", "―"])
def test_dash_variants_match(dash):
    assert text_contains_excerpt(SOURCE, f"3.1 per cent in 2025 {dash} the fastest rate")


@pytest.mark.parametrize(
    "space", ["\u00a0", "\u2009", "\u202f", "\u2007", "\u3000", "  ", "\n", "\r\n", "\t \n "]
)
def test_unicode_spaces_and_runs_of_whitespace_match(space):
    assert text_contains_excerpt(SOURCE, f"Exports of{space}copper rose by a third")


def test_source_side_spacing_is_folded_too():
    assert text_contains_excerpt("the\u00a0fastest \n\n rate", "the fastest rate")


@pytest.mark.parametrize(
    "excerpt",
    ["the minister said...", "...the minister said", "the minister said…", "… Exports of copper"],
)
def test_ellipsis_character_and_three_dots_are_one_reading(excerpt):
    assert text_contains_excerpt(SOURCE, excerpt)


def test_unicode_normalisation_forms_match():
    source = "El café de Cusco creció"
    assert text_contains_excerpt(source, "cafe\u0301 de Cusco")  # decomposed é
    assert text_contains_excerpt("ﬁnal ｆｉｇｕｒｅｓ", "final figures")  # ligature, full width


def test_first_letter_case_is_ignored_but_not_the_rest():
    assert text_contains_excerpt(SOURCE, "exports of copper rose")
    assert text_contains_excerpt(SOURCE, "The minister said")
    assert not text_contains_excerpt(SOURCE, "the Minister said")


@pytest.mark.parametrize(
    "excerpt",
    [
        "Peru's economy grew 4.1 per cent",  # a different figure
        "Peru's economy grew 3.1 percent",  # a different word
        "Exports of copper rose by a third, imports fell",  # different punctuation
        "",
        "   ",
        "…",
    ],
)
def test_meaning_still_has_to_match(excerpt):
    assert not text_contains_excerpt(SOURCE, excerpt)


# --- properties -------------------------------------------------------------

_TYPOGRAPHY = {
    "'": ["'", "’", "‘", "′", "‛"],
    '"': ['"', "“", "”", "„", "«", "»", "″"],
    "-": ["-", "–", "—", "−", "‒"],
    " ": [" ", "\u00a0", "\u2009", "\u202f", "  ", "\n"],
}
_text = st.text(
    alphabet=st.sampled_from(list("abcdefghijkl ÉéñÑ0123456789.,;'\"-…’“”—\u00a0\n")),
    max_size=80,
)


@given(_text)
def test_reading_form_is_idempotent(text):
    assert reading_form(reading_form(text)) == reading_form(text)


@st.composite
def passage_and_redressing(draw):
    word = st.builds(
        "".join,
        st.tuples(
            st.sampled_from(["", "'", '"', "-"]),
            st.text(alphabet="abcdefgh", min_size=1, max_size=6),
            st.sampled_from(["", "'s", '"', "-x", "'"]),
        ),
    )
    words = draw(st.lists(word, min_size=4, max_size=30))
    source = " ".join(words)
    start = draw(st.integers(0, len(words) - 1))
    end = draw(st.integers(start + 1, len(words)))
    passage = " ".join(words[start:end])
    redressed = "".join(
        draw(st.sampled_from(_TYPOGRAPHY[char])) if char in _TYPOGRAPHY else char
        for char in passage
    )
    return source, passage, redressed


@settings(max_examples=200)
@given(passage_and_redressing())
def test_any_typographic_redressing_of_a_passage_matches(case):
    source, passage, redressed = case
    assert text_contains_excerpt(source, passage)
    assert text_contains_excerpt(source, redressed)


# --- the hint --------------------------------------------------------------


def test_closest_passage_points_at_the_differing_words():
    passage = closest_passage(SOURCE, "Peru's economy shrank 3.1 per cent in 2025")
    assert passage is not None
    assert passage.text == "Peru’s economy grew 3.1 per cent in 2025"  # as the source spells it
    assert ("grew", True) in passage.segments
    assert [(d.source, d.excerpt) for d in passage.differences] == [("grew", "shrank")]


def test_no_passage_when_nothing_is_close():
    assert closest_passage(SOURCE, "Completely unrelated words about football") is None


def test_closest_passage_stays_bounded_on_a_long_source():
    source = " ".join(f"word{n}" for n in range(200_000)) + " the needle is here"
    # The scan stops at a bound instead of reading the whole book.
    assert closest_passage(source, "the needle was here") is None
    near = " ".join(f"word{n}" for n in range(20_000)) + " the needle is here"
    assert closest_passage(near, "the needle was here").text == "the needle is here"


def test_mismatch_message_is_plain_text_with_escaped_html_marks():
    message = mismatch_message(SOURCE, "Peru's economy <b>shrank</b> 3.1 per cent", "Not found.")
    assert str(message).startswith("Not found. Closest passage in the source:")
    assert "<mark>" not in str(message) and "“grew”" in str(message)
    html = message.__html__()
    assert "<mark>grew</mark>" in html
    assert "<b>" not in html and "&lt;b&gt;shrank&lt;/b&gt;" in html


def test_a_long_excerpt_gets_its_hint_with_a_bounded_number_of_comparisons(monkeypatch):
    """A 400-word excerpt with one word changed: the hint finds the passage and
    marks the word without comparing every start with every length near it
    (40,000 comparisons, seconds of a request, before)."""
    import difflib

    words = [f"w{n}x{n % 7}" for n in range(3000)]
    excerpt = words[1000:1400]
    excerpt[200] = "changed"
    calls = 0
    ratio = difflib.SequenceMatcher.ratio

    def counted(self):
        nonlocal calls
        calls += 1
        return ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    passage = closest_passage(" ".join(words), " ".join(excerpt))
    assert passage.text.startswith("w1000x")
    assert [d.excerpt for d in passage.differences] == ["changed"]
    assert calls < 1_000
