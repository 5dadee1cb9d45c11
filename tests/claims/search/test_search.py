"""claims/search.py: one search behind the public list, the API and the admin.

Tests without a mark run on both databases (SQLite's folded matcher and
PostgreSQL's full text); `postgres` ones check what only PostgreSQL promises:
stemming by the claim's language, ts_rank weights, the search vector kept
current by triggers, and the index used.
"""

import dataclasses
import os
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.filters import ClaimFilter
from claims.models import Claim
from claims.search import (
    RANKED_INDEX,
    parse_query,
    search_claims,
    search_snippet,
    search_snippets,
)
from claims.search import postgres as search_postgres
from claims.selectors import public_claims
from tests.factories import ClaimantFactory, SourceFactory, make_draft, make_published, rating

pytestmark = pytest.mark.django_db


def publish(
    researcher,
    editor,
    text,
    *,
    conclusion="The figures do not add up.",
    explanation="We compared official records.",
    quote="It was said.",
    claimant=None,
    language="en",
):
    """A published fact-check whose every searchable text is chosen by the test."""
    claim = services.claim_create(
        by=researcher,
        text=text,
        language=language,
        claimant=claimant or ClaimantFactory(name="Someone Quiet"),
    )
    first, second = SourceFactory(), SourceFactory()
    services.appearance_create(claim=claim, by=researcher, source=first, quote=quote)
    services.evidence_create(
        claim=claim, by=researcher, source=first, excerpt="One", stance="refutes"
    )
    services.evidence_create(
        claim=claim, by=researcher, source=second, excerpt="Two", stance="refutes"
    )
    services.verdict_create(
        claim=claim,
        by=researcher,
        rating=rating("false"),
        conclusion=conclusion,
        explanation=explanation,
    )
    services.claim_submit(claim=claim, by=researcher)
    return services.claim_publish(claim=claim, by=editor)


def found(query, queryset=None):
    return list(search_claims(queryset if queryset is not None else Claim.objects.public(), query))


# --- Both databases ------------------------------------------------------------------


def test_every_word_must_match_and_wording_ranks_first(researcher, editor):
    in_wording = make_published(researcher, editor, text="Police deployed to the border")
    in_claimant = make_published(
        researcher,
        editor,
        text="Something else",
        claimant=ClaimantFactory(name="Border Police Union"),
    )
    make_published(researcher, editor, text="Unrelated claim about flights")
    assert found("police BORDER") == [in_wording, in_claimant]


def test_empty_query_returns_the_queryset_unchanged(researcher, editor):
    claim = make_published(researcher, editor)
    assert found("   ") == [claim]


def test_a_query_with_nothing_to_search_for_matches_nothing(researcher, editor):
    make_published(researcher, editor)
    assert found("!!! ???") == []


def test_search_never_widens_the_queryset(researcher):
    make_draft(researcher, text="Secret draft about the border")
    assert found("border") == []


def test_accents_and_case_are_ignored_both_ways(researcher, editor):
    accented = publish(researcher, editor, "Perú cerró su frontera con Chile.", language="es")
    plain = publish(researcher, editor, "Peru closed its border with Chile.")
    assert set(found("peru")) == {accented, plain}
    assert set(found("PERÚ")) == {accented, plain}
    assert found("CERRO") == [accented]


def test_spanish_words_match_their_inflections(researcher, editor):
    claim = publish(
        researcher,
        editor,
        "Los migrantes quedaron varados en las fronteras del sur.",
        language="es",
    )
    assert found("frontera migrante") == [claim]


def test_every_searchable_text_is_searched(researcher, editor):
    claim = publish(
        researcher,
        editor,
        "The wording says one thing.",
        conclusion="A conclusion about tariffs.",
        explanation="An explanation about *copper* exports.",
        quote="A quote about lithium.",
        claimant=ClaimantFactory(name="Rosa Quispe"),
    )
    for query in ["wording", "tariffs", "copper", "lithium", "quispe"]:
        assert found(query) == [claim], query


def test_a_wording_match_outranks_an_explanation_match(researcher, editor):
    in_explanation = publish(
        researcher,
        editor,
        "Exports fell last year.",
        explanation="Copper, copper and more copper: copper explains the whole fall.",
    )
    in_wording = publish(researcher, editor, "Copper exports fell last year.")
    in_conclusion = publish(
        researcher, editor, "Exports fell in the south.", conclusion="Copper did not fall."
    )
    assert found("copper") == [in_wording, in_conclusion, in_explanation]


def test_a_quote_waiting_for_a_correction_does_not_make_a_fact_check_match(researcher, editor):
    claim = publish(researcher, editor, "The border is closed.")
    services.appearance_create(
        claim=claim, by=researcher, source=SourceFactory(), quote="Nobody crosses at Chacalluta."
    )
    assert found("Chacalluta") == []
    assert found("Chacalluta", Claim.objects.all()) == []


def test_a_draft_is_found_by_its_quotes_in_the_newsroom(researcher):
    draft = make_draft(researcher, text="A draft claim")
    services.appearance_create(
        claim=draft, by=researcher, source=SourceFactory(), quote="Said at Chacalluta."
    )
    assert found("chacalluta", Claim.objects.all()) == [draft]


def test_merged_and_retracted_claims_are_not_public_results(researcher, editor, editor2):
    kept = publish(researcher, editor, "Tariffs rose in Arequipa.")
    duplicate = publish(researcher, editor, "Tariffs went up in Arequipa.")
    retracted = publish(researcher, editor, "Tariffs rose again in Arequipa.")
    services.claim_retract(claim=retracted, by=editor, reason="Wrong data.")
    services.claim_merge(duplicate=duplicate, canonical=kept, by=editor2)
    assert found("arequipa") == [kept]


def test_phrases_and_exclusions_are_understood(researcher, editor):
    wall = publish(researcher, editor, "The border wall is finished.")
    fence = publish(researcher, editor, "The border fence wall is finished.")
    assert found('"border wall"') == [wall]
    assert found("border -fence") == [wall]
    assert set(found("fence or wall")) == {wall, fence}


def test_parse_query_reads_phrases_exclusions_and_alternatives():
    groups = parse_query('"Border Wall" -fence or Perú')
    assert [[(t.words, t.negated) for t in g] for g in groups] == [
        [(("border", "wall"), False), (("fence",), True)],
        [(("peru",), False)],
    ]


def test_the_public_filter_and_the_api_filter_search_the_same_way(researcher, editor):
    claim = publish(researcher, editor, "Perú envió militares a la frontera.", language="es")
    f = ClaimFilter({"q": "peru militares"}, queryset=public_claims())
    assert f.is_valid(), f.errors
    assert list(f.qs) == [claim]


def test_snippets_mark_the_matched_words_and_escape_the_rest(researcher, editor):
    claim = publish(researcher, editor, "<script>alert(1)</script> Perú & the border wall")
    snippet = search_snippet(claim, "peru wall")
    assert "<script>" not in snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet
    assert "<mark>Perú</mark>" in snippet
    assert "<mark>wall</mark>" in snippet
    assert "&amp;" in snippet


def test_a_snippet_comes_from_the_text_that_matched(researcher, editor):
    claim = publish(
        researcher,
        editor,
        "Exports fell last year.",
        explanation="Customs records show **lithium** sales doubled while copper fell.",
    )
    snippet = search_snippet(claim, "lithium")
    assert "<mark>lithium</mark>" in snippet
    assert "**" not in snippet and "<strong>" not in snippet


def test_a_claim_found_by_its_claimant_shows_its_wording(researcher, editor):
    claim = publish(
        researcher, editor, "Exports fell.", claimant=ClaimantFactory(name="Rosa Quispe")
    )
    assert search_snippet(claim, "quispe") == "Exports fell."


def test_snippets_for_a_page_of_results_take_a_constant_number_of_queries(
    researcher, editor, django_assert_max_num_queries
):
    for n in range(5):
        publish(researcher, editor, f"The border wall number {n} is finished.")
    claims = list(search_claims(public_claims(), "wall"))
    with django_assert_max_num_queries(2):
        snippets = search_snippets(claims, "wall")
    assert len(snippets) == 5
    assert all("<mark>wall</mark>" in s for s in snippets.values())


def test_the_admin_search_uses_the_same_search(client, editor, researcher):
    claim = publish(researcher, editor, "Perú envió militares a la frontera.", language="es")
    make_draft(researcher, text="Unrelated draft")
    client.force_login(editor)
    response = client.get(reverse("admin:claims_claim_changelist"), {"q": "PERU"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [claim]


# --- PostgreSQL -----------------------------------------------------------------------


@pytest.mark.postgres
def test_each_claim_is_stemmed_in_its_own_language(researcher, editor):
    spanish = publish(researcher, editor, "Las exportaciones cayeron.", language="es")
    english = publish(researcher, editor, "Exports were falling.")
    # Spanish stems for the Spanish claim only: the English one is not an
    # "exportación"; English stems for the English claim only.
    assert found("exportación") == [spanish]
    assert found("exportar") == [spanish]
    assert found("falls") == [english]


@pytest.mark.postgres
def test_exclusions_use_the_claims_language(researcher, editor):
    publish(researcher, editor, "Boluarte blamed migrants for crime.")
    assert found("boluarte -crime") == []


@pytest.mark.postgres
def test_the_search_vector_follows_every_change_that_affects_it(researcher, editor, editor2):
    claimant = ClaimantFactory(name="Rosa Quispe")
    claim = make_draft(researcher, text="Copper exports fell.", claimant=claimant)
    assert found("copper", Claim.objects.all()) == [claim]

    services.claim_update(claim=claim, by=researcher, data={"text": "Lithium exports fell."})
    assert found("copper", Claim.objects.all()) == []
    assert found("lithium", Claim.objects.all()) == [claim]

    claimant.name = "Rosa Mamani"
    claimant.save()
    assert found("mamani", Claim.objects.all()) == [claim]
    assert found("quispe", Claim.objects.all()) == []

    appearance = services.appearance_create(
        claim=claim, by=researcher, source=SourceFactory(), quote="Said in Tacna."
    )
    assert found("tacna", Claim.objects.all()) == [claim]
    services.appearance_delete(appearance=appearance, by=researcher)
    assert found("tacna", Claim.objects.all()) == []

    published = publish(researcher, editor, "Tariffs rose.", conclusion="Tariffs fell.")
    correction = services.correction_propose(
        claim=published,
        by=editor,
        kind="correction",
        note="The conclusion changed.",
        conclusion="Tariffs stayed flat.",
    )
    assert found("flat") == []
    services.correction_publish(correction=correction, by=editor2)
    assert found("flat") == [published]


@pytest.mark.postgres
def test_word_search_uses_a_search_index(researcher):
    # A few thousand generated claims, analysed, so the planner chooses as at scale.
    call_command("generate_newsroom", claims=3000, stdout=StringIO())
    claim = Claim.objects.public().filter(language="es").order_by("pk").last()
    query = " ".join(claim.text.split()[:3])
    queryset = search_claims(public_claims(), query)
    assert claim in queryset
    plan = queryset.explain()
    assert re.search(r"(Bitmap Index Scan on|Index Scan using) claim_search_(vector|rum)\b", plan)
    assert not re.search(r"Seq Scan on claims_claim\b", plan), plan
    # The newsroom searches every claim: the GIN index, never the table.
    plan = search_claims(Claim.objects.all(), query).explain()
    assert "claim_search_vector" in plan, plan
    assert not re.search(r"Seq Scan on claims_claim\b", plan), plan


def ranked_index_installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RANKED_INDEX])
        return cursor.fetchone()[0]


@pytest.fixture
def ranked_index():
    """The RUM index of migration 0011. CI installs the extension and sets
    VERAZ_REQUIRE_RUM=1, so there a missing index fails these tests; a local
    PostgreSQL without RUM has nothing to test here."""
    if not ranked_index_installed():
        if os.environ.get("VERAZ_REQUIRE_RUM") == "1":
            pytest.fail("VERAZ_REQUIRE_RUM=1 but the RUM index of migration 0011 is missing")
        pytest.skip("the server has no RUM extension (postgresql-NN-rum)")


def index_scans(queries):
    """The ordered scans of the ranked index a page of a public search ran."""
    return [q["sql"] for q in queries if "<=>" in q["sql"] and "LIMIT (SELECT" in q["sql"]]


def read_page(results, start, stop):
    with CaptureQueriesContext(connection) as queries:
        page = list(results[start:stop])
    return page, index_scans(queries)


@pytest.mark.postgres
def test_a_page_of_results_is_read_from_the_ranked_index_in_order(researcher, ranked_index):
    call_command("generate_newsroom", claims=3000, stdout=StringIO())
    # "Boluarte" reads the same in English and Spanish: one scan of the index
    # of every public claim. "teacher salaries" reads "teacher" / "teach":
    # one scan per reading, each of its own language's index (migration 0012).
    for query, indexes in (
        ("Boluarte", ["claim_search_rum"]),
        ("teacher salaries", ["claim_search_rum_en", "claim_search_rum_es"]),
    ):
        results = search_claims(public_claims(), query)
        page, scans = read_page(results, 0, 20)
        assert len(page) == 20
        assert len(scans) == len(indexes)
        for scan, index in zip(scans, indexes, strict=True):
            assert scan.count("<=>") == 1 and scan.count("@@") == 1, scan
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + scan)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            # Best first straight from the index, with no ranking of every match.
            assert re.search(rf"Index Scan using {index} on claims_claim", plan), plan
            assert "Order By: (search_vector <=>" in plan, plan
            assert not re.search(r"Sort Key: .*<=>", plan), plan


@pytest.mark.postgres
def test_pages_read_from_the_ranked_index_are_the_searchs_matches(researcher, ranked_index):
    call_command("generate_newsroom", claims=3000, stdout=StringIO())
    for query in ("Boluarte", "teacher salaries", "Perú frontera", '"state of emergency"'):
        results = search_claims(public_claims(), query)
        # The queryset's own SQL (one query, every reading combined) decides
        # what matches; the pages read per reading show exactly those claims.
        expected = set(results.values_list("pk", flat=True))
        assert expected, query
        pages, start = [], 0
        while start < len(expected) + 10:
            page, scans = read_page(results, start, start + 10)
            assert scans, query
            pages += [claim.pk for claim in page]
            start += 10
        assert len(pages) == len(set(pages)) == results.count(), query
        assert set(pages) == expected, query


@pytest.mark.postgres
def test_pages_of_a_search_with_many_ties_neither_repeat_nor_skip(researcher, ranked_index):
    call_command("generate_newsroom", claims=3000, stdout=StringIO())
    # Many equal ranks. A scan's limit is not part of its plan (planned for
    # LIMIT 40 a scan could be a bitmap scan and a sort, which returns equal
    # distances in another order than the index), so every page comes from
    # the same ordered scans.
    for query in ("Boluarte", "teacher salaries", "migrantes venezolanos"):
        results = search_claims(public_claims(), query)
        first, second, both = list(results[:10]), list(results[10:20]), list(results[:20])
        assert len(both) == 20, query
        assert first + second == both, query


@pytest.mark.postgres
def test_a_page_narrowed_after_the_search_runs_the_querysets_own_sql(
    researcher, editor, ranked_index
):
    english = publish(researcher, editor, "Teacher salaries fell in Lima.")
    publish(researcher, editor, "Los salarios de los maestros cayeron.", language="es")
    # Read in Spanish, the query is "teach" & "salari": this one matches.
    spanish = publish(researcher, editor, "Teacher salaries rose in Cusco.", language="es")
    results = search_claims(public_claims(), "teacher salaries")
    page, scans = read_page(results, 0, 20)
    assert len(scans) == 2
    assert {c.pk for c in page} == {english.pk, spanish.pk}
    # A filter added after the search: the page's SQL is the queryset's own.
    narrowed, scans = read_page(results.filter(language="en"), 0, 20)
    assert scans == [] and narrowed == [english]
    # Anything but a page in the index's order, likewise.
    reordered, scans = read_page(results.order_by("-published_at"), 0, 20)
    assert scans == [] and reordered == [spanish, english]
    assert set(results.values_list("pk", flat=True)) == {english.pk, spanish.pk}


@pytest.mark.postgres
def test_the_filters_narrow_before_the_search_reads_its_page(researcher, editor, ranked_index):
    english = publish(researcher, editor, "Boluarte raised wages.")
    spanish = publish(researcher, editor, "Boluarte subió los sueldos.", language="es")
    filterset = ClaimFilter({"q": "Boluarte", "language": "es"}, queryset=public_claims())
    page, scans = read_page(filterset.qs, 0, 20)
    assert page == [spanish] and len(scans) == 1
    assert "\"language\" = 'es'" in scans[0]
    # An explicit sort order wins over the rank.
    filterset = ClaimFilter({"q": "Boluarte", "ordering": "published"}, queryset=public_claims())
    page, scans = read_page(filterset.qs, 0, 20)
    assert page == [english, spanish] and scans == []


@pytest.mark.postgres
def test_ranking_in_the_index_and_with_ts_rank_agree(researcher, editor, ranked_index, monkeypatch):
    wording = publish(researcher, editor, "Boluarte raised the minimum wage twice.")
    conclusion = publish(
        researcher, editor, "The minimum wage rose once.", conclusion="Boluarte said so."
    )
    explanation = publish(
        researcher, editor, "Wages rose in Lima.", explanation="A decree signed by Boluarte."
    )
    claimant = publish(
        researcher, editor, "Wages fell.", claimant=ClaimantFactory(name="Dina Boluarte")
    )
    spanish = publish(
        researcher, editor, "Boluarte subió el sueldo mínimo dos veces.", language="es"
    )
    by_field = [conclusion, explanation, claimant]
    copper = publish(researcher, editor, "Copper exports doubled.")
    mining = publish(
        researcher, editor, "Mining grew.", explanation="Copper exports, and copper exports."
    )
    in_index = found("Boluarte")
    assert set(in_index[:2]) == {wording, spanish}  # equal ranks, in the index's order
    assert in_index[2:] == by_field
    assert found("copper exports") == [copper, mining]
    # A server without RUM ranks the same query with ts_rank.
    readings = search_postgres._readings
    monkeypatch.setattr(
        search_postgres,
        "_readings",
        lambda db, q: dataclasses.replace(readings(db, q), ranked_index=False),
    )
    assert "ts_rank" in str(search_claims(Claim.objects.public(), "Boluarte").query)
    assert found("Boluarte") == [spanish, wording, *by_field]  # ties: newest first
    assert found("copper exports") == [copper, mining]


@pytest.mark.postgres
def test_a_language_without_claims_adds_no_reading(researcher, editor):
    publish(researcher, editor, "Los maestros ganan poco.", language="es")
    publish(researcher, editor, "Teacher salaries fell.")
    found_readings = search_postgres._readings("default", "teacher salaries")
    languages = sorted(language for r in found_readings.readings for language in r.languages)
    assert languages == ["en", "es"]
    assert found_readings.languages == {"en", "es"}


@pytest.mark.postgres
def test_a_language_where_the_query_is_all_stop_words_matches_nothing(researcher, editor):
    # "-de" reads as "without 'de'" in English; in Spanish "de" is a stop word,
    # so there is nothing to look for and no Spanish claim may match.
    english = publish(researcher, editor, "Wages rose.")
    publish(researcher, editor, "Los salarios subieron.", language="es")
    assert found("-de") == [english]


@pytest.mark.postgres
def test_matching_through_the_ranked_index_is_exact(researcher, editor, ranked_index):
    # The planner reads a handful of claims from the table; forced onto the
    # RUM index, phrases, exclusions and alternatives match the same claims
    # as the GIN index and the table do.
    publish(researcher, editor, "A state of emergency was declared in Tacna.")
    publish(researcher, editor, "The state declared an emergency in Puno.")
    publish(researcher, editor, "Boluarte blamed migrants for crime.")
    publish(researcher, editor, "Boluarte raised wages.")
    publish(researcher, editor, "Se declaró el estado de emergencia en Tacna.", language="es")
    publish(researcher, editor, "Las exportaciones de cobre cayeron.", language="es")
    queries = [
        '"state of emergency"',
        "state emergency",
        "boluarte -crime",
        "boluarte or exportaciones",
        '"estado de emergencia" -Puno',
        "tacna",
    ]
    expected = {q: {c.pk for c in found(q)} for q in queries}
    assert all(expected.values())
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
    try:
        for query in queries:
            queryset = search_claims(Claim.objects.public(), query)
            assert "claim_search_rum" in queryset.explain(), query
            assert {c.pk for c in queryset} == expected[query], query
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")


@pytest.mark.postgres
def test_searches_the_index_cannot_serve_break_ties_newest_first(researcher, ranked_index):
    call_command("generate_newsroom", claims=3000, stdout=StringIO())
    # The newsroom searches every claim: the same distance, ties newest first,
    # so its pages neither repeat nor skip a claim either.
    results = search_claims(Claim.objects.all(), "Boluarte")
    assert results.query.order_by == ("search_distance", "-pk")
    first, second, both = list(results[:20]), list(results[20:40]), list(results[:40])
    assert len(both) == 40
    assert first + second == both
    assert search_claims(public_claims(), "Boluarte").query.order_by == ("search_distance",)


@pytest.mark.postgres
def test_the_api_reads_a_search_from_the_ranked_index(client, researcher, editor, ranked_index):
    publish(researcher, editor, "Boluarte raised wages.")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/claims/", {"q": "Boluarte"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
    # Ordered by the distance alone (no tie-breaker that would rank every match).
    (scan,) = index_scans(queries)
    assert re.search(r"ORDER BY 1 ASC LIMIT \(SELECT \d+\)$", scan), scan
