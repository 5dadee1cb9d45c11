"""Examples shown in the OpenAPI schema and the interactive docs."""

from drf_spectacular.utils import OpenApiExample

CLAIM_CREATE = OpenApiExample(
    "A new draft",
    request_only=True,
    value={
        "text": "Fewer than 30 migrants remain at the border.",
        "claimant": "ministry-of-the-interior",
        "language": "en",
        "first_made_on": "2023-04-28",
        "topics": ["migration"],
    },
)
APPEARANCE = OpenApiExample(
    "Where it was said",
    request_only=True,
    value={
        "source": "biobiochile-border-patrols",
        "quote": "Fewer than 30 people remain at the crossing.",
        "appeared_on": "2023-04-28",
    },
)
EVIDENCE = OpenApiExample(
    "Evidence with a figure",
    request_only=True,
    value={
        "source": "cnn-espanol-forced-crossing",
        "excerpt": "About 150 people were still waiting at the border.",
        "stance": "refutes",
        "note": "",
        "figure": {
            "quantity": "People waiting at the border crossing",
            "qualifier": "about",
            "value": "150",
            "unit": "people",
            "as_of": "2023-04-29",
        },
    },
)
VERDICT = OpenApiExample(
    "A verdict",
    request_only=True,
    value={
        "rating": "false",
        "conclusion": "Reporters counted about 150 people still waiting.",
        "explanation": "Two reports from the crossing count **far more** than 30 people.",
    },
)
TRANSITION_SUBMIT = OpenApiExample(
    "Submit for review", request_only=True, value={"action": "submit", "comment": ""}
)
TRANSITION_RETRACT = OpenApiExample(
    "Retract",
    request_only=True,
    value={"action": "retract", "comment": "The source we relied on withdrew its report."},
)
CORRECTION = OpenApiExample(
    "A correction with a new rating",
    request_only=True,
    value={
        "kind": "correction",
        "note": "A later count found 60 people; the rating changes to Mostly false.",
        "rating": "mostly-false",
    },
)
CLAIMREVIEW = OpenApiExample(
    "ClaimReview",
    response_only=True,
    value={
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factcheck.example.org/claims/fewer-than-30-migrants-remain/",
        "claimReviewed": "Fewer than 30 migrants remain at the border.",
        "datePublished": "2023-05-02T14:00:00+00:00",
        "author": {
            "@type": "Organization",
            "name": "Veraz",
            "url": "https://factcheck.example.org/",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 7,
            "worstRating": 1,
            "alternateName": "False",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "Ministry of the Interior"},
            "datePublished": "2023-04-28",
        },
        "inLanguage": "en",
        "description": "Reporters counted about 150 people still waiting.",
    },
)
FEED = OpenApiExample(
    "DataFeed",
    response_only=True,
    value={
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": "Veraz — ClaimReview",
        "dateModified": "2023-05-02T14:00:00+00:00",
        "dataFeedElement": [
            {
                "@type": "DataFeedItem",
                "dateCreated": "2023-05-02T14:00:00+00:00",
                "dateModified": "2023-05-02T14:00:00+00:00",
                "item": [CLAIMREVIEW.value],
            }
        ],
    },
)
IMPORT_FEED = OpenApiExample(
    "A DataFeed from another fact-checker",
    request_only=True,
    value={
        "@context": "http://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {
                "@type": "DataFeedItem",
                "item": [
                    {
                        "@type": "ClaimReview",
                        "url": "https://other-factchecker.example/check/123",
                        "claimReviewed": "Fewer than 30 migrants remain at the border.",
                        "author": {"@type": "Organization", "name": "Other Fact-Checker"},
                        "datePublished": "2023-05-03",
                        "reviewRating": {
                            "@type": "Rating",
                            "ratingValue": "2",
                            "bestRating": "5",
                            "worstRating": "1",
                            "alternateName": "Mostly false",
                        },
                    }
                ],
            }
        ],
    },
)
IMPORT_REPORT = OpenApiExample(
    "Import report",
    response_only=True,
    value={
        "imported": [
            {
                "position": "/dataFeedElement/0/item/0",
                "outcome": "created",
                "id": 12,
                "url": "https://other-factchecker.example/check/123",
            }
        ],
        "problems": [
            {
                "position": "/dataFeedElement/1/item/0",
                "reason": "url is missing: a review is identified by its address.",
            }
        ],
        "warnings": [],
    },
)
