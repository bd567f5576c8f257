"""The "My calendar feed" admin screen: a user creates, sees and revokes their secret feed URL.

Wire it in a wagtail_hooks module: `register_admin_urls` → `admin_urlpatterns`, a menu hook → `menu_item()`.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.admin.menu import MenuItem

from mechanism import access as mechanism_access

from .models import CalendarFeed


def feed_url(request, feed):
    return request.build_absolute_uri(reverse("calendar:feed", args=[feed.token]))


@require_admin_access
@require_http_methods(["GET", "HEAD"])
def feed_screen(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    context = {
        "feed": feed,
        "feed_url": feed_url(request, feed) if feed else "",
        "page_title": _("My calendar feed"),
    }
    return TemplateResponse(request, "meetings/feed_admin.html", context)


@require_admin_access
@require_POST
def create_feed(request):
    _feed, created = CalendarFeed.objects.get_or_create(user=request.user)
    if created:
        messages.success(request, _("Your calendar feed URL is ready. Keep it secret."))
    return redirect("meetings_calendar_feed")


@require_admin_access
@require_POST
def revoke_feed(request):
    """Revoking deletes the row: the old URL answers 404 at once, and a new feed gets a new token."""
    deleted, _rows = CalendarFeed.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, _("Your calendar feed URL was revoked: calendars using it no longer update."))
    return redirect("meetings_calendar_feed")


admin_urlpatterns = [
    path("calendar-feed/", feed_screen, name="meetings_calendar_feed"),
    path("calendar-feed/create/", create_feed, name="meetings_calendar_feed_create"),
    path("calendar-feed/revoke/", revoke_feed, name="meetings_calendar_feed_revoke"),
]


class StaffMenuItem(MenuItem):
    """Shown to superusers and to anyone holding a role in a unit (the feed of anyone else is empty)."""

    def is_shown(self, request):
        return mechanism_access.is_staff_member(request.user)


def menu_item(order=900):
    return StaffMenuItem(
        gettext_lazy("My calendar feed"),
        reverse_lazy("meetings_calendar_feed"),
        name="meetings-calendar-feed",
        icon_name="calendar",
        order=order,
    )
