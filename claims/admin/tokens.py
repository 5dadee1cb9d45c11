"""A newsroom user's own API token, in the admin.

The key is shown once, in the answer to the request that created it, and
never again (the page afterwards shows only that a token exists and when it
was created). Creating a new token replaces the old one; revoking deletes it.
Superusers keep DRF's token admin (Auth Token → Tokens) as before.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from claims.api.permissions import is_newsroom_user
from claims.exceptions import WorkflowError
from claims.services import accounts


def token_view(request, context: dict):
    user = request.user
    new_key = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "create":
                new_key = accounts.api_token_create(user=user).key
                messages.success(
                    request,
                    _("Your new API token is below. Copy it now: it will not be shown again."),
                )
            elif request.POST.get("action") == "revoke":
                if accounts.api_token_revoke(user=user):
                    messages.success(request, _("Your API token was revoked."))
                return HttpResponseRedirect(request.path)
            else:
                return HttpResponseRedirect(request.path)
        except WorkflowError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(request.path)
    token = accounts.api_token_of(user)
    context = {
        **context,
        "token": token,
        "new_key": new_key,
        "newsroom_user": is_newsroom_user(user),
    }
    response = TemplateResponse(request, "admin/claims/account/token.html", context)
    # The page with the key must not be kept by the browser or any proxy.
    response["Cache-Control"] = "no-store"
    return response
