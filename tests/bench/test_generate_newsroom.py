"""manage.py generate_newsroom: a synthetic newsroom for benchmarks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench.management.commands.generate_newsroom import SEARCH_INDEXES
from claims import services
from claims.models import Appearance, Claim, ClaimStatus, Evidence, Transition, Verdict
from claims.search import search_claims
from claims.selectors import public_claims

pytestmark = pytest.mark.django_db


def generate(n, **options):
    call_command("generate_newsroom", claims=n, stdout=StringIO(), **options)


def test_it_builds_a_consistent_newsroom_in_both_languages(researcher):
    generate(300, chunk=70)
    claims = Claim.objects.all()
    assert claims.count() == 300
    assert {c.language for c in claims} == {"en", "es"}
    assert len({c.text for c in claims}) > 250  # wording varies
    published = claims.filter(status=ClaimStatus.PUBLISHED)
    assert published.count() > 200
    for claim in published.select_related("published_verdict"):
        verdict = claim.published_verdict
        assert verdict.claim_id == claim.pk and verdict.published_at == claim.published_at
        assert verdict.reviewer_id != verdict.author_id
    assert not Appearance.objects.filter(
        claim__status=ClaimStatus.PUBLISHED, published_at__isnull=True
    ).exists()
    assert Evidence.objects.count() == 600
    assert Verdict.objects.count() == 300
    retracted = claims.filter(status=ClaimStatus.RETRACTED).count()
    assert Transition.objects.filter(action="publish").count() == published.count() + retracted
    assert Transition.objects.filter(action="retract").count() == retracted


def test_it_adds_to_an_existing_newsroom_and_the_newsroom_keeps_working(researcher):
    generate(50)
    generate(50)
    assert Claim.objects.count() == 100
    claim = services.claim_create(by=researcher, text="A claim logged afterwards.")
    assert claim.pk > max(Claim.objects.exclude(pk=claim.pk).values_list("pk", flat=True))


def test_generated_claims_are_searchable(researcher):
    generate(200)
    claim = public_claims().filter(language="es").last()
    assert claim in search_claims(public_claims(), " ".join(claim.text.split()[:4]))


def test_bad_arguments_are_refused(unchanged_database):
    with unchanged_database():
        with pytest.raises(CommandError):
            generate(0)
        with pytest.raises(CommandError):
            generate(10, spanish=2)


@pytest.mark.postgres
def test_search_vectors_are_those_the_triggers_would_compute(researcher):
    generate(300)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM claims_claim c "
            "WHERE c.search_vector IS DISTINCT FROM veraz_claim_search_vector(c)"
        )
        assert cursor.fetchone()[0] == 0
        # The search indexes are dropped for the load and rebuilt after it (the
        # ranked one where the server has RUM, as on CI).
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
        rum = cursor.fetchone() is not None
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s) ORDER BY 1",
            [list(SEARCH_INDEXES)],
        )
        assert [row[0] for row in cursor.fetchall()] == [
            *(["claim_search_rum"] if rum else []),
            *(f"claim_search_rum_{lang}" for lang in ("en", "es", "fr", "pt") if rum),
            "claim_search_vector",
            "claim_text_vector",
        ]


def test_with_an_embedder_it_says_that_the_claims_still_need_embedding(monkeypatch):
    from claims.search import embedding

    monkeypatch.setattr(embedding, "get_embedder", lambda: object())  # any embedder
    out = StringIO()
    call_command("generate_newsroom", claims=20, stdout=out)
    assert "manage.py embed_claims` and then `manage.py build_vector_index`" in out.getvalue()


def test_without_an_embedder_it_says_nothing_of_embeddings():
    out = StringIO()
    call_command("generate_newsroom", claims=20, stdout=out)
    assert "embed_claims" not in out.getvalue()
