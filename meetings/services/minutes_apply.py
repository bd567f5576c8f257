"""What approved minutes set in motion: a decision on a case item refers the case to its units through the
cases' referral service (and the case is in progress); an action item becomes one case-less assignment per
unit. Each decision is claimed once (`applied_at`), so approving twice or a retried job adds nothing."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed
from wagtail.log_actions import log

from mechanism.models import Assignment, CaseState
from mechanism.services.common import after_commit, run_transition
from mechanism.services.errors import ActionRefused
from mechanism.services.triage import refer_case

from ..models import Decision, DecisionKind, Minutes, MinutesState
from ..notices.ics import item_label
from .minutes import check_case_units, check_due, check_units


def _waiting(minutes):
    """Decisions with units that have not been carried out yet, in the order of the minutes."""
    return (
        Decision.objects.filter(item__minutes=minutes, applied_at=None)
        .filter(Exists(Decision.units.through.objects.filter(decision_id=OuterRef("pk"))))
        .select_related("item__agenda_item__case", "item__agenda_item__assignment__case")
        .prefetch_related("units")
        .order_by("item__agenda_item__order", "item__agenda_item__pk", "order", "pk")
    )


def _check_one(decision, mechanism, today):
    units = list(decision.units.all())
    check_units(mechanism, units, today)
    check_due(decision.due_on, today)
    if decision.due_on is None:
        raise ActionRefused(_("A due date is missing."))
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
            if case.assignments.active().filter(unit=unit).exists():
                raise ActionRefused(_("%(unit)s already has this case.") % {"unit": unit.name})


def check_decisions_applicable(minutes, today):
    """Refuse approval, naming the agenda item, when a decision could not be carried out today."""
    mechanism = minutes.meeting.mechanism
    for decision in _waiting(minutes):
        try:
            _check_one(decision, mechanism, today)
        except ActionRefused as refused:
            raise ActionRefused(
                _("Agenda item “%(item)s”: %(problem)s Change the decision before approving.")
                % {"item": item_label(decision.item.agenda_item), "problem": refused.message}
            ) from None


def _claim(decision, now):
    return Decision.objects.filter(pk=decision.pk, applied_at=None).update(applied_at=now) == 1


def _refer(decision, by):
    case = decision.item.agenda_item.case
    created = refer_case(
        case,
        list(decision.units.all()),
        by=None,
        due_on=decision.due_on,
        task=decision.text,
        source=decision,
        assigned_by=by,
    )
    if case.state == CaseState.REFERRED:
        run_transition(case, "start_work", by, "xianjie.case.start_work", {"decision": decision.pk})
    return created


def _assign(decision, mechanism, by, now):
    task = decision.text + (f"\n{decision.expected_result}" if decision.expected_result else "")
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
            due_on=decision.due_on,
        )
        after_commit("mechanism.tasks.notify_new_assignment", assignment.pk)
        created.append(assignment)
    return created


def apply_decisions(minutes, by=None):
    """Create the assignments of every decision not yet carried out; returns those created (idempotent)."""
    state = Minutes.objects.filter(pk=minutes.pk).values_list("state", flat=True).get()
    if state not in (MinutesState.APPROVED, MinutesState.PUBLISHED):
        raise ActionRefused(_("The decisions are carried out when the minutes are approved."))
    mechanism = minutes.meeting.mechanism
    created = []
    with transaction.atomic():
        now = timezone.now()
        for decision in _waiting(minutes):
            if not _claim(decision, now):
                continue  # carried out by an earlier call
            if decision.kind == DecisionKind.DECISION:
                created += _refer(decision, by)
            else:
                created += _assign(decision, mechanism, by, now)
        if created:
            log(minutes, "xianjie.minutes.apply", user=by, data={"assignments": [a.pk for a in created]})
    return created
