"""Telling the newsroom about its work: who hears of each step, on the desk and
by email.

The workflow services call `notify(...)` in one line, inside their
transaction; the rows are written there (so a refused step tells nobody), and
the emails leave after the commit, through Django's email framework, in each
recipient's language. Those a mail outage held back are sent by
`manage.py send_notification_emails` (run it every few minutes). Who hears of what:

- submitted for review: the editors (who may review);
- changes requested: the claim's author and its assigned researcher;
- published: the author and the assigned researcher;
- correction proposed: the other editors (who may publish it);
- correction published: the editor who proposed it and the claim's author;
- assigned: the person assigned.

Never the person who acted, never twice for one event, and no email to anyone
who turned email off in "My settings" (the desk still lists it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from claims.models import (
    Claim,
    Correction,
    NewsroomProfile,
    Notification,
    NotificationEvent,
)
from claims.policy import User
from claims.services.base import service

logger = logging.getLogger(__name__)

_SUBJECTS = {
    NotificationEvent.SUBMITTED: gettext_lazy("%(actor)s submitted a claim for review"),
    NotificationEvent.CHANGES_REQUESTED: gettext_lazy("%(actor)s requested changes to a claim"),
    NotificationEvent.PUBLISHED: gettext_lazy("%(actor)s published a fact-check"),
    NotificationEvent.CORRECTION_PROPOSED: gettext_lazy("%(actor)s proposed a correction"),
    NotificationEvent.CORRECTION_PUBLISHED: gettext_lazy("%(actor)s published a correction"),
    NotificationEvent.ASSIGNED: gettext_lazy("%(actor)s assigned a claim to you"),
}


def display_name(user: User) -> str:
    """How the newsroom is named to each other: full name, else username."""
    return user.get_full_name() or user.get_username()


def newsroom_users_with_perm(codename: str) -> QuerySet:
    """Active staff who hold `claims.<codename>` through a role or directly.

    Superusers are not added merely for being superusers: an administrator
    account is not an editor, and would otherwise get every newsroom email.
    """
    perm = Permission.objects.filter(content_type__app_label="claims", codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__permissions__in=perm) | Q(user_permissions__in=perm))
        .distinct()
    )


def _recipients(event: str, claim: Claim, correction: Correction | None) -> list:
    if event == NotificationEvent.SUBMITTED:
        return list(newsroom_users_with_perm("review_claim"))
    if event == NotificationEvent.CORRECTION_PROPOSED:
        return list(newsroom_users_with_perm("publish_claim"))
    if event in {NotificationEvent.CHANGES_REQUESTED, NotificationEvent.PUBLISHED}:
        return [claim.created_by, claim.assigned_to]
    if event == NotificationEvent.CORRECTION_PUBLISHED:
        return [correction.created_by if correction else None, claim.created_by]
    if event == NotificationEvent.ASSIGNED:
        return [claim.assigned_to]
    raise ValueError(f"Unknown notification event {event!r}")


def notify(
    event: str,
    *,
    claim: Claim,
    by: User,
    comment: str = "",
    correction: Correction | None = None,
) -> list[Notification]:
    """Record `event` for everyone it concerns but `by`, and email them after
    the surrounding transaction commits. Called by the services, in theirs."""
    seen = {by.pk}
    rows = []
    for user in _recipients(event, claim, correction):
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(recipient=user, event=event, claim=claim, actor=by, comment=comment)
        )
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    if ids:
        # As the tipline's mail does: sent once the step commits, in the process
        # that took it, so `make run` needs no broker; a failure never undoes it.
        transaction.on_commit(lambda: notifications_email(ids=ids))
    return created


# --- Email ---------------------------------------------------------------------------


def profile_for(user: User) -> NewsroomProfile:
    """The user's settings, or the defaults if they never saved any (unsaved)."""
    try:
        return user.newsroom_profile
    except NewsroomProfile.DoesNotExist:
        return NewsroomProfile(user=user)


def _message(notification: Notification, language: str) -> EmailMessage:
    claim = notification.claim
    with translation.override(language):
        context = {
            "notification": notification,
            "event": notification.get_event_display(),
            "actor": display_name(notification.actor),
            "recipient": display_name(notification.recipient),
            "claim": claim,
            "claim_url": settings.SITE_URL + reverse("admin:claims_claim_change", args=[claim.pk]),
            "desk_url": settings.SITE_URL + reverse("admin:index"),
            "settings_url": settings.SITE_URL + reverse("newsroom-settings"),
            "newsroom": settings.NEWSROOM_NAME,
        }
        subject = str(_SUBJECTS[notification.event]) % {"actor": context["actor"]}
        return EmailMessage(
            subject=f"[{settings.NEWSROOM_NAME}] {subject}",
            body=render_to_string("claims/notifications/email.txt", context),
            to=[notification.recipient.email],
            from_email=settings.NOTIFICATIONS_FROM_EMAIL,
        )


@service(atomic=False, public=False)
def notifications_email(*, ids: Iterable[int]) -> int:
    """Email the notifications `ids` to recipients who want email; each at most
    once, whoever calls (a task retry, a second worker). Returns how many went."""
    pending = (
        Notification.objects.filter(pk__in=list(ids), emailed_at__isnull=True)
        .select_related("recipient__newsroom_profile", "actor", "claim")
        .order_by("pk")
    )
    sent = 0
    for notification in pending:
        recipient = notification.recipient
        profile = profile_for(recipient)
        if not recipient.email or not profile.email_notifications:
            continue
        # Claim the row first, so two workers never email the same event twice.
        if not Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        ):
            continue
        try:
            _message(notification, profile.language).send()
        except Exception:
            # A mail outage must never undo the step; the row stays unsent, for
            # `manage.py send_notification_emails` to retry.
            logger.exception("Could not email notification %s", notification.pk)
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            continue
        sent += 1
    return sent


# --- The desk ------------------------------------------------------------------------


@service(public=False)
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones without `ids`)."""
    mine = Notification.objects.unread().filter(recipient=user)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    return mine.update(read_at=timezone.now())
