"""Admin home panels: the unit dashboard for liaisons, the waiting and overdue counts for the secretariat.

A fixed number of queries per unit the user acts for, whatever the number of cases.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .. import access, workdays
from ..models import ACTIVE_STATES, Assignment, AssignmentState, Case, CaseState, MemberUnit
from . import queries

SHOWN_PER_SECTION = 10
RECENT_DAYS = 30
SOON_WORKING_DAYS = 3


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
        units = []
        for unit in self.units:
            unit_counts = counts.get(unit.pk, {})
            lists = []
            for key, title, condition in parts:
                count = unit_counts.get(key, 0)
                order = "-finished_at" if key == "completed" else "due_on"
                found = Assignment.objects.filter(condition, unit=unit).order_by(order, "pk")
                rows = list(queries.assignment_summary(found)[:SHOWN_PER_SECTION])
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


def homepage_panels(request, panels):
    """The construct_homepage_panels hook: add the panels this user has work in."""
    user = request.user
    mechanisms = queries.queue_mechanisms(user)
    if mechanisms.exists():
        panels.append(SecretariatPanel(mechanisms))
    units = list(MemberUnit.objects.filter(pk__in=access.acting_unit_ids(user)).select_related("mechanism"))
    if units:
        panels.append(UnitDashboardPanel(units))
