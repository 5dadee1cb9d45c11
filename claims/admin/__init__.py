"""The newsroom's workspace: a client of `claims.services`, never a second
implementation. Every save, inline edit and workflow button calls a service;
what the rules forbid is either not offered (read-only fields, hidden
buttons, asked of `claims.policy`) or refused with the service's own message.
"""

from claims.admin import (  # noqa: F401
    claims,
    external_reviews,
    records,
    reference,
    site_pages,
    tips,
)
