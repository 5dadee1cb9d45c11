"""A newsroom user's own pages in the admin: "My settings" (email language,
email on or off), their API token, and marking their notifications read.

Every page acts on the logged-in user's own rows; there is no object id in
any URL, so nobody can reach another user's settings or token. They live
under /admin/account/ (config/urls.py), behind the admin's login.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from claims.admin.tokens import token_view
from claims.exceptions import WorkflowError
from claims.services import accounts
from claims.services.notifications import notifications_mark_read, profile_for


class SettingsForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of my emails"), choices=settings.LANGUAGES
    )
    email_notifications = forms.BooleanField(
        label=gettext_lazy("Email me about my work"),
        required=False,
        help_text=gettext_lazy(
            "Submissions for review, requested changes, publications, corrections and "
            "assignments that concern you. Your desk lists them either way."
        ),
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _context(request, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title}


def settings_view(request):
    profile = profile_for(request.user)
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "language": profile.language,
            "email_notifications": profile.email_notifications,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            accounts.profile_save(user=request.user, **form.cleaned_data)
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your settings were saved."))
        return HttpResponseRedirect(request.path)
    context = {
        **_context(request, _("My settings")),
        "form": form,
        "has_email": bool(request.user.email),
    }
    return TemplateResponse(request, "admin/claims/account/settings.html", context)


def api_token_view(request):
    return token_view(request, _context(request, _("My API token")))


@require_POST
def mark_read_view(request):
    ids = None
    if "notification" in request.POST:
        # A garbled or out-of-range id marks nothing (rather than everything).
        value = request.POST["notification"]
        ids = [int(value)] if value.isascii() and value.isdigit() and 0 < int(value) < 2**63 else []
    notifications_mark_read(user=request.user, ids=ids)
    return HttpResponseRedirect(_back(request, reverse("admin:index")))


# Included before the admin's own URLs (config/urls.py), behind its login.
urlpatterns = [
    path("settings/", admin.site.admin_view(settings_view), name="newsroom-settings"),
    path("token/", admin.site.admin_view(api_token_view), name="newsroom-token"),
    path(
        "notifications/read/",
        admin.site.admin_view(mark_read_view),
        name="newsroom-notifications-read",
    ),
]
