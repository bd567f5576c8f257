"""The public pages served from the cache.

`PublicPageCacheMiddleware` stands right after the CSP middleware, so that a hit is answered before
sessions, authentication or the database are touched: one `get_many` for the page and the current
generation. An entry holds the generation it was made under; `purge()` replaces the generation, so every
older entry is a miss from then on (signals.py calls it when a channel, unit, project, term or page changes).

Only anonymous GETs are cached (a request with a session cookie is never served from or stored in the
cache), only 200 responses that set no cookie, use no CSRF token, use no CSP nonce and do not vary on the
cookie; never the admin or the help request form. The CSP middleware stands outside this one, so a hit
gets the policy header too. A page whose rendering read the nonce is never stored: every visitor would get
that one nonce (django-csp sets `request._csp_nonce` only once `request.csp_nonce` is read).
The key holds the language and today's date (Asia/Shanghai), because who is a member and who convenes
follow the calendar, not only the database.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re

GENERATION_KEY = "xianjie:public:generation"
KEY_PREFIX = "xianjie:public:page:"
# Answer links and calendar feeds need no entry here: they answer `private, no-store`, which is never stored.
NEVER_CACHED = ("/admin/", "/help/request/", "/static/", "/media/", "/documents/")
DEFAULT_SECONDS = 600


def purge():
    """Make every cached public page stale."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _generation(found):
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # Evicted or never set: start a new generation, never fall back to an old one.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def page_key(request):
    language = translation.get_language_from_request(request)
    where = request.get_full_path()
    digest = hashlib.sha256(f"{language}|{timezone.localdate():%Y%m%d}|{where}".encode()).hexdigest()
    return f"{KEY_PREFIX}{digest}"


def is_candidate(request):
    return (
        request.method == "GET"
        and not request.path.startswith(NEVER_CACHED)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def is_storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    if getattr(request, "_csp_nonce", None) is not None:
        return False
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", ""))}
    if "cookie" in vary:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = getattr(settings, "XIANJIE_PUBLIC_CACHE_SECONDS", DEFAULT_SECONDS)

    def __call__(self, request):
        if not self.seconds or not is_candidate(request):
            return self.get_response(request)
        key = page_key(request)
        found = cache.get_many([key, GENERATION_KEY])
        generation = _generation(found)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return self._replay(entry)
        response = self.get_response(request)
        if is_storable(request, response):
            headers = [(name, value) for name, value in response.items()]
            cache.set(key, (generation, response.status_code, headers, response.content), self.seconds)
            response["X-Public-Cache"] = "miss"
        return response

    @staticmethod
    def _replay(entry):
        _generation_, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Public-Cache"] = "hit"
        return response
