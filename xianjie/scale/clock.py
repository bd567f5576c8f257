"""The build's clock: a fixed "now" (today 08:00 in Shanghai), the official working-day calendar over the
five years of data, and the overdue-ladder stamps an assignment would have collected by now."""

import bisect
import datetime

from django.utils import timezone

from mechanism import workdays

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))  # no daylight saving since 1991
YEARS = 5
LADDER_HOUR = datetime.time(8, 30)


class Clock:
    """Day arithmetic on precomputed working days, so millions of due dates cost no queries."""

    def __init__(self, today=None):
        self.today = today or timezone.localdate()
        self.now = datetime.datetime.combine(self.today, datetime.time(8, 0), SHANGHAI)
        self.start = self.today.replace(year=self.today.year - YEARS) - datetime.timedelta(days=60)
        self.founded = datetime.datetime.combine(self.start, datetime.time(9, 0), SHANGHAI)
        last = self.today + datetime.timedelta(days=120)
        self.days = (last - self.start).days + 1
        self.working = [
            day
            for day in (self.start + datetime.timedelta(days=n) for n in range(self.days))
            if workdays.is_working_day(day)
        ]

    def at(self, day, hour=9, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute), SHANGHAI)

    def local_day(self, moment):
        """The Shanghai date of a moment; the build makes every moment in SHANGHAI, so no conversion."""
        return moment.date() if moment.tzinfo is SHANGHAI else moment.astimezone(SHANGHAI).date()

    def add_working_days(self, day, n):
        """The n-th working day after day (day itself not counted), like mechanism.workdays.add_working_days."""
        return self.working[bisect.bisect_right(self.working, day) + n - 1]

    def back_working_days(self, day, n):
        """The earliest day from which at most n working days remain up to day (the due-soon threshold)."""
        index = bisect.bisect_right(self.working, day) - n - 1
        return self.working[index] if index >= 0 else self.start

    def ladder(self, assigned_at, due_on, acknowledged_at, finished_at):
        """(ack_reminder_at, due_soon_at, due_today_at, overdue_at) set by the daily 08:30 runs so far."""
        first = self._first_run(assigned_at)
        last = self._last_run(finished_at or self.now)
        remind = None
        remind_day = max(self.add_working_days(self.local_day(assigned_at), 2), first)
        if remind_day <= last and (acknowledged_at is None or acknowledged_at > self._run(remind_day)):
            remind = self._run(remind_day)
        soon_day = max(self.back_working_days(due_on, 2), first)
        soon = self._run(soon_day) if soon_day < due_on and soon_day <= last else None
        today = self._run(due_on) if first <= due_on <= last else None
        late_day = max(due_on + datetime.timedelta(days=1), first)
        late = self._run(late_day) if late_day <= last else None
        return remind, soon, today, late

    def _run(self, day):
        return datetime.datetime.combine(day, LADDER_HOUR, SHANGHAI)

    def _first_run(self, moment):
        day = self.local_day(moment)
        return day if moment < self._run(day) else day + datetime.timedelta(days=1)

    def _last_run(self, moment):
        day = self.local_day(moment)
        return day if moment > self._run(day) else day - datetime.timedelta(days=1)
