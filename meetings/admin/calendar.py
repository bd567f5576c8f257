"""The secretariat's meeting calendar: a month grid (Monday first) and the list of upcoming and past meetings.

Both read the visible meetings in one query (with their mechanism), whatever their number.
"""

import calendar
import datetime

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy

from ..access import visible_meetings
from .base import MeetingsView, convenable_mechanisms
from .forms import SHANGHAI, MeetingFilterForm, local

PAGE_SIZE = 50


def parse_month(text, today):
    """The first day of `?month=YYYY-MM`, or of this month when absent or malformed."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if not 2000 <= year <= 2999:
            raise ValueError(year)
        return datetime.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def shift_month(first, months):
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_weeks(first):
    """The weeks (lists of 7 dates, Monday first) covering the month of `first`."""
    return calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(first.year, first.month)


def midnight(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI)


class CalendarView(MeetingsView):
    template_name = "meetings/admin/calendar.html"
    page_title = gettext_lazy("Meeting calendar")

    def get(self, request):
        today = timezone.localdate()
        first = parse_month(request.GET.get("month"), today)
        weeks = month_weeks(first)
        start, end = weeks[0][0], weeks[-1][-1] + datetime.timedelta(days=1)
        meetings = (
            visible_meetings(request.user)
            .filter(starts_at__gte=midnight(start), starts_at__lt=midnight(end))
            .select_related("mechanism")
            .order_by("starts_at", "pk")
        )
        by_day = {}
        for meeting in meetings:
            by_day.setdefault(local(meeting.starts_at).date(), []).append(meeting)
        grid = [
            [{"day": day, "in_month": day.month == first.month, "today": day == today, "meetings": by_day.get(day, [])}
             for day in week]
            for week in weeks
        ]  # fmt: skip
        return self.render(
            month=first,
            grid=grid,
            weekdays=[WEEKDAYS_ABBR[i] for i in range(7)],
            previous=shift_month(first, -1).strftime("%Y-%m"),
            next=shift_month(first, 1).strftime("%Y-%m"),
            this_month=today.strftime("%Y-%m"),
            may_create=bool(convenable_mechanisms(request.user)),
        )


class MeetingListView(MeetingsView):
    template_name = "meetings/admin/meeting_list.html"
    page_title = gettext_lazy("Meetings")

    def get(self, request):
        now = timezone.now()
        meetings = visible_meetings(request.user)
        years = meetings.order_by("-year").values_list("year", flat=True).distinct()
        filters = MeetingFilterForm(request.GET, years=list(years))
        found = filters.apply(meetings).select_related("mechanism")
        upcoming = list(found.filter(ends_at__gte=now).order_by("starts_at", "pk"))
        past = Paginator(found.filter(ends_at__lt=now).order_by("-starts_at", "-pk"), PAGE_SIZE)
        return self.render(
            filters=filters,
            upcoming=upcoming,
            past=past.get_page(request.GET.get("p")),
            may_create=bool(convenable_mechanisms(request.user)),
        )

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]
