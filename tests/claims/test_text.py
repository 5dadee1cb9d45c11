"""claims.text: the one rule for text from outside, and the JSON reader."""

import json

import pytest

from claims.text import (
    MAX_JSON_DEPTH,
    UnreadableJSON,
    clean_data,
    clean_text,
    load_json,
    slug_for,
)

# Every class of character no stored text may hold, one example each.
FORBIDDEN = {
    "bell": "\x07",
    "form feed": "\x0c",
    "vertical tab": "\x0b",
    "escape": "\x1b",
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "first strong isolate": "\u2068",
    "pop directional isolate": "\u2069",
    "lone surrogate": "\ud800",
    "XML noncharacter": "\ufffe",
}


@pytest.mark.parametrize("character", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_clean_text_removes_each_forbidden_class(character):
    assert clean_text(f"Peru{character} and Chile") == "Peru and Chile"


def test_clean_text_keeps_tabs_newlines_and_ordinary_unicode():
    text = "Línea 1\n\tLine 2\r\n\u200fمرحبا – 5 % “quoted”"
    assert clean_text(text) == text


def test_clean_data_cleans_keys_values_and_nested_lists():
    assert clean_data({"a\x07": ["b\x0c", {"c": "d\u202e"}], "n": 5}) == {
        "a": ["b", {"c": "d"}],
        "n": 5,
    }


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # the C scanner's RecursionError
        "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
        "1" * 5000,  # past Python's int-conversion limit
        '{"value": ' + "9" * 400 + "}",
        '{"value": 1e400}',
        "[NaN]",
        "[-Infinity]",
    ],
    ids=["recursion", "too-deep", "int-limit", "long-int", "overflowing-float", "nan", "inf"],
)
def test_load_json_refuses_hostile_documents_with_a_value_error(text):
    with pytest.raises(UnreadableJSON):
        load_json(text)


def test_load_json_reads_ordinary_documents_as_json_does():
    text = json.dumps({"a": [1, 2.5, -3, None, True, "x"], "deep": [[[[1]]]], "big": 10**200})
    assert load_json(text) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Migrants at the Peru–Chile border", "migrants-at-the-peru-chile-border"),
        ("Peru—Chile", "peru-chile"),
        ("Arica/Tacna crossing", "arica-tacna-crossing"),
        ("“No migrants remain”, said the minister.", "no-migrants-remain-said-the-minister"),
        ("Niños y niñas", "ninos-y-ninas"),
        ("5.000 personas", "5-000-personas"),
    ],
)
def test_slug_for_turns_punctuation_between_words_into_a_hyphen(text, slug):
    assert slug_for(text) == slug


def test_a_claims_slug_keeps_words_apart_across_a_dash(researcher):
    from claims import services

    claim = services.claim_create(by=researcher, text="Peru–Chile border is closed")
    assert claim.slug == "peru-chile-border-is-closed"


def test_clean_text_can_leave_nul_for_the_caller_to_refuse():
    assert clean_text("a\x00b\x07c", keep_nul=True) == "a\x00bc"
