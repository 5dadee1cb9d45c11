"""One RUM index per claim language, beside migration 0011's index of every
public claim.

A page of a public search whose query reads differently in English and
Spanish is read with one ordered scan per reading, each over its own
language's claims (claims/search.py). Over the index of every public claim,
such a scan walks the postings of its words in every language, and keeps
only its own; over its language's index it walks only those. At a million
claims that took "reforma de pensiones" (Spanish reading) from about 110 to
25 ms and `"state of emergency"` (English) from 30 to 15 ms.

The index of every public claim stays: a query that reads the same in every
language ("Boluarte") is one scan over it, and a language added later to
`Language` without an index here is still served by it.

Like 0011: created CONCURRENTLY (a live newsroom keeps writing), and only
where 0011 created its index, that is where the server has RUM. Nothing on
SQLite.
"""

from django.db import migrations

LANGUAGES = ("en", "es", "pt", "fr")  # sources.models.Language when written


def index_name(language: str) -> str:
    return f"claim_search_rum_{language}"


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('claim_search_rum') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return  # no RUM on this server (see 0011)
        for language in LANGUAGES:
            # The condition is public_claim_q() and the language; the tests
            # check that a scan of one language's claims reads this index.
            cursor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index_name(language)} "
                "ON claims_claim USING rum (search_vector rum_tsvector_ops) "
                "WHERE status = 'published' AND merged_into_id IS NULL "
                f"AND language = '{language}'"
            )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for language in LANGUAGES:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index_name(language)}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0011_search_rum_index"),
    ]

    operations = [migrations.RunPython(forward, backward)]
