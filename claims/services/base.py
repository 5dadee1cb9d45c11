"""What every write shares: permission and version checks, row locks, the
workflow log, and saving a versioned object."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exceptions import NotPermitted, StaleVersion, TransitionRejected
from claims.models import Claim, Contribution, Transition
from claims.policy import User
from claims.publication import publication_changed

P = ParamSpec("P")
R = TypeVar("R")

_running: ContextVar[tuple[str, ...]] = ContextVar("veraz_services", default=())


def service(
    func: Callable[P, R] | None = None, *, atomic: bool = True, public: bool = True
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a function as a door to the record: it runs in one transaction
    (unless `atomic=False`, for imports that commit item by item) and, while
    it runs, `running_services()` names it, so a test can prove that every
    write a request made came from a service.

    A service that returns normally moves the publication version, which
    keys every cached reader page and API response (claims/publication.py),
    unless it says `public=False`: it changes nothing readers can see (a
    draft, a tip, a queued capture), nor the version of anything they can
    read (an anonymous API read's ETag names it, for If-Match; so proposing
    a correction to a published claim, which moves the claim's version,
    is public). Only the outermost service decides, so
    a private service calling another is still private; the default is the
    safe one, a new service invalidates the cache until it says otherwise."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        def call(outermost: bool, *args: P.args, **kwargs: P.kwargs) -> R:
            result = func(*args, **kwargs)
            if outermost and public:
                publication_changed()
            return result

        @functools.wraps(func)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            outermost = not _running.get()
            token = _running.set((*_running.get(), func.__qualname__))
            try:
                if atomic:
                    with transaction.atomic():
                        return call(outermost, *args, **kwargs)
                return call(outermost, *args, **kwargs)
            finally:
                _running.reset(token)

        return run

    return decorate(func) if func is not None else decorate


def running_services() -> tuple[str, ...]:
    """The services running now in this context, outermost first."""
    return _running.get()


def require_perm(user: AbstractBaseUser, perm: str, message: str) -> None:
    if not (user and user.is_active and user.has_perm(perm)):
        raise NotPermitted(message, code="permission")


def check_version(obj: models.Model, expected_version: int | None) -> None:
    """Refuse to act on an object that changed since the user read it.

    Every editable object carries a `version` that each save increments; the
    admin's forms and the API's If-Match send the version the user saw.
    """
    if expected_version is not None and obj.version != expected_version:
        raise StaleVersion(
            _(
                "Someone else saved this %(object)s after you opened it "
                "(your copy: version %(yours)s, now: version %(current)s). "
                "Reload to see their change, then reapply yours."
            )
            % {
                "object": obj._meta.verbose_name,
                "yours": expected_version,
                "current": obj.version,
            },
            code="stale",
        )


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim.pk)


def _log(
    claim: Claim,
    *,
    action: str,
    from_status: str,
    by: User,
    comment: str = "",
    at: datetime | None = None,
) -> Transition:
    return Transition.objects.create(
        claim=claim,
        action=action,
        from_status=from_status,
        to_status=claim.status,
        actor=by,
        comment=comment,
        at=at or timezone.now(),
    )


def _save_state(claim: Claim, fields: list[str]) -> None:
    # The row is locked by _locked(), so a plain increment cannot race.
    claim.version += 1
    claim.save(update_fields=[*fields, "version", "updated_at"])


def _assign(obj: models.Model, data: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TransitionRejected(
            _("These fields cannot be changed: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            code="locked",
        )
    changed = []
    for name, value in data.items():
        field = obj._meta.get_field(name)
        if getattr(obj, field.attname) != (value.pk if isinstance(value, models.Model) else value):
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _save_versioned(obj: models.Model, changed: list[str]) -> None:
    # Callers hold a row lock (select_for_update), so a plain increment cannot race.
    obj.full_clean()
    obj.version += 1
    update_fields = [*changed, "version"]
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        update_fields.append("updated_at")
    obj.save(update_fields=update_fields)


def _touch(claim: Claim) -> None:
    """Show a change to appearances, evidence or the verdict as a change to the claim.

    Only the timestamp moves: the claim's version guards the claim's own fields,
    so adding evidence never makes a colleague's edit of the wording "stale".
    """
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())


def record_contribution(claim: Claim, *, by: AbstractBaseUser, part: str) -> None:
    """Note that `by` changed `part` of the claim's content: until it is
    published, they may not publish it themselves (the two-person rule).
    Callers hold the claim's row lock, so the get-or-create cannot race."""
    now = timezone.now()
    pending = Contribution.objects.unpublished().filter(claim_id=claim.pk, user=by, part=part)
    if not pending.update(last_at=now):
        Contribution.objects.create(
            claim_id=claim.pk, user=by, part=part, first_at=now, last_at=now
        )
