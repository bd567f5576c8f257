"""Service functions for meetings: each checks who acts, runs in a transaction, logs, queues side effects."""

from .. import log_actions  # noqa: F401  (registers the audit-log actions these services write)
from .agenda import (
    add_item,
    agenda_time,
    build_agenda,
    propose_topic,
    remove_item,
    reorder_items,
)
from .attendance import Quorum, quorum, record_attendance, remove_attendance
from .meetings import (
    cancel_meeting,
    create_meeting,
    hold_meeting,
    reschedule_meeting,
    send_notice,
    update_meeting,
)
from .minutes import (
    add_decision,
    remove_decision,
    start_minutes,
    update_decision,
    update_item_summary,
    update_minutes_opening,
)
from .minutes_apply import apply_decisions
from .minutes_review import (
    agree_to_minutes,
    approve_minutes,
    comment_on_minutes,
    correct_minutes,
    pending_reviewers,
    publish_minutes,
    revise_minutes,
    send_minutes_for_review,
)
from .series import draft_next_meetings, next_occurrence

__all__ = [
    "Quorum",
    "add_decision",
    "add_item",
    "agenda_time",
    "agree_to_minutes",
    "apply_decisions",
    "approve_minutes",
    "build_agenda",
    "cancel_meeting",
    "comment_on_minutes",
    "correct_minutes",
    "create_meeting",
    "draft_next_meetings",
    "hold_meeting",
    "next_occurrence",
    "pending_reviewers",
    "propose_topic",
    "publish_minutes",
    "quorum",
    "record_attendance",
    "remove_attendance",
    "remove_decision",
    "remove_item",
    "reorder_items",
    "reschedule_meeting",
    "revise_minutes",
    "send_minutes_for_review",
    "send_notice",
    "start_minutes",
    "update_decision",
    "update_item_summary",
    "update_meeting",
    "update_minutes_opening",
]
