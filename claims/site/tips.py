"""The reader's tipline: "Send us a claim", the instant answer, and the links in
our emails (unsubscribe, delete). No login and no third-party script.

Abuse controls, each refusing with a message and writing nothing: a honeypot
field, a signed time token (a form sent faster than a person types, or left
open for hours, is refused), a per-address rate limit in the shared cache
(`claims.services.tips`), and size limits on every field.

These pages are personal to one reader, so they are never cached; the form is
the one reader page that sets a cookie (Django's CSRF token).
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.throttling import BaseThrottle

from claims.services import tips as tip_services
from claims.site.caching import reader_page

FORM_SALT = "veraz.tips.form"


def form_token() -> str:
    return signing.dumps({"t": time.time()}, salt=FORM_SALT)


def form_age(token: str) -> float | None:
    """Seconds since the form carrying `token` was served; None when forged."""
    try:
        served = signing.loads(token, salt=FORM_SALT)["t"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return time.time() - float(served)


class TipForm(forms.Form):
    text = forms.CharField(
        label=_("The claim, or a link to it"),
        max_length=settings.TIP_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tell us the claim you want us to check.")},
    )
    seen_at = forms.CharField(
        label=_("Where did you see it? (optional)"),
        help_text=_("For example: a WhatsApp group, a TV interview, a web address."),
        max_length=500,
        required=False,
    )
    email = forms.EmailField(
        label=_("Your email address, if you want a reply (optional)"),
        max_length=254,
        required=False,
    )
    # The honeypot: hidden from people by CSS and from screen readers, left
    # empty by everyone but form-filling bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _(
                    "We could not accept this form: a field meant to stay empty was filled "
                    "in. If you are a person, reload the page and try again."
                ),
                code="honeypot",
            )
        age = form_age(self.data.get("started", ""))
        if age is None or age > settings.TIP_FORM_MAX_AGE:
            raise forms.ValidationError(
                _("This form has expired. Please check your message and send it again."),
                code="expired",
            )
        if age < settings.TIP_MIN_SECONDS:
            raise forms.ValidationError(
                _(
                    "That was faster than we expected from a person. Please check your "
                    "message and send it again."
                ),
                code="too_fast",
            )
        return data


def _client_address(request) -> str:
    # The same reading of X-Forwarded-For as the API's throttles (NUM_PROXIES).
    return BaseThrottle().get_ident(request)


def _form_page(request, form, *, status=200, refusal=None):
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["started"] = form_token()  # a fresh clock for the next attempt
    else:
        form.initial["started"] = form_token()
    context = {"form": form, "refusal": refusal, "retention_days": settings.TIP_RETENTION_DAYS}
    return TemplateResponse(request, "claims/tips/tip_form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def tip_new(request):
    if request.method != "POST":
        return _form_page(request, TipForm())
    form = TipForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    try:
        receipt = tip_services.tip_submit(
            text=data["text"],
            seen_at=data["seen_at"],
            email=data["email"],
            language=get_language(),
            address=_client_address(request),
        )
    except tip_services.TipRefused as refusal:
        status = 429 if refusal.code == "rate_limited" else 400
        return _form_page(request, form, status=status, refusal=refusal.message)
    token = tip_services.tip_link_token(receipt.tip, "answer")
    return HttpResponseRedirect(reverse("claims:tip-answer", kwargs={"token": token}), status=303)


def _tip_or_404(token: str, purpose: str):
    tip = tip_services.tip_from_token(token, purpose)
    if tip is None:
        raise Http404(_("This link is not valid, or the tip was deleted."))
    return tip


@never_cache
@require_safe
def tip_answer(request, token):
    tip = _tip_or_404(token, "answer")
    context = {
        "tip": tip,
        "answers": tip_services.tip_public_answers(tip),
        "delete_url": reverse(
            "claims:tip-delete", kwargs={"token": tip_services.tip_link_token(tip, "delete")}
        ),
    }
    return TemplateResponse(request, "claims/tips/tip_answer.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def tip_unsubscribe(request, token):
    tip = _tip_or_404(token, "unsubscribe")
    done = False
    if request.method == "POST":
        tip_services.tip_unsubscribe(tip=tip)
        done = True
    return TemplateResponse(
        request, "claims/tips/tip_unsubscribe.html", {"done": done, "has_email": bool(tip.email)}
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def tip_delete(request, token):
    tip = _tip_or_404(token, "delete")
    if request.method == "POST":
        tip_services.tip_delete(tip=tip)
        return TemplateResponse(request, "claims/tips/tip_delete.html", {"done": True})
    return TemplateResponse(request, "claims/tips/tip_delete.html", {"done": False, "tip": tip})


@require_safe
@reader_page
def privacy(request):
    return TemplateResponse(
        request, "claims/tips/privacy.html", {"retention_days": settings.TIP_RETENTION_DAYS}
    )
