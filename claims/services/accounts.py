"""A newsroom user's own account: their settings and their API token.

Each function acts on `user`'s own rows only; no one reaches another user's
settings or token through them (superusers keep the token admin of DRF).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from claims.api.permissions import is_newsroom_user
from claims.exceptions import NotPermitted
from claims.models import NewsroomProfile
from claims.policy import User
from claims.services.base import service


def _require_newsroom_user(user: User) -> None:
    if not is_newsroom_user(user):
        raise NotPermitted(
            _("Only newsroom accounts have settings and API tokens."), code="permission"
        )


@service(public=False)
def profile_save(*, user: User, language: str, email_notifications: bool) -> NewsroomProfile:
    """Save the user's own settings (language of their emails, email on or off)."""
    _require_newsroom_user(user)
    profile, _created = NewsroomProfile.objects.select_for_update().get_or_create(user=user)
    profile.language = language
    profile.email_notifications = email_notifications
    profile.full_clean()
    profile.save()
    return profile


def api_token_of(user: User) -> Token | None:
    return Token.objects.filter(user=user).first()


@service(public=False)
def api_token_create(*, user: User) -> Token:
    """A new API token for `user`, replacing any they had (the old key stops
    working at once). The caller shows the key once; it is never shown again."""
    _require_newsroom_user(user)
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


@service(public=False)
def api_token_revoke(*, user: User) -> bool:
    """Delete `user`'s API token; False when they had none."""
    _require_newsroom_user(user)
    deleted, _rows = Token.objects.filter(user=user).delete()
    return bool(deleted)
