"""The rotation back office: its URLs and a menu item for members of a mechanism."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from mechanism import access

from . import log_actions  # noqa: F401  (importing registers the audit-log actions)
from .admin_views import admin_urls


class MemberMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_staff_member(request.user)


@hooks.register("register_admin_urls")
def register_rotation_urls():
    return [
        *admin_urls(),
        path("handovers/", include("rotation.handovers.urls", namespace="rotation_handovers")),
        path("summaries/", include("rotation.summaries.urls", namespace="rotation_summaries")),
    ]


@hooks.register("register_admin_menu_item")
def register_rotation_menu():
    return MemberMenuItem(
        _("Rotation plan"), reverse_lazy("rotation_admin:index"), name="rotation", icon_name="repeat", order=450
    )


@hooks.register("register_admin_menu_item")
def register_handover_menu():
    return MemberMenuItem(
        _("Handovers"), reverse_lazy("rotation_handovers:index"), name="handovers", icon_name="repeat", order=451
    )


@hooks.register("register_admin_menu_item")
def register_summary_menu():
    return MemberMenuItem(
        _("Annual work summaries"),
        reverse_lazy("rotation_summaries:index"),
        name="summaries",
        icon_name="doc-full",
        order=452,
    )
