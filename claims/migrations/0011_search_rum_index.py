"""Ranked search in the index itself, where PostgreSQL has the RUM extension.

The GIN index of migration 0006 finds the claims that match a query, but
ranking them (`ts_rank`) reads every match's row: a search for a name that
24,000 fact-checks mention reads 24,000 rows to show 20. A RUM index stores
each word's positions and weights with its postings, so PostgreSQL can return
matches in rank order straight from the index (`search_vector <=> query`, a
distance with `ts_rank`'s weights, exactly its inverse for one word) and stop
after the first page.

RUM is a server extension (Debian/Ubuntu: `postgresql-NN-rum`), not a trusted
one: a superuser creates it (`CREATE EXTENSION rum`), or this migration does
when it runs as one. Where it is not installed or not enabled this migration
does nothing and search ranks with `ts_rank` as before: the same matches,
ties and multi-word results in a slightly different order, slower for
queries that match tens of thousands of claims. Enabled later, re-run it:
`manage.py migrate claims 0010 && manage.py migrate`. The GIN index stays, for
the newsroom's searches over every claim and for counting matches.

The RUM index covers public claims only (`public_claim_q()`: published and not
merged), the rows every reader and API search starts from: smaller, and a
page of results needs no row that is then thrown away as not public.

Nothing on SQLite.
"""

from django.db import DatabaseError, migrations

INDEX = "claim_search_rum"


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
        if cursor.fetchone() is None:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
            if cursor.fetchone() is None:
                return  # not installed on this server: search ranks with ts_rank
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
            except DatabaseError as error:
                # Installed, but this role may not create it (RUM is not a
                # trusted extension): a superuser can, then re-run this step.
                print(f"\n  claims 0011: RUM not enabled ({error}); search ranks with ts_rank.")
                return
        # CONCURRENTLY (so outside a transaction, see `atomic` below): a live
        # newsroom keeps writing claims while the index builds (about 20 s at
        # a million claims). The condition is public_claim_q(); the tests
        # check that public searches use this index.
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON claims_claim "
            "USING rum (search_vector rum_tsvector_ops) "
            "WHERE status = 'published' AND merged_into_id IS NULL"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")
        # The extension stays: other objects of the database may use it.


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0010_claim_text_vector"),
    ]

    operations = [migrations.RunPython(forward, backward)]
