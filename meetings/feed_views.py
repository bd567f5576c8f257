"""The personal calendar feed at /calendar/<token>.ics: no login, the secret token is the credential."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from .feed import build_feed, get_feed


@require_safe
def calendar_feed(request, token):
    """The token owner's feed; a revoked or unknown token, or an inactive user, is a 404."""
    feed = get_feed(token)
    if feed is None:
        raise Http404
    response = HttpResponse(build_feed(feed.user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
