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
}


@hooks.register("register_log_actions")
def register_meeting_log_actions(actions):
    """Registered on import; meetings.services imports this module so no log entry is written unregistered."""
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
