"""Named places, actors and organisations in a claim's wording.

A wording that replaces a place, a person or an organisation by another
("border with Ecuador" for "border with Chile") makes another claim, however
close the two sentences' embeddings are; `names_factor` says so.
"""

from __future__ import annotations

import re

from claims.search.text import fold, folded_words
from claims.search.wording_basics import (
    MULTIPLIERS,
    NEGATORS,
    STOP_WORDS,
    Wording,
    one_typo_apart,
    word_set,
)

# A bilingual gazetteer: each entry's forms (folded, whole words; Spanish
# demonyms with their gender and number) name one entity, so "Perú", "Peru",
# "peruano" and "Peruvian" agree and "Chile" and "Ecuador" do not.
_DEMONYM_ENDINGS = "(?:o|a|os|as)"
GAZETTEER = {
    "peru": r"peru|peruvians?|peruan" + _DEMONYM_ENDINGS,
    "chile": r"chile|chileans?|chilen" + _DEMONYM_ENDINGS,
    "venezuela": r"venezuela|venezuelans?|venezolan" + _DEMONYM_ENDINGS,
    "ecuador": r"ecuador|ecuadorians?|ecuatorian" + _DEMONYM_ENDINGS,
    "bolivia": r"bolivia|bolivians?|bolivian" + _DEMONYM_ENDINGS,
    "colombia": r"colombia|colombians?|colombian" + _DEMONYM_ENDINGS,
    "brazil": r"brazil|brasil|brazilians?|brasilen" + _DEMONYM_ENDINGS,
    "argentina": r"argentina|argentines?|argentinians?|argentin" + _DEMONYM_ENDINGS,
    "paraguay": r"paraguay|paraguayans?|paraguay" + _DEMONYM_ENDINGS,
    "uruguay": r"uruguay|uruguayans?|uruguay" + _DEMONYM_ENDINGS,
    "haiti": r"haiti|haitians?|haitian" + _DEMONYM_ENDINGS,
    "cuba": r"cuba|cubans?|cuban" + _DEMONYM_ENDINGS,
    "mexico": r"mexico|mexicans?|mexican" + _DEMONYM_ENDINGS,
    "panama": r"panama|panamanians?|panamen(?:o|a|os|as)",
    "guatemala": r"guatemala|guatemalans?|guatemaltec" + _DEMONYM_ENDINGS,
    "honduras": r"honduras|hondurans?|hondurenn?(?:o|a|os|as)",
    "nicaragua": r"nicaragua|nicaraguans?|nicaraguens(?:e|es)",
    "el salvador": r"el salvador|salvadorans?|salvadoren(?:o|a|os|as)",
    "dominican republic": r"dominican republic|republica dominicana|dominicans?|dominican"
    + _DEMONYM_ENDINGS,
    "costa rica": r"costa rica|costa ricans?|costarricens(?:e|es)",
    "united states": r"united states|estados unidos|eeuu|ee uu|americans?|estadounidens(?:e|es)"
    r"|norteamerican" + _DEMONYM_ENDINGS,
    "canada": r"canada|canadians?|canadiens(?:e|es)",
    "spain": r"spain|espana",
    "china": r"china|chinese",
    "lima": r"lima|limen" + _DEMONYM_ENDINGS,
    "tacna": r"tacna|tacnen" + _DEMONYM_ENDINGS,
    "arica": r"arica|ariquen" + _DEMONYM_ENDINGS,
    "santiago": r"santiago",
    "caracas": r"caracas",
    "bogota": r"bogota",
    "quito": r"quito",
    "la paz": r"la paz",
    "iquique": r"iquique",
    "tumbes": r"tumbes",
    "puno": r"puno",
    "desaguadero": r"desaguadero",
    "cusco": r"cusco|cuzco",
    "arequipa": r"arequipa",
    "chacalluta": r"chacalluta",
    "santa rosa": r"santa rosa",
    "colchane": r"colchane",
    "amnesty": r"amnesty international|amnistia internacional|amnesty|amnistia",
    # With the descriptions reporters use for them: "the UN migration agency".
    "iom": r"iom|oim|international organization for migration"
    r"|organizacion internacional (?:para|de) (?:las )?migracion(?:es)?"
    r"|(?:un|united nations)(?:'s|’s)? (?:migration agency|agency for migration)"
    r"|(?:agencia|organismo) (?:de la onu|de (?:las )?naciones unidas) (?:para|de) (?:las )?"
    r"migracion(?:es)?|(?:agencia|organismo) de (?:la )?migracion(?:es)? de (?:la onu|(?:las )?"
    r"naciones unidas)",
    "unhcr": r"unhcr|acnur|(?:un|united nations)(?:'s|’s)? (?:refugee agency|agency for refugees)"
    r"|(?:un|united nations) high commissioner for refugees"
    r"|(?:agencia|organismo) (?:de la onu|de (?:las )?naciones unidas) (?:para|de) (?:los )?"
    r"refugiados|alto comisionado de (?:las )?naciones unidas para (?:los )?refugiados",
    "united nations": r"united nations|naciones unidas|onu",
}
# Which entries are places (a place replaced by another place is another claim;
# so is an organisation or a person replaced by another).
_ORGANISATIONS = frozenset({"amnesty", "iom", "unhcr", "united nations"})
_GAZETTEER = re.compile(
    r"\b(?:" + "|".join(f"(?P<g{i}>{forms})" for i, forms in enumerate(GAZETTEER.values())) + r")\b"
)
_GAZETTEER_KEYS = list(GAZETTEER)
# Entries whose other forms are demonyms: "Haitians" names people, "Haiti" a
# place; one replaced by the other is not counted as a swap ("30 foreigners,
# mostly Haitians" and "30 foreigners, according to Peru's Foreign Ministry").
_COUNTRIES = frozenset(list(GAZETTEER)[: list(GAZETTEER).index("china") + 1]) - {"spain"}
# "US", "U.S.", "USA", "UN": only in capitals (never the pronoun "us", "un").
_CAPITAL_ABBREVIATIONS = re.compile(r"\b(?:U\.S\.A?\.?|USA|US|EE\. ?UU\.?|UN)\b")
_ABBREVIATION_KEYS = {"UN": "united nations"}
_UN_AGENCY = re.compile(
    r"(?:['’]s)?\s+(?:(?:migration|refugee) agency|agency for (?:migration|refugees)"
    r"|high commissioner for refugees)\b",
    re.IGNORECASE,
)
# Capitalised words that are not names: months, days, titles and institutions
# every country has (what a title names is the person or country beside it).
NOT_NAMES = word_set(
    """
    january february march april may june july august september october november december
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre monday tuesday wednesday thursday friday saturday sunday lunes martes miercoles
    jueves viernes sabado domingo
    i mr mrs ms dr sr sra don dona president presidenta presidente minister ministra ministro
    ministry ministerio foreign exteriores relaciones affairs interior national nacional
    police policia government gobierno congress congreso state estado states republic
    republica office oficina ombudsman defensoria pueblo people's cancilleria chancellery
    foreign ministry canciller chancellor army ejercito armed forces fuerzas armadas
    migration migraciones migracion superintendencia superintendency national
    emergency emergencia border frontera north south east west norte sur este oeste
    according segun tv
    """
)
_SENTENCE_START = re.compile(r"(?:^|[.!?¿¡:;\"“”«»()\[\]]\s*)$")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def read_names(text: str) -> frozenset[tuple[str, str]]:
    """The entities a wording names, as (kind, key): ("place", "peru") for
    "Perú", "Peru", "peruanos"; ("name", "boluarte") for a capitalised word
    not at the start of a sentence that the gazetteer does not know."""
    text = (text or "")[:500]
    found = set()
    for match in _CAPITAL_ABBREVIATIONS.finditer(text):
        if _UN_AGENCY.match(text, match.end()):
            continue  # "the UN migration agency" is the IOM (read from the gazetteer)
        key = _ABBREVIATION_KEYS.get(match.group(0), "united states")
        found.add(("organisation" if key in _ORGANISATIONS else "place", key))
    folded = fold(text)
    covered = set()
    for match in _GAZETTEER.finditer(folded):
        key = _GAZETTEER_KEYS[int(match.lastgroup[1:])]
        if key in _ORGANISATIONS:
            kind = "organisation"
        elif key in _COUNTRIES and fold(match.group(0)) != key and " " not in match.group(0):
            kind = "people"  # a demonym: "Haitians", "venezolanos"
        else:
            kind = "place"
        found.add((kind, key))
        covered.update(match.group(0).split())
    for match in _NAME_WORD.finditer(text):
        word = match.group(0)
        if not word[0].isupper() or _SENTENCE_START.search(text[: match.start()]):
            continue
        key = fold(re.split(r"['’]", word)[0])
        if len(key) < 2 or key in covered or key in STOP_WORDS or key in NOT_NAMES:
            continue
        if key in NEGATORS or key in MULTIPLIERS:
            continue
        found.add(("name", key))
    return frozenset(found)


def _missing_names(a: Wording, b: Wording) -> tuple[set, set]:
    """The entities each wording names that the other does not (a kind and a
    key). A name counts as present when the other wording names the same key
    (as a country or its demonym, in either language), has the word anywhere
    (lower case, first word of a sentence, a derivative, a typo), or has it as
    initials ("PPK" for "Pedro Pablo Kuczynski")."""
    words_a, words_b = folded_words(a.folded), folded_words(b.folded)
    initials_a, initials_b = _initials(words_a), _initials(words_b)

    def absent(entity, names, words, initials, own_words):
        kind, key = entity
        if key in {k for _kind, k in names}:
            return False
        if kind != "name":
            return True
        if key in initials or any(
            _is_initials(word, run) for run in _runs_with(own_words, key) for word in set(words)
        ):
            return False
        return not any(
            word == key
            or (min(len(word), len(key)) >= 4 and (word.startswith(key) or key.startswith(word)))
            or one_typo_apart(word, key)
            for word in words
        )

    return (
        {e for e in a.names if absent(e, b.names, words_b, initials_b, words_a)},
        {e for e in b.names if absent(e, a.names, words_a, initials_a, words_b)},
    )


def _initials(words: list[str]) -> dict[str, tuple[str, ...]]:
    """Initials of every run of 2-5 consecutive words: {"ppk": ("pedro", "pablo", "kuczynski")}."""
    found = {}
    for start in range(len(words)):
        for end in range(start + 2, min(start + 5, len(words)) + 1):
            run = tuple(words[start:end])
            found.setdefault("".join(w[0] for w in run), run)
    return found


def _runs_with(words: list[str], key: str) -> list[tuple[str, ...]]:
    return [run for run in _initials(words).values() if key in run]


def _is_initials(word: str, run: tuple[str, ...]) -> bool:
    return word == "".join(w[0] for w in run)


def names_factor(a: Wording, b: Wording) -> float:
    """0.55 when one wording names an entity (place, person, organisation) the
    other replaces by another of the same kind ("border with Ecuador" for
    "border with Chile"); 1 when they name the same ones in any order or
    language, or one only leaves a name out."""
    only_a, only_b = _missing_names(a, b)
    kinds_a = {kind for kind, _key in only_a}
    kinds_b = {kind for kind, _key in only_b}
    # A person or organisation named by a capitalised word the gazetteer does
    # not know may stand for a gazetteer entry in the other wording ("Amnistía").
    replaced = (
        kinds_a & kinds_b
        or ("name" in kinds_a and "organisation" in kinds_b)
        or ("organisation" in kinds_a and "name" in kinds_b)
    )
    return NAME_REPLACED_FACTOR if replaced else 1.0


NAME_REPLACED_FACTOR = 0.55


# --- Who does what to whom -------------------------------------------------------
# Two wordings can name the same places in exchanged roles: "Chile has
# deployed 180 police to its border with Peru" is not "Peru has deployed 180
# police to its border with Chile", though every word is the same. Roles are
# read only where the wording makes them plain, and compared only when both
# wordings read them; "between Peru and Chile", "the Peru–Chile border" and
# "Peru and Chile agreed" have none.
_ENTITY = r"(?P<entity>" + _GAZETTEER.pattern.removeprefix(r"\b(?:").removesuffix(r")\b") + r")"
# Whose authority acts for a country: "the Peruvian government", "la policía
# chilena", "the government of Peru".
_AUTHORITY_WORDS = (
    "government|authorities|police|army|military|armed forces|navy|president|foreign minister"
    "|foreign ministry|interior ministry|gobierno|autoridades|policia|ejercito|fuerzas armadas"
    "|presidente|presidenta|cancilleria|canciller|ministerio del interior|ministerio de"
    " relaciones exteriores"
)
_AUTHORITY = rf"(?:(?:{_AUTHORITY_WORDS})(?:\s+(?:of|de|del)(?:\s+(?:the|el|la))?)?\s+)"
_ARTICLE = r"(?:(?:the|el|la|los|las)\s+)"
# The subject: the wording starts with a country (or its authority), after at
# most a short opening clause that names none ("Al 26 de mayo, ...").
_SUBJECT = re.compile(rf"^{_ARTICLE}?{_AUTHORITY}?{_ENTITY}\b")
_OPENING_CLAUSE = re.compile(r"^[^,]{1,60},\s*")
# Coordinated or hyphenated with another ("Peru and Chile", "Peru-Chile"): no one agent.
_COORDINATED = re.compile(r"^\s*(?:,|and|or|y|e|o|&|-|–|—|/)\s")
_HYPHENATED = re.compile(r"^\s*[-–—/]")
# The agent of a passive: "180 police were deployed by Peru", "fueron
# desplegados por Perú".
_PASSIVE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|gets|got|es|son|fue|fueron|sido|sera|seran|ser)"
    r"\s+(?:[^\W\d_]+\s+)?(?P<participle>[^\W\d_]+)\s+(?:by|por)\s+"
    rf"{_ARTICLE}?{_AUTHORITY}?{_ENTITY}\b"
)
# The other side of a border: "its border with Chile", "la zona fronteriza con Perú".
_PARTNER = [
    re.compile(rf"\b(?:borders?|frontier|boundary)\s+with\s+{_ARTICLE}?{_ENTITY}\b"),
    re.compile(
        rf"\b(?:fronteras?|fronteriz[oa]s?|limites?)\s+(?:[^\W\d_]+\s+)?con\s+{_ARTICLE}?{_ENTITY}\b"
    ),
]
_SKIPPED_AFTER_SUBJECT = frozenset(_AUTHORITY_WORDS.replace("|", " ").split()) | {"s"}


def _entity_key(match: re.Match) -> str:
    return next(key for i, key in enumerate(_GAZETTEER_KEYS) if match.group(f"g{i}"))


def read_roles(text: str, canonical) -> frozenset[tuple[str, str, str]]:
    """Who acts and on which side, where plain: ("agent", "peru", "~send") for
    "Peru has deployed …" and "… were deployed by Peru" (with what the agent
    does, as `canonical` reads the first word after it: its verb, or the noun
    it qualifies), ("partner", "chile", "") for "… its border with Chile"."""
    folded = fold((text or "")[:500]).replace("’", "'")
    roles = set()
    passive = _PASSIVE.search(folded)
    if passive:
        roles.add(("agent", _entity_key(passive), canonical(passive.group("participle"))))
    else:
        opening = _OPENING_CLAUSE.match(folded)
        start = folded
        if opening and not _GAZETTEER.search(opening.group(0)):
            start = folded[opening.end() :]
        subject = _SUBJECT.match(start)
        if subject:
            rest = start[subject.end() :]
            if not (_COORDINATED.match(rest) or _HYPHENATED.match(rest)):
                predicate = next(
                    (
                        word
                        for word in _NAME_WORD.findall(rest.removeprefix("'s"))
                        if len(word) > 1
                        and word not in STOP_WORDS
                        and word not in NEGATORS
                        and word not in _SKIPPED_AFTER_SUBJECT
                    ),
                    None,
                )
                if predicate:
                    roles.add(("agent", _entity_key(subject), canonical(predicate)))
    for pattern in _PARTNER:
        roles.update(
            ("partner", _entity_key(match), "")
            for match in pattern.finditer(folded)
            # "the borders with Chile, Brazil and Ecuador": a list, not one side
            if not _COORDINATED.match(folded[match.end() :])
        )
    return frozenset(roles)


def _only_role(wording: Wording, role: str) -> tuple[str, str] | None:
    found = {(key, what) for kind, key, what in wording.roles if kind == role}
    return found.pop() if len(found) == 1 else None


def roles_exchanged(a: Wording, b: Wording) -> bool:
    """Both wordings name the same places, but a different one acts ("Chile
    has deployed … to its border with Peru" for "Peru has deployed … to its
    border with Chile"), or is across the border."""
    keys_a = {key for _kind, key in a.names}
    keys_b = {key for _kind, key in b.names}
    agent_a, agent_b = _only_role(a, "agent"), _only_role(b, "agent")
    if agent_a and agent_b:
        if agent_a[0] == agent_b[0]:
            return False
        # Only the same action done by the other ("Chile received" is not "Peru sent").
        if agent_a[1] == agent_b[1] and agent_a[0] in keys_b and agent_b[0] in keys_a:
            return True
    partner_a, partner_b = _only_role(a, "partner"), _only_role(b, "partner")
    return bool(
        partner_a
        and partner_b
        and partner_a[0] != partner_b[0]
        and partner_a[0] in keys_b
        and partner_b[0] in keys_a
    )
