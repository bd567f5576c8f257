"""Who was at the meeting, recorded by the secretariat, and whether that makes a quorum."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mechanism.services.errors import ActionRefused

from ..models import Attendance, MeetingState
from .common import local_date, locked_meeting


@dataclass(frozen=True)
class Quorum:
    present_units: int
    active_units: int
    needed: int
    reached: bool


def _check_recording(meeting):
    if meeting.state not in (MeetingState.NOTICED, MeetingState.HELD):
        raise ActionRefused(_("Attendance is recorded for a noticed or held meeting."))


def record_attendance(meeting, unit, person, arrived_late=False, note="", by=None):
    """One person present for a unit (a unit may send several)."""
    person = (person or "").strip()
    if not person:
        raise ActionRefused(_("Give the name of the person present."))
    if unit.mechanism_id != meeting.mechanism_id:
        raise ActionRefused(_("%(unit)s is not a member unit of this mechanism.") % {"unit": unit.name})
    with locked_meeting(meeting, by) as fresh:
        _check_recording(fresh)
        row = Attendance.objects.create(
            meeting=fresh, unit=unit, person=person, arrived_late=arrived_late, note=note.strip(), recorded_by=by
        )
        log(fresh, "xianjie.meeting.attendance", user=by, data={"unit": unit.name, "late": arrived_late})
    return row


def remove_attendance(attendance, by=None):
    """Take back an attendance recorded by mistake."""
    with locked_meeting(attendance.meeting, by) as fresh:
        _check_recording(fresh)
        unit_name = attendance.unit.name
        Attendance.objects.filter(pk=attendance.pk, meeting=fresh).delete()
        log(fresh, "xianjie.meeting.attendance_removed", user=by, data={"unit": unit_name})


def quorum(meeting):
    """Units present against the mechanism's rule, counted over the units active on the meeting's date."""
    day = local_date(meeting.starts_at)
    active = meeting.mechanism.active_units(day)
    present = Attendance.objects.filter(meeting=meeting, unit__in=active).values("unit_id").distinct().count()
    count = active.count()
    needed = meeting.mechanism.quorum_needed(count)
    return Quorum(present_units=present, active_units=count, needed=needed, reached=present >= needed)
