"""Working days on the official calendar: holidays, adjusted working weekends, overrides, the fallback."""

import datetime

import chinese_calendar
from django.test import TestCase
from django.urls import reverse

from mechanism import workdays
from mechanism.models.holidays import HolidayOverride
from mechanism.workdays import Deadline, add_working_days, day_status, is_working_day, working_days_between
from tests.base import CastTestCase

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


def make_override(day, **kw):
    kw.setdefault("is_working_day", False)
    kw.setdefault("name", "元旦")
    return HolidayOverride.objects.create(date=day, **kw)


def days(first, last):
    while first <= last:
        yield first
        first += ONE_DAY


class SpringFestival2026Test(TestCase):
    """Notice for 2026: 15–23 February off; Saturday 14 and Saturday 28 February worked."""

    def test_package_knows_the_2026_notice(self):
        # The expected dates below are counted by hand from the notice; they hold only if the package agrees.
        for day in days(D(2026, 2, 15), D(2026, 2, 23)):
            self.assertFalse(chinese_calendar.is_workday(day), day)
        self.assertTrue(chinese_calendar.is_workday(D(2026, 2, 14)))
        self.assertTrue(chinese_calendar.is_workday(D(2026, 2, 28)))

    def test_ten_working_days_from_13_february_skip_the_holiday(self):
        # 14 Feb (Sat), 24, 25, 26, 27, 28 Feb (Sat), 2, 3, 4, 5 March.
        self.assertEqual(add_working_days(D(2026, 2, 13), 10), Deadline(D(2026, 3, 5), provisional=False))

    def test_adjusted_working_saturday_counts_as_a_working_day(self):
        self.assertTrue(is_working_day(D(2026, 2, 14)))
        self.assertEqual(add_working_days(D(2026, 2, 13), 1).day, D(2026, 2, 14))
        self.assertEqual(add_working_days(D(2026, 2, 27), 1).day, D(2026, 2, 28))
        self.assertFalse(is_working_day(D(2026, 3, 7)))  # an ordinary Saturday stays a day off

    def test_last_working_day_before_the_holiday_is_due_after_it(self):
        self.assertEqual(add_working_days(D(2026, 2, 14), 1), Deadline(D(2026, 2, 24), provisional=False))


class NationalDay2025Test(TestCase):
    """Notice for 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked."""

    def test_holiday_week_is_off_and_the_day_before_works(self):
        self.assertTrue(is_working_day(D(2025, 9, 30)))
        for day in days(D(2025, 10, 1), D(2025, 10, 8)):
            self.assertFalse(is_working_day(day), day)

    def test_adjusted_sunday_and_saturday_count(self):
        self.assertEqual(add_working_days(D(2025, 9, 26), 1).day, D(2025, 9, 28))
        self.assertEqual(add_working_days(D(2025, 9, 30), 3).day, D(2025, 10, 11))
        self.assertEqual(add_working_days(D(2025, 9, 30), 4).day, D(2025, 10, 13))

    def test_last_working_day_before_national_day(self):
        self.assertEqual(add_working_days(D(2025, 9, 30), 1), Deadline(D(2025, 10, 9), provisional=False))


class UnknownYearTest(TestCase):
    def test_2027_falls_back_to_monday_to_friday_and_is_provisional(self):
        self.assertEqual(day_status(D(2027, 3, 6)), (False, False))
        self.assertEqual(add_working_days(D(2027, 3, 5), 1), Deadline(D(2027, 3, 8), provisional=True))

    def test_deadline_that_crosses_into_an_unknown_year_is_provisional(self):
        # New Year's Day 2027 will be a holiday, but nobody has entered the notice yet.
        self.assertEqual(add_working_days(D(2026, 12, 31), 1), Deadline(D(2027, 1, 1), provisional=True))

    def test_year_before_the_package_is_provisional_too(self):
        self.assertEqual(add_working_days(D(2003, 3, 7), 1), Deadline(D(2003, 3, 10), provisional=True))


class HolidayOverrideTest(TestCase):
    def test_override_for_2027_is_honoured_and_makes_the_year_known(self):
        make_override(D(2027, 1, 1))
        self.assertEqual(add_working_days(D(2026, 12, 31), 1), Deadline(D(2027, 1, 4), provisional=False))
        self.assertEqual(day_status(D(2027, 3, 6)), (False, True))
        self.assertEqual(day_status(D(2027, 3, 8)), (True, True))

    def test_adjusted_working_weekend_override_counts(self):
        make_override(D(2027, 2, 20), is_working_day=True, name="春节")
        self.assertEqual(add_working_days(D(2027, 2, 19), 1), Deadline(D(2027, 2, 20), provisional=False))

    def test_days_beyond_the_overridden_year_stay_provisional(self):
        make_override(D(2027, 1, 1))
        self.assertEqual(add_working_days(D(2027, 12, 29), 2), Deadline(D(2027, 12, 31), provisional=False))
        self.assertEqual(add_working_days(D(2027, 12, 30), 3), Deadline(D(2028, 1, 4), provisional=True))

    def test_override_turns_a_package_known_day_around(self):
        make_override(D(2026, 2, 24), name="春节")
        make_override(D(2026, 3, 1), is_working_day=True, name="春节")
        self.assertEqual(day_status(D(2026, 2, 24)), (False, True))
        self.assertEqual(add_working_days(D(2026, 2, 14), 1).day, D(2026, 2, 25))
        self.assertEqual(add_working_days(D(2026, 2, 28), 1).day, D(2026, 3, 1))


class WorkingDaysBetweenTest(TestCase):
    def test_counts_working_days_after_start_up_to_end(self):
        self.assertEqual(working_days_between(D(2026, 2, 13), D(2026, 3, 5)), 10)
        self.assertEqual(working_days_between(D(2025, 9, 30), D(2025, 10, 8)), 0)
        self.assertEqual(working_days_between(D(2025, 9, 30), D(2025, 10, 9)), 1)

    def test_same_day_is_zero_and_a_reversed_range_is_negative(self):
        self.assertEqual(working_days_between(D(2026, 2, 13), D(2026, 2, 13)), 0)
        self.assertEqual(working_days_between(D(2026, 3, 5), D(2026, 2, 13)), -10)

    def test_agrees_with_add_working_days(self):
        for start in (D(2025, 9, 26), D(2026, 2, 10), D(2026, 12, 25)):
            for n in (1, 3, 10, 25):
                with self.subTest(start=start, n=n):
                    self.assertEqual(working_days_between(start, add_working_days(start, n).day), n)


class QueryCountTest(TestCase):
    def setUp(self):
        make_override(D(2026, 2, 24), name="春节")
        make_override(D(2027, 1, 1))

    def test_add_working_days_takes_one_query_whatever_n(self):
        for n in (10, 60):
            with self.subTest(n=n), self.assertNumQueries(1):
                add_working_days(D(2026, 12, 1), n)

    def test_working_days_between_takes_one_query(self):
        with self.assertNumQueries(1):
            working_days_between(D(2026, 1, 1), D(2027, 6, 30))

    def test_a_count_past_the_first_window_loads_the_next(self):
        # 41 days off in a row outrun the 33-day window of n=1; the row for 2028 lies in the next one.
        HolidayOverride.objects.bulk_create(
            HolidayOverride(date=day, name="test") for day in days(D(2027, 11, 21), D(2027, 12, 31))
        )
        make_override(D(2028, 1, 3))
        with self.assertNumQueries(2):
            self.assertEqual(add_working_days(D(2027, 11, 20), 1), Deadline(D(2028, 1, 4), provisional=False))


class HolidayOverrideAdminTest(CastTestCase):
    def test_secretariat_enters_a_holiday_and_a_liaison_cannot(self):
        data = {"date": "2027-02-08", "is_working_day": "", "name": "春节", "note": "2027年放假通知"}
        self.login(self.other_liaison).post(reverse("holidayoverride:add"), data)
        self.assertFalse(HolidayOverride.objects.exists())
        response = self.login(self.secretariat).post(reverse("holidayoverride:add"), data)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(HolidayOverride.objects.get(date=datetime.date(2027, 2, 8)).is_working_day)
        self.assertFalse(workdays.is_working_day(datetime.date(2027, 2, 8)))
        listing = self.login(self.outsider).get(reverse("holidayoverride:index"))
        self.assertContains(listing, "春节")  # one national calendar, read by every mechanism


class WorkingDaysBackTest(TestCase):
    def test_subtracting_undoes_adding_from_a_working_day(self):
        for start in (datetime.date(2025, 9, 26), datetime.date(2026, 2, 13), datetime.date(2026, 6, 12)):
            for n in (1, 2, 5, 10):
                with self.subTest(start=start, n=n):
                    self.assertTrue(is_working_day(start))
                    self.assertEqual(workdays.subtract_working_days(add_working_days(start, n).day, n), start)

    def test_working_days_back_skips_the_national_day_holiday(self):
        # 2025-10-09 (Thursday) follows the holiday of 1–8 October; 28 September (Sunday) was a working day.
        back = workdays.working_days_back(datetime.date(2025, 10, 9), 3)
        self.assertEqual(back, [datetime.date(2025, 10, 9), datetime.date(2025, 9, 30), datetime.date(2025, 9, 29)])
