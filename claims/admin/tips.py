"""Triage of readers' tips (claims.services.tips): the queue, grouped when tips
ask the same thing, and the actions that turn tips into a draft claim or mark
them spam. Tips are never typed in or edited here; readers and partner
channels send them."""

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, ngettext

from claims.exceptions import WorkflowError
from claims.models import Tip, TipGroup, TipStatus
from claims.services import tips as tip_services

WEEK = timedelta(days=7)


def asked_this_week(count: int) -> str:
    return ngettext("asked %(count)d time this week", "asked %(count)d times this week", count) % {
        "count": count
    }


class TipTriageActions:
    """The same three decisions on the tips list and on the groups list."""

    def tips_of(self, queryset):
        raise NotImplementedError

    def _act(self, request, work, done_message):
        try:
            result = work()
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return None
        self.message_user(request, done_message(result), messages.SUCCESS)
        return result

    @admin.action(description=gettext_lazy("Turn into one draft claim"), permissions=["change"])
    def turn_into_claim(self, request, queryset):
        claim = self._act(
            request,
            lambda: tip_services.tip_to_claim(tips=self.tips_of(queryset), by=request.user),
            lambda claim: (
                gettext_lazy("Draft claim created from the readers' tips: %(claim)s")
                % {"claim": claim}
            ),
        )
        if claim is not None:
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
        return None

    @admin.action(description=gettext_lazy("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._mark(request, queryset, TipStatus.SPAM)

    @admin.action(description=gettext_lazy("Mark as not checkable"), permissions=["change"])
    def mark_not_checkable(self, request, queryset):
        self._mark(request, queryset, TipStatus.NOT_CHECKABLE)

    def _mark(self, request, queryset, status):
        self._act(
            request,
            lambda: tip_services.tips_set_status(
                tips=self.tips_of(queryset), status=status, by=request.user
            ),
            lambda count: (
                ngettext("%(count)d tip marked.", "%(count)d tips marked.", count)
                % {"count": count}
            ),
        )


class ReadOnlyTriageAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Readers delete their tips through the signed link; retention erases
        # the rest. The newsroom triages, it does not delete.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        # Every field is read-only here: triage happens through the actions,
        # which call the tip services. A plain save would be a side door.
        pass

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Tip)
class TipAdmin(TipTriageActions, ReadOnlyTriageAdmin):
    list_display = ["short_text", "status", "asked", "group_link", "language", "received_at"]
    list_filter = ["status", "language", "channel", "received_at"]
    search_fields = ["text", "seen_at"]
    date_hierarchy = "received_at"
    actions = ["turn_into_claim", "mark_spam", "mark_not_checkable"]
    list_select_related = ["group__claim"]
    fields = [
        "text",
        "seen_at",
        "status",
        "group",
        "language",
        "channel",
        "received_at",
        "answer_sent_at",
        "notified_at",
        "personal_data_erased_at",
        "triaged_by",
    ]
    readonly_fields = fields

    def tips_of(self, queryset):
        return queryset

    def get_queryset(self, request):
        recent = (
            Tip.objects.filter(group=OuterRef("group"), received_at__gte=timezone.now() - WEEK)
            .exclude(status=TipStatus.SPAM)
            .order_by()
            .values("group")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(asked_recently=Coalesce(Subquery(recent), 0))

    @admin.display(description=gettext_lazy("tip"))
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"

    @admin.display(description=gettext_lazy("this week"), ordering="asked_recently")
    def asked(self, obj):
        return asked_this_week(obj.asked_recently)

    @admin.display(description=gettext_lazy("group"))
    def group_link(self, obj):
        url = reverse("admin:claims_tipgroup_change", args=[obj.group_id])
        return format_html('<a href="{}">{}</a>', url, str(obj.group)[:60])


class TipInline(admin.TabularInline):
    model = Tip
    fields = ["text", "seen_at", "status", "language", "received_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-received_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TipGroup)
class TipGroupAdmin(TipTriageActions, ReadOnlyTriageAdmin):
    list_display = ["__str__", "asked", "asked_total", "new_tips", "claim_link", "last_asked_at"]
    list_filter = ["tips__status"]
    search_fields = ["label", "tips__text", "claim__text"]
    actions = ["turn_into_claim", "mark_spam", "mark_not_checkable"]
    list_select_related = ["claim"]
    fields = ["label", "claim", "created_at", "last_asked_at"]
    readonly_fields = fields
    inlines = [TipInline]

    def tips_of(self, queryset):
        groups = list(queryset.values_list("pk", flat=True))
        return Tip.objects.filter(group__in=groups).exclude(status=TipStatus.SPAM)

    def get_queryset(self, request):
        # Annotated before ModelAdmin orders it, since the ordering uses the counts.
        return (
            TipGroup.objects.with_counts(since=timezone.now() - WEEK)
            .annotate(new_count=Count("tips", filter=Q(tips__status=TipStatus.NEW), distinct=True))
            .order_by(*self.get_ordering(request))
        )

    def get_ordering(self, request):
        return ["-asked_recently", "-last_asked_at"]

    @admin.display(description=gettext_lazy("this week"), ordering="asked_recently")
    def asked(self, obj):
        return asked_this_week(obj.asked_recently)

    @admin.display(description=gettext_lazy("all time"), ordering="asked_total")
    def asked_total(self, obj):
        return obj.asked_total

    @admin.display(description=gettext_lazy("new"), ordering="new_count")
    def new_tips(self, obj):
        return obj.new_count

    @admin.display(description=gettext_lazy("claim"))
    def claim_link(self, obj):
        if obj.claim_id is None:
            return "—"
        url = reverse("admin:claims_claim_change", args=[obj.claim_id])
        return format_html('<a href="{}">{}</a>', url, obj.claim.get_status_display())
