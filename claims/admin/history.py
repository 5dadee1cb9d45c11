"""History pages that only show: the history library's revert form writes an
old row back with a plain save, past the services and their checks (it could
un-publish a fact-check), so every model's history is read-only here.

Each row says what changed, old → new, field by field (claims.review.history).
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from claims.review.history import history_changes


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        # The library looks the id up as typed: "abc" would be a server error.
        self._valid_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        self._valid_id(object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _valid_id(self, object_id) -> None:
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404(_("No record at this address.")) from None

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        if not records:
            return
        oldest = records[-1]
        # The oldest row on this page is compared with the newest of the next.
        pk_name = self.model._meta.pk.attname
        previous = (
            type(oldest)
            .objects.filter(**{pk_name: getattr(oldest, pk_name)})
            .filter(
                Q(history_date__lt=oldest.history_date)
                | Q(history_date=oldest.history_date, history_id__lt=oldest.history_id)
            )
            .order_by("-history_date", "-history_id")
            .first()
        )
        changes = history_changes(records, previous)
        for record in records:
            record.history_delta_changes = [
                {"field": change.field, "old": change.old, "new": change.new}
                for change in changes.get(record.history_id, [])
            ]
