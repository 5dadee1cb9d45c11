from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def _positive_int(raw: str) -> int | None:
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    value = int(raw)
    return value if value >= 1 else None


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`, with `next`/`previous` links.

    Unlike DRF's default, a malformed `page` or a `page_size` outside
    1..API_MAX_PAGE_SIZE is a 400 that says so, not silently ignored; a page
    past the end is 404. Empty values count as not given, as for every filter.
    """

    page_size_query_param = "page_size"
    last_page_strings = ()
    page_query_description = _("Page number, from 1.")

    @property
    def page_size(self):
        return settings.API_PAGE_SIZE

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    @property
    def page_size_query_description(self):
        return _("Results per page, from 1 to %(max)s (default %(default)s).") % {
            "max": self.max_page_size,
            "default": self.page_size,
        }

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        value = _positive_int(raw)
        if value is None or value > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return value

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if not raw:
            return 1
        value = _positive_int(raw)
        if value is None:
            raise ValidationError(
                {self.page_query_param: [_("Enter a whole page number, starting at 1.")]}
            )
        return value

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 999999999}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters
