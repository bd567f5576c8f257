"""Recurring meetings: the next date of a series, moved off non-working days, drafted 30 days ahead once."""

import datetime

import time_machine
from django_q.models import Schedule

from mechanism.models import HolidayOverride
from meetings.models import Meeting, MeetingKind, MeetingState
from meetings.services import draft_next_meetings, next_occurrence
from meetings.services.series import nth_weekday
from meetings.tasks import draft_series_meetings
from tests.base import CastTestCase
from tests.factories import SHANGHAI

from .factories import MeetingSeriesFactory

MARCH_20 = datetime.date(2026, 3, 20)  # 25 days before the second Tuesday of April
MARCH_10 = datetime.date(2026, 3, 10)  # 35 days before it
SECOND_TUESDAY_OF_APRIL = datetime.date(2026, 4, 14)


def noon(day):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=SHANGHAI)


class DatesTests(CastTestCase):
    def test_nth_weekday(self):
        self.assertEqual(nth_weekday(2026, 4, 2, 2), SECOND_TUESDAY_OF_APRIL)
        self.assertEqual(nth_weekday(2026, 7, 2, 2), datetime.date(2026, 7, 14))
        self.assertEqual(nth_weekday(2026, 9, 1, 2), datetime.date(2026, 9, 1))  # the 1st is itself a Tuesday
        self.assertEqual(nth_weekday(2026, 10, -1, 5), datetime.date(2026, 10, 30))  # last Friday
        self.assertEqual(nth_weekday(2026, 12, 4, 4), datetime.date(2026, 12, 24))

    def test_quarterly_second_tuesday(self):
        series = MeetingSeriesFactory(mechanism=self.province)
        self.assertEqual(next_occurrence(series, datetime.date(2026, 1, 20)), SECOND_TUESDAY_OF_APRIL)
        self.assertEqual(next_occurrence(series, SECOND_TUESDAY_OF_APRIL), SECOND_TUESDAY_OF_APRIL)
        self.assertEqual(next_occurrence(series, datetime.date(2026, 4, 15)), datetime.date(2026, 7, 14))
        self.assertEqual(next_occurrence(series, datetime.date(2026, 11, 1)), datetime.date(2027, 1, 12))

    def test_a_non_working_day_moves_to_the_next_working_day(self):
        series = MeetingSeriesFactory(mechanism=self.province)
        HolidayOverride.objects.create(date=SECOND_TUESDAY_OF_APRIL, name="测试假日")
        self.assertEqual(next_occurrence(series, MARCH_20), datetime.date(2026, 4, 15))


class DraftingTests(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.series = MeetingSeriesFactory(mechanism=cls.province, place="省民政厅三楼会议室")

    @time_machine.travel(noon(MARCH_20), tick=False)
    def test_the_next_meeting_is_drafted_30_days_ahead_once(self):
        (meeting,) = draft_next_meetings(MARCH_20)
        self.assertEqual(meeting.starts_at, datetime.datetime(2026, 4, 14, 9, 30, tzinfo=SHANGHAI))
        self.assertEqual(meeting.ends_at, datetime.datetime(2026, 4, 14, 11, 30, tzinfo=SHANGHAI))
        self.assertEqual(
            (meeting.kind, meeting.state, meeting.series), (MeetingKind.REGULAR, MeetingState.DRAFT, self.series)
        )
        self.assertEqual((meeting.year, meeting.number, meeting.place), (2026, 1, "省民政厅三楼会议室"))
        self.assertIsNone(meeting.created_by)
        self.assertEqual(meeting.convener, self.tsw)
        self.assertEqual(set(meeting.invited_units.all()), {self.mz, self.zgh, self.tsw})
        self.assertEqual(draft_next_meetings(MARCH_20), [])
        self.assertEqual(draft_next_meetings(MARCH_20 + datetime.timedelta(days=3)), [])
        self.assertEqual(Meeting.objects.count(), 1)

    def test_nothing_is_drafted_more_than_30_days_ahead(self):
        self.assertEqual(draft_next_meetings(MARCH_10), [])
        self.assertFalse(Meeting.objects.exists())

    def test_a_holiday_moves_the_draft_to_the_next_working_day(self):
        HolidayOverride.objects.create(date=SECOND_TUESDAY_OF_APRIL, name="测试假日")
        (meeting,) = draft_next_meetings(MARCH_20)
        self.assertEqual(meeting.starts_at, datetime.datetime(2026, 4, 15, 9, 30, tzinfo=SHANGHAI))
        self.assertEqual(draft_next_meetings(MARCH_20), [])

    def test_a_draft_moved_within_the_month_is_not_drafted_again(self):
        (meeting,) = draft_next_meetings(MARCH_20)
        two_days = datetime.timedelta(days=2)
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=meeting.starts_at + two_days, ends_at=meeting.ends_at + two_days
        )
        self.assertEqual(draft_next_meetings(MARCH_20), [])

    def test_inactive_series_and_series_without_a_convener_term_draft_nothing(self):
        self.series.active = False
        self.series.save()
        MeetingSeriesFactory(mechanism=self.taiyuan)  # Taiyuan has no convener terms
        self.assertEqual(draft_next_meetings(MARCH_20), [])
        self.assertFalse(Meeting.objects.exists())

    @time_machine.travel(noon(MARCH_20), tick=False)
    def test_the_daily_task_drafts_and_is_scheduled(self):
        pks = draft_series_meetings()
        self.assertEqual(list(Meeting.objects.values_list("pk", flat=True)), pks)
        self.assertEqual(len(pks), 1)
        self.assertEqual(draft_series_meetings(), [])
        schedule = Schedule.objects.get(func="meetings.tasks.draft_series_meetings")
        self.assertEqual((schedule.schedule_type, schedule.cron, schedule.repeats), ("C", "0 7 * * *", -1))
