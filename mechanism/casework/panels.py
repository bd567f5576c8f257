"""Admin home panels: the unit dashboard for liaisons, the waiting and overdue counts for the secretariat.

A fixed number of queries per unit the user acts for, whatever the number of cases. The rows are plain values
(no model instances: an Assignment's init with django-fsm costs more than its query) and the links are built from one
reversed URL. Wagtail's page panels are left out for those who have no page permission: they can show nothing to
a unit liaison or a secretariat and cost queries and rendering on every visit to the admin home.
"""

import datetime

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.permissions import page_permission_policy

from .. import access, workdays
from ..models import ACTIVE_STATES, Assignment, AssignmentState, Case, CaseState, MemberUnit, Role
from . import queries

SHOWN_PER_SECTION = 10
RECENT_DAYS = 30
SOON_WORKING_DAYS = 3
# Wagtail's home panels about pages (moderation, workflows, recent edits, locks): empty without page permissions.
PAGE_PANELS = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation", "recent_edits", "locked_pages"}
ROW_FIELDS = ("pk", "task", "state", "due_on", "finished_at")


def sections(today, soon, since):
    """(key, title, filter) of the dashboard's four lists."""
    return [
        ("to_acknowledge", _("To acknowledge"), Q(state=AssignmentState.ASSIGNED)),
        (
            "due_soon",
            _("Due within %(days)d working days") % {"days": SOON_WORKING_DAYS},
            Q(state__in=ACTIVE_STATES, due_on__gte=today, due_on__lte=soon),
        ),
        ("overdue", _("Overdue"), Q(state__in=ACTIVE_STATES, due_on__lt=today)),
        (
            "completed",
            _("Completed in the last %(days)d days") % {"days": RECENT_DAYS},
            Q(state=AssignmentState.COMPLETED, finished_at__gte=since),
        ),
    ]


class UnitDashboardPanel(Component):
    """What each of the liaison's units must do now, what is due soon, what is overdue, what was done."""

    name = "casework_unit_dashboard"
    template_name = "casework/panels/unit_dashboard.html"
    order = 10

    def __init__(self, units):
        self.units = units

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        soon = workdays.add_working_days(today, SOON_WORKING_DAYS).day
        since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
        parts = sections(today, soon, since)
        counts = {
            row["unit"]: row
            for row in Assignment.objects.filter(unit__in=self.units)
            .order_by()
            .values("unit")
            .annotate(**{key: Count("pk", filter=condition) for key, _title, condition in parts})
        }
        state_labels = dict(AssignmentState.choices)
        link = reverse("casework:assignment", args=[0]).removesuffix("0/")
        units = []
        for unit in self.units:
            unit_counts = counts.get(unit.pk, {})
            lists = []
            for key, title, condition in parts:
                count = unit_counts.get(key, 0)
                order = "-finished_at" if key == "completed" else "due_on"
                found = Assignment.objects.filter(condition, unit=unit).order_by(order, "pk")
                rows = list(found.values(*ROW_FIELDS, reference=F("case__reference"))[:SHOWN_PER_SECTION])
                for row in rows:
                    row.update(url=f"{link}{row['pk']}/", state_label=state_labels.get(row["state"], row["state"]))
                lists.append({"key": key, "title": title, "count": count, "rows": rows, "more": count - len(rows)})
            units.append({"unit": unit, "sections": lists, "panel_id": f"casework-unit-{unit.pk}"})
        return {"units": units, "today": today, "soon": soon}


class SecretariatPanel(Component):
    """Cases waiting for triage and overdue assignments, linking to the queue and the supervision list."""

    name = "casework_secretariat"
    template_name = "casework/panels/secretariat.html"
    order = 20

    def __init__(self, mechanisms):
        self.mechanisms = mechanisms

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        # The state filter lets the case_queue index (mechanism, state, …) serve the counts, not a table scan.
        waiting = Case.objects.filter(mechanism__in=self.mechanisms, state__in=queries.QUEUE_STATES).aggregate(
            reported=Count("pk", filter=Q(state=CaseState.REPORTED)),
            accepted=Count("pk", filter=Q(state=CaseState.ACCEPTED)),
        )
        overdue = Assignment.objects.overdue(today).filter(mechanism__in=self.mechanisms).count()
        return {**waiting, "overdue": overdue}


def has_page_permissions(user):
    """Whether Wagtail's page panels can show the user anything: a superuser, or a group with page permissions
    (the permissions are cached on the user: the site summary reads them again without a query)."""
    return user.is_superuser or bool(page_permission_policy.get_cached_permissions_for_user(user))


def homepage_panels(request, panels):
    """The construct_homepage_panels hook: add the panels this user has work in; drop the page panels that
    cannot show anything to this user."""
    user = request.user
    if not has_page_permissions(user):
        panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in PAGE_PANELS]
    roles = access.roles_of(user)  # cached on the user: spares the queries of panels the user cannot have
    mechanisms = queries.queue_mechanisms(user)
    if (user.is_superuser or roles & queries.QUEUE_ROLES) and mechanisms.exists():
        panels.append(SecretariatPanel(mechanisms))
    if Role.LIAISON not in roles:
        return
    units = list(MemberUnit.objects.filter(pk__in=access.acting_unit_ids(user)).select_related("mechanism"))
    if units:
        panels.append(UnitDashboardPanel(units))
