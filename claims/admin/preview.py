"""The staff-only preview of a claim's public page after its pending step.

Outside `admin_view()` on purpose: an anonymous visitor or a user who may not
see unpublished work gets the same 404 as for a claim that does not exist,
never a login page or a 403 that would confirm the claim is there.
"""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from claims.models import sees_unpublished_work
from claims.review.preview import claim_as_published, preview_available
from claims.selectors import figure_groups

__all__ = ["claim_preview", "preview_available"]


@require_safe
def claim_preview(request, object_id):
    object_id = str(object_id)
    if not sees_unpublished_work(request.user) or not (
        object_id.isascii() and object_id.isdigit() and len(object_id) < 16
    ):
        raise Http404(_("No preview at this address."))
    claim = claim_as_published(int(object_id))
    if claim is None:
        raise Http404(_("No preview at this address."))
    response = TemplateResponse(
        request,
        "claims/claim_preview.html",
        {
            "claim": claim,
            "figure_groups": figure_groups(
                item for item in claim.public_evidence if item.has_figure
            ),
            # Links to pages readers may not have yet are left out.
            "claimant_has_page": False,
        },
    )
    # Never stored by a browser or a shared cache, never indexed.
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
