"""The audit-log actions of meetings: action → (label, message); registered in meetings/wagtail_hooks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

LOG_ACTIONS = {
    "xianjie.meeting.create": (_("Create meeting"), _("Meeting created")),
    "xianjie.meeting.update": (_("Edit meeting"), _("Draft meeting edited")),
    "xianjie.meeting.notice": (_("Send notice"), _("Meeting notice sent")),
    "xianjie.meeting.reschedule": (_("Reschedule meeting"), _("Meeting rescheduled and notice sent again")),
    "xianjie.meeting.cancel": (_("Cancel meeting"), _("Meeting cancelled")),
    "xianjie.meeting.hold": (_("Hold meeting"), _("Meeting held")),
    "xianjie.meeting.attendance": (_("Record attendance"), _("Attendance recorded")),
    "xianjie.meeting.attendance_removed": (_("Remove attendance"), _("Attendance removed")),
    "xianjie.agenda.build": (_("Build agenda"), _("Agenda built from what is waiting")),
    "xianjie.agenda.add": (_("Add agenda item"), _("Agenda item added")),
    "xianjie.agenda.remove": (_("Remove agenda item"), _("Agenda item removed")),
    "xianjie.agenda.reorder": (_("Reorder agenda"), _("Agenda reordered")),
    "xianjie.agenda.propose": (_("Propose topic"), _("Topic proposed for a meeting")),
    "xianjie.meeting.answer": (_("Answer to a notice"), _("Unit answered the meeting notice")),
    "xianjie.minutes.start": (_("Start minutes"), _("Minutes started")),
    "xianjie.minutes.edit": (_("Edit minutes"), _("Minutes text edited")),
    "xianjie.minutes.decision_add": (_("Add decision"), _("Decision or action item added to the minutes")),
    "xianjie.minutes.decision_update": (_("Edit decision"), _("Decision or action item changed")),
    "xianjie.minutes.decision_remove": (_("Remove decision"), _("Decision or action item removed")),
    "xianjie.minutes.review": (_("Send minutes for review"), _("Minutes sent to the attending units for review")),
    "xianjie.minutes.agree": (_("Agree to minutes"), _("Unit agreed to the minutes")),
    "xianjie.minutes.comment": (_("Comment on minutes"), _("Unit commented on the minutes")),
    "xianjie.minutes.revise": (_("Revise minutes"), _("New revision of the minutes started")),
    "xianjie.minutes.approve": (_("Approve minutes"), _("Minutes approved by the convener")),
    "xianjie.minutes.apply": (_("Carry out decisions"), _("Assignments created from the minutes' decisions")),
    "xianjie.minutes.publish": (_("Publish minutes"), _("Minutes published to the member units")),
    "xianjie.minutes.correct": (_("Correct minutes"), _("Correction of approved minutes started")),
}


@hooks.register("register_log_actions")
def register_meeting_log_actions(actions):
    """Registered on import; meetings.services imports this module so no log entry is written unregistered."""
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
