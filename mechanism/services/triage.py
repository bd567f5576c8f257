"""The secretariat moves a case through its life: accept, decline, refer, table, escalate, resolve, close, reopen."""

import datetime
from contextlib import contextmanager

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access, workdays
from ..models import Assignment, Case, CaseSource, CaseState, UnitKind, Urgency
from .common import after_commit, locked, require_reason, run_transition
from .errors import ActionRefused
from .intake import next_reference

DUE_WORKING_DAYS = {Urgency.NORMAL: 10, Urgency.URGENT: 3, Urgency.EMERGENCY: 1}


@contextmanager
def _locked(case, by):
    """The case under a row lock, once `by` is known to run this mechanism's triage (None: the system)."""
    allowed = Case.objects.all() if by is None else access.triaged_cases(by)
    try:
        with locked(case, allowed) as fresh:
            yield fresh
    except PermissionError:
        raise ActionRefused(_("Only the secretariat of the case's mechanism may do this.")) from None


def accept_case(case, by=None):
    with _locked(case, by) as case:
        run_transition(case, "accept", by, "xianjie.case.accept")
    return case


def decline_case(case, reason, by=None):
    reason = require_reason(reason)
    with _locked(case, by) as case:
        case.state_reason = reason
        run_transition(case, "decline", by, "xianjie.case.decline", {"reason": reason})
    return case


def table_case(case, by=None, note=""):
    with _locked(case, by) as case:
        run_transition(case, "table", by, "xianjie.case.table", {"note": note})
    return case


def default_due(urgency, today=None):
    return workdays.add_working_days(today or timezone.localdate(), DUE_WORKING_DAYS[urgency])


def refer_case(case, units, by=None, due_on=None, task="", today=None, source=None, assigned_by=None):
    """Assign the case to one or more units, each with a due date (default: by urgency, in working days).

    `source` is what the assignments come from (a meeting's decision); `assigned_by` defaults to `by`, and
    differs when the system refers on someone's behalf (the convener who approved the minutes).
    """
    today = today or timezone.localdate()
    if not units:
        raise ActionRefused(_("Choose at least one unit."))
    if due_on is not None and due_on < today:
        raise ActionRefused(_("The due date cannot be in the past."))
    deadline = workdays.Deadline(due_on, False) if due_on else default_due(case.urgency, today)
    with _locked(case, by) as case:
        for unit in units:
            _check_unit(case, unit, today)
        run_transition(case, "refer", by, "xianjie.case.refer", {"units": [unit.name for unit in units]})
        now = timezone.now()
        created = [
            Assignment.objects.create(
                mechanism=case.mechanism,
                unit=unit,
                case=case,
                task=task,
                source=source,
                assigned_at=now,
                assigned_by=by if assigned_by is None else assigned_by,
                due_on=deadline.day,
                due_provisional=deadline.provisional,
            )
            for unit in units
        ]
        for assignment in created:
            after_commit("mechanism.tasks.notify_new_assignment", assignment.pk)
    return created


def _check_unit(case, unit, today):
    if unit.mechanism_id != case.mechanism_id:
        raise ActionRefused(_("%(unit)s is not a member unit of this mechanism.") % {"unit": unit.name})
    if not unit.is_active_on(today):
        raise ActionRefused(_("%(unit)s has left the mechanism.") % {"unit": unit.name})
    if unit.kind == UnitKind.CHARITY and not case.consent_given:
        raise ActionRefused(
            _("%(unit)s is a charity: without the person's consent to share, the case cannot go to it.")
            % {"unit": unit.name}
        )
    if case.assignments.active().filter(unit=unit).exists():
        raise ActionRefused(_("%(unit)s already has this case.") % {"unit": unit.name})


def escalate_case(case, reason, by=None):
    """Hand the case up to the parent mechanism: a linked case there, this one waits for its outcome."""
    reason = require_reason(reason)
    with _locked(case, by) as case:
        parent = case.mechanism.parent
        if parent is None:
            raise ActionRefused(_("This mechanism has no parent mechanism to escalate to."))
        case.state_reason = reason
        run_transition(case, "escalate", by, "xianjie.case.escalate", {"reason": reason})
        now = timezone.now()
        upper = Case.objects.create(
            mechanism=parent,
            reference=next_reference(parent, timezone.localtime(now).year),
            source=CaseSource.ESCALATION,
            reported_by=by,
            reported_at=now,
            escalated_from=case,
            **{name: getattr(case, name) for name in PERSON_FIELDS},
            narrative=case.narrative,
        )
        from wagtail.log_actions import log

        log(upper, "xianjie.case.report", user=by, data={"escalated_from": case.reference})
    return upper


PERSON_FIELDS = [
    "person_name", "id_number", "id_number_hash", "phone", "phone_hash", "address", "area",
    "household_category", "needs", "urgency", "consent_given", "consent_by", "consent_at", "consent_method",
]  # fmt: skip


def resolve_case(case, summary, by=None):
    summary = require_reason(summary)
    with _locked(case, by) as case:
        case.state_reason = summary
        case.resolved_at = timezone.now()
        run_transition(case, "resolve", by, "xianjie.case.resolve", {"summary": summary})
        lower = case.escalated_from
        if lower is not None and lower.state == CaseState.ESCALATED:
            # The parent's resolution flows back down to the case it came from.
            lower.state_reason = summary
            lower.resolved_at = case.resolved_at
            run_transition(lower, "resolve", by, "xianjie.case.resolve", {"summary": summary, "by_parent": True})
    return case


def close_case(case, verified_on, result, by=None, today=None):
    """Close after the verification call (回访)."""
    result = require_reason(result)
    if not isinstance(verified_on, datetime.date) or verified_on > (today or timezone.localdate()):
        raise ActionRefused(_("Give the date of the verification call; it cannot be in the future."))
    with _locked(case, by) as case:
        case.verified_on, case.verification_result = verified_on, result
        run_transition(case, "close", by, "xianjie.case.close", {"verified_on": verified_on.isoformat()})
    return case


def reopen_case(case, reason, by=None):
    reason = require_reason(reason)
    with _locked(case, by) as case:
        case.state_reason = reason
        case.resolved_at = None
        run_transition(case, "reopen", by, "xianjie.case.reopen", {"reason": reason})
    return case
