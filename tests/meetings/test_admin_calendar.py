"""The meeting calendar (month grid, Monday first) and the list (upcoming and past, filters): only visible
meetings, and a constant number of queries whatever the number of meetings."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import MeetingKind, MeetingState
from tests.factories import SHANGHAI

from .factories import MeetingFactory
from .test_admin_meeting import NOW, MeetingAdminCase


def at(day, hour=9):
    return datetime.datetime(2026, 3, day, hour, 30, tzinfo=SHANGHAI)


@time_machine.travel(NOW, tick=False)
class CalendarTests(MeetingAdminCase):
    def test_month_grid_starts_on_monday_and_shows_meetings_on_their_day(self):
        meeting = MeetingFactory(mechanism=self.province, starts_at=at(24))
        self.login(self.secretariat)
        response = self.client.get(reverse("meetings_admin:calendar"), {"month": "2026-03"})
        self.assertEqual(response.status_code, 200)
        grid = response.context["grid"]
        self.assertEqual(grid[0][0]["day"], datetime.date(2026, 2, 23))  # the Monday before March 1 (a Sunday)
        self.assertTrue(all(week[0]["day"].weekday() == 0 for week in grid))
        cell = next(c for week in grid for c in week if c["day"] == datetime.date(2026, 3, 24))
        self.assertEqual(cell["meetings"], [meeting])
        self.assertEqual((response.context["previous"], response.context["next"]), ("2026-02", "2026-04"))
        self.assertContains(response, reverse("meetings_admin:meeting", args=[meeting.pk]))

    def test_late_evening_meeting_falls_on_its_shanghai_day(self):
        # 23:30 in Shanghai is 15:30 UTC the same day; 00:30 on the 25th is still the 24th in UTC.
        meeting = MeetingFactory(
            mechanism=self.province, starts_at=datetime.datetime(2026, 3, 25, 0, 30, tzinfo=SHANGHAI)
        )
        response = self.login(self.secretariat).get(reverse("meetings_admin:calendar"), {"month": "2026-03"})
        cell = next(c for week in response.context["grid"] for c in week if c["day"] == datetime.date(2026, 3, 25))
        self.assertEqual(cell["meetings"], [meeting])

    def test_default_and_malformed_month_is_this_month(self):
        self.login(self.secretariat)
        for query in ({}, {"month": "nonsense"}, {"month": "2026-13"}):
            with self.subTest(query):
                response = self.client.get(reverse("meetings_admin:calendar"), query)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["month"], datetime.date(2026, 3, 1))

    def test_other_mechanisms_meetings_are_not_shown(self):
        theirs = MeetingFactory(mechanism=self.taiyuan, starts_at=at(12))
        ours = MeetingFactory(mechanism=self.province, starts_at=at(12, 14))
        response = self.login(self.supervisor).get(reverse("meetings_admin:calendar"), {"month": "2026-03"})
        shown = [m for week in response.context["grid"] for c in week for m in c["meetings"]]
        self.assertEqual(shown, [ours])
        self.assertNotContains(response, reverse("meetings_admin:meeting", args=[theirs.pk]))

    def test_query_count_does_not_grow_with_meetings(self):
        self.login(self.secretariat)
        url = reverse("meetings_admin:calendar")

        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url, {"month": "2026-03"}).status_code, 200)
            return len(queries)

        MeetingFactory(mechanism=self.province, starts_at=at(3))
        few = count()
        for day in range(4, 28):
            MeetingFactory(mechanism=self.province, starts_at=at(day))
        self.assertEqual(count(), few)


@time_machine.travel(NOW, tick=False)
class ListTests(MeetingAdminCase):
    def setUp(self):
        self.past = MeetingFactory(mechanism=self.province, starts_at=at(1))
        self.held = MeetingFactory(
            mechanism=self.province, starts_at=datetime.datetime(2025, 12, 9, 9, 30, tzinfo=SHANGHAI)
        )
        self.ahead = MeetingFactory(mechanism=self.province, starts_at=at(24), kind=MeetingKind.THEMATIC)
        self.theirs = MeetingFactory(mechanism=self.taiyuan, starts_at=at(20))

    def get(self, user=None, **query):
        return self.login(user or self.secretariat).get(reverse("meetings_admin:list"), query)

    def test_upcoming_and_past(self):
        response = self.get()
        self.assertEqual(response.context["upcoming"], [self.ahead])
        self.assertEqual(list(response.context["past"]), [self.past, self.held])

    def test_filters(self):
        self.assertEqual(self.get(kind="thematic").context["upcoming"], [self.ahead])
        self.assertEqual(list(self.get(kind="thematic").context["past"]), [])
        self.assertEqual(list(self.get(year="2025").context["past"]), [self.held])
        self.assertEqual(self.get(state=MeetingState.NOTICED).context["upcoming"], [])
        self.assertEqual(self.get(state="nonsense").status_code, 200)

    def test_liaison_sees_its_mechanism_outsider_only_its_own(self):
        self.assertEqual(self.get(self.other_liaison).context["upcoming"], [self.ahead])
        self.assertEqual(self.get(self.outsider).context["upcoming"], [self.theirs])

    def test_query_count_does_not_grow_with_meetings(self):
        self.login(self.secretariat)

        def count():
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("meetings_admin:list"), {"year": "2026"})
                self.assertEqual(response.status_code, 200)
            return len(queries)

        few = count()
        for day in range(2, 28):
            MeetingFactory(mechanism=self.province, starts_at=at(day))
            MeetingFactory(mechanism=self.province, starts_at=at(day) - datetime.timedelta(days=60))
        self.assertEqual(count(), few)
