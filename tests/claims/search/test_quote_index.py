"""The quotes' index file (claims/search/ann.py with `QUOTES`): above the
threshold a claim is found through a quote by the file and its tail, as by
the exact scan below it; an edited quote, an unpublished one (for readers) or
a moved appearance never match on what the file holds; a file of another
embedder is ignored; /readyz and the beat task look after it as after the
claims' file; and past the exact scan's limit quotes are no longer left out
once the file is built."""

import logging
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client

from claims import services
from claims.models import Appearance, AppearanceEmbedding, Claim
from claims.search import ann, embedding, matching
from claims.search.embedded import QUOTES
from claims.tasks import refresh_vector_index
from tests.claims.search.conftest import (
    CLAIM,
    INFLATION,
    NEW,
    QUOTE,
    QUOTED_LOOKUPS,
    first,
    with_quote,
)
from tests.factories import make_draft, make_published

pytestmark = pytest.mark.django_db


def build(*args) -> str:
    out = StringIO()
    call_command("build_vector_index", *args, stdout=out)
    return out.getvalue()


def quote_file() -> ann.OpenedIndex | None:
    return ann.index_file(QUOTES).opened()


def quote_search(embedder):
    return embedding.vector_search("default", embedder, QUOTES)


def readyz_quote_line() -> str:
    response = Client().get("/readyz")
    assert response.status_code == 200
    [line] = [x for x in response.content.decode().splitlines() if x.startswith("quote index:")]
    return line


def test_a_claim_is_found_through_its_quote_in_the_file(index_settings, semantic, researcher):
    claim = make_draft(researcher, text=CLAIM)
    appearance = with_quote(claim, researcher)
    with_quote(make_draft(researcher, text="Prices keep rising."), researcher, quote=INFLATION)
    output = build()
    assert "Writing the quote index" in output and "Indexed 2 vectors" in output
    assert appearance.pk in quote_file().index
    assert ann.index_path(QUOTES).name == "claims.usearch.quotes"
    assert isinstance(quote_search(semantic), embedding.IndexedSearch)
    assert first(NEW).claim == claim
    # The file, not an in-memory copy of every quote's vector, served it.
    assert ("appearance", "default", semantic.name) not in embedding._indexes


def test_past_the_exact_scan_limit_quotes_are_found_through_the_file(
    index_settings, semantic, researcher, caplog
):
    claim = make_draft(researcher, text=CLAIM)
    for n in range(3):
        with_quote(claim, researcher, quote=f"{QUOTE} ({n})")
    index_settings.VERAZ_VECTOR_EXACT_SCAN_MAX = 2  # one claim's vector, three quotes'
    with caplog.at_level(logging.WARNING, logger="claims.search.embedding"):
        assert first(NEW) is None
    assert any("build_vector_index" in r.getMessage() for r in caplog.records)
    assert readyz_quote_line() == (
        "quote index: missing (over 1 vectors, over 2: quotes left out; "
        "run manage.py build_vector_index)"
    )
    build()
    assert first(NEW).claim == claim


def test_a_quote_added_after_the_build_is_found_through_the_tail(
    index_settings, semantic, researcher
):
    with_quote(make_draft(researcher, text="Prices keep rising."), researcher, quote=INFLATION)
    build()
    claim = make_draft(researcher, text=CLAIM)
    appearance = with_quote(claim, researcher)
    assert appearance.pk not in quote_file().index
    # Found by the quote search itself, not only read as a candidate's quote.
    assert appearance.pk in quote_search(semantic).nearest(semantic.embed([NEW])[0], 3)
    assert first(NEW).claim == claim


def test_a_quote_edited_after_the_build_is_not_matched_on_its_old_vector(
    index_settings, semantic, researcher
):
    claim = make_draft(researcher, text=CLAIM)
    appearance = with_quote(claim, researcher)
    build()
    assert first(NEW).claim == claim
    # Its old vector is in the file and still stored; its quote is no longer that.
    Appearance.objects.filter(pk=appearance.pk).update(quote=INFLATION)
    assert first(NEW) is None
    # Edited through the services, it is embedded again and found by the new quote.
    services.appearance_update(appearance=appearance, by=researcher, data={"quote": QUOTE})
    assert first(NEW).claim == claim
    services.appearance_update(appearance=appearance, by=researcher, data={"quote": INFLATION})
    assert first(NEW) is None
    assert first("La inflación en el Perú llegó al 8 % en 2022.").claim == claim


def test_an_unpublished_quote_counts_for_nothing_in_answers_to_readers(
    index_settings, semantic, researcher, editor
):
    published = make_published(researcher, editor, text=CLAIM)
    appearance = with_quote(published, researcher)
    build()
    assert appearance.published_at is None
    public = Claim.objects.public()
    assert first(NEW, queryset=public).claim == published
    assert first(NEW, queryset=public, published_quotes_only=True) is None
    Appearance.objects.filter(pk=appearance.pk).update(published_at=published.created_at)
    assert first(NEW, queryset=public, published_quotes_only=True).claim == published


def test_a_draft_claims_quote_in_the_file_is_not_suggested_to_a_reader(index_settings, researcher):
    draft = make_draft(researcher, text=CLAIM)
    with_quote(draft, researcher)
    build()
    assert first(NEW, queryset=Claim.objects.visible_to(AnonymousUser())) is None
    assert first(NEW).claim == draft


def test_a_merged_duplicates_quote_in_the_file_points_to_the_canonical_claim(
    index_settings, researcher, editor
):
    canonical = make_published(researcher, editor, text="Peru's police now guard the south.")
    duplicate = make_draft(researcher, text=CLAIM)
    with_quote(duplicate, researcher)
    build()
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor)
    assert [r.claim for r in matching.similar_claims(NEW)] == [canonical]


def test_a_quote_file_of_another_embedder_is_ignored(index_settings, semantic, researcher):
    claim = make_draft(researcher, text=CLAIM)
    with_quote(claim, researcher)
    ann.build_index_file(embedder_name="another-model", kind=QUOTES)
    assert isinstance(quote_search(semantic), embedding.VectorIndex)
    assert first(NEW).claim == claim
    assert readyz_quote_line() == (
        "quote index: mismatch (the file holds another-model's vectors; exact scan)"
    )


def test_readyz_reports_the_quote_index_without_failing(index_settings, researcher):
    claim = make_draft(researcher, text=CLAIM)
    with_quote(claim, researcher)
    with_quote(claim, researcher, quote=INFLATION)
    assert readyz_quote_line() == (
        "quote index: missing (over 1 vectors, exact scan; run manage.py build_vector_index)"
    )
    build()
    assert readyz_quote_line() == "quote index: ok (2 vectors, 0 newer rows searched exactly)"
    index_settings.VERAZ_VECTOR_INDEX_MIN_VECTORS = 1000
    assert readyz_quote_line().startswith("quote index: exact (2 vectors")


def test_the_periodic_task_builds_and_updates_the_quote_file(index_settings, researcher):
    claim = make_draft(researcher, text=CLAIM)
    first_quote = with_quote(claim, researcher)
    with_quote(make_draft(researcher, text="Prices keep rising."), researcher, quote=INFLATION)
    # Two of each: over the threshold (1), so each file is needed and missing.
    assert refresh_vector_index() == (
        "vector index: rebuilt (missing); quote index: rebuilt (missing)"
    )
    assert first_quote.pk in quote_file().index
    added = with_quote(claim, researcher, quote="The border is under control.")
    assert refresh_vector_index() == "vector index: ok; quote index: updated"
    assert added.pk in quote_file().index
    assert quote_file().metadata.count == AppearanceEmbedding.objects.count() == 3
    assert refresh_vector_index() == "vector index: ok; quote index: ok"


def test_build_vector_index_can_build_the_quote_file_alone(index_settings, researcher):
    with_quote(make_draft(researcher, text=CLAIM), researcher)
    output = build("--only", "quotes")
    assert "Writing the quote index" in output and "vector index" not in output
    assert ann.index_path(QUOTES).exists() and not ann.index_path().exists()


def test_a_lookup_through_both_files_takes_a_constant_number_of_queries(
    index_settings, quoted_claims, django_assert_max_num_queries
):
    build()
    # Few vector candidates, so that what the word batches find (and the
    # quotes of the claims found) is not all read already with the nearest.
    index_settings.CLAIM_MATCH_VECTOR_CANDIDATES = 2
    matching.similar_claims("warm the tails up")
    # The exact scans' lookup takes up to 9 queries here on PostgreSQL (two
    # word batches; 6 on SQLite, one). Each file adds its stored vectors, read
    # from the database for the candidates only instead of held in memory:
    # of the nearest, of the claims found (for the quotes' file: of their
    # quotes), and of each word batch's candidates: up to 4 per file.
    for text in QUOTED_LOOKUPS:
        with django_assert_max_num_queries(17):
            results = matching.similar_claims(text)
        assert results, text
