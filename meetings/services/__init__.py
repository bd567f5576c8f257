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
from .series import draft_next_meetings, next_occurrence

__all__ = [
    "Quorum",
    "add_item",
    "agenda_time",
    "build_agenda",
    "cancel_meeting",
    "create_meeting",
    "draft_next_meetings",
    "hold_meeting",
    "next_occurrence",
    "propose_topic",
    "quorum",
    "record_attendance",
    "remove_attendance",
    "remove_item",
    "reorder_items",
    "reschedule_meeting",
    "send_notice",
    "update_meeting",
]
