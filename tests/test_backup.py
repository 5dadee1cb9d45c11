"""Backup and restore: a newsroom round-trips into an empty database, row for row."""

import sqlite3
from io import StringIO

import psycopg
import psycopg.types.string
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claims import services
from claims.demo import DemoNewsroom
from tests.factories import UserFactory, make_draft, make_in_review, make_published

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def generated_newsroom():
    """The demo newsroom, a synthetic one from generate_newsroom, and claims
    driven through the workflow into every state."""
    DemoNewsroom(with_users=True).load()
    call_command("generate_newsroom", claims=200, seed=7, stdout=StringIO())
    researcher = UserFactory(username="gen-researcher", role="Researcher")
    editor = UserFactory(username="gen-editor", role="Editor")
    for n in range(4):
        make_draft(researcher, text=f"Generated draft {n} — año, Perú")
        make_in_review(researcher, text=f"Generated review {n}")
        claim = make_published(researcher, editor, text=f"Generated published {n}")
        if n % 2 == 0:
            services.claim_retract(claim=claim, by=editor, reason=f"Retracted {n}")


def all_rows(cursor, tables):
    rows = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
        rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def test_backup_restores_every_row_into_an_empty_database(tmp_path):
    generated_newsroom()
    backup = tmp_path / "newsroom.backup"
    call_command("backup_newsroom", str(backup), stdout=StringIO())
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        original = all_rows(cursor, tables)
    assert len(original["claims_claim"]) >= 9 + 200 + 12

    if connection.vendor == "sqlite":
        restored_file = tmp_path / "restored.sqlite3"
        call_command(
            "restore_newsroom",
            str(backup),
            into=f"sqlite:///{restored_file}",
            stdout=StringIO(),
        )
        # Read back with the same type conversions as Django's own connection.
        target = sqlite3.connect(restored_file, detect_types=sqlite3.PARSE_DECLTYPES)
        restored = all_rows(target.cursor(), tables)
        target.close()
    else:
        settings = connection.settings_dict
        name = f"{settings['NAME']}_restore"
        admin_url = (
            f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/postgres"
        )
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        target_url = admin_url.rsplit("/", 1)[0] + f"/{name}"
        try:
            call_command("restore_newsroom", str(backup), into=target_url, stdout=StringIO())
            with psycopg.connect(target_url) as target:
                # Read back as Django's own connection does: JSON as text.
                for json_type in ("json", "jsonb"):
                    target.adapters.register_loader(json_type, psycopg.types.string.TextLoader)
                restored = all_rows(target.cursor(), tables)
                # Sequences come back too: new rows do not collide with restored ones.
                next_id = target.execute("SELECT nextval('claims_claim_id_seq')").fetchone()[0]
                assert next_id > max(row[0] for row in original["claims_claim"])
        finally:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert restored == original


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    DemoNewsroom(with_users=False).load()
    backup = tmp_path / "newsroom.backup"
    call_command("backup_newsroom", str(backup), stdout=StringIO())
    if connection.vendor == "sqlite":
        occupied = tmp_path / "occupied.sqlite3"
        sqlite3.connect(occupied).execute("CREATE TABLE t (x int)").connection.commit()
        into = f"sqlite:///{occupied}"
    else:
        s = connection.settings_dict
        into = f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_newsroom", str(backup), into=into)


def test_backup_never_overwrites_an_existing_file(tmp_path):
    existing = tmp_path / "keep.backup"
    existing.write_text("precious")
    with pytest.raises(CommandError, match="refusing to overwrite"):
        call_command("backup_newsroom", str(existing))
    assert existing.read_text() == "precious"
