"""claims/matching.py: existing claims that say the same thing as a new one.

The evaluation test runs on whichever database the suite uses, so CI measures
both the SQLite measure and the PostgreSQL one (candidates from the full-text
index, pg_trgm's similarity in the score).
"""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from claims import services
from claims.models import Claim
from claims.search import matching
from claims.search.wording import disagreement_factor, guess_language, read_wording
from tests.factories import make_draft, make_published
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

PAIRS = json.loads((Path(__file__).parent / "matching_pairs.json").read_text())["pairs"]
REQUIRED = 0.8


def test_the_evaluation_set_is_big_and_balanced_enough():
    assert len(PAIRS) >= 60
    for language in ("en", "es"):
        for same in (True, False):
            assert sum(p["language"] == language and p["same"] == same for p in PAIRS) >= 15
    kinds = {p["kind"] for p in PAIRS}
    assert {"word_order", "synonyms", "numbers", "typos", "accents"} <= kinds
    assert {"same_topic", "negation"} <= kinds


def test_possibly_the_same_has_the_required_precision_and_recall(researcher, capsys):
    existing = {}
    for pair in PAIRS:
        key = (pair["existing"], pair["language"])
        if key not in existing:
            existing[key] = services.claim_create(
                by=researcher, text=pair["existing"], language=pair["language"]
            )
    outcomes = {True: {"tp": 0, "fn": 0}, False: {"fp": 0, "tn": 0}}
    by_group: dict[str, list[int]] = {}
    misses = []
    for pair in PAIRS:
        target = existing[(pair["existing"], pair["language"])]
        results = matching.similar_claims(pair["new"], language=pair["language"], limit=100)
        flagged = any(r.claim.pk == target.pk for r in results)
        if pair["same"]:
            outcomes[True]["tp" if flagged else "fn"] += 1
        else:
            outcomes[False]["fp" if flagged else "tn"] += 1
        if flagged != pair["same"]:
            misses.append(f"{'missed' if pair['same'] else 'false match'}: {pair['new']}")
        group = "held out" if pair.get("held_out") else "tuning"
        by_group.setdefault(group, [0, 0, 0])  # tp, fp, positives
        by_group[group][0] += flagged and pair["same"]
        by_group[group][1] += flagged and not pair["same"]
        by_group[group][2] += pair["same"]
    tp, fn = outcomes[True]["tp"], outcomes[True]["fn"]
    fp = outcomes[False]["fp"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn)
    report = [
        f"claim matching on {connection.vendor}: {len(PAIRS)} pairs, "
        f"precision {precision:.3f}, recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})",
        *(
            f"  {group}: precision {g[0] / max(1, g[0] + g[1]):.3f}, recall {g[0] / g[2]:.3f}"
            for group, g in sorted(by_group.items())
        ),
        *(f"  {m}" for m in misses),
    ]
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert precision >= REQUIRED and recall >= REQUIRED, "\n".join(report)


def test_a_paraphrase_is_found_with_a_score_and_level(researcher):
    claim = make_draft(researcher, text="Chile sent 500 soldiers to the border with Peru.")
    make_draft(researcher, text="Inflation reached 8.5% in 2022.")
    [match] = matching.similar_claims("Chile deployed five hundred troops to the Peruvian border")
    assert match.claim == claim
    assert 0.7 <= match.score <= 1
    assert match.level in {matching.POSSIBLE, matching.LIKELY}


def test_the_thresholds_come_from_the_settings(researcher):
    make_draft(researcher, text="Water tariffs rose 40% in Arequipa this year.")
    text = "Water tarifs rose 40% in Arequipa this year"
    [match] = matching.similar_claims(text)
    assert match.level == matching.LIKELY
    with override_settings(CLAIM_MATCH_POSSIBLE=0.5, CLAIM_MATCH_LIKELY=0.999):
        assert matching.similar_claims(text)[0].level == matching.POSSIBLE
    with override_settings(CLAIM_MATCH_POSSIBLE=0.999, CLAIM_MATCH_LIKELY=0.999):
        assert matching.similar_claims(text) == []


def test_negated_and_different_figures_are_not_suggested(researcher):
    make_draft(researcher, text="Chile closed its border with Peru.")
    make_draft(researcher, text="Chile sent 500 soldiers to the border.")
    assert matching.similar_claims("Chile did not close its border with Peru.") == []
    assert matching.similar_claims("Chile sent 5,000 soldiers to the border.") == []


def test_published_and_in_progress_claims_are_both_listed(researcher, editor):
    published = make_published(researcher, editor, text="Migrants commit more crimes in Lima.")
    draft = make_draft(researcher, text="Migrants commit more crimes in Lima")
    found = {r.claim for r in matching.similar_claims("Immigrants commit more crimes in Lima")}
    assert found == {published, draft}


def test_merged_duplicates_and_the_claim_itself_are_left_out(researcher, editor, editor2):
    canonical = make_published(researcher, editor, text="Migrants commit more crimes in Lima.")
    duplicate = make_published(researcher, editor, text="Migrants commit more crimes in Lima")
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    text = "Migrants commit more crimes in Lima."
    assert [r.claim for r in matching.similar_claims(text)] == [canonical]
    assert matching.similar_claims(text, exclude_pk=canonical.pk) == []


def test_the_queryset_limits_where_to_look(researcher, editor):
    make_draft(researcher, text="Migrants commit more crimes in Lima.")
    public = Claim.objects.public()
    assert matching.similar_claims("Migrants commit more crimes in Lima", queryset=public) == []


def test_an_empty_or_wordless_text_matches_nothing(researcher):
    make_draft(researcher, text="Migrants commit more crimes in Lima.")
    assert matching.similar_claims("") == []
    assert matching.similar_claims("  ?!  ") == []
    assert matching.similar_claims("the of and") == []


def test_the_language_is_guessed_when_not_given():
    assert matching.guess_language("Los migrantes cometen más delitos que los peruanos") == "es"
    assert matching.guess_language("Migrants commit more crimes than Peruvians") == "en"


def _indexed(**shares):
    return {word: matching.IndexedWord((word,), share) for word, share in shares.items()}


def test_lookup_words_are_the_rarest_and_common_ones_are_left_out():
    lookup = [["arequipa"], ["tariffs", "tariff", "fee"], ["water"], ["rose", "rise"], ["2023"]]
    indexed = _indexed(
        arequipa=0.002, tariffs=0.004, tariff=0.001, fee=0.0, water=0.05, rose=0.03, rise=0.01
    )
    indexed["2023"] = matching.IndexedWord(("2023",), 0.001)
    chosen = matching.choose_lookup_words(lookup, indexed)
    # The rarest first; "water" and "rose" (with "rise") are common: the less
    # common of them tops the three rare words up to four.
    assert chosen == [["2023"], ["arequipa"], ["tariffs", "tariff", "fee"], ["rose", "rise"]]
    indexed["2023"] = matching.IndexedWord(("2023",), 0.5)
    chosen = matching.choose_lookup_words(lookup, indexed)
    assert len(chosen) == matching.MIN_LOOKUP_WORDS  # topped up with the least common


def test_a_stop_word_is_dropped_with_its_synonyms_and_unknown_synonyms_too():
    lookup = [["more", "over", "mas"], ["border", "frontier", "frontera"]]
    indexed = _indexed(mas=0.0, border=0.001, frontier=0.0)
    indexed["more"] = matching.IndexedWord((), 0.0)
    indexed["over"] = matching.IndexedWord((), 0.0)
    indexed["frontera"] = matching.IndexedWord((), 0.0)
    assert matching.choose_lookup_words(lookup, indexed) == [["border", "frontier"]]


def test_without_statistics_every_word_counts_as_rare_and_the_longest_come_first():
    lookup = matching._lookup_words("Chile sent 500 soldiers to its border with Peru.", "en")
    indexed = _indexed(**{w: 0.0 for alternatives in lookup for w in alternatives})
    chosen = [a[0] for a in matching.choose_lookup_words(lookup, indexed)]
    assert chosen == ["soldiers", "border", "chile", "sent", "peru", "500"]


def test_lookup_words_keep_accents_and_leave_out_figures_with_separators():
    words = [a[0] for a in matching._lookup_words("Perú envió 2.000 militares en 2015", "es")]
    assert words == ["militares", "envió", "perú", "2015"]


def test_a_paraphrase_needs_all_but_a_third_of_the_lookup_words():
    assert [matching.tolerant_need(n) for n in range(1, 9)] == [1, 2, 2, 3, 4, 4, 5, 6]


def test_numbers_are_read_whichever_way_they_are_written():
    def figures(text, language):
        return matching.read_wording(text, language).figures

    assert figures("two thousand migrants", "en") == figures("2,000 migrants", "en") == {"2000"}
    assert figures("dos mil migrantes", "es") == figures("2.000 migrantes", "es") == {"2000"}
    assert figures("8,5 por ciento", "es") == figures("8.5%", "en") == {"8.5%"}
    assert figures("3 million dollars", "en") == figures("$3,000,000", "en") == {"3000000"}
    assert figures("one in four", "en") == figures("25%", "en") == {"25%"}
    assert figures("la mitad", "es") == {"50%"}


def test_a_lookup_takes_a_constant_number_of_queries(researcher, django_assert_max_num_queries):
    for n in range(5):
        make_draft(researcher, text=f"Migrants commit more crimes in district {n} of Lima.")
    with django_assert_max_num_queries(3):
        results = matching.similar_claims("Migrants commit more crimes in district 3 of Lima")
    assert results[0].claim.text.startswith("Migrants commit more crimes in district 3")


@pytest.mark.parametrize(
    ("name", "value"),
    [("CLAIM_MATCH_POSSIBLE", "0"), ("CLAIM_MATCH_LIKELY", "1.5"), ("CLAIM_MATCH_LIKELY", "x")],
)
def test_a_threshold_outside_0_to_1_is_refused_at_startup(monkeypatch, name, value):
    from config.settings import _env_fraction

    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        _env_fraction(name, "0.5")


# --- The admin add form ----------------------------------------------------------------


def add_form_data(client, text, **extra):
    data = form_data(client.get(reverse("admin:claims_claim_add")), "claim_form")
    return {**data, "text": text, "language": "en", **extra}


def test_the_add_form_shows_similar_claims_before_saving(client, researcher):
    existing = make_draft(researcher, text="Chile sent 500 soldiers to the border with Peru.")
    client.force_login(researcher)
    url = reverse("admin:claims_claim_add")
    response = client.post(
        url, add_form_data(client, "Chile deployed 500 troops to the Peruvian border.")
    )
    assert response.status_code == 200
    assert Claim.objects.count() == 1
    page = response.content.decode()
    assert "may have logged this claim already" in page
    assert reverse("admin:claims_claim_change", args=[existing.pk]) in page
    assert 'name="confirm_new_claim"' in page

    response = client.post(
        url,
        add_form_data(
            client, "Chile deployed 500 troops to the Peruvian border.", confirm_new_claim="on"
        ),
    )
    assert response.status_code == 302
    assert Claim.objects.count() == 2


def test_the_add_form_saves_at_once_when_nothing_is_similar(client, researcher):
    make_draft(researcher, text="Chile sent 500 soldiers to the border with Peru.")
    client.force_login(researcher)
    response = client.post(
        reverse("admin:claims_claim_add"), add_form_data(client, "Inflation reached 8.5% in 2022.")
    )
    assert response.status_code == 302
    assert Claim.objects.count() == 2


# --- PostgreSQL -----------------------------------------------------------------------------


@pytest.fixture
def newsroom(researcher):
    """A few thousand generated claims, analysed, so the planner chooses as at scale."""
    call_command("generate_newsroom", claims=3000, stdout=StringIO())
    return Claim.objects.order_by("pk")


@pytest.mark.postgres
def test_similarity_lookups_use_the_full_text_index(newsroom):
    claim = newsroom.filter(language="en").last()
    with connection.cursor() as cursor:  # a few thousand rows: price the table scan out
        cursor.execute("SET LOCAL enable_seqscan = off")
    plans = PlanCollector()
    with connection.execute_wrapper(plans):
        results = matching.similar_claims(claim.text.replace(".", "!"))
    assert claim in [r.claim for r in results]
    assert plans.found
    for plan in plans.found:
        assert "claim_text_vector" in plan, plan
        assert not re.search(r"Seq Scan on claims_claim\b", plan), plan


@pytest.mark.postgres
def test_lookups_leave_common_words_out_once_statistics_exist(newsroom):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    text = "Migrants commit more crimes than Peruvians in Lima"
    lookup = matching._lookup_words(text, "en")
    words = sorted({w for alternatives in lookup for w in alternatives})
    indexed = matching.indexed_words(connection.alias, "en", words)
    assert indexed["more"].lexemes == ()  # an English stop word: not in the index
    assert indexed["migrants"].lexemes == ("migrant",)
    assert indexed["migrants"].share > matching.COMMON_SHARE  # in most generated templates
    chosen = [alternatives[0] for alternatives in matching.choose_lookup_words(lookup, indexed)]
    assert "more" not in chosen and "migrants" not in chosen
    assert "lima" in chosen


class PlanCollector:
    """Explain each SELECT on claims_claim as it runs (same SQL, same parameters)."""

    def __init__(self):
        self.found = []

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith("SELECT") and "claims_claim" in sql:
            with context["connection"].cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                self.found.append("\n".join(row[0] for row in cursor.fetchall()))
        return execute(sql, params, many, context)


@pytest.mark.parametrize(
    "a, b",
    [
        ("The migrant crisis has been overcome.", "The migrant crisis has worsened."),
        ("La crisis migratoria fue superada.", "La crisis migratoria se agravó."),
        ("Crime fell in 2023.", "Crime doubled in 2023."),
        ("Peru deployed police to the border.", "Peru withdrew police from the border."),
        ("Venezuelans entered Peru.", "Venezuelans left Peru."),
        ("Los venezolanos entraron al Perú.", "Los venezolanos salieron del Perú."),
        ("Boluarte declared a state of emergency.", "Boluarte lifted the state of emergency."),
        ("Most migrants want to stay in Peru.", "Most migrants want to leave Peru."),
        ("The ministry confirmed the figure.", "The ministry denied the figure."),
        ("El gobierno apoyó la reforma.", "El gobierno se opuso a la reforma."),
    ],
)
def test_opposite_verbs_flip_a_claim_as_a_negation_does(a, b):
    language = guess_language(a)
    factor = disagreement_factor(read_wording(a, language), read_wording(b, language))
    assert factor == 0.5


def test_a_double_negative_is_not_read_as_a_negation():
    at_least = read_wording("At least 300 people remain at the border.", "en")
    no_fewer = read_wording("No fewer than 300 people remain at the border.", "en")
    assert (no_fewer.words, no_fewer.figures, no_fewer.negated) == (
        at_least.words,
        at_least.figures,
        False,
    )
    assert not read_wording("No menos de 300 personas siguen en la frontera.", "es").negated


def test_negative_concord_counts_as_one_negation():
    assert read_wording("No queda ningún migrante en la frontera.", "es").negated
    assert read_wording("Ni Perú ni Chile enviaron policías.", "es").negated
    assert read_wording("Neither Peru nor Chile sent police.", "en").negated


# --- Issue 15, round 3: regressions of round 2, and named places and actors ---------


def test_a_second_no_in_spanish_undoes_the_first():
    # Negative concord absorbs n-words (ningún, nada, ni...), not a second "no".
    assert not read_wording("No es cierto que no haya migrantes en la frontera.", "es").negated
    assert read_wording("No es cierto que haya migrantes en la frontera.", "es").negated
    assert read_wording("No es cierto que no quede ningún migrante.", "es").negated is False


@pytest.mark.parametrize(
    "left, remain",
    [
        (
            "Not one migrant is left stranded at the border.",
            "No migrants remain stranded at the border.",
        ),
        (
            "About 30 foreigners were left behind at the border.",
            "About 30 foreigners remain at the border.",
        ),
    ],
)
def test_is_left_and_left_stranded_mean_remain_not_leave(left, remain):
    a, b = read_wording(left, "en"), read_wording(remain, "en")
    assert disagreement_factor(a, b) == 1.0
    # "have left" is still the verb, the opposite of "remain".
    gone = read_wording("About 30 foreigners have left the border.", "en")
    stay = read_wording("About 30 foreigners remain at the border.", "en")
    assert disagreement_factor(gone, stay) == 0.5


@pytest.mark.parametrize("separator", [" ", "\u00a0", "\u202f", "\u2009"])
def test_a_space_as_thousands_separator_is_one_figure(separator):
    spaced = read_wording(f"Ingresaron al Perú 800{separator}000 venezolanos.", "es")
    assert spaced.figures == {"800000"}
    # A year beside a figure is not read as thousands.
    assert read_wording("In 2023 300 people crossed.", "en").figures == {"2023", "300"}


@pytest.mark.parametrize(
    "text, figures",
    [
        ("Un setenta por ciento de los migrantes quiere ir a Venezuela.", {"70%"}),
        ("Unos cien venezolanos regresaron.", {"100"}),
        ("Un millón de venezolanos entraron.", {"1000000"}),
        ("Una de cada cuatro personas.", {"25%"}),
    ],
)
def test_an_article_before_a_spanish_number_word_is_not_the_figure_one(text, figures):
    assert read_wording(text, "es").figures == figures


@pytest.mark.parametrize(
    "a, b, language",
    [
        (
            "Peru has deployed 180 police officers to its border with Chile.",
            "Peru has deployed 180 police officers to its border with Ecuador.",
            "en",
        ),
        (
            "No migrants remain stranded at the Peru–Chile border.",
            "No migrants remain stranded at the Peru–Bolivia border.",
            "en",
        ),
        (
            "Solo el 5 % de los migrantes quiere quedarse en Perú.",
            "Solo el 5 % de los migrantes quiere quedarse en Chile.",
            "es",
        ),
        (
            "Venezuelan migrants are behind the rise in crime in Lima.",
            "Colombian migrants are behind the rise in crime in Lima.",
            "en",
        ),
        (
            "The report was published by Amnesty International.",
            "The report was published by Human Rights Watch.",
            "en",
        ),
    ],
)
def test_a_place_or_actor_replaced_by_another_is_another_claim(a, b, language):
    factor = disagreement_factor(read_wording(a, language), read_wording(b, language))
    assert factor == 0.55


@pytest.mark.parametrize(
    "a, language_a, b, language_b",
    [
        # Order swapped.
        (
            "Migrants tried to cross the border between Chile and Peru.",
            "en",
            "Migrants tried to cross the border between Peru and Chile.",
            "en",
        ),
        # The same places in the other language, as countries or demonyms.
        (
            "11% of the migrants want to reach Mexico or the United States.",
            "en",
            "El 11 % de los migrantes quiere llegar a México o a Estados Unidos.",
            "es",
        ),
        (
            "800,000 Venezuelans entered Peru.",
            "en",
            "Ochocientos mil venezolanos ingresaron al Perú.",
            "es",
        ),
        ("La OIM ayudó a los peruanos en Tacna.", "es", "The IOM helped Peruvians in Tacna.", "en"),
        # A name left out, not replaced.
        (
            "Peru has deployed 180 police officers to its border with Chile.",
            "en",
            "Peru has deployed 180 police officers to its border.",
            "en",
        ),
        # Initials for the full name.
        (
            "800,000 Venezuelans entered Peru under Pedro Pablo Kuczynski.",
            "en",
            "800,000 Venezuelans entered Peru under PPK.",
            "en",
        ),
        # People (a demonym) beside a place (a source) is not a swap.
        (
            "About 30 foreigners, mostly Haitians, remain at the border.",
            "en",
            "About 30 foreigners remain at the border, according to Peru's Foreign Ministry.",
            "en",
        ),
    ],
)
def test_the_same_places_and_actors_in_any_order_or_language_agree(a, language_a, b, language_b):
    assert disagreement_factor(read_wording(a, language_a), read_wording(b, language_b)) == 1.0
