"""Security headers, deploy checks, login throttling and request limits."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.factories import UserFactory

ROOT = settings.BASE_DIR
PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "SECRET_KEY": "k" * 20 + "-Zq9!x7#pL2@vN5$wR8^tY1&uI4*oP6(aS3)dF0_gH",
    "ALLOWED_HOSTS": "factcheck.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_with_production_settings_reports_nothing():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_server_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_csp_forbids_inline_scripts_and_other_headers_are_set(client):
    response = client.get("/")
    policy = {
        name.strip(): values.split()
        for name, _, values in (
            d.strip().partition(" ") for d in response["Content-Security-Policy"].split(";")
        )
        if name.strip()
    }
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures():
    UserFactory(username="target", password="a-correct-horse-battery")
    client = Client()
    with override_settings(AXES_ENABLED=True):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = client.post("/admin/login/", {"username": "target", "password": "wrong"})
            assert response.status_code == 200  # the form again, with an error
        last = client.post("/admin/login/", {"username": "target", "password": "wrong"})
        assert last.status_code == 429
        locked = client.post(
            "/admin/login/", {"username": "target", "password": "a-correct-horse-battery"}
        )
        assert locked.status_code == 429
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_oversized_request_body_is_refused_with_413_before_it_is_read(client):
    too_big = b"x" * (settings.REQUEST_BODY_MAX_BYTES + 1)
    response = client.post("/admin/login/", data=too_big, content_type="text/plain")
    assert response.status_code == 413
    api = client.post("/api/v1/claims/", data=too_big, content_type="application/json")
    assert api.status_code == 413 and api.json()["code"] == "request_too_large"


def test_production_cookies_are_secure_and_passwords_validated():
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password")


@pytest.mark.django_db
def test_security_txt_says_where_to_report(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@newsroom.example"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Contact: mailto:security@newsroom.example" in text and "Expires: " in text
