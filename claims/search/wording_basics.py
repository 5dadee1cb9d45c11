"""What every part of reading a wording shares: the reduced `Wording`, the
word lists the others build on, and how far apart two spellings may be.

`claims.search.wording` reduces and compares wordings; `claims.search.names`
reads the places and actors they name. Both import from here, not from each
other's internals.
"""

from __future__ import annotations

from dataclasses import dataclass


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = word_set(
    """
    a an the this that these those it its it's their there here and or but so as of to in on
    at by for with from into onto than then be is are was were been being am have has had
    having do does did doing will would shall should can could may might must also just
    which who whom whose what when where how i we you he she they them his her our your
    some any such very too up out per about all
    todo toda todos todas
    el la los las lo un una unos unas de del al a en y e o u que con por para se su sus es
    son era eran fue fueron ser sido siendo ha han he hemos habia hay esta estan estaba
    este esto estos estas ese esa esos esas como pero muy ya todavia aun va van ir le les
    me mi mis nos os te tu tus usted ustedes el ella ellos ellas cual cuales quien quienes
    donde cuando sobre entre hasta desde segun sea
    """
)
NEGATORS = word_set(
    """
    not no never none nobody nothing neither nor cannot
    nunca jamas tampoco ni ningun ninguno ninguna nadie nada
    """
)
MULTIPLIERS = {
    "thousand": 1e3,
    "thousands": 1e3,
    "mil": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "millon": 1e6,
    "millones": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "1000": 1e3,
    "1000000": 1e6,
    "1000000000": 1e9,
}


@dataclass(frozen=True)
class Wording:
    """A claim's wording reduced to what it claims."""

    words: frozenset[str]  # canonical content words, without figures
    figures: frozenset[str]
    negated: bool
    folded: str  # for trigram similarity
    spelled: tuple[tuple[str, str], ...] = ()  # (word, how it was written), for typos
    names: frozenset[tuple[str, str]] = frozenset()  # places and actors (`names.read_names`)
    roles: frozenset[tuple[str, str, str]] = frozenset()  # who does what (`names.read_roles`)
    dates: frozenset = frozenset()  # `dates.Date`s, kept apart from the figures
    bounds: frozenset[tuple[str, str]] = (
        frozenset()
    )  # (figure, "<" or ">"): "up to 100", "over 100"
    shares: frozenset[str] = frozenset()  # figures read from "one in nine", "uno de cada nueve"

    @property
    def tokens(self) -> frozenset[str]:
        return self.words | self.figures


def one_typo_apart(a: str, b: str) -> bool:
    """A letter missing, added, changed, or two neighbours swapped (words of 4+ letters)."""
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
