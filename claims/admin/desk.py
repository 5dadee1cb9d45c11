"""The review desk on the admin home (template library `veraz_desk`), the
claims list's matching "desk" filter, and what makes returned work
unmistakable: a status that says "Changes requested" in the list and the
editor's request at the top of the claim's page.

Every read comes from `claims.desk`, so a count on the desk is what its
link lists.
"""

from django import template
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import desk

register = template.Library()


@register.inclusion_tag("admin/claims/desk/desk.html", takes_context=True)
def review_desk(context):
    request = context["request"]
    data = desk.desk_for(request.user)
    changelist = reverse("admin:claims_claim_changelist")
    for queue in data["queues"]:
        queue.url = f"{changelist}?desk={queue.key}"
    return {
        **data,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        # Straight to the page where the editor reads the changes and decides
        # (publish, or send back); it says why when this claim is not theirs to publish.
        "can_publish": request.user.has_perm("claims.publish_claim"),
    }


class DeskFilter(admin.SimpleListFilter):
    """The desk's queues as saved filters of the claims list (`?desk=...`)."""

    title = gettext_lazy("desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        choices = [("assigned", _("Assigned to me")), ("returned", _("Returned to me"))]
        if request.user.has_perm("claims.review_claim"):
            choices.append(("review", _("Waiting for review")))
        if request.user.has_perm("claims.publish_claim"):
            choices.append(("corrections", _("Corrections waiting for a second editor")))
        return choices

    def queryset(self, request, queryset):
        select = desk.DESK_FILTERS.get(self.value())
        return select(request.user, queryset) if select else queryset


class ClaimDeskMixin:
    """For the claim admin: the workflow status column and the returned-work notice."""

    def get_queryset(self, request):
        return desk.with_last_step(super().get_queryset(request))

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def workflow_status(self, obj):
        if desk.is_returned(obj):
            return format_html(
                '<span class="status-returned" title="{}">{}</span>',
                _("An editor sent this claim back; see the request at the top of its page."),
                _("Changes requested"),
            )
        return obj.get_status_display()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["change_request"] = desk.change_request_for(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
