"""An index on the claims' wording alone, for similar-claim lookups (claims.matching).

Candidates for "the same claim" are claims whose wording shares most of the new
wording's rarer words. The weighted `search_vector` (migration 0006) holds the
wording with its verdict, quotes and claimant, so a lookup restricted to the
wording (weight A) had to fetch and re-check every row that has the words
anywhere. This GIN index on the wording's own vector answers the lookup
exactly, and its statistics (`pg_stats` for the index expression, refreshed by
ANALYZE) tell how common each word is, so lookups can leave the most common
ones out. An expression index needs no column and no trigger: PostgreSQL keeps
it current on every change to `text` or `language`.

Nothing on SQLite, where matching uses a simpler measure.
"""

from django.db import migrations

FORWARD_SQL = """
-- The wording as a tsvector, stemmed in the claim's language, accents removed
-- (the same reading as the A part of veraz_claim_search_vector). Its own
-- search_path: pg_restore rebuilds the index with an empty one, and the
-- functions this one calls are found by name.
CREATE FUNCTION veraz_claim_text_vector(language text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = {schema}, pg_catalog
    AS $$
    SELECT veraz_unaccent_tsvector(
        to_tsvector(veraz_stem_config(language), veraz_search_input(body))
    )
    $$;

CREATE INDEX claim_text_vector ON claims_claim
    USING gin (veraz_claim_text_vector(language, text));
"""

BACKWARD_SQL = """
DROP INDEX IF EXISTS claim_text_vector;
DROP FUNCTION IF EXISTS veraz_claim_text_vector(text, text);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        cursor.execute(FORWARD_SQL.replace("{schema}", schema))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_verdict_contributors"),
    ]

    operations = [migrations.RunPython(forward, backward)]
