"""The "Casework" (个案) submenu; each item shows only to those who may use its screen."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from .. import access
from ..models import Role


class RoleMenuItem(MenuItem):
    """Shown to superusers and to holders of one of `roles`."""

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = set(roles)

    def is_shown(self, request):
        user = request.user
        return bool(user.is_superuser or self.roles & access.roles_of(user))


ALL_ROLES = [Role.SECRETARIAT, Role.SUPERVISOR, Role.LIAISON]
READS_QUEUE = [Role.SECRETARIAT, Role.SUPERVISOR]
REPORTS = [Role.SECRETARIAT, Role.LIAISON]


def casework_menu_item():
    items = [
        RoleMenuItem(
            _("Triage queue"), reverse_lazy("casework:queue"), name="casework-queue", icon_name="tasks",
            order=100, roles=READS_QUEUE,
        ),
        RoleMenuItem(
            _("Cases"), reverse_lazy("casework:cases"), name="casework-cases", icon_name="list-ul",
            order=200, roles=ALL_ROLES,
        ),
        RoleMenuItem(
            _("Supervision list"), reverse_lazy("casework:supervision"), name="casework-supervision",
            icon_name="warning", order=300, roles=READS_QUEUE,
        ),
        RoleMenuItem(
            _("Report a case"), reverse_lazy("casework:report"), name="casework-report", icon_name="plus",
            order=400, roles=REPORTS,
        ),
        RoleMenuItem(
            _("Filing export"), reverse_lazy("casework:filing"), name="casework-filing", icon_name="download",
            order=500, roles=READS_QUEUE,
        ),
    ]  # fmt: skip
    return SubmenuMenuItem(_("Casework"), Menu(items=items), name="casework", icon_name="clipboard-list", order=150)
