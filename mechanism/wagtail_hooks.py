"""The mechanism back office: areas, mechanisms, member units, people, convener terms, help channels."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from . import access
from .admin.channels import BrandProjectViewSet, HelpChannelViewSet
from .admin.filters import AreaFilterSet, ConvenerTermFilterSet, MembershipFilterSet, MemberUnitFilterSet
from .admin.scoped import ScopedAdminForm, ScopedModelViewSet
from .models import (
    Area,
    BrandProject,
    ConvenerTerm,
    HelpChannel,
    HolidayOverride,
    Mechanism,
    Membership,
    MemberUnit,
    PersonalDataAccess,
)
from .permissions import ReadOnlyPermissionPolicy, ScopedPermissionPolicy, UnitKeptPermissionPolicy

register_permission_policy(
    Area, ScopedPermissionPolicy(Area, access.visible_areas, access.managed_areas, superuser_only=True)
)
register_permission_policy(
    Mechanism,
    ScopedPermissionPolicy(Mechanism, access.visible_mechanisms, access.managed_mechanisms, superuser_creates=True),
)
register_permission_policy(MemberUnit, ScopedPermissionPolicy(MemberUnit, access.visible_units, access.managed_units))
register_permission_policy(
    Membership, ScopedPermissionPolicy(Membership, access.visible_memberships, access.managed_memberships)
)
register_permission_policy(
    HolidayOverride,
    # The official calendar is one for the whole country: every secretariat may enter a year's notice.
    ScopedPermissionPolicy(
        HolidayOverride, lambda user: HolidayOverride.objects.all(), lambda user: HolidayOverride.objects.all()
    ),
)
register_permission_policy(PersonalDataAccess, ReadOnlyPermissionPolicy(PersonalDataAccess, access.visible_access_log))
register_permission_policy(
    ConvenerTerm, ScopedPermissionPolicy(ConvenerTerm, access.visible_terms, access.managed_terms)
)
register_permission_policy(
    HelpChannel, UnitKeptPermissionPolicy(HelpChannel, access.visible_channels, access.managed_channels)
)
register_permission_policy(
    BrandProject, UnitKeptPermissionPolicy(BrandProject, access.visible_projects, access.managed_projects)
)


class MechanismForm(ScopedAdminForm):
    """Only the superuser places a mechanism in the tree of areas."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not self.for_user.is_superuser:
            for name in ("area", "parent"):
                if name in self.fields:
                    self.fields[name].disabled = True


class AreaViewSet(ScopedModelViewSet):
    menu_name = "areas"
    model = Area
    icon = "site"
    menu_label = _("Areas")
    list_display = ["code", "name", "level", "parent"]
    list_select_related = ["parent"]
    filterset_class = AreaFilterSet
    search_fields = ["code", "name"]
    list_export = ["code", "name", "level", "parent__code"]
    export_filename = "areas"
    edit_handler = ObjectList(
        [FieldRowPanel([FieldPanel("code"), FieldPanel("level")]), FieldPanel("name"), FieldPanel("parent")],
        base_form_class=ScopedAdminForm,
    )


class MechanismViewSet(ScopedModelViewSet):
    menu_name = "mechanisms"
    model = Mechanism
    icon = "group"
    menu_label = _("Mechanisms")
    list_display = ["name", "area", "parent", "quorum_rule"]
    list_select_related = ["area", "parent"]
    search_fields = ["name", "area__code", "area__name"]
    list_export = ["name", "area__code", "area__name", "parent__name", "quorum_rule"]
    export_filename = "mechanisms"
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("area"), FieldPanel("parent"), FieldPanel("quorum_rule")],
        base_form_class=MechanismForm,
    )


class MemberUnitViewSet(ScopedModelViewSet):
    menu_name = "member-units"
    model = MemberUnit
    icon = "globe"
    menu_label = _("Member units")
    list_display = [
        "name",
        "short_name",
        "code",
        "kind",
        "mechanism",
        "joined_on",
        "left_on",
        BooleanColumn("is_lead", label=_("lead unit")),
    ]
    list_select_related = ["mechanism"]
    filterset_class = MemberUnitFilterSet
    search_fields = ["name", "short_name", "code"]
    list_export = ["mechanism__name", "name", "short_name", "code", "kind", "joined_on", "left_on", "is_lead"]
    export_filename = "member-units"
    edit_handler = ObjectList(
        [
            FieldPanel("mechanism"),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("short_name"), FieldPanel("code")]),
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("joined_on"), FieldPanel("left_on")]),
            FieldPanel("is_lead"),
        ],
        base_form_class=ScopedAdminForm,
    )


class MembershipViewSet(ScopedModelViewSet):
    menu_name = "people"
    model = Membership
    icon = "user"
    menu_label = _("People")
    list_display = ["user", "unit", "role", "created_at"]
    list_select_related = ["user", "unit"]
    filterset_class = MembershipFilterSet
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name", "unit__short_name"]
    list_export = ["user__username", "user__last_name", "user__first_name", "unit__name", "role"]
    export_filename = "people"
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("unit"), FieldPanel("role")], base_form_class=ScopedAdminForm
    )


class ConvenerTermViewSet(ScopedModelViewSet):
    menu_name = "convener-terms"
    model = ConvenerTerm
    icon = "date"
    menu_label = _("Convener terms")
    list_display = ["unit", "mechanism", "starts_at", "ends_at"]
    list_select_related = ["unit", "mechanism"]
    filterset_class = ConvenerTermFilterSet
    search_fields = ["unit__name", "unit__short_name"]
    list_export = ["mechanism__name", "unit__name", "starts_at", "ends_at"]
    export_filename = "convener-terms"
    edit_handler = ObjectList(
        [FieldPanel("mechanism"), FieldPanel("unit"), FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])],
        base_form_class=ScopedAdminForm,
    )


class HolidayOverrideViewSet(ScopedModelViewSet):
    model = HolidayOverride
    menu_name = "holidays"
    icon = "calendar-alt"
    menu_label = _("Holidays and adjusted working days")
    list_display = ["date", "name", BooleanColumn("is_working_day", label=_("working day")), "note"]
    search_fields = ["name", "note"]
    list_export = ["date", "name", "is_working_day", "note"]
    export_filename = "holiday-overrides"
    edit_handler = ObjectList(
        [FieldPanel("date"), FieldPanel("is_working_day"), FieldPanel("name"), FieldPanel("note")],
        base_form_class=ScopedAdminForm,
    )


class AccessLogViewSet(ScopedModelViewSet):
    """Who looked at whose personal data: read-only, for the supervisors and the secretariat."""

    model = PersonalDataAccess
    menu_name = "access-log"
    icon = "view"
    menu_label = _("Personal data access log")
    list_display = ["at", "user", "kind", "case", "reason", "mechanism"]
    list_select_related = ["user", "case", "mechanism"]
    list_filter = ["kind"]
    search_fields = ["reason", "user__username", "case__reference"]
    list_export = ["at", "user__username", "kind", "case__reference", "reason", "mechanism__name"]
    export_filename = "personal-data-access"
    form_fields = ["reason"]  # never offered: the policy grants no change, this only satisfies the viewset


class MechanismGroup(ModelViewSetGroup):
    menu_label = _("Joint mechanism")
    menu_name = "joint-mechanism"
    menu_icon = "group"
    menu_order = 200
    items = (
        MechanismViewSet,
        MemberUnitViewSet,
        MembershipViewSet,
        ConvenerTermViewSet,
        HelpChannelViewSet,
        BrandProjectViewSet,
        HolidayOverrideViewSet,
        AccessLogViewSet,
        AreaViewSet,
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return MechanismGroup()


LOG_ACTIONS = {
    "xianjie.case.report": (_("Report case"), _("Case reported")),
    "xianjie.case.accept": (_("Accept case"), _("Case accepted")),
    "xianjie.case.decline": (_("Decline case"), _("Case declined")),
    "xianjie.case.refer": (_("Refer case"), _("Case referred to units")),
    "xianjie.case.table": (_("Table case"), _("Case tabled for a meeting")),
    "xianjie.case.escalate": (_("Escalate case"), _("Case escalated to the parent mechanism")),
    "xianjie.case.start_work": (_("Start work"), _("Work on the case started")),
    "xianjie.case.resolve": (_("Resolve case"), _("Case resolved")),
    "xianjie.case.close": (_("Close case"), _("Case closed after the verification call")),
    "xianjie.case.reopen": (_("Reopen case"), _("Case reopened")),
    "xianjie.case.assistance": (_("Record assistance"), _("Assistance recorded")),
    "xianjie.assignment.acknowledge": (_("Acknowledge"), _("Assignment acknowledged")),
    "xianjie.assignment.follow_up": (_("Follow up"), _("Follow-up recorded")),
    "xianjie.assignment.complete": (_("Complete"), _("Assignment completed")),
    "xianjie.assignment.return": (_("Return"), _("Assignment returned")),
    "xianjie.channel.verify": (_("Verify channel"), _("Help channel verified")),
}


@hooks.register("register_log_actions")
def register_case_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


# Casework screens (mechanism/casework): URLs under /admin/casework/, the submenu, the home panels.


@hooks.register("register_admin_urls")
def register_casework_urls():
    from django.urls import include, path

    from .casework import urls as casework_urls

    return [path("casework/", include(casework_urls, namespace="casework"))]


@hooks.register("register_admin_urls")
def register_document_urls():
    """Official documents: /admin/documents/<kind>/<pk>/ and the background jobs' pages."""
    from django.urls import include, path

    from .documents import urls as document_urls

    return [path("documents/", include(document_urls, namespace="xianjie_documents"))]


@hooks.register("register_admin_menu_item")
def register_casework_menu():
    from .casework.menu import casework_menu_item

    return casework_menu_item()


@hooks.register("construct_homepage_panels")
def add_casework_panels(request, panels):
    from .casework.panels import homepage_panels

    homepage_panels(request, panels)
