"""What a policy answer is: a Decision, truthy when allowed, carrying the
message and the error a service raises when not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from claims.exceptions import NotPermitted, TransitionRejected, WorkflowError

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Decision:
    allowed: bool
    message: str = ""
    code: str = ""
    error: type[WorkflowError] = field(default=TransitionRejected)

    def __bool__(self) -> bool:
        return self.allowed

    def require(self) -> None:
        """Raise the refusal, for a service about to act."""
        if not self.allowed:
            raise self.error(self.message, code=self.code)


ALLOWED = Decision(True)


def deny(message: str, code: str, error: type[WorkflowError] = TransitionRejected) -> Decision:
    return Decision(False, message, code, error)


def has_perm(user: User | None, perm: str) -> bool:
    return bool(user and user.is_active and user.has_perm(perm))


def perm_decision(user: User | None, perm: str, message: str) -> Decision:
    return ALLOWED if has_perm(user, perm) else deny(message, "permission", NotPermitted)


def first_refusal(*checks: Callable[[], Decision]) -> Decision:
    """The first refusal among `checks` (evaluated lazily, in order), or yes."""
    for check in checks:
        decision = check()
        if not decision:
            return decision
    return ALLOWED
