"""The overdue ladder, run daily at 08:30 Asia/Shanghai: reminder, due-soon, due-today, overdue (督办).

Each stage of each assignment is claimed by a conditional update inside the transaction that
sends its e-mail: if the worker dies before the send, the claim rolls back and the retry sends;
once committed, a second run finds nothing to claim. Nothing is sent twice.
"""

import logging

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


def due_stages(assignments, today):
    """(assignment, stage) pairs that are due today, at most one per stage per assignment."""
    for assignment in assignments:
        waiting = assignment.state == AssignmentState.ASSIGNED and assignment.ack_reminder_at is None
        assigned_on = timezone.localtime(assignment.assigned_at).date()
        if waiting and workdays.working_days_between(assigned_on, today) >= 2:
            yield assignment, "ack_reminder"
        if assignment.due_on < today:
            if assignment.overdue_at is None:
                yield assignment, "overdue"
        elif assignment.due_on == today:
            if assignment.due_today_at is None:
                yield assignment, "due_today"
        elif assignment.due_soon_at is None and workdays.working_days_between(today, assignment.due_on) <= 2:
            yield assignment, "due_soon"


def run_ladder(today=None):
    """One pass over every active assignment; returns how many notices this pass sent."""
    today = today or timezone.localdate()
    soon = workdays.add_working_days(today, 2).day
    pending = Assignment.objects.active().filter(
        Q(due_on__lte=soon) | Q(state=AssignmentState.ASSIGNED, ack_reminder_at__isnull=True)
    )
    sent = 0
    for assignment, stage in due_stages(pending.order_by("due_on", "pk"), today):
        sent += send_stage(assignment.pk, stage)
    logger.info("overdue ladder: %d notices sent", sent)
    return sent
