"""The one door to the record: every write, and every change of state.

The admin, the API, management commands and the demo call these functions;
none of them saves a model or sets a status itself. Each one checks (through
`claims.policy`), then acts, then records who did it, in one transaction.
"""

from claims.policy import submission_problems
from claims.services.content import (
    claim_create,
    claim_discard,
    claim_take,
    claim_update,
    makes_cycle,
    unique_claim_slug,
)
from claims.services.corrections import (
    correction_discard,
    correction_propose,
    correction_publish,
    correction_version,
)
from claims.services.external_reviews import external_review_link, import_claimreviews
from claims.services.items import (
    appearance_create,
    appearance_delete,
    appearance_update,
    evidence_create,
    evidence_delete,
    evidence_update,
    item_create,
    item_delete,
    item_update,
)
from claims.services.merging import claim_merge, claim_unmerge
from claims.services.records import (
    SITE_PAGE_FIELDS,
    record_create,
    record_delete,
    record_fields,
    record_update,
    site_page_delete,
    site_page_save,
)
from claims.services.verdicts import verdict_create, verdict_update
from claims.services.workflow import (
    STEP_ACTIONS,
    allowed_actions,
    claim_publish,
    claim_request_changes,
    claim_retract,
    claim_submit,
    take_step,
)

__all__ = [
    "SITE_PAGE_FIELDS",
    "STEP_ACTIONS",
    "allowed_actions",
    "appearance_create",
    "appearance_delete",
    "appearance_update",
    "claim_create",
    "claim_discard",
    "claim_merge",
    "claim_publish",
    "claim_request_changes",
    "claim_retract",
    "claim_submit",
    "claim_take",
    "claim_unmerge",
    "claim_update",
    "correction_discard",
    "correction_propose",
    "correction_publish",
    "correction_version",
    "evidence_create",
    "evidence_delete",
    "evidence_update",
    "external_review_link",
    "import_claimreviews",
    "item_create",
    "item_delete",
    "item_update",
    "makes_cycle",
    "submission_problems",
    "record_create",
    "record_delete",
    "record_fields",
    "record_update",
    "site_page_delete",
    "site_page_save",
    "take_step",
    "unique_claim_slug",
    "verdict_create",
    "verdict_update",
]
