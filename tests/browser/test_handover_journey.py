"""The January handover in a real browser, on the demo data: with the checklist completed, the convener's liaison
sees it complete and signs as the outgoing convener, the incoming unit's liaison signs, and the convener rights move
to the incoming unit at that moment."""

import datetime

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from mechanism.models import HelpChannel, Mechanism
from meetings import services as meetings
from meetings.access import may_convene
from rotation.handovers.services import record_meeting_held, verify_contacts
from rotation.models import Handover, HandoverState
from rotation.summaries.services import approve_summary, submit_summary

from .base import BrowserTestCase

User = get_user_model()


def user(username):
    return User.objects.get(username=username)


class HandoverJourneyTest(BrowserTestCase):
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

    def test_the_conveners_liaison_signs_the_complete_checklist_and_the_rights_move(self):
        province = Mechanism.objects.get(area__code="140000")
        handover = Handover.objects.get(mechanism=province, state=HandoverState.PREPARING)
        outgoing, incoming = handover.outgoing_unit, handover.incoming_unit
        url = f"/admin/handovers/{handover.pk}/"

        # Half done, as the demo leaves it: the outgoing liaison sees why it cannot sign yet.
        page = self.login(f"liaison_{outgoing.code}")
        page.goto(url)
        self.assertEqual(page.locator("td[aria-label='未完成']").count(), 3)
        self.assertTrue(page.get_by_role("button", name="作为卸任召集单位签署").is_disabled())
        self.assertEqual(self.axe_serious(page), [])

        # The handover is signed in January, the day after its meeting (the term begins at the signature).
        meeting_day = handover.meeting.starts_at + datetime.timedelta(days=1)
        with time_machine.travel(meeting_day, tick=True):
            self.complete_the_checklist(handover)
            page = self.login(f"liaison_{outgoing.code}")
            page.goto(url)
            self.assertEqual(page.locator("td[aria-label='未完成']").count(), 0)
            with page.expect_navigation():
                page.get_by_role("button", name="作为卸任召集单位签署").click()
            handover.refresh_from_db()
            self.assertEqual(handover.state, HandoverState.SIGNED_OUTGOING)
            self.assertEqual(province.convener_on(timezone.now()), outgoing)  # not yet moved

            page = self.login(f"liaison_{incoming.code}")
            page.goto(url)
            with page.expect_navigation():
                page.get_by_role("button", name="作为接任召集单位签署").click()
            handover.refresh_from_db()
            self.assertEqual(handover.state, HandoverState.COMPLETED)
            self.assertEqual(province.convener_on(timezone.now()), incoming)
            self.assertTrue(may_convene(user(f"liaison_{incoming.code}"), province))
            self.assertFalse(may_convene(user(f"liaison_{outgoing.code}"), province))
            page.goto(url)  # without the success message, which axe catches mid-fade
            self.assertIn("已完成", page.locator("[data-state]").inner_text())
            self.assertEqual(self.axe_serious(page), [])
