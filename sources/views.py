from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from claims.selectors import public_claims
from sources.models import Source


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.select_related("publisher"), slug=slug)
    claims = public_claims().filter(
        pk__in=source.evidence.values("claim")
    ) | public_claims().filter(pk__in=source.appearances.values("claim"))
    return TemplateResponse(
        request, "sources/source_detail.html", {"source": source, "claims": claims.distinct()}
    )
