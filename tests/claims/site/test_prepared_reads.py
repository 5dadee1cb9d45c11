"""The claim page's reads are prepared (claims.models.prepared): the same
querysets as the rest of the site, their SQL built once per process and
database, and run with each page's values. They must return exactly what their querysets
return, and build no SQL after the first page."""

import gc
import weakref
from unittest import mock

import psycopg
import pytest
from django.db import connection, connections, router, transaction
from django.db.models import Q
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Claim, Topic, Verdict
from claims.models.prepared import PreparedQuery, PreparedQueryError
from claims.selectors import CLAIM_PAGE_READS, claim_page, claim_page_queryset
from tests.claims.site.test_queries import build_newsroom
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def loaded(obj, seen=()) -> dict:
    """An instance's loaded values, its annotations and, recursively, the
    related objects select_related put in its cache (each once: a verdict's
    claim is the claim again)."""
    values = {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}
    values["_state"] = (obj._state.db, obj._state.adding)
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


def each_prepared_read_returns_what_its_queryset_returns(rich):
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


def test_each_prepared_read_returns_what_its_queryset_returns(rich):
    each_prepared_read_returns_what_its_queryset_returns(rich)


def item_shape(item, claim) -> dict:
    """An item as loaded, its claim the page's claim itself (no query)."""
    assert item.claim is claim
    shape = loaded(item)
    del shape["related"]["claim"]
    return shape


def page_shape(claim) -> dict:
    return {
        "claim": loaded(claim),
        "topics": [t.pk for t in claim.topics.all()],
        **{
            name: [item_shape(item, claim) for item in getattr(claim, name)]
            for name in ("public_appearances", "public_evidence", "public_corrections")
        },
        "sub_claims": [c.pk for c in claim.public_sub_claims],
        "repetitions": claim.repetitions_since_rating,
    }


def the_page_reads_what_the_claim_page_queryset_reads(rich, editor):
    """The same claim and items as `claim_page_queryset()`, the prefetching
    shape the API detail uses: a claim with sub-claims and corrections, one of
    its sub-claims, one without a claimant, and a retracted one."""
    sub_claim = rich.sub_claims.first()
    Claim.objects.filter(pk=sub_claim.pk).update(claimant=None)
    retracted = rich.sub_claims.exclude(pk=sub_claim.pk).first()
    services.claim_retract(claim=retracted, by=editor, reason="Wrong figures.")
    for claim in (rich, sub_claim, retracted):
        shaped = claim_page_queryset().get(pk=claim.pk)
        expected = page_shape(shaped)
        expected["claim"]["values"].pop("has_public_corrections", None)
        got = page_shape(claim_page(slug=claim.slug))
        for extra in ("has_public_corrections", "has_public_sub_claims"):
            got["claim"]["values"].pop(extra)
        assert got == expected, claim.slug


def test_the_page_reads_what_the_claim_page_queryset_reads(rich, editor):
    the_page_reads_what_the_claim_page_queryset_reads(rich, editor)


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
    # A lookup that rewrites its value (LIKE's wildcards, escaped) would run
    # the real values unwritten.
    escaped = PreparedQuery(lambda slug: Claim.objects.filter(slug__contains=slug), slug=str)
    with pytest.raises(PreparedQueryError, match="0 times"):
        escaped(slug="rich")
    # A placeholder its column cannot hold changes what the query asks.
    small = PreparedQuery(lambda number: Verdict.objects.filter(number=number), number=int)
    with pytest.raises(PreparedQueryError, match="does not fit"):
        small(number=1)


def test_a_queryset_that_depends_on_more_than_its_arguments_is_refused(rich):
    """Its SQL is reused as it is: a time read when it is built would freeze."""
    moments = iter(range(10))
    frozen = PreparedQuery(
        lambda slug: Claim.objects.filter(slug=slug, pk__gt=next(moments)), slug=str
    )
    with pytest.raises(PreparedQueryError, match="depends on something besides"):
        frozen(slug="rich")


def test_a_prepared_query_refuses_what_it_cannot_reproduce(rich):
    for refused in (
        lambda slug: Claim.objects.filter(slug=slug).prefetch_related("topics"),
        lambda slug: Claim.objects.filter(slug=slug).values("pk"),
        lambda slug: Claim.objects.filter(slug=slug).using("default"),
    ):
        with pytest.raises(PreparedQueryError, match="model instances"):
            PreparedQuery(refused, slug=str)(slug="rich")
    with pytest.raises(PreparedQueryError, match="unsupported"):
        PreparedQuery(lambda day: Claim.objects.filter(first_made_on=day), day=object)
    topics = PreparedQuery(lambda claim: Topic.objects.filter(claims=claim), claim=int)
    with pytest.raises(TypeError, match="Expected arguments"):
        topics(slug="rich")
    with pytest.raises(TypeError, match="must be int"):
        topics(claim=str(rich.pk))
    with pytest.raises(TypeError, match="must be int"):
        topics(claim=True)


def test_a_prepared_read_keeps_no_connection_alive(rich):
    """Under ASGI or runserver each request has its own connection: what a
    prepared read keeps between calls (its SQL, per process) must not hold
    one, and what it keeps per thread gives way to the thread's connection."""
    read = CLAIM_PAGE_READS["public_evidence"]
    expected = [item.pk for item in read(claim=rich.pk)]
    original = connections["default"]
    other = connections.create_connection("default")
    gone = weakref.ref(other)
    connections["default"] = other
    try:
        assert [item.pk for item in read(claim=rich.pk)] in ([], expected)  # its own view
    finally:
        connections["default"] = original
        other.close()
    del other
    assert [item.pk for item in read(claim=rich.pk)] == expected
    gc.collect()
    assert gone() is None


def test_a_prepared_query_reads_where_the_router_sends_the_model(rich, monkeypatch):
    """With a read replica, an anonymous page's reads go to it (config.db_router)."""
    asked = []

    def db_for_read(model, **hints):
        asked.append(model)
        return "default"

    monkeypatch.setattr(router, "db_for_read", db_for_read)
    assert [claim.pk for claim in CLAIM_PAGE_READS["claim"](slug="rich")] == [rich.pk]
    assert asked == [Claim]


def test_prepared_reads_are_logged_with_their_sql_and_leave_the_claim_on_each_item(
    rich, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as queries:
        claim = claim_page(slug="rich")
    assert all(q["sql"] and "%s" not in q["sql"] for q in queries.captured_queries)
    assert any("'rich'" in q["sql"] for q in queries.captured_queries)
    with django_assert_num_queries(0):
        for name in ("public_appearances", "public_evidence", "public_corrections"):
            assert all(item.claim is claim for item in getattr(claim, name)), name


# --- Server-side prepared statements (PostgreSQL) --------------------------------
# A reader's page runs outside a transaction, where the reads are prepared:
# these tests are transactional so that the page's reads run as they do there.


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def page_topics() -> list[str]:
    return [topic.name for topic in claim_page(slug="rich").topics.all()]


def prepared_logged(queries) -> list[str]:
    """The prepared reads among the logged queries: logged as PostgreSQL runs
    them, with $1 for each value."""
    return [query["sql"] for query in queries.captured_queries if "$1" in query["sql"]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_prepared_statements_return_what_their_querysets_return(rich, editor):
    """The comparisons above, with the reads bound on the server and prepared."""
    connection.close()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):  # prepared, then reused
            each_prepared_read_returns_what_its_queryset_returns(rich)
    assert len(prepared_logged(queries)) == 2 * (5 + 4 + 1)
    with CaptureQueriesContext(connection) as queries:
        the_page_reads_what_the_claim_page_queryset_reads(rich, editor)
    assert prepared_logged(queries)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_postgresql_parses_each_read_once_per_connection(rich):
    connection.close()  # a connection of its own, with nothing prepared yet
    expected = page_topics()
    with CaptureQueriesContext(connection) as queries:
        assert page_topics() == expected
    # The claim, its topics, appearances, evidence and corrections are
    # prepared; its sub-claims are read by the ORM's prefetch, which is not.
    statements = prepared_statements()
    prepared = prepared_logged(queries)
    assert len(prepared) == 5
    assert all(sql in statements for sql in prepared)
    assert len(queries.captured_queries) > 5  # the sub-claims' prefetch
    # Inside a transaction, where an error could not be retried: not prepared.
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert page_topics() == expected
    assert prepared_logged(queries) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "option, value",
    [("prepare_threshold", None), ("CONN_MAX_AGE", 0)],
    ids=["DATABASE_PREPARED_STATEMENTS=0", "a connection per request"],
)
def test_reads_are_not_prepared_when_the_connection_should_not_keep_them(
    rich, monkeypatch, option, value
):
    """Off for a pooler that cannot keep them; and a connection closed after
    each request would pay for preparing a statement it never reuses."""
    connection.close()
    settings = connection.settings_dict
    monkeypatch.setitem(
        settings["OPTIONS"] if option != "CONN_MAX_AGE" else settings, option, value
    )
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            page_topics()
    assert prepared_logged(queries) == []
    assert prepared_statements() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_migration_that_changes_a_returned_column_type_breaks_no_page(rich, caplog):
    """After such a migration PostgreSQL refuses the statement ("cached plan
    must not change result type") and psycopg keeps using it: without the
    retry every page on that connection failed until it closed."""
    connection.close()
    expected = page_topics()
    page_topics()
    assert any('"claims_topic"' in sql for sql in prepared_statements())
    migration = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        migration.execute("ALTER TABLE claims_topic ALTER COLUMN name TYPE varchar(150)")
        with CaptureQueriesContext(connection) as queries:
            assert page_topics() == expected
        assert "DEALLOCATE ALL" in [query["sql"] for query in queries.captured_queries]
        assert "A migration changed a column it returns" in caplog.text
        with CaptureQueriesContext(connection) as queries:
            for _ in range(2):
                assert page_topics() == expected
        assert len(prepared_logged(queries)) == 2 * 5  # prepared afresh
        assert "DEALLOCATE ALL" not in [query["sql"] for query in queries.captured_queries]
    finally:
        migration.execute("ALTER TABLE claims_topic ALTER COLUMN name TYPE varchar(100)")
        migration.close()
    assert page_topics() == expected
