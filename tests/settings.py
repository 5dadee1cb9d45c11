"""Settings for the test suite: production settings with test-only conveniences."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-never-used-outside-the-test-suite")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client speaks plain HTTP; HTTPS redirects are checked by `check --deploy`.
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the finders, as in development; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# django-axes needs the request in authenticate(); the test client's login()
# does not pass it. The lockout itself is tested with axes switched on.
AXES_ENABLED = False
# Claim matching on words only, unless a test asks for the embedder (the
# `semantic` fixture in tests/claims/search/conftest.py): embedding every claim
# the suite creates would make it minutes slower and its matches model-dependent.
VERAZ_EMBEDDER = None

# --- Source captures (sources/) ----------------------------------------------------
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

# Tasks run in-process unless a test starts a real worker (tests/sources/test_worker.py),
# which runs with VERAZ_TEST_CELERY_BROKER pointing at the local Redis.
CELERY_BROKER_URL = os.environ.get("VERAZ_TEST_CELERY_BROKER", "memory://localhost/")
CELERY_TASK_ALWAYS_EAGER = "VERAZ_TEST_CELERY_BROKER" not in os.environ
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("VERAZ_TEST_CELERY_QUEUE", "celery")
# Retries wait a second, not half a minute, so the real-worker test sees one.
SOURCE_CAPTURE_RETRY_BASE_SECONDS = 1
# The real-worker test's worker is another process: on SQLite it can only
# share the test database if that is a file (in memory, it would see nothing).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"veraz-test-{os.getpid()}.sqlite3")
    }
# The tests' web server listens on 127.0.0.1; the SSRF tests switch this off.
SOURCE_FETCH_ALLOW_LOOPBACK = True
# No test reaches outside 127.0.0.1: a source added with a URL is captured only
# in the tests that serve that URL and switch this on.
SOURCE_CAPTURE_ON_ADD = False
SOURCE_FETCH_TIMEOUT = 2.0
MEDIA_ROOT = Path(
    os.environ.get("VERAZ_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="veraz-media-")
)
# The vector index file, when a test builds one: in the test run's own directory.
VERAZ_VECTOR_INDEX_PATH = str(MEDIA_ROOT / "vector-index" / "claims.usearch")
