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
