"""A user's personal calendar feed: the meetings they are invited to and their units' due dates.

The feed holds what falls in a window of one year back and two years ahead of the request (older
entries have no use in a calendar client, and the window keeps the feed small). Meetings carry the
same UID, SEQUENCE and texts as their invitations (notices.ics builds those texts), so a client that
imported the invitation updates that event; cancelled ones stay, as STATUS:CANCELLED. Assignment and
action-item due dates are all-day events. No attendee lists and nothing personal from a case: a due
date says the case reference or the task's first line, and the unit. Four queries whatever the number
of events.

The lines are written here rather than through icalendar's components: a feed of 1,000 events took
about 0.5 s that way against 100 ms wanted (bench/calendar_feed.py); the tests parse the output back
with icalendar and compare it with notices.ics.event_for_feed.
"""

import datetime
import functools
import re
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Timezone

from mechanism.models import Assignment, Membership, Role
from mechanism.models.assignments import ACTIVE_STATES

from .models import AgendaItem, AgendaItemKind, CalendarFeed, Meeting, MeetingState
from .notices import ics

WINDOW_BACK = datetime.timedelta(days=365)
WINDOW_AHEAD = datetime.timedelta(days=730)
TZID = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZID)
PRODID = "-//xianjie//calendar feed//ZH"
TASK_SUMMARY_LENGTH = 60
# What new_token makes (URL-safe base64); anything else (a NUL byte, which PostgreSQL refuses) is never looked up.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def get_feed(token):
    """The feed of an active user for this token, or None (revoked, unknown or the user is inactive)."""
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()


def feed_meetings(user, start, end):
    """Meetings the user is invited to (through any of their units) and every meeting the user's secretariat runs.

    Drafts are left out: nobody was invited to them yet.
    """
    own_units = Membership.objects.filter(user=user).values("unit_id")
    invited = Meeting.invited_units.through.objects.filter(memberunit_id__in=own_units).values("meeting_id")
    run = Membership.objects.filter(user=user, role=Role.SECRETARIAT).values("unit__mechanism_id")
    return (
        Meeting.objects.filter(Q(pk__in=invited) | Q(mechanism_id__in=run))
        .exclude(state=MeetingState.DRAFT)
        .filter(starts_at__lt=end, ends_at__gte=start)
        .order_by("starts_at", "pk")
    )


def agenda_labels(meetings):
    """{meeting pk: [label, ...]}: the labels ics.item_label gives, read as plain rows (no case is loaded)."""
    rows = (
        AgendaItem.objects.filter(meeting__in=meetings, removed_at__isnull=True)
        .order_by("order", "pk")
        .values_list("meeting_id", "title", "case__reference", "assignment_id", "assignment__case__reference", "kind")
    )
    case_label, assignment_label = _("Case %(reference)s"), _("Assignment #%(number)s")
    labels = defaultdict(list)
    for meeting_id, title, case_reference, assignment_id, assignment_case_reference, kind in rows:
        reference = case_reference or assignment_case_reference
        if reference:
            label = case_label % {"reference": reference}
        elif assignment_id:
            label = assignment_label % {"number": assignment_id}
        elif kind == AgendaItemKind.CASE:
            label = _("Case item")
        else:
            label = title
        labels[meeting_id].append(label)
    return labels


def feed_assignments(user, start, end):
    """The active assignments and action items of the user's units, due within the window, as plain rows."""
    own_units = Membership.objects.filter(user=user).values("unit_id")
    return (
        Assignment.objects.filter(unit_id__in=own_units, state__in=ACTIVE_STATES)
        .filter(due_on__gte=start, due_on__lte=end)
        .order_by("due_on", "pk")
        .values("pk", "due_on", "task", "case_id", "case__reference", "unit__short_name")
    )


# Writing iCalendar lines (RFC 5545 §3.1 folding, §3.3.11 text escaping) ----------------------------------


def _text(value):
    return (
        str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )  # fmt: skip


def _fold(line):
    """Lines longer than 75 octets go on with CRLF and a space, never inside a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return data + b"\r\n"
    parts, size, chunk = [], 0, []
    limit = 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(chunk))
            chunk, size, limit = [], 0, 74  # continuation lines start with a space
        chunk.append(char)
        size += width
    parts.append("".join(chunk))
    return "\r\n ".join(parts).encode() + b"\r\n"


def _local(moment):
    return moment.astimezone(SHANGHAI).strftime("%Y%m%dT%H%M%S")


def _utc(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_lines(meeting, labels, stamp):
    """The meeting as its invitation has it (UID, SEQUENCE, texts of notices.ics), without organizer or attendees."""
    status = "CANCELLED" if meeting.state == MeetingState.CANCELLED else "CONFIRMED"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(meeting.ical_uid)}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={TZID}:{_local(meeting.starts_at)}",
        f"DTEND;TZID={TZID}:{_local(meeting.ends_at)}",
        f"SUMMARY:{_text(ics.summary(meeting))}",
    ]
    location = ics.location(meeting)
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    description = "\n".join(f"{number}. {label}" for number, label in enumerate(labels, start=1))
    if description:
        lines.append(f"DESCRIPTION:{_text(description)}")
    lines += [f"URL:{ics.meeting_link(meeting)}", f"STATUS:{status}", "END:VEVENT"]
    return lines


def assignment_summary(row, due=None, action_item=None):
    """The case reference or the task's first line, and the unit: never anything about the person."""
    if row["case_id"]:
        what = row["case__reference"]
    else:
        first_line = (row["task"].strip().splitlines() or [""])[0]
        what = first_line[:TASK_SUMMARY_LENGTH] or action_item or _("Action item")
    return (due or _("Due: %(what)s (%(unit)s)")) % {"what": what, "unit": row["unit__short_name"]}


def assignment_lines(row, stamp, summary):
    """An all-day event on the due date (DTSTART;VALUE=DATE, DTEND the next day), shown as free time."""
    return [
        "BEGIN:VEVENT",
        f"UID:assignment-{row['pk']}@xianjie",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{row['due_on']:%Y%m%d}",
        f"DTEND;VALUE=DATE:{row['due_on'] + datetime.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_text(summary)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


@functools.cache
def vtimezone():
    """The VTIMEZONE of Asia/Shanghai as bytes, computed once (it never changes while the process runs)."""
    return Timezone.from_tzid(TZID).to_ical()


def build_feed(user, now=None):
    """The user's feed as iCalendar bytes, in the site's language like the invitations."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build_feed(user, now or timezone.now())


def _build_feed(user, now):
    start, end = now - WINDOW_BACK, now + WINDOW_AHEAD
    today = timezone.localdate(now)
    stamp = _utc(now)
    name = _text(_("Joint mechanism calendar"))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"NAME:{name}",
        f"X-WR-CALNAME:{name}",
        f"X-WR-TIMEZONE:{TZID}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    head = b"".join(_fold(line) for line in lines) + vtimezone()
    lines = []
    meetings = feed_meetings(user, start, end)
    labels = agenda_labels(meetings)
    for meeting in meetings:
        lines += meeting_lines(meeting, labels.get(meeting.pk, []), stamp)
    due, action_item = _("Due: %(what)s (%(unit)s)"), _("Action item")
    for row in feed_assignments(user, today - WINDOW_BACK, today + WINDOW_AHEAD):
        lines += assignment_lines(row, stamp, assignment_summary(row, due, action_item))
    return head + b"".join(_fold(line) for line in lines) + b"END:VCALENDAR\r\n"
