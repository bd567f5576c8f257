"""The handover in a real browser, on the demo data (journey 4 of issue 9): the December jobs run with the time
frozen, the checklist is completed, the convener's liaison signs as the outgoing convener in January, the incoming
unit's liaison signs, and the convener rights (the Meetings menu's "New meeting" entry) move to the incoming unit."""

import datetime

import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from mechanism.models import HelpChannel, Mechanism
from meetings import services as meetings
from meetings.access import may_convene
from rotation import tasks
from rotation.handovers.services import record_meeting_held, verify_contacts
from rotation.models import Handover, HandoverState
from rotation.summaries.services import approve_summary, submit_summary

from .base import BrowserTestCase

User = get_user_model()


def user(username):
    return User.objects.get(username=username)


NEW_MEETING = '"/admin/meetings/new/"'


class HandoverJourneyTest(BrowserTestCase):
    def sees_new_meeting(self, page):
        """Whether the sidebar the browser got offers the Meetings menu's "New meeting" (convening) entry."""
        return NEW_MEETING in page.locator("script#wagtail-sidebar-props").text_content()

    def run_december_jobs(self, handover):
        """The scheduled job on 15 December: the reminder goes once, a second run sends nothing."""
        outgoing = user(f"liaison_{handover.outgoing_unit.code}")
        december = datetime.datetime(
            handover.year - 1, 12, 15, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
        )
        mail.outbox.clear()
        with time_machine.travel(december, tick=True):
            done = tasks.daily()
            self.assertGreaterEqual(done.get("december_reminder"), 1)
            self.assertEqual(tasks.daily().get("december_reminder"), 0)
        self.assertEqual(len([m for m in mail.outbox if outgoing.email in m.to]), 1)
        handover.refresh_from_db()
        self.assertIsNotNone(handover.december_reminder_at)

    def complete_the_checklist(self, handover):
        """What the demo leaves open: this year's summary approved, the channels checked, the meeting held and its
        minutes approved."""
        secretariat, outgoing = user("secretariat"), user(f"liaison_{handover.outgoing_unit.code}")
        summary = handover.summary
        submit_summary(summary, outgoing)
        approve_summary(summary, secretariat)
        approve_summary(summary, outgoing)
        HelpChannel.objects.filter(unit__mechanism=handover.mechanism).update(last_verified_on=timezone.localdate())
        for unit in handover.mechanism.active_units():
            verify_contacts(unit, by=user(f"liaison_{unit.code}"))
        meeting = handover.meeting
        meetings.build_agenda(meeting, by=secretariat)
        meetings.send_notice(meeting, by=secretariat)
        meeting.refresh_from_db()
        meetings.hold_meeting(meeting, by=secretariat)
        for unit in handover.mechanism.active_units():
            meeting.refresh_from_db()
            meetings.record_attendance(meeting, unit, f"{unit.short_name}代表", by=secretariat)
        minutes = meetings.start_minutes(meeting, by=secretariat)
        meetings.send_minutes_for_review(minutes, timezone.localdate() + datetime.timedelta(days=7), by=secretariat)
        for unit in meetings.pending_reviewers(minutes):
            meetings.agree_to_minutes(minutes, unit, by=user(f"liaison_{unit.code}"))
        meetings.approve_minutes(minutes, by=outgoing)
        record_meeting_held(handover, by=secretariat)

    def test_journey_4_december_jobs_checklist_signatures_and_the_convener_menu_moves(self):
        province = Mechanism.objects.get(area__code="140000")
        handover = Handover.objects.get(mechanism=province, state=HandoverState.PREPARING)
        outgoing, incoming = handover.outgoing_unit, handover.incoming_unit
        url = f"/admin/handovers/{handover.pk}/"
        self.run_december_jobs(handover)

        # Half done, as the demo leaves it: the outgoing liaison sees why it cannot sign yet.
        page = self.login(f"liaison_{outgoing.code}")
        self.assertTrue(self.sees_new_meeting(page))
        self.visit(page, url)
        self.assertEqual(page.locator("td[aria-label='未完成']").count(), 3)
        self.assertTrue(page.get_by_role("button", name="作为卸任召集单位签署").is_disabled())

        # The handover is signed in January, the day after its meeting (the term begins at the signature).
        meeting_day = handover.meeting.starts_at + datetime.timedelta(days=1)
        with time_machine.travel(meeting_day, tick=True):
            self.complete_the_checklist(handover)
            page = self.login(f"liaison_{outgoing.code}")
            self.visit(page, url)
            self.assertEqual(page.locator("td[aria-label='未完成']").count(), 0)
            self.submit(page, page.get_by_role("button", name="作为卸任召集单位签署"))
            handover.refresh_from_db()
            self.assertEqual(handover.state, HandoverState.SIGNED_OUTGOING)
            self.assertEqual(province.convener_on(timezone.now()), outgoing)  # not yet moved

            new = self.login(f"liaison_{incoming.code}")
            self.assertFalse(self.sees_new_meeting(new))
            self.visit(new, url)
            self.submit(new, new.get_by_role("button", name="作为接任召集单位签署"))
            handover.refresh_from_db()
            self.assertEqual(handover.state, HandoverState.COMPLETED)
            self.assertEqual(province.convener_on(timezone.now()), incoming)
            self.assertTrue(may_convene(user(f"liaison_{incoming.code}"), province))
            self.assertFalse(may_convene(user(f"liaison_{outgoing.code}"), province))
            self.assertIn("已完成", new.locator("[data-state]").inner_text())
            # The Meetings menu follows the term: the new convener's liaison convenes, the old one no longer.
            self.visit(new, "/admin/")
            self.assertTrue(self.sees_new_meeting(new))
            self.visit(page, "/admin/")
            self.assertFalse(self.sees_new_meeting(page))
        self.assert_every_page_accessible()
