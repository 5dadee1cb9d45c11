from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from claims.admin.forms import SafeAutocompleteAdminMixin
from claims.admin.reference import ReferenceRecordAdmin
from sources.models import Publisher, Source


@admin.register(Publisher)
class PublisherAdmin(ReferenceRecordAdmin):
    list_display = ["name", "url", "country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(SafeAutocompleteAdminMixin, ReferenceRecordAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "url", "citing_claims"]
    list_filter = ["kind", "language", "publisher"]
    list_select_related = ["publisher"]
    search_fields = ["title", "url", "publisher__name", "authors"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher"]
    readonly_fields = ["snapshot_sha256", "claims_citing", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "publisher", "authors", "kind", "language"]}),
        (_("Where and when"), {"fields": ["url", "archive_url", "published_on", "retrieved_on"]}),
        (_("Stored text"), {"fields": ["snapshot", "snapshot_sha256"]}),
        (_("Notes"), {"fields": ["notes", "claims_citing", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        # One aggregate per page, however many sources it lists.
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_claims=Count("evidence__claim", distinct=True)
                + Count("appearances__claim", distinct=True)
            )
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
