"""Request bodies. JSON bodies refuse NUL characters, which no text field can
store, and are cleaned by `claims.text`. The import endpoint reads its body
itself, as bytes, so the size limit is enforced while reading (nothing past
the limit is held in memory) and the document is parsed by the same code as
`manage.py import_claimreview`."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser

from claims.api.exceptions import PayloadTooLarge
from claims.text import UnreadableJSON, clean_data, contains_nul, load_json


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


class TextJSONParser(JSONParser):
    """JSON whose strings can be stored. A NUL character (valid JSON, but no
    database text field accepts it) is refused; other characters no text may
    hold are removed (`claims.text.clean_text`). Nesting too deep and numbers
    too long to be meant are refused as parse errors, not left to overflow
    later (`claims.text.load_json`)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = load_json(stream.read().decode(encoding))
        except UnicodeDecodeError:
            raise ParseError(
                _("The body is not %(encoding)s text.") % {"encoding": encoding}
            ) from None
        except UnreadableJSON as error:
            raise ParseError(_("JSON not accepted: %(reason)s.") % {"reason": error}) from None
        except ValueError as error:
            raise ParseError(_("JSON parse error - %(detail)s") % {"detail": error}) from None
        if contains_nul(data):
            raise ParseError(_("Null characters are not allowed in text."))
        return clean_data(data)
