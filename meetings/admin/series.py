"""Meeting series in the back office: the secretariat keeps the recurring regular meetings of its mechanism."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.permissions import register_permission_policy

from mechanism import access as mechanism_access
from mechanism.admin.scoped import ScopedAdminForm, ScopedModelViewSet
from mechanism.permissions import ScopedPermissionPolicy

from ..models import MeetingSeries


def visible_series(user):
    return MeetingSeries.objects.filter(mechanism__in=mechanism_access.visible_mechanisms(user))


def managed_series(user):
    return MeetingSeries.objects.filter(mechanism__in=mechanism_access.managed_mechanisms(user))


register_permission_policy(MeetingSeries, ScopedPermissionPolicy(MeetingSeries, visible_series, managed_series))


class MeetingSeriesViewSet(ScopedModelViewSet):
    model = MeetingSeries
    name = "meeting-series"
    url_prefix = "meetings/series"
    icon = "repeat"
    menu_label = _("Meeting series")
    list_display = ["name", "mechanism", "every_months", "first_month", "week_of_month", "weekday", "starts_at"]
    list_display += [BooleanColumn("active", label=_("active"))]
    list_select_related = ["mechanism"]
    search_fields = ["name"]
    list_export = ["mechanism__name", "name", "every_months", "first_month", "week_of_month", "weekday", "active"]
    export_filename = "meeting-series"
    edit_handler = ObjectList(
        [
            FieldPanel("mechanism"),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("every_months"), FieldPanel("first_month")]),
            FieldRowPanel([FieldPanel("week_of_month"), FieldPanel("weekday")]),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldPanel("place"),
            FieldPanel("active"),
        ],
        base_form_class=ScopedAdminForm,
    )
