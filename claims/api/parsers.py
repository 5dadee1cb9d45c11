"""Request bodies. JSON bodies refuse NUL characters, which no text field can
store. The import endpoint reads its body itself, as bytes, so the size limit
is enforced while reading (nothing past the limit is held in memory) and the
document is parsed by the same code as `manage.py import_claimreview`."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser

from claims.api.exceptions import PayloadTooLarge


class ClaimReviewDocumentParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.CLAIMREVIEW_IMPORT_MAX_BYTES
        too_large = PayloadTooLarge(
            _("The document is larger than %(max)s bytes. Split it and import the parts.")
            % {"max": limit}
        )
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request else 0
        except ValueError:
            length = 0
        if length > limit:
            raise too_large
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise too_large
        return data


class ClaimReviewLDDocumentParser(ClaimReviewDocumentParser):
    media_type = "application/ld+json"


def contains_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in data.items())
    if isinstance(data, list):
        return any(contains_nul(item) for item in data)
    return False


class TextJSONParser(JSONParser):
    """JSON whose strings can be stored: a NUL character (valid JSON, but no
    database text field accepts it) is refused as a parse error."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if contains_nul(data):
            raise ParseError(_("Null characters are not allowed in text."))
        return data
