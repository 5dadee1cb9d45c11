"""Who works on a claim: the "Assigned researcher" picker and "Take this claim".

Django's own autocomplete answers only users who may view the user admin
(superusers), so researchers and editors got "The results could not be
loaded". The picker asks a narrower source instead: newsroom accounts that
may work on claims, by name only (no email, nothing else about them), for
users who may edit claims.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from claims import services
from claims.admin.forms import SafeAutocompleteSelect
from claims.exceptions import WorkflowError
from claims.policy import ClaimPolicy, has_perm
from claims.services.notifications import display_name, newsroom_users_with_perm

ASSIGNEES_PER_PAGE = 20


def assignable_users():
    """Newsroom accounts a claim can be assigned to: those who may edit claims."""
    return newsroom_users_with_perm("change_claim").order_by("first_name", "last_name", "username")


class AssigneeSelect(SafeAutocompleteSelect):
    def get_url(self):
        return reverse("admin:claims_claim_assignees", current_app=self.admin_site.name)


class AssignmentAdminMixin:
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("assignees/", wrap(self.assignees_view), name="{}_{}_assignees".format(*info)),
            path("<path:object_id>/take/", wrap(self.take_view), name="{}_{}_take".format(*info)),
            *super().get_urls(),
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to" and "widget" not in kwargs:
            kwargs["widget"] = AssigneeSelect(db_field, self.admin_site, using=kwargs.get("using"))
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = display_name
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def assignees_view(self, request):
        """Select2's JSON: `{"results": [{"id", "text"}], "pagination": {"more"}}`."""
        if not has_perm(request.user, "claims.change_claim"):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()[:100]
        users = assignable_users()
        for word in term.split():
            users = users.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
        try:
            number = max(int(request.GET.get("page", "1")), 1)
        except ValueError:
            number = 1
        page = Paginator(
            users.only("pk", "username", "first_name", "last_name"), ASSIGNEES_PER_PAGE
        )
        current = page.get_page(number)
        return JsonResponse(
            {
                "results": [{"id": str(u.pk), "text": display_name(u)} for u in current],
                "pagination": {"more": number < page.num_pages},
            }
        )

    def take_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self._claim_for(request, object_id)
        change_url = reverse("admin:claims_claim_change", args=[claim.pk])
        try:
            version = int(request.POST.get("expected_version", ""))
        except ValueError:
            version = None
        try:
            services.claim_take(claim=claim, by=request.user, expected_version=version)
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, _("The claim is assigned to you."), messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and ClaimPolicy(request.user, obj).can_take():
            context["take_url"] = reverse("admin:claims_claim_take", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)
