"""Shapes of the API. Output serializers translate models to JSON; input
serializers validate the shape of a request and translate it into the keyword
arguments of a service. None of them writes anything."""

from claims.api.serializers.claimreview import (  # noqa: F401
    ExternalReviewQuerySerializer,
    ExternalReviewSerializer,
    ImportedItemSerializer,
    ImportProblemSerializer,
    ImportReportSerializer,
)
from claims.api.serializers.claims import (  # noqa: F401
    ClaimDetailSerializer,
    ClaimSummarySerializer,
    MergedClaimSerializer,
    NewsroomInfoSerializer,
    ProblemSerializer,
    RetractedClaimSerializer,
)
from claims.api.serializers.common import (  # noqa: F401
    NULLABLE_URI,
    ClaimantRefSerializer,
    ClaimRefSerializer,
    PublisherRefSerializer,
    RatingBriefSerializer,
    RatingRefSerializer,
    SourceRefSerializer,
    TopicRefSerializer,
    claim_api_path,
)
from claims.api.serializers.content import (  # noqa: F401
    AppearanceSerializer,
    CorrectionSerializer,
    EvidenceSerializer,
    FigureSerializer,
    VerdictBriefSerializer,
    VerdictSerializer,
)
from claims.api.serializers.inputs import (  # noqa: F401
    AppearanceInputSerializer,
    ClaimInputSerializer,
    CorrectionInputSerializer,
    EvidenceInputSerializer,
    RelatedBySlugField,
    TransitionInputSerializer,
    VerdictInputSerializer,
)
from claims.api.serializers.matching import (  # noqa: F401
    SimilarClaimSerializer,
    SimilarClaimsQuerySerializer,
    SimilarClaimsSerializer,
)
from claims.api.serializers.reference import (  # noqa: F401
    ClaimantSerializer,
    RatingScaleRefSerializer,
    RatingSerializer,
    SourceSerializer,
    TopicSerializer,
)
