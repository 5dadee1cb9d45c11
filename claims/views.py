"""Reader pages. Thin: each view asks a selector and renders a template.

(Initial versions; the public site is fleshed out in its own change.)
"""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from claims.models import Claim, Claimant, Correction, Rating, Topic
from claims.selectors import claim_page_queryset, public_claims


def home(request):
    return TemplateResponse(request, "claims/home.html", {"claims": public_claims()[:10]})


def claim_list(request):
    return TemplateResponse(request, "claims/claim_list.html", {"claims": public_claims()[:50]})


def claim_detail(request, slug):
    merged = Claim.objects.filter(slug=slug, merged_into__isnull=False).first()
    if merged is not None:
        return HttpResponsePermanentRedirect(merged.merged_into.get_absolute_url())
    claim = get_object_or_404(claim_page_queryset(), slug=slug)
    return TemplateResponse(request, "claims/claim_detail.html", {"claim": claim})


def claimant_detail(request, slug):
    claimant = get_object_or_404(Claimant, slug=slug)
    claims = public_claims().filter(claimant=claimant)
    return TemplateResponse(
        request, "claims/claim_list.html", {"claims": claims, "claimant": claimant}
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    claims = public_claims().filter(topics=topic)
    return TemplateResponse(request, "claims/claim_list.html", {"claims": claims, "topic": topic})


def corrections(request):
    items = Correction.objects.public().select_related("claim")
    return TemplateResponse(request, "claims/corrections.html", {"corrections": items})


def methodology(request):
    ratings = Rating.objects.filter(scale__is_default=True).order_by("order")
    return TemplateResponse(request, "claims/methodology.html", {"ratings": ratings})
