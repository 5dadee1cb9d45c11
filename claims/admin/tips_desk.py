"""The admin home's "most asked this week" block (template library
`veraz_tips_desk`). Self-contained, so a fuller desk can include it or drop it."""

from datetime import timedelta

from django import template
from django.utils import timezone

from claims.models import TipGroup

register = template.Library()


@register.inclusion_tag("admin/claims/tips/most_asked.html", takes_context=True)
def most_asked_this_week(context, limit: int = 5):
    user = context["request"].user
    if not user.has_perm("claims.view_tipgroup"):
        return {"groups": None}
    since = timezone.now() - timedelta(days=7)
    return {"groups": list(TipGroup.objects.most_asked(since=since, limit=limit))}
