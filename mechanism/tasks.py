"""django-q2 tasks: thin, they take primary keys and call the functions that do the work."""

from .channel_reminders import remind_stale_channels
from .documents.jobs import delete_old_documents
from .ladder import run_ladder, send_stage
from .models import Assignment, AssignmentState


def notify_new_assignment(assignment_pk):
    return send_stage(assignment_pk, "new")


def notify_assignment_finished(assignment_pk):
    state = Assignment.objects.filter(pk=assignment_pk).values_list("state", flat=True).first()
    if state is None:
        return False
    return send_stage(assignment_pk, "completed" if state == AssignmentState.COMPLETED else "returned")


def daily_overdue_ladder():
    return run_ladder()


def weekly_channel_reminders():
    return remind_stale_channels()


def daily_document_cleanup():
    return delete_old_documents()
