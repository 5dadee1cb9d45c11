"""Full-text and trigram search on PostgreSQL (see claims/search.py).

On PostgreSQL this creates the `unaccent` and `pg_trgm` extensions, accent-
insensitive text search configurations per claim language, the function that
builds a claim's weighted search document, the triggers that keep
`claims_claim.search_vector` current on every change that affects it, and the
two GIN index. On SQLite only the (unused) column is added: search there uses
a simpler matcher and needs no database objects.
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

LANGUAGE_CONFIGS = {
    "veraz_english": "english",
    "veraz_spanish": "spanish",
    "veraz_portuguese": "portuguese",
    "veraz_french": "french",
}

FORWARD_SQL = """
-- unaccent() is only STABLE (its dictionary could change), so it cannot be
-- used in an index expression. This wrapper names the dictionary explicitly
-- and is declared IMMUTABLE, the usual and safe way to index unaccented text.
CREATE FUNCTION veraz_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$;

-- Stemming uses the built-in configuration of the claim's language, with the
-- accents still on (the Spanish, Portuguese and French stemmers need them to
-- find suffixes: "exportación" and "exportaciones" share the stem "export");
-- accents are removed from the resulting lexemes afterwards, so "Perú",
-- "peru" and "PERU" are one lexeme. Characters that unaccent would turn into
-- quotes are dropped first, which keeps the text form of a vector or query
-- safe to unaccent and cast back.
CREATE FUNCTION veraz_stem_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE language
        WHEN 'en' THEN 'english'
        WHEN 'es' THEN 'spanish'
        WHEN 'pt' THEN 'portuguese'
        WHEN 'fr' THEN 'french'
        ELSE 'simple'
    END::regconfig
    $$;

CREATE FUNCTION veraz_search_input(body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT translate(coalesce(body, ''), 'ŉʹʻʼʽˈ‘’‛′', '') $$;

CREATE FUNCTION veraz_unaccent_tsvector(vector tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT veraz_unaccent(vector::text)::tsvector $$;

-- Declared IMMUTABLE (the configurations they name are fixed) so PostgreSQL
-- computes a query once, when planning, rather than for every row it checks.

-- A search box query, read in a claim language (web search syntax).
CREATE FUNCTION veraz_websearch(language text, query text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT veraz_unaccent(
        websearch_to_tsquery(veraz_stem_config(language), veraz_search_input(query))::text
    )::tsquery
    $$;

-- A query in to_tsquery syntax built by the application (claims.matching).
CREATE FUNCTION veraz_tsquery(language text, query text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT veraz_unaccent(
        to_tsquery(veraz_stem_config(language), veraz_search_input(query))::text
    )::tsquery
    $$;

-- For ts_headline, which re-reads the original text: configurations that
-- unaccent words before stemming, so "Perú" is marked for a search of "peru".
CREATE FUNCTION veraz_search_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE language
        WHEN 'en' THEN 'veraz_english'
        WHEN 'es' THEN 'veraz_spanish'
        WHEN 'pt' THEN 'veraz_portuguese'
        WHEN 'fr' THEN 'veraz_french'
        ELSE 'veraz_simple'
    END::regconfig
    $$;

-- The one definition of a claim's search document. Weights: A wording,
-- B published conclusion, C published explanation and quotes, D claimant.
-- Quotes count once published, or all of them while the claim has never been
-- published (then only the newsroom can see it): a quote waiting for the next
-- correction must not make a public fact-check match.
CREATE FUNCTION veraz_claim_search_vector(c claims_claim) RETURNS tsvector
    LANGUAGE sql STABLE
    AS $$
    SELECT veraz_unaccent_tsvector(
        setweight(to_tsvector(s.cfg, veraz_search_input(c.text)), 'A')
        || setweight(to_tsvector(s.cfg, veraz_search_input(v.conclusion)), 'B')
        || setweight(to_tsvector(s.cfg, veraz_search_input(v.explanation)), 'C')
        || setweight(to_tsvector(s.cfg, veraz_search_input(q.quotes)), 'C')
        || setweight(to_tsvector(s.cfg, veraz_search_input(p.name)), 'D')
    )
    FROM (SELECT veraz_stem_config(c.language) AS cfg) AS s
    LEFT JOIN claims_verdict v ON v.id = c.published_verdict_id
    LEFT JOIN claims_claimant p ON p.id = c.claimant_id
    LEFT JOIN LATERAL (
        SELECT string_agg(a.quote, ' ' ORDER BY a.id) AS quotes
        FROM claims_appearance a
        WHERE a.claim_id = c.id AND (a.published_at IS NOT NULL OR c.published_at IS NULL)
    ) AS q ON true
    $$;

-- The vector is derived, never written by the application: any insert, any
-- change of an input column and any attempt to write the vector recomputes it.
-- Updates issued by the triggers below (depth > 1) already carry the result.
CREATE FUNCTION veraz_claim_search_vector_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        IF pg_trigger_depth() > 1 THEN
            RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE'
            AND NEW.text IS NOT DISTINCT FROM OLD.text
            AND NEW.language IS NOT DISTINCT FROM OLD.language
            AND NEW.claimant_id IS NOT DISTINCT FROM OLD.claimant_id
            AND NEW.published_verdict_id IS NOT DISTINCT FROM OLD.published_verdict_id
            AND NEW.published_at IS NOT DISTINCT FROM OLD.published_at
            AND NEW.search_vector IS NOT DISTINCT FROM OLD.search_vector
        THEN
            RETURN NEW;
        END IF;
        NEW.search_vector := veraz_claim_search_vector(NEW);
        RETURN NEW;
    END
    $$;

CREATE TRIGGER veraz_claim_search_vector
    BEFORE INSERT OR UPDATE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION veraz_claim_search_vector_trigger();

-- Appearances: statement-level with transition tables, so bulk moves (merge,
-- publication, COPY) recompute each affected claim once.
CREATE FUNCTION veraz_appearance_search_vector_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE claims_claim c SET search_vector = veraz_claim_search_vector(c)
            WHERE c.id IN (SELECT claim_id FROM new_rows);
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE claims_claim c SET search_vector = veraz_claim_search_vector(c)
            WHERE c.id IN (SELECT claim_id FROM old_rows);
        ELSE
            UPDATE claims_claim c SET search_vector = veraz_claim_search_vector(c)
            WHERE c.id IN (
                SELECT unnest(ARRAY[n.claim_id, o.claim_id])
                FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE n.quote IS DISTINCT FROM o.quote
                    OR n.claim_id IS DISTINCT FROM o.claim_id
                    OR n.published_at IS DISTINCT FROM o.published_at
            );
        END IF;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER veraz_appearance_insert_search_vector
    AFTER INSERT ON claims_appearance REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION veraz_appearance_search_vector_trigger();
CREATE TRIGGER veraz_appearance_update_search_vector
    AFTER UPDATE ON claims_appearance REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION veraz_appearance_search_vector_trigger();
CREATE TRIGGER veraz_appearance_delete_search_vector
    AFTER DELETE ON claims_appearance REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION veraz_appearance_search_vector_trigger();

-- A claimant's rename reaches every claim attributed to them.
CREATE FUNCTION veraz_claimant_search_vector_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        UPDATE claims_claim c SET search_vector = veraz_claim_search_vector(c)
        WHERE c.claimant_id = NEW.id;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER veraz_claimant_search_vector
    AFTER UPDATE OF name ON claims_claimant
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION veraz_claimant_search_vector_trigger();

-- Published verdicts are not edited, but if one ever is, search follows.
CREATE FUNCTION veraz_verdict_search_vector_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        UPDATE claims_claim c SET search_vector = veraz_claim_search_vector(c)
        WHERE c.published_verdict_id = NEW.id;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER veraz_verdict_search_vector
    AFTER UPDATE OF conclusion, explanation ON claims_verdict
    FOR EACH ROW WHEN (
        OLD.conclusion IS DISTINCT FROM NEW.conclusion
        OR OLD.explanation IS DISTINCT FROM NEW.explanation
    )
    EXECUTE FUNCTION veraz_verdict_search_vector_trigger();

UPDATE claims_claim c SET search_vector = veraz_claim_search_vector(c);

CREATE INDEX claim_search_vector ON claims_claim USING gin (search_vector);
"""

BACKWARD_SQL = """
DROP INDEX IF EXISTS claim_search_vector;
DROP TRIGGER IF EXISTS veraz_verdict_search_vector ON claims_verdict;
DROP TRIGGER IF EXISTS veraz_claimant_search_vector ON claims_claimant;
DROP TRIGGER IF EXISTS veraz_appearance_delete_search_vector ON claims_appearance;
DROP TRIGGER IF EXISTS veraz_appearance_update_search_vector ON claims_appearance;
DROP TRIGGER IF EXISTS veraz_appearance_insert_search_vector ON claims_appearance;
DROP TRIGGER IF EXISTS veraz_claim_search_vector ON claims_claim;
DROP FUNCTION IF EXISTS veraz_verdict_search_vector_trigger();
DROP FUNCTION IF EXISTS veraz_claimant_search_vector_trigger();
DROP FUNCTION IF EXISTS veraz_appearance_search_vector_trigger();
DROP FUNCTION IF EXISTS veraz_claim_search_vector_trigger();
DROP FUNCTION IF EXISTS veraz_claim_search_vector(claims_claim);
DROP FUNCTION IF EXISTS veraz_search_config(text);
DROP FUNCTION IF EXISTS veraz_tsquery(text, text);
DROP FUNCTION IF EXISTS veraz_websearch(text, text);
DROP FUNCTION IF EXISTS veraz_unaccent_tsvector(tsvector);
DROP FUNCTION IF EXISTS veraz_search_input(text);
DROP FUNCTION IF EXISTS veraz_stem_config(text);
DROP FUNCTION IF EXISTS veraz_unaccent(text);
"""


def create_search_objects(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
        )
        schema = cursor.fetchone()[0]
        # For ts_headline: copies of the built-in configurations that unaccent
        # words before stemming them.
        for name, base in [*LANGUAGE_CONFIGS.items(), ("veraz_simple", "simple")]:
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base})")
            stem = "simple" if base == "simple" else f"{base}_stem"
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} "
                f"ALTER MAPPING FOR hword, hword_part, word WITH {schema}.unaccent, {stem}"
            )
        cursor.execute(FORWARD_SQL.replace("{schema}", schema))


def drop_search_objects(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(BACKWARD_SQL)
        for name in [*LANGUAGE_CONFIGS, "veraz_simple"]:
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_externalreview"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_search_objects, drop_search_objects),
    ]
