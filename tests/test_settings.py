"""Settings come from the environment, and every variable is documented."""

import json
import os
import re
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR
# os.environ.get("X"), os.environ["X"], or a helper called with the name: env_bool("X").
READ = re.compile(r'(?:os\.environ(?:\.get)?\(|os\.environ\[|\b_?env_\w+\()"([A-Z][A-Z0-9_]+)"')


def test_every_environment_variable_settings_read_is_in_env_example():
    source = (ROOT / "config" / "settings.py").read_text()
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = set(READ.findall(source))
    assert read, "the pattern no longer finds what settings.py reads"
    assert read - documented == set(), "document these in .env.example"


def test_redis_url_gives_a_shared_cache():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
    }
    shared = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "REDIS_URL": "redis://127.0.0.1:6379/0"},
        capture_output=True,
        text=True,
        check=True,
    )
    local = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shared.stdout.strip() == "config.cache.DegradingRedisCache"
    assert local.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def _settings_json(expression: str, **env: str):
    """`expression` evaluated, as JSON, in a fresh process whose settings read
    only `env` (DEBUG on, so that no production secret is required)."""
    code = f"import json; from django.conf import settings; print(json.dumps({expression}))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _database_settings(**env: str) -> dict:
    return _settings_json(
        "{k: settings.DATABASES['default'].get(k) for k in ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')}"
        " | {'pool': settings.DATABASES['default'].get('OPTIONS', {}).get('pool')}",
        **env,
    )


def test_connections_persist_by_default_and_pool_on_request():
    postgres = "postgres://veraz@127.0.0.1:5432/veraz"
    assert _database_settings(DATABASE_URL=postgres) == {
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "pool": None,
    }
    assert _database_settings(
        DATABASE_URL=postgres, DATABASE_POOL="1", DATABASE_POOL_MAX_SIZE="8"
    ) == {
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "pool": {"min_size": 1, "max_size": 8, "timeout": 10.0},
    }
    # SQLite has no pool: the setting is ignored there.
    assert _database_settings(DATABASE_POOL="1")["pool"] is None


def _make_run_commands(*args: str, **env: str) -> str:
    environment = {"PATH": os.environ.get("PATH", ""), **env}
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "run", *args],  # noqa: S607
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_make_run_names_the_port_it_serves_on_in_absolute_urls():
    commands = _make_run_commands("PORT=8100")
    assert "SITE_URL=http://127.0.0.1:8100 " in commands
    assert "runserver 127.0.0.1:8100" in commands
    assert ":8000" not in commands
    configured = _make_run_commands("PORT=8100", SITE_URL="https://veraz.example")
    assert "SITE_URL=https://veraz.example " in configured


def _prepare_thresholds(**env: str) -> dict:
    return _settings_json(
        "{alias: d.get('OPTIONS', {}).get('prepare_threshold', 'unset')"
        " for alias, d in settings.DATABASES.items()}",
        **env,
    )


def test_postgresql_prepares_the_claim_page_reads_unless_told_not_to():
    """claims.models.prepared asks psycopg to prepare; psycopg does only on a
    connection whose prepare_threshold is set (Django's default is None)."""
    primary = "postgres://veraz@127.0.0.1:5432/veraz"
    replica = "postgres://veraz@127.0.0.1:5433/veraz"
    both = {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica}
    assert _prepare_thresholds(**both) == {"default": 5, "replica": 5}
    assert _prepare_thresholds(**both, DATABASE_PREPARED_STATEMENTS="0") == {
        "default": None,
        "replica": None,
    }
    assert _prepare_thresholds(**both, DATABASE_POOL="1")["default"] == 5
    assert _prepare_thresholds() == {"default": "unset"}  # SQLite
