import sqlite3
import subprocess
from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from claims.management.commands.backup_newsroom import postgres_env, require_tool


class Command(BaseCommand):
    help = (
        "Restore a backup written by backup_newsroom into an EMPTY database (the "
        "configured one, or --into DATABASE_URL). Refuses to write over existing tables."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--into",
            metavar="DATABASE_URL",
            help="Restore into this database instead of the configured one.",
        )

    def handle(self, *args, path: Path, into: str | None, **options):
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        if into:
            target = dj_database_url.parse(into)
            vendor = "postgresql" if "postgresql" in target["ENGINE"] else "sqlite"
        else:
            target = connections["default"].settings_dict
            vendor = connections["default"].vendor
        if vendor == "postgresql":
            self.restore_postgresql(path, target)
        elif vendor == "sqlite":
            self.restore_sqlite(path, target)
        else:
            raise CommandError(f"Restoring into {vendor} is not supported.")
        self.stdout.write(f"Restored {path}.")

    def restore_postgresql(self, path: Path, target: dict) -> None:
        args, env = postgres_env(target)
        check = subprocess.run(  # noqa: S603 - fixed executable, no shell
            [
                require_tool("psql"),
                *args,
                "--tuples-only",
                "--no-align",
                "--command",
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise CommandError(f"Cannot reach the target database: {check.stderr.strip()}")
        if check.stdout.strip() != "0":
            raise CommandError("The target database is not empty; restore into an empty one.")
        result = subprocess.run(  # noqa: S603 - fixed executable, no shell
            [
                require_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed (nothing was restored): {result.stderr.strip()}")

    def restore_sqlite(self, path: Path, target: dict) -> None:
        name = str(target["NAME"])
        destination = sqlite3.connect(name, uri=name.startswith("file:"))
        try:
            tables = destination.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
            if tables:
                raise CommandError("The target database is not empty; restore into an empty one.")
            source = sqlite3.connect(path)
            try:
                source.backup(destination)
            finally:
                source.close()
        finally:
            destination.close()
