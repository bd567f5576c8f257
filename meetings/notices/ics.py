"""iCalendar invitations (RFC 5546 iTIP): REQUEST and CANCEL for one meeting, and its event for the feeds.

Nothing personal goes in: agenda titles only, and a case or assignment item is named by its case
reference, never by the title typed for it (it may name the person).
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from mechanism.notify import secretariat_emails

from ..models import AgendaItem, AgendaItemKind, MeetingState, NoticeMethod

TZ = ZoneInfo("Asia/Shanghai")
PRODID = "-//xianjie//meetings//ZH"
# Where the meeting's admin screen lives; the admin helper owns the name.
MEETING_ADMIN_URL_NAME = "meetings_admin:meeting"


def agenda(meeting):
    """The meeting's agenda items that were not removed, in order, with what their safe labels need."""
    return list(
        AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True)
        .select_related("case", "assignment__case", "presenter")
        .order_by("order", "pk")
    )


def item_label(item):
    """The title shown outside the admin: a case or assignment item says only its case reference."""
    case = item.case or (item.assignment.case if item.assignment_id and item.assignment.case_id else None)
    if case is not None:
        return _("Case %(reference)s") % {"reference": case.reference}
    if item.assignment_id:
        return _("Assignment #%(number)s") % {"number": item.assignment_id}
    if item.kind == AgendaItemKind.CASE:
        return _("Case item")  # typed by hand, with no case linked: its title may name the person
    return item.title


def summary(meeting):
    if meeting.title:
        return _("%(name)s: %(title)s") % {"name": meeting.name, "title": meeting.title}
    return str(meeting.name)


def location(meeting):
    return " / ".join(part for part in (meeting.place, meeting.video_link) if part)


def description(items):
    return "\n".join(f"{number}. {item_label(item)}" for number, item in enumerate(items, start=1))


def meeting_link(meeting):
    path = reverse(MEETING_ADMIN_URL_NAME, args=[meeting.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def organizer(meeting):
    emails = secretariat_emails(meeting.mechanism)
    address = emails[0] if emails else _bare_address(settings.DEFAULT_FROM_EMAIL)
    return vCalAddress.new(address, cn=meeting.mechanism.name)


def _bare_address(value):
    """`xianjie <noreply@x>` → `noreply@x`."""
    return value.rsplit("<", 1)[-1].rstrip(">").strip()


def person_name(user):
    return user.get_full_name() or user.get_username()


def attendee(user):
    return vCalAddress.new(user.email, cn=person_name(user), partstat="NEEDS-ACTION", rsvp=True, role="REQ-PARTICIPANT")


def _event(meeting, items, status, **extra):
    return Event.new(
        uid=meeting.ical_uid,
        sequence=meeting.sequence,
        stamp=datetime.datetime.now(datetime.UTC),
        start=timezone.localtime(meeting.starts_at, TZ),
        end=timezone.localtime(meeting.ends_at, TZ),
        summary=summary(meeting),
        location=location(meeting) or None,
        description=description(items) or None,
        url=meeting_link(meeting),
        status=status,
        **extra,
    )


def event_for_feed(meeting, items=None):
    """The meeting as a VEVENT without organizer or attendees: same UID and SEQUENCE as the invitations."""
    with translation.override(settings.LANGUAGE_CODE):
        status = "CANCELLED" if meeting.state == MeetingState.CANCELLED else "CONFIRMED"
        return _event(meeting, agenda(meeting) if items is None else items, status)


def invitation(meeting, attendees, method, items=None):
    """The invitation as .ics bytes: METHOD REQUEST or CANCEL, one VEVENT, its VTIMEZONE.

    `attendees` are users or memberships; each address appears once.
    """
    users = {}
    for row in attendees:
        user = getattr(row, "user", row)
        if user.email:
            users.setdefault(user.email.lower(), user)
    with translation.override(settings.LANGUAGE_CODE):
        status = "CANCELLED" if method == NoticeMethod.CANCEL else "CONFIRMED"
        event = _event(
            meeting,
            agenda(meeting) if items is None else items,
            status,
            organizer=organizer(meeting),
            attendees=[attendee(user) for user in users.values()],
        )
    calendar = Calendar.new(method=str(method), prodid=PRODID, subcomponents=[event])
    # Calendar.new invents a random calendar UID; the event's UID is the stable one.
    calendar.pop("UID", None)
    calendar.add_missing_timezones()
    return calendar.to_ical()
