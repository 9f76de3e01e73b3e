"""Rate limits per caller, counted in the default cache (Redis in production and in the tests).

Each caller has one budget: a token its own, a person signed in with a session theirs, and anonymous callers
(including requests with a wrong token) one per IP address. Rates come from
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] under the keys "token", "user" and "anon".

DRF's own throttles keep a list of timestamps that they read and write back, which loses counts when two
requests of one caller arrive together; a fixed-window counter with the cache's atomic `incr` does not.
"""

import math
import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from .authentication import token_of

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/min' → (600, 60): the number of requests and the window in seconds."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


class CallerRateThrottle(BaseThrottle):
    def caller(self, request) -> tuple[str, str]:
        """(rate key, identity) of the caller."""
        token = token_of(request)
        if token is not None:
            return "token", str(token.pk)
        if request.user and request.user.is_authenticated:
            return "user", str(request.user.pk)
        return "anon", self.get_ident(request)

    def allow_request(self, request, view):
        scope, ident = self.caller(request)
        # Read at call time (not import time), so a changed setting applies at once.
        limit, period = parse_rate(api_settings.DEFAULT_THROTTLE_RATES[scope])
        now = time.time()
        window = int(now // period)
        key = f"throttle:{scope}:{ident}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            count = 1
        self.seconds_left = (window + 1) * period - now
        # A cache that ignores its errors answers None while Redis is down: then nobody is throttled, rather
        # than everybody refused.
        return count is None or count <= limit

    def wait(self):
        return max(1, math.ceil(self.seconds_left))
