"""Who may do what to a claim, now: the one place that decides.

Wagtail asks `page.permissions_for_user(user).can_publish()`; Veraz asks
`ClaimPolicy(user, claim).can_publish()`. The services call it before they
act (and raise its refusal), the admin shows a button and the API lists an
action in `allowed_actions` exactly when it says yes, so nothing is offered
that would then be refused, and nothing refused is offered.

A `Decision` is truthy when allowed; when not, it carries the message meant
for the person who asked and the error the service raises.
"""

from claims.policy.base import ALLOWED, Decision, User, has_perm, perm_decision
from claims.policy.claims import (
    CLAIM_EDITABLE_FIELDS,
    CLAIM_FIELDS_EDITABLE_AFTER_PUBLICATION,
    ClaimPolicy,
    Problem,
    approvable_by,
    state_message,
    submission_problems,
)
from claims.policy.records import RecordPolicy, on_published_page

__all__ = [
    "ALLOWED",
    "CLAIM_EDITABLE_FIELDS",
    "CLAIM_FIELDS_EDITABLE_AFTER_PUBLICATION",
    "ClaimPolicy",
    "Decision",
    "Problem",
    "RecordPolicy",
    "User",
    "approvable_by",
    "has_perm",
    "on_published_page",
    "perm_decision",
    "state_message",
    "submission_problems",
]
