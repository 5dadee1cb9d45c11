"""The source page: what a source says (its stored text, every version of
it) and which public fact-checks cite it; and each captured copy.

Captured pages are never served as HTML from this site's origin: a
snapshot's text is shown escaped in our own template, the WARC and the PDF
are downloads (Content-Disposition: attachment), and the screenshot is a
PNG we rendered ourselves, all with `nosniff` and a sandboxing CSP.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from claims.selectors import public_claims_citing, public_sources
from claims.site.caching import reader_page
from claims.site.views import paginate
from sources.models import SnapshotOrigin, SourceSnapshot

_FILES = {
    "warc": ("warc", "application/warc", True),
    "screenshot": ("screenshot", "image/png", False),
    "pdf": ("pdf", "application/pdf", True),
}


@require_safe
@reader_page
def source_detail(request, slug):
    # A source cited only by drafts is not shown: it would say what the
    # newsroom is working on.
    source = get_object_or_404(public_sources(), slug=slug)
    return TemplateResponse(
        request,
        "sources/source_detail.html",
        {
            "source": source,
            "page": paginate(request, public_claims_citing(source)),
            "versions": source.snapshots.defer("text", "headers"),
        },
    )


def _public_snapshot(slug: str, number: int | None) -> SourceSnapshot:
    source = get_object_or_404(public_sources(), slug=slug)
    snapshots = source.snapshots.select_related("source__publisher")
    if number is None:
        snapshot = snapshots.filter(origin=SnapshotOrigin.CAPTURED).order_by("-number").first()
    else:
        snapshot = snapshots.filter(number=number).first()
    if snapshot is None:
        raise Http404
    return snapshot


@require_safe
@reader_page
def snapshot_detail(request, slug, number=None):
    """One version of a source's text; without a number, the newest capture
    (the "archived copy" that claim pages link to)."""
    snapshot = _public_snapshot(slug, number)
    return TemplateResponse(
        request,
        "sources/snapshot_detail.html",
        {"source": snapshot.source, "snapshot": snapshot},
    )


@require_safe
def snapshot_file(request, slug, number, kind):
    if kind not in _FILES:
        raise Http404
    field, content_type, download = _FILES[kind]
    snapshot = _public_snapshot(slug, number)
    stored = getattr(snapshot, field)
    if not stored:
        raise Http404
    filename = f"{snapshot.source.slug}-v{snapshot.number}-{stored.name.rsplit('/', 1)[-1]}"
    response = FileResponse(
        stored.open("rb"), as_attachment=download, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
