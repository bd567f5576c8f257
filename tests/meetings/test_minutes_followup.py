"""Action items of approved minutes are followed up like any assignment: the unit's dashboard, its assignment page
(acknowledge, follow up, complete), the overdue ladder, the personal calendar feed and the next agenda's 落实情况."""

import datetime

import time_machine
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from mechanism.ladder import run_ladder
from mechanism.models import Assignment, AssignmentState
from mechanism.services import assignments as work
from meetings.feed import build_feed
from meetings.models import AgendaItem, AgendaItemKind, CalendarFeed
from meetings.services import build_agenda
from tests.meetings.factories import MEETING_START, MeetingFactory
from tests.meetings.test_minutes_lifecycle import DAY, NOW, TODAY, MinutesCase

TASK = "走访困难职工家庭并建立台账"


class ActionItemFollowUpTests(MinutesCase):
    def setUp(self):
        minutes = self.drafted()
        self.decision = self.action(minutes, units=[self.zgh], text=TASK, due_on=TODAY + 4 * DAY)  # a Friday
        [self.assignment] = self.approved(minutes)

    def test_the_action_item_is_a_caseless_assignment_pointing_at_its_decision(self):
        self.assertIsNone(self.assignment.case)
        self.assertEqual(self.assignment.source, self.decision)
        self.assertEqual(self.assignment.state, AssignmentState.ASSIGNED)

    def test_it_is_on_the_units_dashboard_and_not_on_another_units(self):
        link = reverse("casework:assignment", args=[self.assignment.pk])
        home = self.login(self.other_liaison).get(reverse("wagtailadmin_home")).content.decode()
        self.assertIn(link, home)
        self.assertIn(TASK[:20], home)
        self.assertIn(f'href="#casework-{self.zgh.pk}-to_acknowledge"', home)
        elsewhere = self.login(self.mz_liaison).get(reverse("wagtailadmin_home")).content.decode()
        self.assertNotIn(link, elsewhere)

    def test_its_page_opens_and_the_liaison_acknowledges_follows_up_and_completes(self):
        url = reverse("casework:assignment", args=[self.assignment.pk])
        page = self.login(self.other_liaison).get(url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, TASK)
        self.assertEqual(self.login(self.outsider).get(url).status_code, 404)
        work.acknowledge_assignment(self.assignment, by=self.other_liaison)
        work.add_follow_up(self.assignment, "visit", TODAY, "走访5户", by=self.other_liaison)
        with self.captureOnCommitCallbacks(execute=True):
            work.complete_assignment(self.assignment, "已建立台账", by=self.other_liaison)
        self.assertEqual(self.assignment.state, AssignmentState.COMPLETED)
        self.assertEqual(self.assignment.follow_ups.count(), 1)

    def test_the_overdue_ladder_reaches_it(self):
        mail.outbox.clear()
        with time_machine.travel(NOW + 6 * DAY, tick=False):
            sent = run_ladder(today=TODAY + 6 * DAY)
        self.assertGreaterEqual(sent, 1)
        self.assertIsNotNone(Assignment.objects.get(pk=self.assignment.pk).overdue_at)
        self.assertTrue(any(self.other_liaison.email in m.to for m in mail.outbox))

    def test_it_is_in_the_liaisons_calendar_feed(self):
        CalendarFeed.objects.create(user=self.other_liaison)
        calendar = Calendar.from_ical(build_feed(self.other_liaison))
        events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
        event = events[f"assignment-{self.assignment.pk}@xianjie"]
        self.assertEqual(event["DTSTART"].dt, TODAY + 4 * DAY)
        self.assertIn(TASK, str(event["SUMMARY"]))
        other = Calendar.from_ical(build_feed(self.mz_liaison))
        self.assertNotIn(f"assignment-{self.assignment.pk}@xianjie", {str(e["UID"]) for e in other.walk("VEVENT")})

    def test_it_is_listed_in_the_next_meetings_report_on_action_items(self):
        later = MEETING_START + datetime.timedelta(days=7)  # 2026-03-17, after the due date
        meeting = MeetingFactory(mechanism=self.province, starts_at=later, invited_units=[self.zgh])
        build_agenda(meeting, by=self.secretariat, today=TODAY)
        follow_up = AgendaItem.objects.get(meeting=meeting, kind=AgendaItemKind.FOLLOW_UP)
        self.assertIn(TASK, follow_up.description)
        self.assertIn(self.zgh.short_name, follow_up.description)
        self.assertIn((TODAY + 4 * DAY).isoformat(), follow_up.description)
