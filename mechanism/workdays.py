"""The official Chinese working-day calendar used for due dates.

A day is decided by, in order: a HolidayOverride row; the chinese-calendar package (it knows the
years whose State Council notice it ships); else Monday to Friday. A year is *known* when the package
covers it or when the secretariat has entered at least one override in it (that year's notice): in a
known year the days without an override are ordinary weekdays and weekends. A day decided by the
Monday–Friday rule in an unknown year is not known, and a deadline that examined such a day is
provisional.
"""

import datetime
from dataclasses import dataclass

import chinese_calendar

from mechanism.models.holidays import HolidayOverride

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    day: datetime.date
    provisional: bool


class _Overrides:
    """Override rows for whole calendar years, one query per window, so a count never queries per day."""

    def __init__(self, first, last):
        self.days, self.years = {}, set()
        self.loaded_until = None
        self._load(first, last)

    def _load(self, first, last):
        # Whole years, because a single row anywhere in a year makes that year known.
        first, last = datetime.date(first.year, 1, 1), datetime.date(last.year, 12, 31)
        rows = HolidayOverride.objects.filter(date__range=(first, last)).values_list("date", "is_working_day")
        for day, working in rows:
            self.days[day] = working
            self.years.add(day.year)
        self.loaded_until = last

    def status(self, day):
        if day > self.loaded_until:
            self._load(self.loaded_until + ONE_DAY, day)
        if day in self.days:
            return self.days[day], True
        try:
            return chinese_calendar.is_workday(day), True
        except NotImplementedError:
            return day.weekday() < 5, day.year in self.years


def day_status(day):
    """(is_working, known) for one day; known is False when only the Monday–Friday rule decided it."""
    return _Overrides(day, day).status(day)


def is_working_day(day):
    return day_status(day)[0]


def add_working_days(start, n):
    """The n-th working day after start (start itself not counted), as a Deadline."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    # Three calendar days per working day and a month more covers the longest holiday; longer is reloaded.
    overrides = _Overrides(start, start + datetime.timedelta(days=n * 3 + 30))
    day, left, provisional = start, n, False
    while left:
        day += ONE_DAY
        working, known = overrides.status(day)
        provisional = provisional or not known
        if working:
            left -= 1
    return Deadline(day, provisional)


def working_days_back(today, n):
    """The last n working days up to today (today first, when it is one), from one holiday lookup.

    working_days_between(d, today) >= k exactly when d is before the k-th of them, so one date compares a
    whole queryset.
    """
    overrides = _Overrides(today - datetime.timedelta(days=n * 3 + 30), today)
    days, day = [], today
    while len(days) < n:
        if overrides.status(day)[0]:
            days.append(day)
        day -= ONE_DAY
    return days


def subtract_working_days(day, n):
    """The n-th working day before day (day itself not counted): add_working_days backwards."""
    return working_days_back(day - ONE_DAY, n)[-1]


def working_days_between(start, end):
    """Working days in (start, end]; 0 when end == start, and minus the days in (end, start] when end < start.

    So working_days_between(a, b) == -working_days_between(b, a), and an overdue deadline gives a negative
    number of days left.
    """
    sign, low, high = (1, start, end) if start <= end else (-1, end, start)
    if low == high:
        return 0
    overrides = _Overrides(low + ONE_DAY, high)
    count, day = 0, low
    while day < high:
        day += ONE_DAY
        if overrides.status(day)[0]:
            count += 1
    return sign * count
