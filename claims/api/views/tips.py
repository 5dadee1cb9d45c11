"""The tipline for partner channels: POST a reader's tip, get the published
fact-checks that match it, in the same shape as `claims/similar/`."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.permissions import is_newsroom_user
from claims.api.serializers.tips import TipAnswerSerializer, TipInputSerializer
from claims.api.views.base import ApiRequestMixin
from claims.models import TipChannel
from claims.search import matching
from claims.selectors import claims_for_listing
from claims.services import tips as tip_services


class TipChannelPermission(BasePermission):
    message = gettext_lazy("Only a newsroom account allowed to send tips can use the tipline.")

    def has_permission(self, request, view):
        return is_newsroom_user(request.user) and request.user.has_perm("claims.add_tip")


class TipView(ApiRequestMixin, APIView):
    permission_classes = [TipChannelPermission]

    @extend_schema(
        summary=gettext_lazy("Send a reader's tip"),
        description=gettext_lazy(
            "For partner channels the newsroom runs (a WhatsApp or Telegram bot): "
            "send what a reader asked and get back, at once, the published fact-checks "
            "that match it, in the same shape as `claims/similar/`. Only published "
            "fact-checks are ever returned. The tip joins the newsroom's triage queue. "
            "Needs a token of an account in the *Tipline channel* role."
        ),
        request=TipInputSerializer,
        responses={201: TipAnswerSerializer},
    )
    def post(self, request):
        data = TipInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            receipt = tip_services.tip_submit(channel=TipChannel.API, **data.validated_data)
        except tip_services.TipRefused as refusal:
            raise ValidationError(refusal.message, code=refusal.code) from None
        # Rows as an anonymous reader sees them: public fact-checks only.
        rows = claims_for_listing(AnonymousUser()).in_bulk([m.claim.pk for m in receipt.matches])
        possible, likely = matching.thresholds()
        results = [
            {"score": round(m.score, 3), "level": m.level, "claim": rows[m.claim.pk]}
            for m in receipt.matches
            if m.claim.pk in rows
        ]
        body = {
            "id": receipt.tip.pk,
            "status": receipt.tip.status,
            "count": len(results),
            "thresholds": {"possible": possible, "likely": likely},
            "results": results,
        }
        return Response(
            TipAnswerSerializer(body, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
