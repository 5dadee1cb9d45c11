from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from claims.admin.forms import SafeAutocompleteAdminMixin
from claims.admin.reference import ReferenceRecordAdmin
from sources.capture import capture_request, captures_run_inline
from sources.models import CaptureJob, CaptureReason, Publisher, Source, SourceSnapshot


@admin.register(Publisher)
class PublisherAdmin(ReferenceRecordAdmin):
    list_display = ["name", "url", "country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ReadOnlyAdminMixin:
    """Records written only by the capture pipeline: shown, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SnapshotInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SourceSnapshot
    fields = ["number", "origin", "taken_at", "sha256", "http_status", "final_url", "files"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name_plural = _(
        "versions of the stored text (evidence points at the one it was checked against)"
    )

    @admin.display(description=_("files"))
    def files(self, obj):
        return snapshot_files(obj)


def snapshot_files(obj):
    links = [
        (reverse("admin:sources_sourcesnapshot_file", args=[obj.pk, kind]), label)
        for kind, label in (("warc", "WARC"), ("screenshot", "PNG"), ("pdf", "PDF"))
        if getattr(obj, kind)
    ]
    if not links:
        return "—"
    return format_html_join(" · ", '<a href="{}" download>{}</a>', links)


class CaptureJobInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaptureJob
    fields = ["requested_at", "reason", "status", "attempts", "error", "snapshot", "finished_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    ordering = ["-requested_at"]


@admin.register(Source)
class SourceAdmin(SafeAutocompleteAdminMixin, ReferenceRecordAdmin):
    list_display = [
        "title",
        "publisher",
        "kind",
        "published_on",
        "url",
        "link_status",
        "last_captured_at",
        "citing_claims",
    ]
    list_filter = ["link_status", "kind", "language", "publisher"]
    list_select_related = ["publisher"]
    search_fields = ["title", "url", "publisher__name", "authors"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher"]
    readonly_fields = [
        "snapshot_sha256",
        "claims_citing",
        "created_at",
        "updated_at",
        "link_status",
        "link_status_since",
        "link_checked_at",
        "link_next_check_at",
        "last_captured_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "publisher", "authors", "kind", "language"]}),
        (_("Where and when"), {"fields": ["url", "archive_url", "published_on", "retrieved_on"]}),
        (
            _("Link check"),
            {
                "fields": [
                    "link_status",
                    "link_status_since",
                    "link_checked_at",
                    "link_next_check_at",
                    "last_captured_at",
                ]
            },
        ),
        (_("Stored text"), {"fields": ["snapshot", "snapshot_sha256"]}),
        (_("Notes"), {"fields": ["notes", "claims_citing", "created_at", "updated_at"]}),
    ]
    inlines = [SnapshotInline, CaptureJobInline]
    actions = ["capture_now"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if settings.SOURCE_CAPTURE_ON_ADD and obj.url and "url" in form.changed_data:
            note = self._request_capture(request, obj, CaptureReason.ADDED)
            self.message_user(request, note, messages.INFO)

    def _request_capture(self, request, source, reason) -> str:
        capture_request(source=source, reason=reason, by=request.user)
        if captures_run_inline():
            return _("Capturing %(url)s inline (no background worker is configured).") % {
                "url": source.url
            }
        return _("Capture of %(url)s queued; its state is under Capture jobs.") % {
            "url": source.url
        }

    @admin.action(description=_("Capture the selected sources' pages now"))
    def capture_now(self, request, queryset):
        sources = [s for s in queryset if s.url]
        for source in sources:
            capture_request(source=source, reason=CaptureReason.REQUESTED, by=request.user)
        self.message_user(
            request,
            (
                _("%(n)s capture(s) run inline (no background worker is configured).")
                if captures_run_inline()
                else _("%(n)s capture(s) queued; see Capture jobs for their state.")
            )
            % {"n": len(sources)},
            messages.SUCCESS,
        )

    def get_queryset(self, request):
        # One aggregate per page, however many sources it lists. Its GROUP BY
        # drops Meta.ordering: ordered again, so that the evidence form's
        # source picker pages through a stable list (the changelist orders
        # by its own columns).
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_claims=Count("evidence__claim", distinct=True)
                + Count("appearances__claim", distinct=True)
            )
            .order_by(*Source._meta.ordering, "pk")
        )

    @admin.display(description=_("citations"), ordering="n_claims")
    def citing_claims(self, obj):
        return obj.n_claims

    @admin.display(description=_("claims citing this source"))
    def claims_citing(self, obj):
        claims = {
            item.claim
            for related in (obj.evidence, obj.appearances)
            for item in related.select_related("claim")
        }
        if not claims:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:claims_claim_change", args=[c.pk]),
                        c.text,
                        c.get_status_display(),
                    )
                    for c in sorted(claims, key=lambda c: c.pk)
                ),
            ),
        )


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["source", "number", "origin", "taken_at", "http_status", "sha256"]
    list_filter = ["origin"]
    list_select_related = ["source"]
    search_fields = ["source__title", "final_url"]
    fields = [
        "source",
        "number",
        "origin",
        "taken_at",
        "created_by",
        "sha256",
        "requested_url",
        "final_url",
        "http_status",
        "content_type",
        "headers",
        "files",
        "text",
    ]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("sources.view_source")

    @admin.display(description=_("files"))
    def files(self, obj):
        return snapshot_files(obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/file/<str:kind>/",
                self.admin_site.admin_view(self.file_view),
                name="sources_sourcesnapshot_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, pk, kind):
        if not self.has_view_permission(request):
            raise PermissionDenied
        snapshot = SourceSnapshot.objects.filter(pk=pk).first()
        if snapshot is None or kind not in ("warc", "screenshot", "pdf"):
            raise Http404
        stored = getattr(snapshot, kind)
        if not stored:
            raise Http404
        # Always a download: a captured page never renders on the admin's origin.
        response = FileResponse(
            stored.open("rb"),
            as_attachment=True,
            filename=stored.name.rsplit("/", 1)[-1],
            content_type="application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


@admin.register(CaptureJob)
class CaptureJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The task state of every capture: queued, running, succeeded or failed."""

    list_display = [
        "source",
        "reason",
        "status",
        "attempts",
        "requested_at",
        "finished_at",
        "error",
    ]
    list_filter = ["status", "reason"]
    list_select_related = ["source"]
    search_fields = ["source__title", "url"]
    fields = [
        "source",
        "url",
        "reason",
        "status",
        "attempts",
        "error",
        "snapshot",
        "task_id",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("sources.view_source")
