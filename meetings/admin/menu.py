"""The "Meetings" submenu, shown to members of a mechanism; "New meeting" only to those who may convene."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from mechanism import access as mechanism_access

from .base import convenable_mechanisms


class MemberMenuItem(MenuItem):
    def is_shown(self, request):
        return mechanism_access.is_staff_member(request.user)


class ConvenerMenuItem(MenuItem):
    def is_shown(self, request):
        return mechanism_access.is_staff_member(request.user) and bool(convenable_mechanisms(request.user))


class MeetingsMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return mechanism_access.is_staff_member(request.user)


def meetings_menu_item():
    items = [
        MemberMenuItem(
            _("Calendar"), reverse_lazy("meetings_admin:calendar"), name="meetings-calendar", icon_name="date",
            order=100,
        ),
        MemberMenuItem(
            _("All meetings"), reverse_lazy("meetings_admin:list"), name="meetings-list", icon_name="list-ul",
            order=200,
        ),
        ConvenerMenuItem(
            _("New meeting"), reverse_lazy("meetings_admin:new"), name="meetings-new", icon_name="plus", order=300,
        ),
        MemberMenuItem(
            _("Meeting series"), reverse_lazy("meeting-series:index"), name="meetings-series", icon_name="repeat",
            order=350,
        ),
        MemberMenuItem(
            _("Proposed topics"), reverse_lazy("meetings_admin:topics"), name="meetings-topics", icon_name="help",
            order=400,
        ),
    ]  # fmt: skip
    return MeetingsMenuItem(_("Meetings"), Menu(items=items), name="meetings", icon_name="calendar", order=160)
