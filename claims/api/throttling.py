"""Rate limits, read from settings at request time (so they can be configured and
tested): `API_ANON_THROTTLE_RATE` for anonymous clients, `API_USER_THROTTLE_RATE`
per newsroom account. A throttled request gets 429 with Retry-After."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.API_ANON_THROTTLE_RATE


class NewsroomUserThrottle(UserRateThrottle):
    def get_rate(self):
        return settings.API_USER_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous clients have their own throttle
        return super().get_cache_key(request, view)
