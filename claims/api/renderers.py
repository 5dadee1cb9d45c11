from rest_framework.renderers import JSONRenderer


class JSONLDRenderer(JSONRenderer):
    """ClaimReview and the DataFeed are JSON-LD; `Accept: application/json` gets
    the same document as plain JSON."""

    media_type = "application/ld+json"
    format = "jsonld"
