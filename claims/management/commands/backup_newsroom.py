import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def postgres_env(settings_dict: dict) -> tuple[list[str], dict]:
    """libpq connection arguments and environment for pg_dump / pg_restore."""
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (PostgreSQL client tools are needed).")
    return path


class Command(BaseCommand):
    help = (
        "Write a complete backup of the newsroom's database to PATH: pg_dump's custom "
        "format on PostgreSQL, a consistent copy of the database file on SQLite. "
        "Restore it with restore_newsroom."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args, path: Path, database: str, **options):
        connection = connections[database]
        if path.exists():
            raise CommandError(f"{path} exists; refusing to overwrite a backup.")
        if connection.vendor == "postgresql":
            args, env = postgres_env(connection.settings_dict)
            result = subprocess.run(  # noqa: S603 - fixed executable, no shell
                [
                    require_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(path),
                    *args,
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                path.unlink(missing_ok=True)
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                # The online backup API copies a consistent snapshot, even while
                # the site is serving requests.
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            raise CommandError(f"Backups of {connection.vendor} databases are not supported.")
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size} bytes).")
