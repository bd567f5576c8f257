"""The demo meetings: three held, one noticed ahead with answers pending, one cancelled, a quarterly series."""

import datetime

import time_machine
from django.test import TestCase

from mechanism.demo import seed_mechanisms
from mechanism.models import Mechanism
from meetings.demo import seed_meetings
from meetings.models import AgendaItem, Answer, Attendance, Meeting, MeetingSeries, MeetingState
from tests.factories import SHANGHAI

MID_YEAR = datetime.datetime(2026, 6, 17, 15, 0, tzinfo=SHANGHAI)
EARLY_JANUARY = datetime.datetime(2027, 1, 6, 15, 0, tzinfo=SHANGHAI)


class DemoMeetingsTests(TestCase):
    def seed(self, moment):
        with time_machine.travel(moment, tick=False):
            today = moment.date()
            seed_mechanisms(today=today)
            return seed_meetings(today=today), today

    def test_meetings_per_state_and_their_dates(self):
        created, today = self.seed(MID_YEAR)
        province = Mechanism.objects.get(area__code="140000")
        meetings = Meeting.objects.filter(mechanism=province)
        self.assertEqual(created, 5)
        counts = {state: meetings.filter(state=state).count() for state in MeetingState.values}
        self.assertEqual(counts, {"draft": 0, "noticed": 1, "held": 3, "cancelled": 1})
        for meeting in meetings.filter(state=MeetingState.HELD):
            self.assertLess(meeting.ends_at.date(), today)
            self.assertEqual(meeting.year, 2026)
            self.assertTrue(AgendaItem.objects.filter(meeting=meeting).exists())
            self.assertGreater(Attendance.objects.filter(meeting=meeting).count(), 3)
            self.assertIsNotNone(meeting.convener)
        noticed = meetings.get(state=MeetingState.NOTICED)
        self.assertGreaterEqual(noticed.starts_at.astimezone(SHANGHAI).date(), today + datetime.timedelta(days=7))
        answered = Answer.objects.filter(meeting=noticed).count()
        self.assertTrue(0 < answered < noticed.invited_units.count())
        cancelled = meetings.get(state=MeetingState.CANCELLED)
        self.assertTrue(cancelled.cancel_reason)
        self.assertEqual(sorted(meetings.values_list("number", flat=True)), [1, 2, 3, 4, 5])
        series = MeetingSeries.objects.get(mechanism=province)
        self.assertEqual(series.every_months, 3)
        self.assertTrue(series.meetings.exists())

    def test_running_twice_creates_nothing_new(self):
        self.seed(MID_YEAR)
        before = (
            Meeting.objects.count(),
            AgendaItem.objects.count(),
            Answer.objects.count(),
            MeetingSeries.objects.count(),
        )
        created, _today = self.seed(MID_YEAR)
        self.assertEqual(created, 0)
        after = (
            Meeting.objects.count(),
            AgendaItem.objects.count(),
            Answer.objects.count(),
            MeetingSeries.objects.count(),
        )
        self.assertEqual(after, before)

    def test_early_in_january_the_held_meetings_fall_in_last_years_convener_term(self):
        _created, today = self.seed(EARLY_JANUARY)
        meetings = Meeting.objects.filter(mechanism__area__code="140000")
        held = meetings.filter(state=MeetingState.HELD)
        self.assertEqual(held.count(), 3)
        self.assertEqual({m.convener.code for m in held}, {"zgh"})
        self.assertEqual({m.year for m in held}, {2026})
        self.assertEqual(meetings.get(state=MeetingState.NOTICED).convener.code, "tsw")
        self.assertTrue(all(m.ends_at.date() < today for m in held))
