"""deploy/: the Compose file, the nginx configuration, the systemd units and
the environment examples a newsroom copies. Containers cannot run here, so
these are checked for syntax and for agreeing with the code: nginx -t and
systemd-analyze verify where the machine has them (CI installs nginx),
otherwise a structural check; and every environment variable deploy/ hands
to Veraz is one config/ reads.
"""

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

from config.replica_middleware import STICKY_COOKIE

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY = BASE_DIR / "deploy"
VERAZ_SERVICES = ("migrate", "app", "worker", "beat")
UNITS = ("veraz-web.service", "veraz-worker.service", "veraz-beat.service")
# Read by Django and Celery themselves rather than by config/settings.py.
FRAMEWORK_VARIABLES = {"DJANGO_SETTINGS_MODULE"}
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?-][^}]*)?\}")


def settings_variables() -> set[str]:
    """Every environment variable config/ reads (os.environ and its helpers)."""
    reader = re.compile(
        r"(?:environ(?:\.get)?\s*[(\[]|env_bool\(|env_list\(|_env_fraction\()\s*\"([A-Z][A-Z0-9_]+)\""
    )
    names = set()
    for module in (BASE_DIR / "config").glob("*.py"):
        names.update(reader.findall(module.read_text()))
    return names


def env_file_keys(path: Path) -> list[str]:
    keys = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, separator, _ = line.partition("=")
            assert separator, f"{path.name}: not KEY=value: {line!r}"
            keys.append(key.strip())
    return keys


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_the_settings_reader_finds_the_variables_settings_read():
    """Guards the scan below: it must see plain, boolean, list and checked reads."""
    assert {
        "DATABASE_URL",
        "DATABASE_REPLICA_URL",
        "REDIS_URL",
        "DEBUG",
        "ALLOWED_HOSTS",
        "CLAIM_MATCH_LIKELY",
    } <= settings_variables()


# --- Compose ---------------------------------------------------------------------------


def test_compose_has_every_component_with_a_healthcheck(compose):
    services = compose["services"]
    assert set(services) >= {
        "postgres",
        "postgres-replica",
        "redis",
        "migrate",
        "app",
        "worker",
        "beat",
        "proxy",
    }
    for name in ("postgres", "postgres-replica", "redis", "app", "worker", "beat", "proxy"):
        test = services[name].get("healthcheck", {}).get("test")
        assert test and test[0] in {"CMD", "CMD-SHELL"}, f"{name} has no healthcheck"
    # The replica is opt-in; the rest always runs.
    assert services["postgres-replica"]["profiles"] == ["replica"]
    assert all("profiles" not in services[name] for name in services if name != "postgres-replica")


def test_compose_runs_the_app_worker_and_beat_from_one_image(compose):
    services = compose["services"]
    images = {services[name]["image"] for name in VERAZ_SERVICES}
    assert len(images) == 1
    assert all(
        services[name]["build"]["dockerfile"] == "deploy/Dockerfile" for name in VERAZ_SERVICES
    )
    assert (DEPLOY / services["app"]["build"]["context"]).resolve() == BASE_DIR
    assert "gunicorn" in (DEPLOY / "Dockerfile").read_text()
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]


def test_compose_starts_the_app_after_migrations_and_its_backing_services(compose):
    services = compose["services"]
    for name in ("app", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["proxy"]["depends_on"]["app"]["condition"] == "service_healthy"
    assert services["postgres-replica"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_compose_mounts_only_files_that_exist(compose):
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                if source == "./certs":  # the newsroom's own certificate
                    continue
                assert (DEPLOY / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in compose["volumes"], f"{name}: undeclared volume {source}"


def test_compose_hands_veraz_only_variables_its_settings_read(compose):
    known = settings_variables() | FRAMEWORK_VARIABLES
    for name in VERAZ_SERVICES:
        service = compose["services"][name]
        assert service["env_file"] == "veraz.env"
        unknown = set(service.get("environment", {})) - known
        assert not unknown, f"{name} sets variables Veraz never reads: {unknown}"


def test_every_compose_interpolation_is_documented():
    text = (DEPLOY / "compose.yaml").read_text()
    documented = set(env_file_keys(DEPLOY / ".env.example"))
    used = set(INTERPOLATION.findall(text))
    assert used, "compose.yaml takes its passwords from deploy/.env"
    assert used <= documented, f"not in deploy/.env.example: {used - documented}"


def test_the_env_examples_name_only_variables_veraz_reads_and_documents():
    known = settings_variables()
    documented = set(env_file_keys(BASE_DIR / ".env.example"))
    veraz_env = env_file_keys(DEPLOY / "veraz.env.example")
    assert len(veraz_env) == len(set(veraz_env)), "a variable is set twice"
    assert set(veraz_env) <= known, set(veraz_env) - known
    assert set(veraz_env) <= documented, set(veraz_env) - documented
    # The compose-only file may only name Compose's own variables, or settings.
    compose_env = set(env_file_keys(DEPLOY / ".env.example"))
    assert compose_env - known == {"POSTGRES_PASSWORD", "REPLICATION_PASSWORD"}


def test_every_variable_settings_read_is_documented():
    documented = set(env_file_keys(BASE_DIR / ".env.example"))
    assert settings_variables() <= documented, settings_variables() - documented


# --- nginx -----------------------------------------------------------------------------


def nginx_conf() -> str:
    return (DEPLOY / "nginx" / "veraz.conf").read_text()


def test_nginx_keeps_logged_in_and_recently_writing_clients_out_of_its_cache():
    """Staff (session cookie), API tokens and read-your-writes clients are
    never served from, nor stored in, the proxy's cache."""
    conf = nginx_conf()
    skip = re.search(r'map\s+"([^"]+)"\s+\$veraz_skip_cache', conf)
    assert skip, "no map deciding who skips the cache"
    assert f"$cookie_{settings.SESSION_COOKIE_NAME}" in skip.group(1)
    assert f"$cookie_{STICKY_COOKIE}" in skip.group(1)
    assert "$http_authorization" in skip.group(1)
    # Whoever the app's own cache leaves out, the proxy's does too.
    assert f"$cookie_{CookieStorage.cookie_name}" in skip.group(1)
    assert "proxy_cache_bypass $veraz_skip_cache;" in conf
    assert "proxy_no_cache $veraz_skip_cache;" in conf
    # The app's own headers decide what is kept, and for how long.
    assert "proxy_ignore_headers" not in conf
    assert "proxy_cache_valid" not in conf
    assert "proxy_cache_revalidate on;" in conf
    assert "proxy_cache_lock on;" in conf


def test_nginx_sets_the_forwarded_headers_the_settings_trust():
    conf = nginx_conf()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_set_header Host $host;" in conf
    env = dict(
        line.split("=", 1)
        for line in (DEPLOY / "veraz.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    # One proxy, that overwrites what the client sent: count exactly one.
    assert env["SECURE_PROXY_SSL"] == "1"
    assert env["AXES_PROXY_COUNT"] == env["API_NUM_PROXIES"] == "1"


def test_nginx_configuration_is_balanced():
    """The structural check, which also runs where nginx is not installed."""
    conf = re.sub(r"#.*", "", nginx_conf())
    conf = re.sub(r'"[^"]*"', '""', conf)
    depth = 0
    for char in conf:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    # Every statement ends: nothing dangles after the last ; or }.
    assert not re.split(r"[{};]", conf)[-1].strip()


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_nginx_accepts_the_configuration(tmp_path):
    """nginx -t on the file as shipped, with only its outside world replaced:
    a throwaway certificate, a temporary cache, and the app on loopback (the
    Compose service name does not resolve here)."""
    certs = tmp_path / "certs"
    certs.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", certs / "privkey.pem",
         "-out", certs / "fullchain.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    conf = (
        nginx_conf()
        .replace("/etc/nginx/certs/", f"{certs}/")
        .replace("/var/cache/nginx/veraz", str(tmp_path / "cache"))
        .replace("server app:8000;", "server 127.0.0.1:8000;")
    )
    (tmp_path / "veraz.conf").write_text(conf)
    temp = "".join(
        f"{kind}_temp_path {tmp_path / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        f"events {{}}\nhttp {{\naccess_log off;\n{temp}include {tmp_path / 'veraz.conf'};\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr, result.stderr


# --- systemd ---------------------------------------------------------------------------


def read_unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def installed_unit_text(name: str) -> str:
    """The unit as a server would have it, with the code where this checkout is."""
    return (DEPLOY / "systemd" / name).read_text().replace("/srv/veraz/app", str(BASE_DIR))


@pytest.mark.parametrize("name", UNITS)
def test_unit_runs_a_real_command_with_the_shared_settings(name):
    unit = read_unit(name)
    service = unit["Service"]
    assert service["EnvironmentFile"] == "/etc/veraz/veraz.env"
    assert service["User"] == "veraz"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    program, *args = shlex.split(service["ExecStart"])
    installed = Path(program.replace("/srv/veraz/app", str(BASE_DIR)))
    # The checkout's virtualenv has every program the units start.
    assert installed.exists(), f"{name}: {program} is not in the virtualenv"
    expected = {
        "veraz-web.service": ("gunicorn", "config.wsgi"),
        "veraz-worker.service": ("celery", "worker"),
        "veraz-beat.service": ("celery", "beat"),
    }[name]
    assert installed.name == expected[0]
    assert expected[1] in args
    # Environment= lines name only variables Veraz (or Django) reads.
    for line in service.get("Environment", "").split():
        assert line.split("=", 1)[0] in settings_variables() | FRAMEWORK_VARIABLES


@pytest.mark.parametrize(
    ("name", "calendar", "command"),
    [
        ("veraz-erase-tips", "daily", "erase_expired_tips"),
        # Mail an outage held back goes out within minutes of the server's return.
        ("veraz-notification-emails", "*:0/5", "send_notification_emails"),
    ],
)
def test_each_timer_starts_its_service_and_command(name, calendar, command):
    timer = configparser.ConfigParser(interpolation=None)
    timer.read_string((DEPLOY / "systemd" / f"{name}.timer").read_text())
    assert timer["Timer"]["OnCalendar"] == calendar
    assert timer["Install"]["WantedBy"] == "timers.target"
    service = read_unit(f"{name}.service")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["User"] == "veraz"
    assert service["Service"]["EnvironmentFile"] == "/etc/veraz/veraz.env"
    assert shlex.split(service["Service"]["ExecStart"])[-1] == command
    assert list(BASE_DIR.glob(f"*/management/commands/{command}.py"))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_the_units(tmp_path):
    names = [path.name for path in (DEPLOY / "systemd").iterdir()]
    for name in names:
        (tmp_path / name).write_text(installed_unit_text(name))
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / name) for name in sorted(names))],
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    # Complaints about the host's own units are not ours; about ours, any is.
    ours = [line for line in output.splitlines() if str(tmp_path) in line or "veraz-" in line]
    assert result.returncode == 0, output
    assert ours == [], "\n".join(ours)


# --- PostgreSQL ------------------------------------------------------------------------


@pytest.mark.parametrize("script", ["primary-init.sh", "replica-entrypoint.sh"])
def test_postgres_scripts_are_valid_shell(script):
    path = DEPLOY / "postgres" / script
    result = subprocess.run(["sh", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert path.read_text().startswith("#!/bin/sh\n")


def test_the_replica_service_streams_from_the_primary_as_a_hot_standby(compose):
    replica = compose["services"]["postgres-replica"]
    assert replica["environment"]["PRIMARY_HOST"] == "postgres"
    script = (DEPLOY / "postgres" / "replica-entrypoint.sh").read_text()
    assert "--write-recovery-conf" in script
    assert "hot_standby=on" in script
    primary = compose["services"]["postgres"]["command"]
    assert "wal_level=replica" in primary
    assert "max_wal_senders=" in primary
