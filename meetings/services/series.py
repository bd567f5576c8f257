"""Recurring regular meetings: the series drafts its next meeting 30 days ahead, on a working day."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.utils import timezone

from mechanism import workdays

from ..models import Meeting, MeetingKind, MeetingSeries
from .common import SHANGHAI
from .meetings import create_meeting

logger = logging.getLogger(__name__)
DAYS_AHEAD = 30
ONE_DAY = datetime.timedelta(days=1)


def _month_start(year, month):
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, 1)


def nth_weekday(year, month, week_of_month, weekday):
    """The week_of_month-th (1..4, or -1: last) weekday (1 Monday .. 7 Sunday) of the month."""
    first = _month_start(year, month)
    if week_of_month == -1:
        next_first = _month_start(year, month + 1)
        last = next_first - ONE_DAY
        return last - datetime.timedelta(days=(last.isoweekday() - weekday) % 7)
    first_match = first + datetime.timedelta(days=(weekday - first.isoweekday()) % 7)
    return first_match + datetime.timedelta(weeks=week_of_month - 1)


def next_working_day(day):
    while not workdays.is_working_day(day):
        day += ONE_DAY
    return day


def occurrences(series, today, months=3):
    """(nominal date, meeting date) of the series in the months starting with today's, moved to a working day."""
    for offset in range(months):
        month_start = _month_start(today.year, today.month + offset)
        if (month_start.month - series.first_month) % series.every_months:
            continue
        nominal = nth_weekday(month_start.year, month_start.month, series.week_of_month, series.weekday)
        yield nominal, next_working_day(nominal)


def next_occurrence(series, today=None):
    """The series' next meeting date on or after today (already moved off a non-working day)."""
    today = today or timezone.localdate()
    return next(day for _nominal, day in occurrences(series, today, months=13) if day >= today)


def _at(day, time):
    return datetime.datetime.combine(day, time, tzinfo=SHANGHAI)


def _already_drafted(series, nominal, day):
    """A meeting of the series in that cycle month (also if it was moved within it since)."""
    start = _at(nominal.replace(day=1), datetime.time())
    end = _at(_month_start(day.year, day.month + 1), datetime.time())
    return Meeting.objects.filter(series=series, starts_at__gte=start, starts_at__lt=end).exists()


def draft_next_meetings(today=None):
    """Draft each active series' meeting falling within 30 days; idempotent. Returns the meetings drafted."""
    today = today or timezone.localdate()
    created = []
    for series in MeetingSeries.objects.filter(active=True).select_related("mechanism"):
        for nominal, day in occurrences(series, today):
            if not today <= day <= today + datetime.timedelta(days=DAYS_AHEAD):
                continue
            if _already_drafted(series, nominal, day):
                continue
            try:
                meeting = create_meeting(
                    series.mechanism,
                    kind=MeetingKind.REGULAR,
                    starts_at=_at(day, series.starts_at),
                    ends_at=_at(day, series.ends_at),
                    place=series.place,
                    series=series,
                    by=None,
                )
            except ValidationError as error:
                # No convener term on that date yet: try again tomorrow, once the terms are entered.
                logger.warning("series %s: no draft for %s: %s", series.pk, day, error.messages)
                continue
            created.append(meeting)
    return created
