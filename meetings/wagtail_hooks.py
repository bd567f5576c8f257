"""The meetings back office: admin URLs, the "Meetings" menu, the home panels, the audit-log actions."""

from django.urls import include, path
from wagtail import hooks

from . import feed_admin
from .admin import urls as admin_urls
from .admin.menu import meetings_menu_item
from .admin.panels import homepage_panels
from .admin.series import MeetingSeriesViewSet
from .invitation_views import invitation_urlpatterns
from .log_actions import LOG_ACTIONS  # noqa: F401  (importing registers the actions with register_log_actions)


@hooks.register("register_admin_urls")
def register_meetings_urls():
    return [
        path("meetings/", include(admin_urls, namespace="meetings_admin")),
        *invitation_urlpatterns,
        *feed_admin.admin_urlpatterns,
    ]


@hooks.register("register_admin_viewset")
def register_series_viewset():
    return MeetingSeriesViewSet()


@hooks.register("register_admin_menu_item")
def register_meetings_menu():
    return meetings_menu_item()


@hooks.register("register_admin_menu_item")
def register_calendar_feed_menu():
    return feed_admin.menu_item()


@hooks.register("construct_homepage_panels")
def add_meetings_panels(request, panels):
    homepage_panels(request, panels)
