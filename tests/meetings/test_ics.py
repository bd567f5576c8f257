"""The invitation .ics parsed back: every property a calendar client reads, and nothing personal."""

import datetime

from django.http import Http404
from django.test import RequestFactory
from icalendar import Calendar

from mechanism.models import Membership, Role
from meetings.invitation_views import invitation_download
from meetings.models import AgendaItemKind, Meeting, MeetingState, NoticeMethod
from meetings.notices.ics import event_for_feed, invitation
from meetings.recipients import recipients
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.factories import SHANGHAI

from .factories import MEETING_START, AgendaItemFactory, MeetingFactory

PERSON_ID = resident_id(serial="456")
PERSON_PHONE = "13912345678"


def parse(data):
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def set_state(meeting, state, sequence=None):
    changes = {"state": state}
    if sequence is not None:
        changes["sequence"] = sequence
    Meeting.objects.filter(pk=meeting.pk).update(**changes)
    meeting.refresh_from_db()
    return meeting


class MeetingTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.convener_liaison.first_name = "李四"
        cls.convener_liaison.save()
        cls.meeting = MeetingFactory(
            mechanism=cls.province,
            title="一季度个案会商",
            video_link="https://meet.example.org/abc",
            invited_units=[cls.mz, cls.zgh, cls.tsw],
        )
        cls.case = make_case(cls.province, person_name="王小五", phone=PERSON_PHONE, id_number=PERSON_ID)
        AgendaItemFactory(meeting=cls.meeting, order=1, title="上季度落实情况", kind=AgendaItemKind.FOLLOW_UP)
        AgendaItemFactory(
            meeting=cls.meeting,
            order=2,
            title=f"王小五 {PERSON_PHONE} 医疗救助",
            kind=AgendaItemKind.CASE,
            case=cls.case,
            presenter=cls.zgh,
        )
        AgendaItemFactory(
            meeting=cls.meeting, order=3, title="已撤下的议题", removed_at=MEETING_START - datetime.timedelta(days=3)
        )
        AgendaItemFactory(meeting=cls.meeting, order=4, title="共青团工作专题报告", presenter=cls.tsw, minutes=20)
        cls.meeting = set_state(cls.meeting, MeetingState.NOTICED)


class InvitationTests(MeetingTestCase):
    def request(self, meeting=None):
        meeting = meeting or self.meeting
        return parse(invitation(meeting, recipients(meeting), NoticeMethod.REQUEST))

    def test_request_calendar_has_method_prodid_version_and_the_shanghai_timezone(self):
        calendar, _event = self.request()
        self.assertEqual(calendar["METHOD"], "REQUEST")
        self.assertEqual(calendar["VERSION"], "2.0")
        self.assertEqual(calendar["PRODID"], "-//xianjie//meetings//ZH")
        (vtimezone,) = calendar.walk("VTIMEZONE")
        self.assertEqual(vtimezone["TZID"], "Asia/Shanghai")

    def test_event_times_carry_the_shanghai_tzid(self):
        _calendar, event = self.request()
        self.assertEqual(event["DTSTART"].params["TZID"], "Asia/Shanghai")
        self.assertEqual(event["DTEND"].params["TZID"], "Asia/Shanghai")
        self.assertEqual(event.decoded("DTSTART"), MEETING_START)
        self.assertEqual(event.decoded("DTSTART").replace(tzinfo=None), datetime.datetime(2026, 3, 10, 9, 30))
        self.assertEqual(event.decoded("DTEND"), MEETING_START + datetime.timedelta(hours=2))
        self.assertIsNotNone(event.get("DTSTAMP"))

    def test_event_has_uid_sequence_summary_location_url_and_confirmed_status(self):
        _calendar, event = self.request()
        self.assertEqual(event["UID"], self.meeting.ical_uid)
        self.assertEqual(event["SEQUENCE"], 0)
        self.assertIn(str(self.meeting.year), event["SUMMARY"])
        self.assertIn("一季度个案会商", event["SUMMARY"])
        self.assertEqual(event["LOCATION"], "省民政厅三楼会议室 / https://meet.example.org/abc")
        self.assertTrue(event["URL"].startswith("http://"))
        self.assertIn(str(self.meeting.pk), event["URL"])
        self.assertEqual(event["STATUS"], "CONFIRMED")

    def test_organizer_is_the_secretariat_with_the_mechanism_as_cn(self):
        _calendar, event = self.request()
        self.assertEqual(str(event["ORGANIZER"]), f"mailto:{self.secretariat.email}")
        self.assertEqual(event["ORGANIZER"].params["CN"], self.province.name)

    def test_organizer_falls_back_to_the_default_sender(self):
        Membership.objects.filter(role=Role.SECRETARIAT, unit__mechanism=self.province).delete()
        _calendar, event = self.request()
        self.assertEqual(str(event["ORGANIZER"]), "mailto:noreply@xianjie.localhost")

    def test_one_attendee_per_recipient_needing_action_with_rsvp(self):
        _calendar, event = self.request()
        attendees = event["ATTENDEE"]
        self.assertEqual(
            sorted(str(a) for a in attendees),
            sorted(f"mailto:{u.email}" for u in (self.convener_liaison, self.other_liaison)),
        )
        for attendee in attendees:
            self.assertEqual(attendee.params["PARTSTAT"], "NEEDS-ACTION")
            self.assertEqual(attendee.params["RSVP"], "TRUE")
            self.assertEqual(attendee.params["ROLE"], "REQ-PARTICIPANT")
        names = {str(a): a.params["CN"] for a in attendees}
        self.assertEqual(names[f"mailto:{self.convener_liaison.email}"], "李四")
        self.assertEqual(names[f"mailto:{self.other_liaison.email}"], "other_liaison")

    def test_description_numbers_the_agenda_titles_and_names_cases_by_reference_only(self):
        _calendar, event = self.request()
        description = event["DESCRIPTION"]
        lines = description.splitlines()
        self.assertEqual(len(lines), 3)  # the removed item is left out
        self.assertEqual(lines[0], "1. 上季度落实情况")
        self.assertTrue(lines[1].startswith("2. "))
        self.assertIn(self.case.reference, lines[1])
        self.assertEqual(lines[2], "3. 共青团工作专题报告")
        for personal in ("王小五", PERSON_PHONE, PERSON_ID, "医疗救助"):
            self.assertNotIn(personal, description)
            self.assertNotIn(personal, self.request_text())

    def request_text(self):
        return invitation(self.meeting, recipients(self.meeting), NoticeMethod.REQUEST).decode()

    def test_uid_stays_and_sequence_rises_with_a_change(self):
        _calendar, before = self.request()
        Meeting.objects.filter(pk=self.meeting.pk).update(
            starts_at=MEETING_START + datetime.timedelta(days=1),
            ends_at=MEETING_START + datetime.timedelta(days=1, hours=2),
            sequence=1,
        )
        self.meeting.refresh_from_db()
        _calendar, after = self.request()
        self.assertEqual(before["UID"], after["UID"])
        self.assertEqual((before["SEQUENCE"], after["SEQUENCE"]), (0, 1))
        self.assertEqual(after.decoded("DTSTART"), datetime.datetime(2026, 3, 11, 9, 30, tzinfo=SHANGHAI))

    def test_cancel_has_the_same_uid_a_higher_sequence_and_cancelled_status(self):
        set_state(self.meeting, MeetingState.CANCELLED, sequence=1)
        calendar, event = parse(invitation(self.meeting, recipients(self.meeting), NoticeMethod.CANCEL))
        self.assertEqual(calendar["METHOD"], "CANCEL")
        self.assertEqual(event["UID"], self.meeting.ical_uid)
        self.assertEqual(event["SEQUENCE"], 1)
        self.assertEqual(event["STATUS"], "CANCELLED")
        self.assertEqual(calendar.walk("VTIMEZONE")[0]["TZID"], "Asia/Shanghai")

    def test_feed_event_has_the_same_uid_and_no_attendees(self):
        event = event_for_feed(self.meeting)
        self.assertEqual(event["UID"], self.meeting.ical_uid)
        self.assertEqual(event["SEQUENCE"], 0)
        self.assertNotIn("ATTENDEE", event)
        self.assertNotIn("ORGANIZER", event)
        self.assertEqual(event["STATUS"], "CONFIRMED")
        set_state(self.meeting, MeetingState.CANCELLED, sequence=1)
        event = event_for_feed(self.meeting)
        self.assertEqual((event["STATUS"], event["SEQUENCE"]), ("CANCELLED", 1))


class InvitationDownloadTests(MeetingTestCase):
    def download(self, user, meeting=None):
        request = RequestFactory().get("/admin/meetings/invitation.ics")
        request.user = user
        return invitation_download(request, pk=(meeting or self.meeting).pk)

    def test_invited_liaison_downloads_the_current_request(self):
        response = self.download(self.other_liaison)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; method=REQUEST; charset=UTF-8")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        calendar, event = parse(response.content)
        self.assertEqual(calendar["METHOD"], "REQUEST")
        self.assertEqual(event["UID"], self.meeting.ical_uid)

    def test_cancelled_meeting_downloads_as_cancel(self):
        set_state(self.meeting, MeetingState.CANCELLED, sequence=1)
        calendar, event = parse(self.download(self.secretariat).content)
        self.assertEqual((calendar["METHOD"], event["STATUS"], event["SEQUENCE"]), ("CANCEL", "CANCELLED", 1))

    def test_user_of_another_mechanism_gets_404(self):
        with self.assertRaises(Http404):
            self.download(self.outsider)

    def test_anonymous_visitor_gets_404(self):
        from django.contrib.auth.models import AnonymousUser

        with self.assertRaises(Http404):
            self.download(AnonymousUser())
