"""Reading a claim's wording for matching: which existing claims say the same thing as a new one.

`similar_claims(text)` lists existing claims (published fact-checks and claims
in progress) that probably make the same claim, with a score in [0, 1] and a
level: "possible" (shown as a suggestion) or "likely" (highlighted). The two
thresholds are settings (`CLAIM_MATCH_POSSIBLE`, `CLAIM_MATCH_LIKELY`).
Nothing is merged automatically; an editor decides (`services.claim_merge`).

How two wordings are compared, on both databases:

1. Each is reduced to content words: accents and case folded, numbers written
   in words or with separators turned into values ("two thousand", "2,000" and
   "2.000" are all 2000; "por ciento", "percent" and "%" mark a percentage),
   stop words dropped, words stemmed (Snowball, in the claim's language), and
   common newsroom synonyms mapped to one word ("deployed"/"sent",
   "sueldo"/"salario").
2. Content words are paired up: equal, one a prefix of the other ("Peru",
   "Peruvian"), or one typo apart.
3. The score mixes the share of paired words with the trigram similarity of
   the two wordings, and is cut when the claims disagree on what makes them
   different claims: a word replaced by an unrelated one ("Arequipa" for
   "Cusco", "rose" for "fell", "pulled back" for "deployed", "got out of"
   for "stay"), different figures (another date, "over 100" for "up to 100";
   "one in nine" is 11 % but not 10 %), one of them negated ("zero migrants"
   and "all the migrants have gone" say none remain), or the same places in
   exchanged roles ("Chile … its border with Peru").
   Which places and actors a wording names is read in `claims.search.names`;
   the word lists and phrase rewrites are in `claims.search.vocabulary`.

Finding candidates: on PostgreSQL, a GIN index on the claims' wording alone
(migration 0009), looked up by the new wording's rarer content words (how
common each word is comes from PostgreSQL's statistics on that index), with
synonyms, and scored with `pg_trgm`'s similarity; on SQLite, a bounded set of
recent claims sharing a content word, with the same trigram measure computed
in Python.
"""

from __future__ import annotations

import re
from functools import lru_cache

from text_to_num import alpha2digit

from claims.search.dates import dates_disagree, read_dates
from claims.search.names import (
    NAME_REPLACED_FACTOR,
    names_factor,
    read_names,
    read_roles,
    roles_exchanged,
)
from claims.search.text import fold, folded_words, stem
from claims.search.vocabulary import ANTONYMS, CONCORD, PHRASES, SYNONYMS
from claims.search.wording_basics import (
    MULTIPLIERS,
    NEGATORS,
    STOP_WORDS,
    Wording,
    one_typo_apart,
    word_set,
)

STEM_LANGUAGES = {"en": "english", "es": "spanish", "pt": "portuguese", "fr": "french"}
NUMBER_WORD_LANGUAGES = {"en", "es", "pt", "fr"}

# --- Reducing a wording to what it claims ----------------------------------------

# A bound on the figure that follows (folded text, after PHRASES): "over 100"
# and "up to 100" say different things of the same 100. Read as a marker word
# the figure takes (`Wording.bounds`).
_LOWER_BOUND = (
    "more than|over|at least|upwards of|above|greater than|in excess of"
    "|mas de|al menos|por lo menos|como minimo|un minimo de|superior a|superiores a|arriba de"
)
_UPPER_BOUND = (
    "up to|at most|at the most|fewer than|less than|under|below"
    "|hasta|como maximo|a lo sumo|un maximo de|menos de|inferior a|inferiores a"
)
_BOUNDS = [
    (re.compile(rf"\b(?:{words})\s+(?=(?:an?\s+|un\s+|una\s+)?\d)"), marker)
    for words, marker in ((_LOWER_BOUND, " boundlower "), (_UPPER_BOUND, " boundupper "))
]
_BOUND_MARKERS = {"boundlower": ">", "boundupper": "<"}
_SHARE_MARKER = "sharemark"
# "800 000", "800 000" (no-break or thin space as the thousands separator).
_SPACED_THOUSANDS = re.compile(r"\b(\d{1,3})((?:[ \u00a0\u2009\u202f]\d{3})+)\b")
# "un setenta por ciento", "unos cien": an article before a number word, not
# the figure 1 ("un millón" stays one million).
_SPANISH_ARTICLE_BEFORE_NUMBER = re.compile(
    r"\b(?:unos|unas)\s+(?=\d|(?:dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|"
    r"veinte|veinti\w+|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien|ciento|"
    r"\w+cientos|\w+cientas|quinientos|quinientas|mil)\b)"
    r"|\b(?:un|una)\s+(?=(?:dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|"
    r"veinte|veinti\w+|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien|ciento|"
    r"\w+cientos|\w+cientas|quinientos|quinientas)\b)",
    re.IGNORECASE,
)
_SMALL_NUMBERS = {
    **dict.fromkeys(["a", "an", "one", "un", "uno", "una"], 1),
    **dict.fromkeys(["two", "dos"], 2),
    **dict.fromkeys(["three", "tres"], 3),
    **dict.fromkeys(["four", "cuatro"], 4),
    **dict.fromkeys(["five", "cinco"], 5),
}
# "one in four", "uno de cada cuatro", "2 out of 3": a share, as a percentage.
_RATIO = re.compile(
    r"\b(\d+|" + "|".join(_SMALL_NUMBERS) + r")\s+(?:in|out of|de cada|of every)\s+(\d+)\b"
)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|%|[^\W\d_]+")
_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")


@lru_cache(maxsize=4)
def _synonym_map(language: str) -> dict[str, str]:
    mapping = {}
    for group in SYNONYMS:
        words = group.split()
        canonical = "~" + words[0]
        for word in words:
            mapping.setdefault(word, canonical)
            mapping.setdefault(stem(word, language), canonical)
    return mapping


def guess_language(text: str) -> str:
    return guess_language_if_clear(text) or "en"


def guess_language_if_clear(text: str) -> str | None:
    """ "es" or "en" when the text's function words say so; None on a tie
    (a short wording such as "Inflación llegó a 8%" has none)."""
    words = folded_words(text)
    spanish = sum(w in _SPANISH_HINTS for w in words)
    english = sum(w in _ENGLISH_HINTS for w in words)
    if spanish == english:
        return None
    return "es" if spanish > english else "en"


_SPANISH_HINTS = word_set("el la los las de del que en y por para con se su una es son no")
_ENGLISH_HINTS = word_set("the of to and in is are was for with on that by its not")


def _number(text: str) -> float | None:
    if _THOUSANDS.match(text):
        return float(re.sub(r"[.,]", "", text))
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _ratio_as_percentage(match: re.Match) -> str:
    part, whole = match.group(1), int(match.group(2))
    part = _SMALL_NUMBERS.get(part) or int(part)
    if not whole or part > whole:
        return match.group(0)
    # Marked as a share: compared at the precision of the other wording's
    # percentage ("one in nine" is 11 % and 11.1 %, not 10 %).
    return f" sharemark {100 * part / whole:.6f} %"


def _figure(value: float, percent: bool) -> str:
    shown = f"{value:.6f}".rstrip("0").rstrip(".")
    return shown + ("%" if percent else "")


@lru_cache(maxsize=4096)
def read_wording(text: str, language: str) -> Wording:
    """Reduce a wording to its content words, figures and polarity."""
    language = language if language in STEM_LANGUAGES else "en"
    stemmer_language = STEM_LANGUAGES[language]
    prepared = re.sub(r"n[’']t\b", " not", text or "", flags=re.IGNORECASE)
    prepared = prepared.replace("$", " dollars ").replace("€", " euros ")
    prepared = _SPACED_THOUSANDS.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), prepared)
    if language == "es":
        prepared = _SPANISH_ARTICLE_BEFORE_NUMBER.sub("", prepared)
    if language in NUMBER_WORD_LANGUAGES:
        prepared = alpha2digit(prepared, language)
    prepared, dates = read_dates(prepared)
    folded = fold(prepared)
    for pattern, replacement in PHRASES:
        folded = re.sub(pattern, replacement, folded)
    for pattern, marker in _BOUNDS:
        folded = pattern.sub(marker, folded)
    folded = _RATIO.sub(_ratio_as_percentage, folded)
    tokens = _TOKEN.findall(folded)
    synonyms = _synonym_map(stemmer_language)
    words, figures, negations, spelled = set(), set(), 0, set()
    bounds, bound, shares, share = set(), None, set(), False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token in _BOUND_MARKERS:
            bound = _BOUND_MARKERS[token]
        elif token == _SHARE_MARKER:
            share = True
        elif token[0].isdigit():
            value = _number(token)
            if value is None:
                continue
            while index < len(tokens) and tokens[index] in MULTIPLIERS:
                value *= MULTIPLIERS[tokens[index]]
                index += 1
            percent = index < len(tokens) and tokens[index] == "%"
            index += percent
            figures.add(_figure(value, percent))
            if share:
                shares.add(_figure(value, percent))
                share = False
            if bound:
                bounds.add((_figure(value, percent), bound))
                bound = None
        elif token in NEGATORS:
            if not (negations and token in CONCORD.get(language, ())):
                negations += 1
        elif len(token) > 1 and token not in STOP_WORDS:
            stemmed = stem(token, stemmer_language)
            word = synonyms.get(token) or synonyms.get(stemmed) or stemmed
            words.add(word)
            spelled.add((word, token))
    return Wording(
        frozenset(words),
        frozenset(figures),
        negations % 2 == 1,
        fold(text or ""),
        tuple(sorted(spelled)),
        read_names(text),
        read_roles(text, lambda word: synonyms.get(word) or _stem_synonym(word, stemmer_language)),
        dates,
        frozenset(bounds),
        frozenset(shares),
    )


def _stem_synonym(word: str, stemmer_language: str) -> str:
    stemmed = stem(word, stemmer_language)
    return _synonym_map(stemmer_language).get(stemmed) or stemmed


# --- Comparing two wordings --------------------------------------------------------


def _same_word(a: str, b: str, spelled_a: set[str], spelled_b: set[str]) -> bool:
    if a == b:
        return True
    if not (a.startswith("~") or b.startswith("~")):
        shorter, longer = sorted((a, b), key=len)
        # "peru"/"peruvian", "lim"/"limen" (Lima, limeño): a stem and its derivative.
        if longer.startswith(shorter) and (
            len(shorter) >= 4 or (len(shorter) == 3 and len(longer) - len(shorter) <= 2)
        ):
            return True
        if one_typo_apart(a, b):
            return True
    return any(one_typo_apart(x, y) for x in spelled_a for y in spelled_b)


def _spellings(wording: Wording) -> dict[str, set[str]]:
    spellings: dict[str, set[str]] = {}
    for word, written in wording.spelled:
        spellings.setdefault(word, set()).add(written)
    return spellings


def _pair_words(a: Wording, b: Wording) -> tuple[int, set[str], set[str]]:
    only_a, only_b = set(a.words - b.words), set(b.words - a.words)
    paired = len(a.words & b.words)
    spelled_a, spelled_b = _spellings(a), _spellings(b)
    for word in sorted(only_a, key=len, reverse=True):
        match = next(
            (
                other
                for other in sorted(only_b)
                if _same_word(word, other, spelled_a.get(word, set()), spelled_b.get(other, set()))
            ),
            None,
        )
        if match is not None:
            only_a.discard(word)
            only_b.discard(match)
            paired += 1
    return paired, only_a, only_b


def trigrams(folded: str) -> frozenset[str]:
    """pg_trgm's trigrams: each word padded with two spaces before, one after."""
    found = set()
    for word in _WORD_CHARS.findall(folded):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(found)


_WORD_CHARS = re.compile(r"[^\W_]+")


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity()` on folded text, for databases without it."""
    ta, tb = trigrams(fold(a)), trigrams(fold(b))
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


def wording_similarity(a: Wording, b: Wording, trigram: float) -> float:
    """How likely two wordings make the same claim, in [0, 1].

    `trigram` is the trigram similarity of the two texts (pg_trgm's on
    PostgreSQL, `trigram_similarity` elsewhere).
    """
    if not a.tokens or not b.tokens:
        return 0.0
    paired, only_a, only_b = _pair_words(a, b)
    figures_a, figures_b = _aligned_figures(a, b)
    paired += len(figures_a & figures_b)
    replaced = min(len(only_a), len(only_b))
    added = len(only_a) + len(only_b) - 2 * replaced
    # A word replaced by an unrelated one ("Cusco" for "Arequipa") is the
    # strongest sign of a different claim; a word only one wording has (an
    # aside, a filler) counts far less.
    words = paired / (paired + 3 * replaced + 0.5 * added) if paired else 0.0
    score = (0.7 * words + 0.3 * trigram) * 0.9**replaced
    score *= _disagreement_factor(a, b, only_a, only_b)
    return round(min(score, 1.0), 4)


def disagreement_factor(a: Wording, b: Wording) -> float:
    """How much two wordings' figures and polarity let them be the same claim:
    1 when they agree, down to 0.275 for different figures and opposite polarity.

    Sentence embeddings barely tell "180 police" from "200 police", or "has
    been overcome" from "has not been overcome": the semantic score is
    multiplied by this, as the word score is.
    """
    _paired, only_a, only_b = _pair_words(a, b)
    return _disagreement_factor(a, b, only_a, only_b) * names_factor(a, b)


def _disagreement_factor(a: Wording, b: Wording, only_a: set[str], only_b: set[str]) -> float:
    factor = 1.0
    figures_a, figures_b = _aligned_figures(a, b)
    if (
        (figures_a and figures_b and figures_a != figures_b)
        or dates_disagree(a.dates, b.dates)
        or _opposite_bounds(a, b)
    ):
        factor *= 0.55
    elif bool(a.figures) != bool(b.figures):
        factor *= 0.85
    flips = (a.negated != b.negated) + sum(
        1 for x in only_a for y in only_b if frozenset((x, y)) in ANTONYMS
    )
    if flips % 2:
        factor *= 0.5
    if roles_exchanged(a, b):
        factor *= NAME_REPLACED_FACTOR
    return factor


def _aligned_figures(a: Wording, b: Wording) -> tuple[frozenset[str], frozenset[str]]:
    """Both wordings' figures, with a share ("one in nine": 11.111111 %) read
    as the other wording's percentage when it rounds to it at the precision
    that percentage is stated ("11 %", "11.1 %"; not "10 %")."""
    return _align_shares(a, b.figures), _align_shares(b, a.figures)


def _align_shares(wording: Wording, others: frozenset[str]) -> frozenset[str]:
    if not wording.shares:
        return wording.figures
    figures = set(wording.figures)
    for share in wording.shares - others:
        value = float(share.removesuffix("%"))
        for other in others:
            if not other.endswith("%"):
                continue
            stated = other.removesuffix("%")
            decimals = len(stated.partition(".")[2])
            if round(value, decimals) == float(stated):
                figures.discard(share)
                figures.add(other)
                break
    return frozenset(figures)


def _opposite_bounds(a: Wording, b: Wording) -> bool:
    """ "Over 100" and "up to 100": the same figure bounded from opposite sides
    (a bound only one wording gives costs nothing)."""
    opposite = {">": "<", "<": ">"}
    return any((figure, opposite[side]) in b.bounds for figure, side in a.bounds)
