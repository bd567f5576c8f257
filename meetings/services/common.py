"""What the meeting services share: who may convene, the meeting under a row lock, the local calendar."""

from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mechanism.services.errors import ActionRefused, StaleObject

from ..access import may_convene
from ..models import Meeting, MeetingState

SHANGHAI = ZoneInfo("Asia/Shanghai")
PREPARING = [MeetingState.DRAFT, MeetingState.NOTICED]


def local_date(moment):
    """The calendar date of an aware moment in Asia/Shanghai (meetings are numbered and dated there)."""
    return timezone.localtime(moment, SHANGHAI).date()


def check_convener(user, mechanism):
    """The secretariat or a liaison of the unit convening now; None is the system (scheduled jobs)."""
    if user is not None and not may_convene(user, mechanism):
        raise ActionRefused(
            _("Only the secretariat and the liaisons of the convening unit may convene and prepare meetings.")
        )


def check_preparing(meeting):
    if meeting.state not in PREPARING:
        raise ActionRefused(
            _("%(meeting)s is “%(state)s”; its agenda can no longer change.")
            % {"meeting": meeting.name, "state": meeting.get_state_display()}
        )


@contextmanager
def locked_meeting(meeting, by):
    """Yield a fresh copy of the meeting under a row lock; refuse a copy older than the database's."""
    check_convener(by, meeting.mechanism)
    with transaction.atomic():
        fresh = Meeting.objects.select_for_update().select_related("mechanism").get(pk=meeting.pk)
        if (fresh.state, fresh.sequence, fresh.updated_at) != (meeting.state, meeting.sequence, meeting.updated_at):
            raise StaleObject()
        yield fresh
    meeting.refresh_from_db()
