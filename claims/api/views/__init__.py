"""The API's views: each translates HTTP into a selector or service call and
back. What a reader may see comes from `claims.selectors`; every write goes
through `claims.services`, which asks `claims.policy` who may do what."""

from claims.api.views.base import (  # noqa: F401
    CLAIM_DETAIL_RESPONSE,
    IMPORT_DOCUMENT,
    MERGED_RESPONSE,
    NO_FORMAT_PARAMETER,
    ApiDocsView,
    ApiRequestMixin,
    NotFoundView,
    claim_for_writing,
    claim_response,
    merged_redirect,
    site_url,
)
from claims.api.views.claimreview import (  # noqa: F401
    ClaimReviewFeedView,
    ClaimReviewImportView,
    ExternalReviewViewSet,
)
from claims.api.views.claims import ClaimViewSet  # noqa: F401
from claims.api.views.corrections import CorrectionTag, CorrectionViewSet  # noqa: F401
from claims.api.views.items import AppearanceViewSet, ClaimItemViewSet, EvidenceViewSet  # noqa: F401
from claims.api.views.matching import SimilarClaimsView  # noqa: F401
from claims.api.views.reference import (  # noqa: F401
    ClaimantViewSet,
    RatingViewSet,
    ReferenceViewSet,
    SourceViewSet,
    TopicViewSet,
)
from claims.api.views.tips import TipView  # noqa: F401
from claims.api.views.verdicts import VerdictView  # noqa: F401
