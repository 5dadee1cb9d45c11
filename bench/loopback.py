"""A scaled-out Veraz on one machine: a streaming replica of the local
PostgreSQL as a second cluster, and app nodes (gunicorn) that share nothing
but PostgreSQL and Redis. Used by tests/test_scale_out.py (the proof that the
topology works) and bench/scale_out_bench.py (its figures).

Needs root (the replica runs as the `postgres` OS user), PostgreSQL's server
binaries, and a primary that accepts replication connections from 127.0.0.1
(.ci/allow-loopback-replication sets that up).
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
PG_OS_USER = "postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def configured_ports(name: str) -> list[int]:
    """Fixed ports from a comma-separated environment variable (for machines
    where several people run servers at once), or none: then free ones."""
    raw = os.environ.get(name, "")
    try:
        return [int(port) for port in raw.split(",") if port.strip()]
    except ValueError:
        raise ValueError(f"{name} must be comma-separated port numbers, not {raw!r}") from None


def wait_until(predicate, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def missing_prerequisites(database_url: str) -> str | None:
    """Why this machine cannot run the loopback topology, or None."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL is not PostgreSQL"
    if os.geteuid() != 0:
        return "needs root, to run the replica as the postgres OS user"
    if shutil.which("runuser") is None:
        return "needs runuser (util-linux)"
    try:
        bindir = server_bindir(database_url)
    except psycopg.Error as error:
        return f"cannot reach the primary: {error}"
    for program in ("pg_basebackup", "pg_ctl"):
        if not (bindir / program).exists():
            return f"{bindir / program} is missing"
    return None


def admin_url(database_url: str, dbname: str = "postgres") -> str:
    parts = urlsplit(database_url)
    return parts._replace(path=f"/{dbname}").geturl()


def server_bindir(database_url: str) -> Path:
    with psycopg.connect(admin_url(database_url), connect_timeout=3) as conn:
        version = int(conn.execute("SHOW server_version_num").fetchone()[0])
    return Path(f"/usr/lib/postgresql/{version // 10000}/bin")


def as_postgres(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", PG_OS_USER, "--", *args],
        check=True,
        capture_output=True,
        text=True,
        cwd="/",
        **kwargs,
    )


@dataclass
class ReplicaCluster:
    """A hot standby of the primary at `primary_url`, on its own port."""

    primary_url: str
    port: int = field(default_factory=free_port)
    directory: Path | None = None

    def create(self) -> None:
        parts = urlsplit(self.primary_url)
        self.bindir = server_bindir(self.primary_url)
        self.directory = Path(tempfile.mkdtemp(prefix="veraz-replica-"))
        shutil.chown(self.directory, PG_OS_USER, PG_OS_USER)
        self.directory.chmod(0o700)
        data = self.directory / "data"
        as_postgres(
            str(self.bindir / "pg_basebackup"),
            "-h", parts.hostname or "127.0.0.1",
            "-p", str(parts.port or 5432),
            "-U", parts.username or "postgres",
            "-D", str(data),
            "-R",  # standby.signal and primary_conninfo: a streaming replica
            "-X", "stream",
            "--checkpoint=fast",
        )  # fmt: skip
        # Debian keeps the configuration outside the data directory, so the
        # copy has none: the replica gets its own, minimal one.
        (data / "postgresql.conf").write_text(
            f"port = {self.port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.directory}'\n"
            "hot_standby = on\n"
        )
        (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        (data / "pg_ident.conf").write_text("")
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.chown(data / name, PG_OS_USER, PG_OS_USER)
        self.start()

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, dbname: str) -> str:
        parts = urlsplit(self.primary_url)
        user = parts.username or "postgres"
        return f"postgres://{user}@127.0.0.1:{self.port}/{dbname}"

    def start(self) -> None:
        try:
            as_postgres(
                str(self.bindir / "pg_ctl"),
                "-D", str(self.data),
                "-l", str(self.directory / "server.log"),
                "-w", "-t", "60", "start",
            )  # fmt: skip
        except subprocess.CalledProcessError as error:
            log = (self.directory / "server.log").read_text(errors="replace")[-3000:]
            error.stderr = f"{error.stderr}\n{log}"
            raise

    def stop(self) -> None:
        if self.directory and (self.data / "postmaster.pid").exists():
            as_postgres(
                str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
            )

    def destroy(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            as_postgres(
                str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
            )
        finally:
            if self.directory:
                shutil.rmtree(self.directory, ignore_errors=True)

    def query(self, dbname: str, sql: str, *params):
        with psycopg.connect(self.url(dbname), connect_timeout=3, autocommit=True) as conn:
            return conn.execute(sql, params).fetchone()


def node_environment(*, database_url: str, replica_url: str | None, redis_url: str, **extra):
    """Settings of one app node: production settings from the environment,
    plain HTTP on loopback, the read database named in every response."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "REPLICA_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="loopback-scale-out-only-not-a-real-secret-key-0123456789",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        REPLICA_DEBUG_HEADER="1",
        VERAZ_EMBEDDER="",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if replica_url:
        env["DATABASE_REPLICA_URL"] = replica_url
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(*args: str, env: dict, timeout: float = 600) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return result.stdout


@dataclass
class AppNode:
    """One gunicorn serving Veraz on its own port."""

    env: dict
    workers: int = 2
    port: int = field(default_factory=free_port)
    # Another WSGI app (bench/scale_out_bench.py: the bare ceiling beside the
    # project) and where to import it from.
    app: str = "config.wsgi"
    pythonpath: str | None = None
    access_log: bool = True
    process: subprocess.Popen | None = None

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        # Closed in stop(): the node outlives this method.
        self.log = tempfile.NamedTemporaryFile(prefix=f"veraz-node-{self.port}-", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(gunicorn), self.app,
                "-b", f"127.0.0.1:{self.port}",
                "-w", str(self.workers),
                "--access-logfile", "-" if self.access_log else "/dev/null",
                *(["--pythonpath", self.pythonpath] if self.pythonpath else []),
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_until(self._answers, timeout=90, what=f"gunicorn on port {self.port}")

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {self.port} exited:\n{self.output()}")
        try:
            return Client(self.port).get("/healthz").status == 200
        except OSError:
            return False

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Response:
    status: int
    headers: dict
    body: str


class Client:
    """A browser-like HTTP client on loopback, keeping its own cookies (also
    those marked Secure, which a real browser would keep over HTTPS only)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body=None, headers=None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        all_headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            content = raw.read().decode("utf-8", errors="replace")
            for header, value in raw.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    expired = "max-age=0" in value.lower() or cookie_value in ('""', "")
                    if expired:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = cookie_value
            headers_out = {k.lower(): v for k, v in raw.getheaders() if k.lower() != "set-cookie"}
            return Response(raw.status, headers_out, content)
        finally:
            conn.close()

    def get(self, path: str, **headers) -> Response:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, data: dict) -> Response:
        from urllib.parse import urlencode

        token = self.cookies.get("csrftoken", "")
        return self.request(
            "POST",
            path,
            body=urlencode({"csrfmiddlewaretoken": token, **data}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_json(self, path: str, payload: str, **headers) -> Response:
        headers.setdefault("X-CSRFToken", self.cookies.get("csrftoken", ""))
        return self.request(
            "POST", path, body=payload, headers={"Content-Type": "application/json", **headers}
        )
