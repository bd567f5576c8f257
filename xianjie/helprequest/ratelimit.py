"""A per-address limit on help requests, counted in the default cache in fixed one-hour windows.

An address may send at most ACCEPTED_PER_WINDOW requests that become cases and at most
ATTEMPTS_PER_WINDOW posts of any kind (invalid, honeypot, accepted) per clock hour. IPv6 clients
are counted per /64, which one household or phone usually holds whole. The cache keys carry a keyed
hash of the address, never the address itself.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 3600
ACCEPTED_PER_WINDOW = 5
ATTEMPTS_PER_WINDOW = 20


def client_address(request):
    """REMOTE_ADDR; behind n trusted proxies (settings.XIANJIE_TRUSTED_PROXY_COUNT = n, default 0), the n-th
    X-Forwarded-For entry from the right, the one the outermost trusted proxy saw."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "XIANJIE_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return address


def address_bucket(address):
    """What is counted: the IPv4 address, the IPv6 /64, or one shared bucket for what does not parse."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class RateLimit:
    """The counters of one client address in the current window."""

    def __init__(self, request):
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        self.retry_after = int((window + 1) * WINDOW_SECONDS - now) + 1
        digest = salted_hmac("xianjie.helprequest.ratelimit", address_bucket(client_address(request))).hexdigest()
        self.keys = {kind: f"helprequest:{kind}:{window}:{digest}" for kind in ("accepted", "attempts")}

    def exceeded(self):
        counts = cache.get_many(self.keys.values())
        return (
            counts.get(self.keys["accepted"], 0) >= ACCEPTED_PER_WINDOW
            or counts.get(self.keys["attempts"], 0) >= ATTEMPTS_PER_WINDOW
        )

    def count_attempt(self):
        self._increment(self.keys["attempts"])

    def count_accepted(self):
        self._increment(self.keys["accepted"])

    def _increment(self, key):
        # add + incr is atomic on Redis; the window's key is dropped a little after the window ends.
        cache.add(key, 0, timeout=self.retry_after + 60)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=self.retry_after + 60)
