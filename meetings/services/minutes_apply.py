"""What approved minutes set in motion: a decision on a case item refers the case to its units through the
cases' referral service (and the case is in progress); an action item becomes one case-less assignment per
unit. Each decision is claimed once (`applied_at`), so approving twice or a retried job adds nothing.

A decision without a due date gets one at approval, in working days as the cases' referral gives it: by the
case's urgency, or ACTION_WORKING_DAYS for an action item (provisional when the holiday calendar is unknown).
"""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed
from wagtail.log_actions import log

from mechanism.models import Assignment, Case, CaseState
from mechanism.services.common import after_commit, run_transition
from mechanism.services.errors import ActionRefused
from mechanism.services.triage import refer_case
from mechanism.workdays import add_working_days

from ..models import Decision, DecisionKind, MinutesState
from ..notices.ics import item_label
from .minutes import check_approver, check_case_units, check_due, check_units, locked_minutes

ACTION_WORKING_DAYS = 10


def _waiting(minutes):
    """Decisions with units that have not been carried out yet, in the order of the minutes."""
    return (
        Decision.objects.filter(item__minutes=minutes, applied_at=None)
        .filter(Exists(Decision.units.through.objects.filter(decision_id=OuterRef("pk"))))
        .select_related("item__agenda_item__case", "item__agenda_item__assignment__case")
        .prefetch_related("units")
        .order_by("item__agenda_item__order", "item__agenda_item__pk", "order", "pk")
    )


def _check_one(decision, mechanism, today, named):
    """`named` holds the (case, unit) pairs of the decisions checked before: a unit gets a case once."""
    units = list(decision.units.all())
    check_units(mechanism, units, today)
    check_due(decision.due_on, today)
    case = decision.item.agenda_item.case
    if decision.kind == DecisionKind.DECISION:
        if case is None:
            raise ActionRefused(_("Only a decision on a case item names responsible units."))
        if not can_proceed(case.refer):
            raise ActionRefused(
                _("case %(reference)s is “%(state)s” and can no longer be referred.")
                % {"reference": case.reference, "state": case.get_state_display()}
            )
        check_case_units(case, units)
        for unit in units:
            if (case.pk, unit.pk) in named:
                raise ActionRefused(
                    _("%(unit)s is already named in another decision on this case.") % {"unit": unit.name}
                )
            if case.assignments.active().filter(unit=unit).exists():
                raise ActionRefused(_("%(unit)s already has this case.") % {"unit": unit.name})
            named.add((case.pk, unit.pk))


def check_decisions_applicable(minutes, today):
    """Refuse approval, naming the agenda item, when a decision could not be carried out today."""
    mechanism = minutes.meeting.mechanism
    named = set()
    for decision in _waiting(minutes):
        try:
            _check_one(decision, mechanism, today, named)
        except ActionRefused as refused:
            raise ActionRefused(
                _("Agenda item “%(item)s”: %(problem)s Change the decision before approving.")
                % {"item": item_label(decision.item.agenda_item), "problem": refused.message}
            ) from None


def _claim(decision, now):
    return Decision.objects.filter(pk=decision.pk, applied_at=None).update(applied_at=now) == 1


def _refer(decision, by, today):
    # Read afresh: an earlier decision on the same case has referred it since the decisions were loaded.
    case = Case.objects.get(pk=decision.item.agenda_item.case_id)
    created = refer_case(
        case,
        list(decision.units.all()),
        by=None,
        due_on=decision.due_on,  # None: by the case's urgency, in working days
        task=decision.text,
        today=today,
        source=decision,
        assigned_by=by,
    )
    if case.state == CaseState.REFERRED:
        run_transition(case, "start_work", by, "xianjie.case.start_work", {"decision": decision.pk})
    return created


def _assign(decision, mechanism, by, now, today):
    task = decision.text + (f"\n{decision.expected_result}" if decision.expected_result else "")
    due_on, provisional = decision.due_on, False
    if due_on is None:
        deadline = add_working_days(today, ACTION_WORKING_DAYS)
        due_on, provisional = deadline.day, deadline.provisional
    created = []
    for unit in decision.units.all():
        assignment = Assignment.objects.create(
            mechanism=mechanism,
            unit=unit,
            case=None,
            source=decision,
            task=task,
            assigned_at=now,
            assigned_by=by,
            due_on=due_on,
            due_provisional=provisional,
        )
        after_commit("mechanism.tasks.notify_new_assignment", assignment.pk)
        created.append(assignment)
    return created


def apply_decisions(minutes, by=None, today=None):
    """Create the assignments of every decision not yet carried out; returns those created (idempotent).

    Under the minutes' lock (a retried job waits for an approval in progress); `by`, when given, must approve.
    """
    check_approver(by, minutes.meeting.mechanism)
    today = today or timezone.localdate()
    created = []
    with locked_minutes(minutes, check=False) as fresh:
        if fresh.state not in (MinutesState.APPROVED, MinutesState.PUBLISHED):
            raise ActionRefused(_("The decisions are carried out when the minutes are approved."))
        mechanism = fresh.meeting.mechanism
        now = timezone.now()
        for decision in _waiting(fresh):
            if not _claim(decision, now):
                continue  # carried out by an earlier call
            if decision.kind == DecisionKind.DECISION:
                new = _refer(decision, by, today)
            else:
                new = _assign(decision, mechanism, by, now, today)
            if decision.due_on is None and new:
                # Kept on the decision so that the approved text and the documents show it.
                Decision.objects.filter(pk=decision.pk).update(due_on=new[0].due_on)
            created += new
        if created:
            log(fresh, "xianjie.minutes.apply", user=by, data={"assignments": [a.pk for a in created]})
    return created
