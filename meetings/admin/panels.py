"""Admin home panels: the meetings ahead in the user's mechanisms, and the notices the liaison's units must answer.

A fixed number of queries whatever the number of meetings.
"""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.admin.ui.components import Component

from mechanism import access as mechanism_access
from mechanism.models import Membership, Role

from ..access import visible_meetings
from ..answers import answer_url
from ..models import Answer, Meeting, MeetingState
from .forms import local

SHOWN = 5


class MeetingsAheadPanel(Component):
    name = "meetings_ahead"
    template_name = "meetings/admin/panels/ahead.html"
    order = 30

    def __init__(self, meetings):
        self.meetings = meetings

    def get_context_data(self, parent_context):
        return {"rows": [{"meeting": m, "start": local(m.starts_at)} for m in self.meetings]}


class AnswerNeededPanel(Component):
    name = "meetings_answer_needed"
    template_name = "meetings/admin/panels/answer_needed.html"
    order = 25

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        return {"rows": self.rows}


def meetings_ahead(user, now):
    return list(
        visible_meetings(user)
        .filter(state=MeetingState.NOTICED, ends_at__gte=now)
        .select_related("mechanism")
        .order_by("starts_at", "pk")[:SHOWN]
    )


def answers_needed(user, now):
    """(meeting, unit, answer link) for each noticed meeting ahead where a unit the user is liaison of is
    invited and has not answered."""
    invitations = Meeting.invited_units.through.objects
    answered = Answer.objects.filter(meeting_id=OuterRef("meeting_id"), unit_id=OuterRef("memberunit_id"))
    open_ = (
        invitations.filter(
            memberunit_id__in=mechanism_access.acting_unit_ids(user),
            meeting__state=MeetingState.NOTICED,
            meeting__ends_at__gt=now,
        )
        .exclude(Exists(answered))
        .select_related("meeting", "memberunit")
        .order_by("meeting__starts_at", "meeting_id", "memberunit_id")
    )
    pairs = list(open_)
    memberships = {
        m.unit_id: m
        for m in Membership.objects.filter(user=user, role=Role.LIAISON, unit_id__in={p.memberunit_id for p in pairs})
    }
    return [
        {
            "meeting": p.meeting,
            "unit": p.memberunit,
            "start": local(p.meeting.starts_at),
            "url": answer_url(p.meeting, memberships[p.memberunit_id]),
        }
        for p in pairs
    ]


def homepage_panels(request, panels):
    """The construct_homepage_panels hook: add the meeting panels this user has something in."""
    user = request.user
    if not mechanism_access.is_staff_member(user):
        return
    now = timezone.now()
    needed = answers_needed(user, now)
    if needed:
        panels.append(AnswerNeededPanel(needed))
    ahead = meetings_ahead(user, now)
    if ahead:
        panels.append(MeetingsAheadPanel(ahead))
