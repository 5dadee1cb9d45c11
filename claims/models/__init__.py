"""The fact-checking domain: who claimed what, where, the evidence, and the verdict.

State changes (status, publication, corrections, retraction) and content edits
are made only by `claims.services`, which asks `claims.policy` who may do what.
Models hold data, constraints and the definition of what is public
(`ClaimQuerySet.public()`).
"""

from claims.models.claim import (
    PUBLIC_PAGE_STATUSES,
    Claim,
    ClaimQuerySet,
    ClaimStatus,
    public_claim_q,
    sees_unpublished_work,
)
from claims.models.content import (
    CORRECTABLE_PARTS,
    Appearance,
    Correction,
    CorrectionKind,
    CorrectionQuerySet,
    Evidence,
    EvidenceStance,
    FigureQualifier,
    PublicationQuerySet,
    Verdict,
    VerdictQuerySet,
)
from claims.models.embedding import AppearanceEmbedding, ClaimEmbedding
from claims.models.external import ExternalReview, ExternalReviewQuerySet
from claims.models.notifications import (
    NewsroomProfile,
    Notification,
    NotificationEvent,
    NotificationQuerySet,
)
from claims.models.publication import PublicationVersion
from claims.models.reference import (
    Claimant,
    ClaimantKind,
    Rating,
    RatingScale,
    Topic,
    country_code_validator,
    hex_colour_validator,
)
from claims.models.site_pages import SitePageVersion
from claims.models.tips import Tip, TipChannel, TipGroup, TipGroupQuerySet, TipStatus
from claims.models.workflow_log import (
    Contribution,
    ContributionPart,
    ContributionQuerySet,
    Transition,
    TransitionAction,
)

__all__ = [
    "CORRECTABLE_PARTS",
    "PUBLIC_PAGE_STATUSES",
    "Appearance",
    "AppearanceEmbedding",
    "Claim",
    "ClaimEmbedding",
    "ClaimQuerySet",
    "ClaimStatus",
    "Claimant",
    "ClaimantKind",
    "Contribution",
    "ContributionPart",
    "ContributionQuerySet",
    "Correction",
    "CorrectionKind",
    "CorrectionQuerySet",
    "Evidence",
    "EvidenceStance",
    "ExternalReview",
    "ExternalReviewQuerySet",
    "FigureQualifier",
    "NewsroomProfile",
    "Notification",
    "NotificationEvent",
    "NotificationQuerySet",
    "PublicationQuerySet",
    "PublicationVersion",
    "Rating",
    "SitePageVersion",
    "RatingScale",
    "Tip",
    "TipChannel",
    "TipGroup",
    "TipGroupQuerySet",
    "TipStatus",
    "Topic",
    "Transition",
    "TransitionAction",
    "Verdict",
    "VerdictQuerySet",
    "country_code_validator",
    "hex_colour_validator",
    "public_claim_q",
    "sees_unpublished_work",
]
