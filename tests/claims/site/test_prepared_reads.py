"""The claim page's reads are prepared (claims.models.prepared): the same
querysets as the rest of the site, their SQL built once per process, and run
with each page's values. They must return exactly what their querysets
return, and build no SQL after the first page."""

import re
from unittest import mock

import pytest
from django.db import connection, router
from django.db.models import Q
from django.db.models.sql.compiler import SQLCompiler

from claims import services
from claims.models import Claim, Topic
from claims.models.prepared import PreparedQuery, PreparedQueryError
from claims.selectors import CLAIM_PAGE_READS, claim_page
from tests.claims.site.test_queries import build_newsroom
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def loaded(obj, seen=()) -> dict:
    """An instance's loaded values, its annotations and, recursively, the
    related objects select_related put in its cache (each once: a verdict's
    claim is the claim again)."""
    values = {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}
    seen = (*seen, obj)
    related = {
        name: None if other is None else "seen" if other in seen else loaded(other, seen)
        for name, other in obj._state.fields_cache.items()
    }
    return {"type": type(obj).__name__, "values": values, "related": related}


@pytest.fixture
def rich(researcher, editor, editor2):
    """A published claim with topics, appearances, evidence, sub-claims (each
    with a correction) and a correction of its own."""
    build_newsroom(3, researcher, editor, editor2)
    claim = Claim.objects.get(slug="rich")
    correction = services.correction_propose(claim=claim, by=editor, kind="update", note="Fixed.")
    services.correction_publish(correction=correction, by=editor2)
    return claim


def test_each_prepared_read_returns_what_its_queryset_returns(rich):
    arguments = {"claim": {"slug": rich.slug}}
    for name, prepared in CLAIM_PAGE_READS.items():
        given = arguments.get(name, {"claim": rich.pk})
        expected = [loaded(obj) for obj in prepared.build(**given)]
        assert expected, name  # the fixture has rows for every read
        assert [loaded(obj) for obj in prepared(**given)] == expected, name
    # A sub-claim has its own rows too: the values are parameters, not baked in.
    sub_claim = rich.sub_claims.first()
    for name in ("topics", "public_appearances", "public_evidence", "public_corrections"):
        prepared = CLAIM_PAGE_READS[name]
        expected = [loaded(obj) for obj in prepared.build(claim=sub_claim.pk)]
        assert [loaded(obj) for obj in prepared(claim=sub_claim.pk)] == expected, name
    assert CLAIM_PAGE_READS["claim"](slug="no-such-claim") == []


def test_the_page_reads_build_no_sql_after_the_first_page(rich, editor, researcher):
    """Before, each claim page built the SQL of its five reads again."""
    plain = services.claim_create(by=researcher, text="Prices rose", slug="prices")
    services.appearance_create(claim=plain, by=researcher, source=SourceFactory(), quote="Q")
    for _ in range(2):
        services.evidence_create(
            claim=plain, by=researcher, source=SourceFactory(), excerpt="E", stance="refutes"
        )
    services.verdict_create(
        claim=plain, by=researcher, rating=rich.published_verdict.rating, conclusion="C",
        explanation="X",
    )  # fmt: skip
    services.claim_submit(claim=plain, by=researcher)
    services.claim_publish(claim=plain, by=editor)
    claim_page(slug="rich")  # the first page compiles the reads
    compile_sql = SQLCompiler.as_sql
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=compile_sql) as built:
        first = claim_page(slug="prices")
        again = claim_page(slug="rich")
    assert first.pk == plain.pk and again.pk == rich.pk
    # Only the sub-claims (with their topics), which rich has, still go
    # through the ORM's prefetch.
    assert built.call_count == 2
    assert len(again.public_sub_claims) == 3 and len(again.public_corrections) == 1


def test_an_argument_must_be_exactly_one_parameter(rich):
    twice = PreparedQuery(lambda slug: Claim.objects.filter(Q(slug=slug) | Q(text=slug)), slug=str)
    with pytest.raises(PreparedQueryError, match="2 times"):
        twice(slug="rich")
    unused = PreparedQuery(lambda slug: Claim.objects.filter(slug="rich"), slug=str)
    with pytest.raises(PreparedQueryError, match="0 times"):
        unused(slug="rich")


def test_a_prepared_query_refuses_prefetching_and_other_arguments(rich):
    prefetching = PreparedQuery(
        lambda slug: Claim.objects.filter(slug=slug).prefetch_related("topics"), slug=str
    )
    with pytest.raises(PreparedQueryError, match="prefetch"):
        prefetching(slug="rich")
    with pytest.raises(PreparedQueryError, match="unsupported"):
        PreparedQuery(lambda day: Claim.objects.filter(first_made_on=day), day=object)
    topics = PreparedQuery(lambda claim: Topic.objects.filter(claims=claim), claim=int)
    with pytest.raises(TypeError, match="Expected arguments"):
        topics(slug="rich")


def test_a_prepared_query_reads_where_the_router_sends_the_model(rich, monkeypatch):
    """With a read replica, an anonymous page's reads go to it (config.db_router)."""
    asked = []

    def db_for_read(model, **hints):
        asked.append(model)
        return "default"

    monkeypatch.setattr(router, "db_for_read", db_for_read)
    assert [claim.pk for claim in CLAIM_PAGE_READS["claim"](slug="rich")] == [rich.pk]
    assert asked == [Claim]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_postgresql_plans_each_page_read_once_per_connection(rich, client, settings):
    """The page's reads are bound on the server and prepared: PostgreSQL then
    skips parsing and planning them, which cost more than running them. The
    rest of the ORM's queries keep client-side binding and are not prepared."""
    settings.READER_SHARED_CACHE = False
    assert connection.settings_dict["OPTIONS"]["prepare_threshold"] is not None
    for _ in range(3):
        assert client.get("/claims/rich/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    runs = {
        table: sum(n for statement, n in prepared if f'FROM "{table}"' in statement)
        for table in ("claims_claim", "claims_topic", "claims_appearance", "claims_evidence",
                      "claims_correction", "claims_publicationversion")
    }  # fmt: skip
    assert all(runs[table] >= 3 for table in list(runs)[:5]), runs
    assert runs["claims_publicationversion"] == 0, runs  # client-side binding
    assert any(re.search(r'"claims_claim"."slug" = \$\d', statement) for statement, _ in prepared)
