"""Ranked search in the index itself, where PostgreSQL has the RUM extension.

The GIN index of migration 0006 finds the claims that match a query, but
ranking them (`ts_rank`) reads every match's row: a search for a name that
24,000 fact-checks mention reads 24,000 rows to show 20. A RUM index stores
each word's positions and weights with its postings, so PostgreSQL can return
matches in rank order straight from the index (`search_vector <=> query`, the
inverse of `ts_rank` with the same weights) and stop after the first page.

RUM is a server extension (Debian/Ubuntu: `postgresql-NN-rum`; also offered by
the main managed services). Where it is not installed this migration does
nothing and search ranks with `ts_rank` as before: same results, slower for
queries that match tens of thousands of claims. Installed later, re-run it:
`manage.py migrate claims 0010 && manage.py migrate`. The GIN index stays, for
the newsroom's searches over every claim and for counting matches.

The RUM index covers public claims only (`public_claim_q()`: published and not
merged), the rows every reader and API search starts from: smaller, and a
page of results needs no row that is then thrown away as not public.

Nothing on SQLite.
"""

from django.db import migrations

INDEX = "claim_search_rum"


def rum_available(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
    return cursor.fetchone() is not None


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if not rum_available(cursor):
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claim "
            "USING rum (search_vector rum_tsvector_ops) "
            "WHERE status = 'published' AND merged_into_id IS NULL"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        # The extension stays: other objects of the database may use it.


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_claim_text_vector"),
    ]

    operations = [migrations.RunPython(forward, backward)]
