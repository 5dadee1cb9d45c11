"""Services that change nothing readers see keep every cached reader page valid
(claims/services/base.py: `public=False`), so a newsroom's own clicks do not
empty the shared cache during a spike."""

import pytest

from claims.publication import publication_version
from claims.services.accounts import api_token_create, api_token_revoke, profile_save
from claims.services.notifications import notifications_email, notifications_mark_read

pytestmark = pytest.mark.django_db


def test_a_users_own_settings_tokens_and_notifications_keep_the_version(editor):
    version = publication_version()
    profile_save(user=editor, language="es", email_notifications=False)
    api_token_create(user=editor)
    api_token_revoke(user=editor)
    notifications_mark_read(user=editor)
    notifications_email(ids=[])
    assert publication_version() == version
