"""The shared cache (Redis), degrading instead of failing.

The cache holds nothing the site cannot do without: API rate-limit counters.
When Redis is unreachable, each call answers as an empty cache would (a
miss; a write that did not happen) and a warning is logged, at most once a
minute, so readers and API clients keep being served and the operator hears
about it. Rate limits then stop counting until Redis is back; `/readyz` says
so (`cache_status()`).
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WARNING_INTERVAL_SECONDS = 60
_last_warning = 0.0


def _warn(error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARNING_INTERVAL_SECONDS or _last_warning == 0.0:
        _last_warning = now
        logger.warning(
            "Shared cache unavailable (%s); serving without it: rate limits are not counted.",
            error,
        )


def _degrading(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                _warn(error)
                return default(args, kwargs) if callable(default) else default

        return wrapper

    return decorate


def _get_default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


def _incr_refused(args, kwargs):
    # Django's contract for a missing key; DRF's throttles never call incr.
    raise ValueError("Key not found: the shared cache is unavailable.")


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one `redis.Redis` per connection pool
    rather than a new one for every cache call: redis-py 8 sets up some 170
    response callbacks in each, half the cost of a cache read (60-70 µs of
    130; BENCHMARKS.md, "The cold claim page, seventh round"). A `redis.Redis`
    holds no connection of its own (its pool lends one per command), so one
    serves every thread, as the pool already does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params}
        # A Redis that does not answer must not hold a request for long.
        options = {
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            **params.get("OPTIONS", {}),
        }
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    add = _degrading(False)(RedisCache.add)
    get = _degrading(_get_default)(RedisCache.get)
    set = _degrading(None)(RedisCache.set)
    touch = _degrading(False)(RedisCache.touch)
    delete = _degrading(False)(RedisCache.delete)
    get_many = _degrading({})(RedisCache.get_many)
    has_key = _degrading(False)(RedisCache.has_key)
    incr = _degrading(_incr_refused)(RedisCache.incr)
    set_many = _degrading([])(RedisCache.set_many)
    delete_many = _degrading(None)(RedisCache.delete_many)
    clear = _degrading(False)(RedisCache.clear)

    def ping(self) -> None:
        """Raises RedisError while Redis is unreachable."""
        self._cache.get_client(write=True).ping()


def cache_status() -> str:
    """ "ok", or "degraded" while the shared cache cannot be reached."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "ok"  # a per-process cache is always there
    try:
        ping()
    except RedisError as error:
        _warn(error)
        return "degraded"
    return "ok"
