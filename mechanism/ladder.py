"""The overdue ladder, run daily at 08:30 Asia/Shanghai: reminder, due-soon, due-today, overdue (督办).

Each stage of each assignment is claimed by a conditional update inside the transaction that
sends its e-mail: if the worker dies before the send, the claim rolls back and the retry sends;
once committed, a second run finds nothing to claim. Nothing is sent twice.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import workdays
from .models import Assignment, AssignmentState
from .notify import build_message

logger = logging.getLogger(__name__)

STAGE_FIELDS = {
    "ack_reminder": "ack_reminder_at",
    "due_soon": "due_soon_at",
    "due_today": "due_today_at",
    "overdue": "overdue_at",
    "new": "notified_at",
    "completed": "finish_notified_at",
    "returned": "finish_notified_at",
}


def send_stage(assignment_pk, stage):
    """Claim and send one notice; True if this call sent it."""
    claim_field = STAGE_FIELDS[stage]
    with transaction.atomic():
        claimed = Assignment.objects.filter(pk=assignment_pk, **{f"{claim_field}__isnull": True}).update(
            **{claim_field: timezone.now()}
        )
        if not claimed:
            return False
        assignment = Assignment.objects.select_related("case", "unit", "mechanism").get(pk=assignment_pk)
        message = build_message(assignment, stage)
        if message is not None:
            message.send()
    return True


# Only what due_stages reads; send_stage loads the whole assignment again for the few it sends.
LADDER_COLUMNS = [
    "pk",
    "state",
    "assigned_at",
    "due_on",
    "ack_reminder_at",
    "due_soon_at",
    "due_today_at",
    "overdue_at",
]
CHUNK = 2000


@dataclass(frozen=True)
class Day:
    """The dates a pass compares against, worked out once from the holiday calendar, not per assignment."""

    today: datetime.date
    soon_before: datetime.date  # the third working day after today: due before it, at most two working days left
    remind_before: datetime.datetime  # assigned before this moment: two working days without acknowledgement

    @classmethod
    def of(cls, today):
        # working_days_between(assigned_on, today) >= 2 exactly when assigned_on is before the second-last
        # working day up to today (workdays.working_days_back); assigned_on is the local date of assigned_at.
        cutoff = workdays.working_days_back(today, 2)[-1]
        start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        return cls(today, workdays.add_working_days(today, 3).day, start)


def due_filter(day):
    """Exactly the active assignments with a stage due on this day and not yet sent, as one SQL condition."""
    waiting = Q(state=AssignmentState.ASSIGNED, ack_reminder_at__isnull=True, assigned_at__lt=day.remind_before)
    overdue = Q(due_on__lt=day.today, overdue_at__isnull=True)
    due_today = Q(due_on=day.today, due_today_at__isnull=True)
    due_soon = Q(due_on__gt=day.today, due_on__lt=day.soon_before, due_soon_at__isnull=True)
    return waiting | overdue | due_today | due_soon


def pending_assignments(day):
    """The assignments a pass sends to, in due order, only the ladder's columns loaded."""
    return Assignment.objects.active().filter(due_filter(day)).only(*LADDER_COLUMNS).order_by("due_on", "pk")


def due_stages(assignments, day):
    """(assignment, stage) pairs that are due today, at most one per stage per assignment."""
    for assignment in assignments:
        waiting = assignment.state == AssignmentState.ASSIGNED and assignment.ack_reminder_at is None
        if waiting and assignment.assigned_at < day.remind_before:
            yield assignment, "ack_reminder"
        if assignment.due_on < day.today:
            if assignment.overdue_at is None:
                yield assignment, "overdue"
        elif assignment.due_on == day.today:
            if assignment.due_today_at is None:
                yield assignment, "due_today"
        elif assignment.due_soon_at is None and assignment.due_on < day.soon_before:
            yield assignment, "due_soon"


def run_ladder(today=None):
    """One pass over the assignments with a stage due; returns how many notices this pass sent.

    It streams: the database picks the due rows, and they are read in chunks (a server-side cursor on
    PostgreSQL), so memory does not grow with the millions of assignments whose notices went out long ago.
    """
    day = Day.of(today or timezone.localdate())
    sent = 0
    for assignment, stage in due_stages(pending_assignments(day).iterator(chunk_size=CHUNK), day):
        sent += send_stage(assignment.pk, stage)
    logger.info("overdue ladder: %d notices sent", sent)
    return sent
