"""The source page: what a source says (its stored text) and which public
fact-checks cite it."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from claims.selectors import public_claims_citing, public_sources
from claims.site.caching import reader_page
from claims.site.views import paginate


@require_safe
@reader_page
def source_detail(request, slug):
    # A source cited only by drafts is not shown: it would say what the
    # newsroom is working on.
    source = get_object_or_404(public_sources(), slug=slug)
    return TemplateResponse(
        request,
        "sources/source_detail.html",
        {"source": source, "page": paginate(request, public_claims_citing(source))},
    )
