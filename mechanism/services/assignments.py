"""A unit's liaison works an assignment: acknowledge (签收), follow up, complete (办结) or return (退回)."""

import datetime
from contextlib import contextmanager

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import access
from ..models import Assignment, CaseState, FollowUp, FollowUpKind
from .common import after_commit, locked, require_reason, run_transition
from .errors import ActionRefused


@contextmanager
def _locked(assignment, by):
    allowed = Assignment.objects.all() if by is None else access.acting_assignments(by)
    try:
        with locked(assignment, allowed) as fresh:
            yield fresh
    except PermissionError:
        raise ActionRefused(_("Only a liaison of %(unit)s may do this.") % {"unit": assignment.unit.name}) from None


def acknowledge_assignment(assignment, by=None):
    with _locked(assignment, by) as assignment:
        assignment.acknowledged_at = timezone.now()
        run_transition(assignment, "acknowledge", by, "xianjie.assignment.acknowledge")
        case = assignment.case
        if case is not None and case.state == CaseState.REFERRED:
            run_transition(case, "start_work", by, "xianjie.case.start_work", {"unit": assignment.unit.name})
    return assignment


def add_follow_up(assignment, kind, happened_on, text, by=None, today=None):
    text = (text or "").strip()
    if kind not in FollowUpKind.values:
        raise ActionRefused(_("Choose the kind of follow-up."))
    if not text:
        raise ActionRefused(_("Say what happened."))
    if not isinstance(happened_on, datetime.date) or happened_on > (today or timezone.localdate()):
        raise ActionRefused(_("The date of a follow-up cannot be in the future."))
    with _locked(assignment, by) as assignment:
        if not assignment.is_active:
            raise ActionRefused(_("This assignment is finished; reopen the case to add to it."))
        follow_up = FollowUp.objects.create(assignment=assignment, kind=kind, happened_on=happened_on, text=text, by=by)
        log(assignment, "xianjie.assignment.follow_up", user=by, data={"kind": kind})
    return follow_up


def complete_assignment(assignment, outcome, by=None):
    outcome = require_reason(outcome)
    with _locked(assignment, by) as assignment:
        assignment.outcome, assignment.finished_at = outcome, timezone.now()
        run_transition(assignment, "complete", by, "xianjie.assignment.complete")
        after_commit("mechanism.tasks.notify_assignment_finished", assignment.pk)
    return assignment


def return_assignment(assignment, reason, by=None):
    """Send the case back to the secretariat, who reassigns it."""
    reason = require_reason(reason)
    with _locked(assignment, by) as assignment:
        assignment.return_reason, assignment.finished_at = reason, timezone.now()
        run_transition(assignment, "send_back", by, "xianjie.assignment.return", {"reason": reason})
        after_commit("mechanism.tasks.notify_assignment_finished", assignment.pk)
    return assignment
