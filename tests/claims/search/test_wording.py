"""The rules that cut a match when two wordings disagree (claims/search/wording.py,
names.py, dates.py): roles, dates, phrasal verbs and bounds (issue 15, round 5);
shares, "zero" and "all have gone", UN agencies by description, leaving and
crossing against staying (round 6).

Each pins a class of errors found on a round's held-out pairs (round 4's for
round 5, round 5's for round 6), in English and Spanish, with the paraphrases
the rule must leave alone.
"""

import pytest

from claims.search.wording import (
    disagreement_factor,
    read_wording,
    trigram_similarity,
    wording_similarity,
)

SAME, DIFFERENT_FIGURE, OPPOSITE = 1.0, 0.55, 0.5
PERU_SENDS = (
    "Perú enviará un contingente de 200 policías para patrullar la zona fronteriza con Chile."
)
CHILE_SENDS = (
    "Chile enviará un contingente de 200 policías para patrullar la zona fronteriza con Perú."
)


def factor(a: str, b: str, language: str = "en", other_language: str | None = None) -> float:
    return disagreement_factor(
        read_wording(a, language), read_wording(b, other_language or language)
    )


def word_score(a: str, b: str, language: str) -> float:
    return wording_similarity(
        read_wording(a, language), read_wording(b, language), trigram_similarity(a, b)
    )


# --- Roles: who acts, and on which side of the border ------------------------------


@pytest.mark.parametrize(
    "a, b, language",
    [
        (
            "Chile has deployed 180 national police officers to its border with Peru.",
            "Peru has deployed 180 national police officers to its border with Chile.",
            "en",
        ),
        (
            CHILE_SENDS,
            PERU_SENDS,
            "es",
        ),
        (
            "The Chilean government sent 180 police officers to the border with Peru.",
            "The Peruvian government sent 180 police officers to the border with Chile.",
            "en",
        ),
        (
            "180 police were deployed by Chile to its border with Peru.",
            "Peru has deployed 180 police officers to its border with Chile.",
            "en",
        ),
        (
            "Police officers were deployed to Chile's border with Peru.",
            "Police officers were deployed to Peru's border with Chile.",
            "en",
        ),
        (
            "El gobierno chileno desplegó 180 policías en la frontera con Perú.",
            "El gobierno peruano desplegó 180 policías en la frontera con Chile.",
            "es",
        ),
    ],
)
def test_the_same_places_in_exchanged_roles_are_another_claim(a, b, language):
    assert factor(a, b, language) == DIFFERENT_FIGURE
    # The words are the same; the word score is cut too, below "likely".
    assert word_score(a, b, language) < 0.9


@pytest.mark.parametrize(
    "a, b, language",
    [
        (
            "300 people remained stranded at the border between Peru and Chile.",
            "300 people remained stranded at the border between Chile and Peru.",
            "en",
        ),
        (
            "300 people remained stranded at the Peru–Chile border.",
            "300 people remained stranded at the Chile-Peru border.",
            "en",
        ),
        (
            "Peru and Chile agreed to open a humanitarian corridor.",
            "Chile and Peru agreed to open a humanitarian corridor.",
            "en",
        ),
        (
            "150 migrantes seguían varados en la frontera entre Perú y Chile.",
            "150 migrantes seguían varados en la frontera entre Chile y Perú.",
            "es",
        ),
        (
            "Perú y Chile acordaron abrir un corredor humanitario.",
            "Chile y Perú acordaron abrir un corredor humanitario.",
            "es",
        ),
        (
            "180 police were deployed by Peru to its border with Chile.",
            "Peru has deployed 180 national police officers to its border with Chile.",
            "en",
        ),
        (
            "200 policías serán enviados por Perú a la zona fronteriza con Chile.",
            PERU_SENDS,
            "es",
        ),
        (
            "Boluarte declared a state of emergency on the borders with Chile, Brazil and Ecuador.",
            "Boluarte declared a state of emergency on the borders with Ecuador, Brazil and Chile.",
            "en",
        ),
    ],
)
def test_symmetric_relations_passives_and_lists_stay_paraphrases(a, b, language):
    assert factor(a, b, language) == SAME


def test_roles_compare_only_the_same_action():
    # "Chile received" and "Peru sent" name the same exchange from either side.
    assert (
        factor(
            "Chile received 180 police officers from Peru.",
            "Peru sent 180 police officers to Chile.",
        )
        == SAME
    )


def test_exchanged_roles_are_read_across_languages():
    assert (
        factor(
            "Chile will send 200 police officers to patrol its border with Peru.",
            PERU_SENDS,
            "en",
            "es",
        )
        == DIFFERENT_FIGURE
    )
    assert (
        factor(
            "Peru will send 200 police officers to patrol its border with Chile.",
            PERU_SENDS,
            "en",
            "es",
        )
        == SAME
    )


# --- Dates: a month is a figure --------------------------------------------------


@pytest.mark.parametrize(
    "a, b, language",
    [
        (
            "Al 26 de mayo, 150 refugiados y migrantes seguían varados en la frontera.",
            "Al 26 de abril, 150 refugiados y migrantes seguían varados en la frontera.",
            "es",
        ),
        (
            "As of May 26, 150 migrants were stranded at the border.",
            "As of April 26, 150 migrants were stranded at the border.",
            "en",
        ),
        ("On Apr. 26 the border was closed.", "On May 26 the border was closed.", "en"),
        ("The border was closed on 26 April.", "The border was closed on 26 June.", "en"),
        ("The border closed in May 2023.", "The border closed in May 2022.", "en"),
        (
            "Más de 100 venezolanos regresaron a comienzos de mayo.",
            "Más de 100 venezolanos regresaron a comienzos de abril.",
            "es",
        ),
        (
            "El 3 de marzo de 2023 cerró la frontera.",
            "El 3 de marzo de 2024 cerró la frontera.",
            "es",
        ),
    ],
)
def test_another_month_or_year_is_another_figure(a, b, language):
    assert factor(a, b, language) == DIFFERENT_FIGURE


@pytest.mark.parametrize(
    "a, b, language, other_language",
    [
        (
            "As of April 26, 150 migrants were stranded at the border.",
            "Al 26 de abril, 150 migrantes seguían varados en la frontera.",
            "en",
            "es",
        ),
        (
            "150 migrants were stranded at the border on 26 April.",
            "As of April 26th, 150 migrants were stranded at the border.",
            "en",
            "en",
        ),
        (
            "The border closed on May 26, 2023.",
            "The border closed in May 2023.",
            "en",
            "en",
        ),
        # A date only one wording gives is left out, not contradicted.
        (
            "On May 22, 180 police officers were sent to the border.",
            "180 police officers were sent to the border.",
            "en",
            "en",
        ),
        (
            "El 22 de mayo, los cancilleres dieron por superada la crisis.",
            "Los cancilleres dieron por superada la crisis.",
            "es",
            "es",
        ),
    ],
)
def test_the_same_date_or_a_date_left_out_costs_nothing(a, b, language, other_language):
    assert factor(a, b, language, other_language) == SAME


def test_may_the_verb_is_not_a_month():
    wording = read_wording("Prices may rise 26 percent this year.", "en")
    assert not wording.dates and wording.figures == {"26%"}
    assert read_wording("On May 26 prices rose.", "en").dates


# --- Phrasal verbs in the opposite-verb groups ----------------------------------


@pytest.mark.parametrize(
    "a, b, language",
    [
        (
            "Peru has pulled 180 national police officers back from its border with Chile.",
            "Peru has deployed 180 national police officers to its border with Chile.",
            "en",
        ),
        (
            "Peru pulled out 180 police officers from its border with Chile.",
            "Peru sent 180 police officers to its border with Chile.",
            "en",
        ),
        (
            "The army drew down its troops at the border.",
            "The army deployed its troops at the border.",
            "en",
        ),
        (
            "Perú repliega 180 policías de la frontera con Chile.",
            "Perú despliega 180 policías en la frontera con Chile.",
            "es",
        ),
        ("Fuel prices came down in 2023.", "Fuel prices went up in 2023.", "en"),
        ("The tax drove fuel prices up.", "The tax brought fuel prices down.", "en"),
        (
            "The government shut down the border crossing.",
            "The government opened the border crossing.",
            "en",
        ),
    ],
)
def test_a_phrasal_verb_is_read_as_the_verb_it_means(a, b, language):
    assert factor(a, b, language) == OPPOSITE


def test_a_phrasal_verb_with_the_same_meaning_is_a_paraphrase():
    assert (
        factor(
            "Peru pulled 180 police officers back from the border.",
            "Peru withdrew 180 police officers from the border.",
        )
        == SAME
    )
    assert (
        factor(
            "Perú retiró 180 policías de la frontera.",
            "Peru pulled 180 police officers back from the border.",
            "es",
            "en",
        )
        == SAME
    )


def test_sent_home_is_not_the_verb_send_and_is_left_still_means_remain():
    home = read_wording("Chile sent 300 migrants home.", "en")
    assert "~expel" in home.words and "~send" not in home.words
    assert "~expel" in read_wording("Chile mandó de vuelta a 300 migrantes.", "es").words
    assert (
        factor(
            "Not one migrant is left stranded at the border.",
            "No migrants remain stranded at the border.",
        )
        == SAME
    )
    assert (
        "~withdraw" not in read_wording("Migrants pull their children along the road.", "en").words
    )
    assert "~rise" not in read_wording("Migrants drove up to the border.", "en").words


# --- Bounds on a figure ------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, language",
    [
        (
            "No más de 100 venezolanos regresaron a su país en vuelos especiales.",
            "Más de 100 venezolanos regresaron a su país en vuelos especiales.",
            "es",
        ),
        (
            "No more than 100 Venezuelans returned home on special flights.",
            "More than 100 Venezuelans returned home on special flights.",
            "en",
        ),
        (
            "At most 300 people remain at the border.",
            "At least 300 people remain at the border.",
            "en",
        ),
        ("Up to 300 people remain at the border.", "Over 300 people remain at the border.", "en"),
        (
            "Fewer than 300 people remain at the border.",
            "More than 300 people remain at the border.",
            "en",
        ),
        (
            "Menos de 300 personas siguen en la frontera.",
            "Al menos 300 personas siguen en la frontera.",
            "es",
        ),
        (
            "Hasta 300 personas siguen en la frontera.",
            "Por lo menos 300 personas siguen en la frontera.",
            "es",
        ),
        (
            "Como máximo 300 personas siguen en la frontera.",
            "Más de 300 personas siguen en la frontera.",
            "es",
        ),
    ],
)
def test_opposite_bounds_on_the_same_figure_are_another_figure(a, b, language):
    assert factor(a, b, language) == DIFFERENT_FIGURE


@pytest.mark.parametrize(
    "a, b, language, other_language",
    [
        (
            "No fewer than 300 people remain at the border.",
            "At least 300 people remain at the border.",
            "en",
            "en",
        ),
        (
            "Not less than 300 people remain at the border.",
            "At least 300 people remain at the border.",
            "en",
            "en",
        ),
        (
            "No menos de 300 personas siguen en la frontera.",
            "Al menos 300 personas siguen en la frontera.",
            "es",
            "es",
        ),
        ("Más de 100 venezolanos regresaron.", "More than 100 Venezuelans returned.", "es", "en"),
        (
            "No more than 100 Venezuelans returned.",
            "Como máximo 100 venezolanos regresaron.",
            "en",
            "es",
        ),
        # A bound only one wording gives costs nothing.
        ("More than 100 Venezuelans returned.", "100 Venezuelans returned.", "en", "en"),
        (
            "Hasta 300 personas siguen en la frontera.",
            "300 personas siguen en la frontera.",
            "es",
            "es",
        ),
    ],
)
def test_the_same_bound_or_a_bound_left_out_costs_nothing(a, b, language, other_language):
    assert factor(a, b, language, other_language) == SAME


def test_a_date_after_until_is_not_a_bound():
    wording = read_wording("Hasta el 26 de mayo, 150 migrantes seguían en la frontera.", "es")
    assert not wording.bounds and wording.figures == {"150"}


# --- Round 6: shares, "zero", "all have gone", agencies, leaving and staying --------
# Each class of error round 5's held-out pairs (or their tuning twins) showed.


@pytest.mark.parametrize(
    "a, b, language, other_language",
    [
        (
            "One in nine migrants at the border hopes to make it to Mexico or the United States.",
            "11% of the migrants at the border want to reach Mexico or the United States.",
            "en",
            "en",
        ),
        (
            "Uno de cada nueve migrantes de la frontera busca llegar a México.",
            "El 11 % de los migrantes de la frontera quiere llegar a México.",
            "es",
            "es",
        ),
        (
            "Uno de cada nueve migrantes quiere llegar a México.",
            "11.1% of the migrants want to reach Mexico.",
            "es",
            "en",
        ),
        (
            "One in four migrants want to stay.",
            "Uno de cada cuatro migrantes quiere quedarse.",
            "en",
            "es",
        ),
    ],
)
def test_a_share_agrees_with_a_percentage_at_the_precision_it_is_stated(
    a, b, language, other_language
):
    assert factor(a, b, language, other_language) == SAME


@pytest.mark.parametrize(
    "a, b, language",
    [
        (
            "One in ten migrants want to reach Mexico.",
            "5% of the migrants want to reach Mexico.",
            "en",
        ),
        (
            "One in nine migrants want to reach Mexico.",
            "10% of the migrants want to reach Mexico.",
            "en",
        ),
        (
            "Uno de cada diez migrantes quiere llegar a México.",
            "El 5 % de los migrantes quiere llegar a México.",
            "es",
        ),
        (
            "Uno de cada nueve migrantes quiere llegar a México.",
            "El 11,5 % de los migrantes quiere llegar a México.",
            "es",
        ),
    ],
)
def test_a_share_that_rounds_to_another_percentage_is_another_figure(a, b, language):
    assert factor(a, b, language) == DIFFERENT_FIGURE


@pytest.mark.parametrize(
    "a, b, language",
    [
        (
            "Zero migrants are left stranded at the border between Chile and Peru.",
            "No migrants remain stranded at the Peru–Chile border.",
            "en",
        ),
        (
            "Cero migrantes quedan varados en la frontera entre Chile y Perú.",
            "No quedan migrantes varados en la frontera entre Chile y Perú.",
            "es",
        ),
        (
            "All the migrants who were stranded at the Peru–Chile border have now gone.",
            "No migrants remain stranded at the Peru–Chile border.",
            "en",
        ),
        (
            "Todos los migrantes que estaban varados en la frontera se han ido.",
            "No quedan migrantes varados en la frontera.",
            "es",
        ),
        (
            "Todos los migrantes varados en la frontera ya se fueron.",
            "Ningún migrante sigue varado en la frontera.",
            "es",
        ),
    ],
)
def test_zero_and_all_gone_say_none_remain(a, b, language):
    assert factor(a, b, language) == SAME


@pytest.mark.parametrize(
    "a, b, language",
    [
        (
            "Zero migrants are left stranded at the border.",
            "Migrants remain stranded at the border.",
            "en",
        ),
        (
            "All the migrants who were stranded at the border have now gone.",
            "Migrants remain stranded at the border.",
            "en",
        ),
        (
            "Todos los migrantes que estaban varados en la frontera se han ido.",
            "Quedan migrantes varados en la frontera.",
            "es",
        ),
        # "Not all have gone": some remain.
        (
            "Not all the migrants who were stranded at the border have gone.",
            "No migrants remain stranded at the border.",
            "en",
        ),
    ],
)
def test_zero_and_all_gone_are_the_opposite_of_some_remain(a, b, language):
    assert factor(a, b, language) == OPPOSITE


def test_zero_and_all_are_read_only_where_they_say_none():
    # "Fell to zero" is a figure's end, not a negation.
    assert not read_wording("The number of stranded migrants fell to zero.", "en").negated
    # A relative clause: those who left were stranded, nothing said of the rest.
    assert not read_wording(
        "All the migrants who left Peru were stranded at the border.", "en"
    ).negated
    assert not read_wording(
        "Todos los migrantes que salieron de Perú estaban varados.", "es"
    ).negated
    # "Are left stranded" still means they remain.
    assert not read_wording("All the migrants are left stranded at the border.", "en").negated


@pytest.mark.parametrize(
    "a, b, language, other_language",
    [
        (
            "The UN migration agency boosted its help for migrants in Tacna by 134 percent.",
            "La OIM aumentó en 134 % su asistencia a migrantes en Tacna.",
            "en",
            "es",
        ),
        (
            "La agencia de la ONU para las migraciones aumentó en 134 % su asistencia en Tacna.",
            "The IOM increased its assistance in Tacna by 134%.",
            "es",
            "en",
        ),
        (
            "The UN refugee agency says 150 refugees remain stranded in Tacna.",
            "ACNUR dice que 150 refugiados siguen varados en Tacna.",
            "en",
            "es",
        ),
        (
            "La agencia de la ONU para los refugiados dice que 150 refugiados siguen varados"
            " en Tacna.",
            "UNHCR says 150 refugees remain stranded in Tacna.",
            "es",
            "en",
        ),
    ],
)
def test_a_un_agency_described_is_the_agency_named(a, b, language, other_language):
    assert factor(a, b, language, other_language) == SAME


def test_one_un_agency_is_not_another():
    assert (
        factor(
            "The UN refugee agency boosted its help for migrants in Tacna by 134 percent.",
            "La OIM aumentó en 134 % su asistencia a migrantes en Tacna.",
            "en",
            "es",
        )
        == DIFFERENT_FIGURE
    )
    assert ("organisation", "united nations") in read_wording("The UN said so.", "en").names


@pytest.mark.parametrize(
    "a, b, language, other_language",
    [
        (
            "Only 5 percent of the migrants at the border want to get out of Peru.",
            "Solo el 5 % de los migrantes en la frontera quiere quedarse en Perú.",
            "en",
            "es",
        ),
        (
            "Al 26 de abril, 150 refugiados y migrantes habían abandonado la frontera entre Chile"
            " y Perú.",
            "Al 26 de abril, 150 refugiados y migrantes seguían varados en la frontera entre Chile"
            " y Perú.",
            "es",
            "es",
        ),
        (
            "El 5 % de los migrantes quiere dejar el país.",
            "El 5 % de los migrantes quiere quedarse en el país.",
            "es",
            "es",
        ),
        (
            "150 migrantes se marcharon de la frontera.",
            "150 migrantes permanecen en la frontera.",
            "es",
            "es",
        ),
        (
            "150 migrants abandoned the border.",
            "150 migrantes siguen en la frontera.",
            "en",
            "es",
        ),
        (
            "At least 300 people crossed the border between Peru and Chile.",
            "At least 300 people remained stranded at the border between Peru and Chile.",
            "en",
            "en",
        ),
        (
            "Al menos 300 personas cruzaron la frontera entre Perú y Chile.",
            "Al menos 300 personas seguían varadas en la frontera entre Perú y Chile.",
            "es",
            "es",
        ),
        (
            "70% of the migrants at the Peru–Chile border intend to stay in Chile.",
            "70% of the migrants at the Peru–Chile border intend to reach Venezuela.",
            "en",
            "en",
        ),
    ],
)
def test_leaving_or_crossing_is_the_opposite_of_staying(a, b, language, other_language):
    assert factor(a, b, language, other_language) == OPPOSITE


@pytest.mark.parametrize(
    "a, b, language, other_language",
    [
        (
            "Only 5 percent of the migrants want to get out of Peru.",
            "Solo el 5 % de los migrantes quiere salir del Perú.",
            "en",
            "es",
        ),
        (
            "150 migrants remained stranded at the border.",
            "150 migrantes seguían varados en la frontera.",
            "en",
            "es",
        ),
        (
            "El 5 % de los migrantes se va a quedar en Perú.",
            "El 5 % de los migrantes quiere quedarse en Perú.",
            "es",
            "es",
        ),
        (
            "Los migrantes abandonados en la frontera siguen varados.",
            "Los migrantes siguen varados en la frontera.",
            "es",
            "es",
        ),
    ],
)
def test_leaving_and_staying_in_either_language_are_paraphrases(a, b, language, other_language):
    assert factor(a, b, language, other_language) == SAME


@pytest.mark.parametrize(
    "a, b, factor_wanted",
    [
        (
            "Police tried to force migrants back across the border between Chile and Peru.",
            "Migrants tried to force their way across the border between Chile and Peru.",
            OPPOSITE,
        ),
        (
            "Soldiers tried to force migrants across the border between Chile and Peru.",
            "Migrants tried to force their way across the border between Chile and Peru.",
            OPPOSITE,
        ),
        (
            "Migrants tried to push their way across the Peru–Chile border.",
            "Migrants tried to force their way across the border between Chile and Peru.",
            SAME,
        ),
        (
            "A group of migrants attempted to cross the Peru–Chile border by force.",
            "Migrants tried to force their way across the border between Chile and Peru.",
            SAME,
        ),
    ],
)
def test_forcing_ones_way_across_is_crossing_forcing_others_across_is_expelling(
    a, b, factor_wanted
):
    assert factor(a, b) == factor_wanted


@pytest.mark.parametrize(
    "a, b, factor_wanted",
    [
        (
            "Dina Boluarte lifted the state of emergency on the borders with Ecuador, Colombia,"
            " Brazil and Chile.",
            "Dina Boluarte declaró el estado de emergencia en las fronteras con Ecuador, Colombia,"
            " Brasil y Chile.",
            OPPOSITE,
        ),
        (
            "Dina Boluarte lifted the state of emergency on the borders.",
            "Dina Boluarte levantó el estado de emergencia en las fronteras.",
            SAME,
        ),
        (
            "Dina Boluarte declared a state of emergency on the borders.",
            "Dina Boluarte declaró el estado de emergencia en las fronteras.",
            SAME,
        ),
    ],
)
def test_a_state_of_emergency_is_a_noun_not_the_verb_state(a, b, factor_wanted):
    assert factor(a, b, "en", "es") == factor_wanted


@pytest.mark.parametrize(
    "a, b",
    [
        (
            "The foreign ministers of Chile and Peru told reporters in Lima that their joint"
            " efforts had overcome the border migrant crisis.",
            "The migrant crisis at the Peru–Chile border has been overcome.",
        ),
        (
            "Footage on Peru's state channel shows migrants running through the desert trying to"
            " force their way across the Peru–Chile border.",
            "Migrants tried to force their way across the border between Chile and Peru.",
        ),
    ],
)
def test_a_place_only_one_wording_names_or_a_long_framing_costs_nothing(a, b):
    # Round 5 missed these on the cosine alone (below "possible"), not on a rule.
    assert factor(a, b) == SAME
