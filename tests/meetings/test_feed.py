"""The personal calendar feed /calendar/<token>.ics and the admin screen that creates and revokes it."""

import datetime

import time_machine
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from mechanism.models import Assignment, AssignmentState
from mechanism.services import triage
from meetings.feed_admin import menu_item
from meetings.models import AgendaItemKind, CalendarFeed, MeetingState
from meetings.notices.ics import event_for_feed
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.factories import SHANGHAI, UserFactory

from .factories import AgendaItemFactory, MeetingFactory

NOW = datetime.datetime(2026, 5, 6, 10, 0, tzinfo=SHANGHAI)
PHONE, PERSON = "13912345678", "李四海"
ID_NUMBER = resident_id(area="140105", born=datetime.date(1975, 2, 3), serial="456")
NARRATIVE = "丈夫因病去世，独自抚养两个孩子"


def at(days, hour=9):
    return (NOW + datetime.timedelta(days=days)).replace(hour=hour, minute=30)


@time_machine.travel(NOW, tick=False)
class FeedTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.feed = CalendarFeed.objects.create(user=cls.other_liaison)  # zgh's liaison

    def meeting(self, days, invited, state=MeetingState.NOTICED, **kw):
        return MeetingFactory(
            mechanism=self.province, starts_at=at(days), invited_units=invited, state=state, sequence=0, **kw
        )

    def action_item(self, unit, days, task="报送上半年帮扶台账\n详细要求见会议纪要", **kw):
        kw.setdefault("assigned_at", NOW)
        return Assignment.objects.create(
            mechanism=unit.mechanism, unit=unit, task=task, due_on=NOW.date() + datetime.timedelta(days=days), **kw
        )

    def fetch(self, token=None):
        return self.client.get(reverse("calendar:feed", args=[token or self.feed.token]))

    def events(self, response=None):
        response = response or self.fetch()
        self.assertEqual(response.status_code, 200)
        calendar = Calendar.from_ical(response.content)
        return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


class FeedContentTests(FeedTestCase):
    def test_holds_the_meetings_of_the_users_units_with_the_invitation_uid_and_sequence(self):
        invited = self.meeting(7, [self.zgh, self.tsw])
        invited.sequence = 2
        invited.save()
        not_invited = self.meeting(8, [self.tsw])
        other_mechanism = MeetingFactory(mechanism=self.taiyuan, starts_at=at(9), invited_units=[self.ty_mz])
        events = self.events()
        self.assertIn(invited.ical_uid, events)
        self.assertNotIn(not_invited.ical_uid, events)
        self.assertNotIn(other_mechanism.ical_uid, events)
        event = events[invited.ical_uid]
        self.assertEqual(event["SEQUENCE"], 2)
        self.assertEqual(event.start, at(7))
        self.assertEqual(str(event.start.tzinfo), "Asia/Shanghai")
        self.assertEqual(str(event["STATUS"]), "CONFIRMED")

    def test_meeting_event_matches_the_invitations_event(self):
        meeting = self.meeting(7, [self.zgh], title="困难职工帮扶, 专题; 研究", video_link="https://meet.example.org/x")
        case = make_case(self.province, by=self.secretariat)
        AgendaItemFactory(meeting=meeting, order=1, title="各单位工作通报")
        AgendaItemFactory(meeting=meeting, order=2, title="个案会商", kind=AgendaItemKind.CASE, case=case)
        AgendaItemFactory(meeting=meeting, order=3, title="已撤下", removed_at=NOW, removed_reason="重复")
        event = self.events()[meeting.ical_uid]
        expected = event_for_feed(meeting)
        for name in ("UID", "SEQUENCE", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "STATUS"):
            self.assertEqual(str(event[name]), str(expected[name]), name)
        self.assertEqual((event.start, event.end), (expected.start, expected.end))
        self.assertIn(case.reference, str(event["DESCRIPTION"]))
        self.assertNotIn("已撤下", str(event["DESCRIPTION"]))

    def test_cancelled_meeting_stays_as_cancelled(self):
        cancelled = self.meeting(5, [self.zgh], state=MeetingState.CANCELLED, cancel_reason="与省委会议冲突")
        event = self.events()[cancelled.ical_uid]
        self.assertEqual(str(event["STATUS"]), "CANCELLED")
        self.assertEqual(event["UID"], cancelled.ical_uid)

    def test_drafts_and_meetings_outside_the_window_are_left_out(self):
        draft = self.meeting(3, [self.zgh], state=MeetingState.DRAFT)
        too_old = self.meeting(-400, [self.zgh], state=MeetingState.HELD)
        last_year = self.meeting(-300, [self.zgh], state=MeetingState.HELD)
        too_far = self.meeting(800, [self.zgh])
        events = self.events()
        self.assertNotIn(draft.ical_uid, events)
        self.assertNotIn(too_old.ical_uid, events)
        self.assertNotIn(too_far.ical_uid, events)
        self.assertIn(last_year.ical_uid, events)

    def test_secretariat_sees_every_meeting_of_its_mechanism(self):
        feed = CalendarFeed.objects.create(user=self.secretariat)
        only_tsw = self.meeting(4, [self.tsw])
        other_mechanism = MeetingFactory(mechanism=self.taiyuan, starts_at=at(9), invited_units=[self.ty_mz])
        events = self.events(self.fetch(feed.token))
        self.assertIn(only_tsw.ical_uid, events)
        self.assertNotIn(other_mechanism.ical_uid, events)

    def test_active_assignments_and_action_items_are_all_day_events(self):
        action = self.action_item(self.zgh, 10)
        done = self.action_item(self.zgh, 11, state=AssignmentState.COMPLETED)
        other_unit = self.action_item(self.tsw, 12)
        case = make_case(self.province, by=self.secretariat)
        triage.accept_case(case, by=self.secretariat)
        (referral,) = triage.refer_case(
            case, [self.zgh], by=self.secretariat, due_on=NOW.date() + datetime.timedelta(20)
        )
        events = self.events()
        self.assertNotIn(f"assignment-{done.pk}@xianjie", events)
        self.assertNotIn(f"assignment-{other_unit.pk}@xianjie", events)
        item = events[f"assignment-{action.pk}@xianjie"]
        self.assertEqual(item.start, action.due_on)
        self.assertNotIsInstance(item.start, datetime.datetime)
        self.assertEqual(item["DTSTART"].params["VALUE"], "DATE")
        self.assertIn("报送上半年帮扶台账", str(item["SUMMARY"]))
        self.assertNotIn("详细要求", str(item["SUMMARY"]))
        due = events[f"assignment-{referral.pk}@xianjie"]
        self.assertEqual(due.start, referral.due_on)
        self.assertIn(case.reference, str(due["SUMMARY"]))

    def test_calendar_headers(self):
        response = self.fetch()
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertEqual(response["Cache-Control"], "private, no-store")
        calendar = Calendar.from_ical(response.content)
        self.assertEqual(str(calendar["X-WR-TIMEZONE"]), "Asia/Shanghai")
        self.assertTrue(str(calendar["X-WR-CALNAME"]))
        self.assertEqual([str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")], ["Asia/Shanghai"])


class FeedPrivacyTests(FeedTestCase):
    def test_no_personal_data_of_cases_and_no_attendees(self):
        case = make_case(
            self.province,
            by=self.secretariat,
            person_name=PERSON,
            phone=PHONE,
            id_number=ID_NUMBER,
            narrative=NARRATIVE,
        )
        triage.accept_case(case, by=self.secretariat)
        triage.refer_case(case, [self.zgh], by=self.secretariat, task=f"走访{PERSON}，电话{PHONE}")
        meeting = self.meeting(6, [self.zgh])
        AgendaItemFactory(meeting=meeting, case=case, title=f"{PERSON}家庭帮扶会商")
        body = self.fetch().content.decode()
        self.assertIn(case.reference, body)
        for secret in (PERSON, PHONE, ID_NUMBER, NARRATIVE, self.other_liaison.email, "ATTENDEE", "ORGANIZER"):
            self.assertNotIn(secret, body)


class FeedAccessTests(FeedTestCase):
    def test_revoked_token_is_404(self):
        token = self.feed.token
        self.assertEqual(self.fetch(token).status_code, 200)  # served once: no cache may keep it after revoking
        self.feed.delete()
        self.assertEqual(self.fetch(token).status_code, 404)
        renewed = CalendarFeed.objects.create(user=self.other_liaison)
        self.assertNotEqual(renewed.token, token)
        self.assertEqual(self.fetch(renewed.token).status_code, 200)

    def test_forged_token_is_404(self):
        first = "y" if self.feed.token[0] == "x" else "x"
        self.assertEqual(self.fetch(first + self.feed.token[1:]).status_code, 404)
        self.assertEqual(self.fetch("not-a-token").status_code, 404)

    def test_inactive_user_is_404(self):
        self.other_liaison.is_active = False
        self.other_liaison.save()
        self.assertEqual(self.fetch().status_code, 404)

    def test_only_get_and_head(self):
        self.assertEqual(self.client.post(reverse("calendar:feed", args=[self.feed.token])).status_code, 405)


class FeedQueryCountTests(FeedTestCase):
    def add_events(self, count):
        for n in range(count):
            meeting = self.meeting(n + 1, [self.zgh], state=MeetingState.HELD if n % 2 else MeetingState.NOTICED)
            case = make_case(self.province, by=self.secretariat, phone=f"139{n:08d}", id_number="")
            AgendaItemFactory(meeting=meeting)
            AgendaItemFactory(meeting=meeting, kind=AgendaItemKind.CASE, case=case)
            self.action_item(self.zgh, n + 1, task=f"落实事项{n}")
            self.action_item(self.zgh, n + 2, task="", case=case)

    def queries(self):
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.fetch().status_code, 200)
        return len(captured)

    def test_query_count_does_not_grow_with_the_events(self):
        self.add_events(2)
        few = self.queries()
        self.add_events(20)
        self.assertEqual(len(self.events()), 66)
        self.assertEqual(self.queries(), few)
        self.assertLessEqual(few, 5)


class FeedAdminScreenTests(FeedTestCase):
    def test_create_show_and_revoke(self):
        client = self.login(self.convener_liaison)
        with translation.override("en"):
            screen = client.get(reverse("meetings_calendar_feed"))
            self.assertEqual(screen.status_code, 200)
            self.assertFalse(CalendarFeed.objects.filter(user=self.convener_liaison).exists())
            client.post(reverse("meetings_calendar_feed_create"))
            feed = CalendarFeed.objects.get(user=self.convener_liaison)
            screen = client.get(reverse("meetings_calendar_feed"))
            self.assertContains(screen, reverse("calendar:feed", args=[feed.token]))
            client.post(reverse("meetings_calendar_feed_create"))
            self.assertEqual(CalendarFeed.objects.get(user=self.convener_liaison).token, feed.token)
            client.post(reverse("meetings_calendar_feed_revoke"))
        self.assertFalse(CalendarFeed.objects.filter(user=self.convener_liaison).exists())
        self.assertEqual(self.fetch(feed.token).status_code, 404)

    def test_screen_never_shows_another_users_token(self):
        screen = self.login(self.convener_liaison).get(reverse("meetings_calendar_feed"))
        self.assertNotContains(screen, self.feed.token)

    def test_revoke_without_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.other_liaison)
        self.assertEqual(client.post(reverse("meetings_calendar_feed_revoke")).status_code, 403)
        self.assertTrue(CalendarFeed.objects.filter(pk=self.feed.pk).exists())

    def test_revoke_needs_post(self):
        client = self.login(self.other_liaison)
        self.assertEqual(client.get(reverse("meetings_calendar_feed_revoke")).status_code, 405)
        self.assertTrue(CalendarFeed.objects.filter(pk=self.feed.pk).exists())

    def test_menu_item_shows_to_unit_members_only(self):
        request = RequestFactory().get("/admin/")
        request.user = self.other_liaison
        self.assertTrue(menu_item().is_shown(request))
        request.user = UserFactory(username="no_role", is_staff=True)
        self.assertFalse(menu_item().is_shown(request))

    def test_anonymous_visitor_is_sent_to_login(self):
        response = self.client.post(reverse("meetings_calendar_feed_revoke"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(CalendarFeed.objects.filter(pk=self.feed.pk).exists())
