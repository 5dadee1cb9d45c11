"""Reader pages. Thin: each view asks a selector and renders a template.

Readers never log in, so every page here is the same for every anonymous
reader: it is sent with `Cache-Control: public`, an ETag for conditional GET
(304), and no cookie. Staff, who may see an edit link, never get a cached page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from claims.filters import ClaimFilter
from claims.models import ClaimStatus
from claims.search import search_snippets
from claims.selectors import (
    claim_page,
    merged_claim_target,
    public_claimant_choices,
    public_claimants,
    public_claims,
    public_corrections,
    public_figure_groups,
    public_topic_choices,
    public_topics,
    rating_distribution,
    rating_scale_levels,
)
from claims.site.caching import reader_page, shared_data
from claims.site.links import site_url
from claims.site.widgets import LongSelect

# The filters a reader sees; the others (status, modified_since) serve the API.
READER_FILTERS = (
    "q",
    "rating",
    "claimant",
    "topic",
    "language",
    "published_after",
    "published_before",
    "ordering",
)


def paginate(request, items) -> Page:
    return Paginator(items, settings.READER_PAGE_SIZE).get_page(request.GET.get("page"))


def _label_empty_choice(field, label) -> None:
    field.empty_label = label
    if hasattr(field, "queryset"):
        field.queryset = field.queryset  # rebinds the widget's choices to this field
    else:
        field.choices = [choice for choice in field.choices if choice[0] != ""]


def reader_claim_filter(data, queryset) -> ClaimFilter:
    """`ClaimFilter` with the reader's fields, offering only what readers may see."""
    filterset = ClaimFilter(data or None, queryset=queryset)
    for name in list(filterset.filters):
        if name not in READER_FILTERS:
            del filterset.filters[name]
    fields = filterset.form.fields
    # Built without a request, ClaimFilter offers a reader's choices: only the
    # claimants and topics the public record names.
    fields["rating"].label_from_instance = lambda rating: rating.display_label
    for name, label in (
        ("rating", _("Any rating")),
        ("claimant", _("Anyone")),
        ("topic", _("Any topic")),
        ("language", _("Any language")),
        ("ordering", _("Best match, or newest first")),
    ):
        _label_empty_choice(fields[name], label)
    # The claimant and topic lists: the same as the fields' querysets (which
    # still check what is submitted), read once per publication version and
    # language rather than on every list or search page, and rendered
    # without a template per option.
    lists = shared_data(
        {"claimant-choices": public_claimant_choices, "topic-choices": public_topic_choices}
    )
    for name in ("claimant", "topic"):
        field = fields[name]
        field.widget = LongSelect(attrs=field.widget.attrs)
        field.widget.is_required = field.required
        field.widget.choices = [("", field.empty_label), *lists[f"{name}-choices"]]
    fields["ordering"].choices = [c for c in fields["ordering"].choices if c[0]]
    # The other help texts describe the API's parameters (slugs, ISO dates);
    # readers pick from lists and calendars. A field without help text has
    # no aria-describedby pointing at an element the page does not show.
    for name, field in fields.items():
        if name != "q":
            field.help_text = ""
    return filterset


@require_safe
@reader_page
def home(request):
    return TemplateResponse(
        request,
        "claims/home.html",
        {
            "latest": public_claims()[: settings.READER_HOME_LATEST],
            "distribution": rating_distribution(),
            "topics": public_topics(),
            "corrections": public_corrections()[:3],
        },
    )


@require_safe
@reader_page
def claim_list(request):
    filterset = reader_claim_filter(request.GET, queryset=public_claims())
    valid = not filterset.is_bound or filterset.is_valid()
    page = paginate(request, filterset.qs) if valid else None
    words = filterset.form.cleaned_data.get("q") if valid and filterset.is_bound else ""
    if page is not None and words:
        # Each result shows where the words matched, marked (escaped text, <mark> only).
        snippets = search_snippets(page.object_list, words)
        for claim in page.object_list:
            claim.search_snippet = snippets.get(claim.pk)
    context = {
        "filter": filterset,
        "page": page,
        "filtered": filterset.is_bound and any(request.GET.get(f) for f in READER_FILTERS),
    }
    return TemplateResponse(
        request, "claims/claim_list.html", context, status=200 if valid else 400
    )


@require_safe
@reader_page
def claim_detail(request, slug):
    claim = claim_page(slug=slug)
    if claim is None:
        target = merged_claim_target(slug=slug)
        if target is None:
            raise Http404(_("No fact-check at this address."))
        return HttpResponsePermanentRedirect(target.get_absolute_url())
    return TemplateResponse(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "figure_groups": public_figure_groups(claim),
            # A retracted fact-check may be its claimant's only one: then the
            # claimant has no page to link to. (A published one is their page.)
            "claimant_has_page": claim.claimant_id is not None
            and (
                claim.status == ClaimStatus.PUBLISHED
                or public_claimants().filter(pk=claim.claimant_id).exists()
            ),
        },
    )


@require_safe
@reader_page
def claimant_detail(request, slug):
    claimant = get_object_or_404(public_claimants(), slug=slug)
    return TemplateResponse(
        request,
        "claims/claimant_detail.html",
        {
            "claimant": claimant,
            "page": paginate(request, public_claims().filter(claimant=claimant)),
            "distribution": rating_distribution(claimant=claimant),
        },
    )


@require_safe
@reader_page
def topic_detail(request, slug):
    topic = get_object_or_404(public_topics(), slug=slug)
    return TemplateResponse(
        request,
        "claims/topic_detail.html",
        {"topic": topic, "page": paginate(request, public_claims().filter(topics=topic))},
    )


@require_safe
@reader_page
def corrections(request):
    return TemplateResponse(
        request, "claims/corrections.html", {"page": paginate(request, public_corrections())}
    )


@require_safe
@reader_page
def methodology(request):
    levels = list(rating_scale_levels())
    return TemplateResponse(
        request,
        "claims/methodology.html",
        {
            "ratings": [r for r in levels if r.is_rating],
            "outcomes": [r for r in levels if not r.is_rating],
            "scale": levels[0].scale if levels else None,
        },
    )


@require_safe
@reader_page
def site_page(request, key):
    """An About or Contact page: a flat page the administrator edits, one per
    language (`/about/`, `/es/about/`), falling back to the default language."""
    language = get_language()
    urls = [f"/{key}/"]
    if language != settings.LANGUAGE_CODE:
        urls.insert(0, f"/{language}/{key}/")
    pages = {
        page.url: page
        for page in FlatPage.objects.filter(url__in=urls, sites=settings.SITE_ID)
        if not page.registration_required
    }
    page = next((pages[url] for url in urls if url in pages), None)
    if page is None:
        raise Http404(_("This page has not been written yet."))
    return TemplateResponse(request, "flatpages/default.html", {"flatpage": page})


@require_safe
@reader_page
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {site_url('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
