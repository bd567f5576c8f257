"""The January handover through all its states: planned → preparing → meeting held → signed (outgoing) →
completed, the refusals on the way (nothing changed), and the convener term moving at the incoming signature."""

import datetime

import time_machine
from django.utils import translation
from wagtail.models import ModelLogEntry

from mechanism.models import ConvenerTerm, HelpChannel, MemberUnit
from mechanism.services.errors import ActionRefused, StaleObject
from meetings.models import MeetingKind, Minutes, MinutesState
from rotation.handovers import services
from rotation.handovers.checklist import missing_items
from rotation.models import AnnualSummary, Handover, HandoverState, SummaryState
from tests.base import CastTestCase
from tests.factories import SHANGHAI, HelpChannelFactory
from tests.meetings.factories import held_meeting

H = HandoverState
# The handover meeting on Tuesday 12 January 2027; "now" is two days later, in the tsw term (2026–open).
MEETING_AT = datetime.datetime(2027, 1, 12, 9, 30, tzinfo=SHANGHAI)
NOW = datetime.datetime(2027, 1, 14, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()


class HandoverTestCase(CastTestCase):
    """The standard cast with the 2027 handover (tsw → mz) and helpers to fill its checklist from the data."""

    def make_handover(self):
        return services.create_handover(self.province, 2027, now=datetime.datetime(2026, 12, 1, 8, tzinfo=SHANGHAI))

    def approve_summary(self, year=2026, state=SummaryState.APPROVED):
        summary = AnnualSummary.objects.create(
            mechanism=self.province,
            year=year,
            convener_unit=self.tsw,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
        AnnualSummary.objects.filter(pk=summary.pk).update(state=state)  # the FSM field is protected
        return summary

    def verify_channels(self, days_ago=10):
        for unit in (self.mz, self.zgh, self.tsw):
            HelpChannelFactory(unit=unit, last_verified_on=TODAY - datetime.timedelta(days=days_ago))

    def verify_contacts(self, days_ago=5):
        MemberUnit.objects.filter(mechanism=self.province).update(
            contacts_verified_on=TODAY - datetime.timedelta(days=days_ago)
        )

    def link_meeting(self, handover, minutes_state=MinutesState.APPROVED):
        meeting = held_meeting(
            self.province, self.secretariat, attendees=[self.mz, self.zgh, self.tsw], starts_at=MEETING_AT,
            kind=MeetingKind.ANNUAL,
        )  # fmt: skip
        if minutes_state is not None:
            minutes = Minutes.objects.create(meeting=meeting)
            Minutes.objects.filter(pk=minutes.pk).update(state=minutes_state)
        Handover.objects.filter(pk=handover.pk).update(meeting=meeting)
        handover.refresh_from_db()
        return meeting

    def ready_handover(self):
        """The handover with its meeting recorded as held and every checklist item done."""
        handover = self.make_handover()
        self.approve_summary()
        self.verify_channels()
        self.verify_contacts()
        self.link_meeting(handover)
        services.start_preparing(handover)
        services.record_meeting_held(handover, by=self.convener_liaison, now=NOW)
        services.list_open_items(handover, by=self.secretariat, now=NOW)
        return handover

    def signed_outgoing(self):
        handover = self.ready_handover()
        services.sign_outgoing(handover, by=self.convener_liaison, now=NOW)
        return handover

    def snapshot(self, handover):
        handover.refresh_from_db()
        terms = list(ConvenerTerm.objects.filter(mechanism=self.province).values_list("unit__code", "ends_at"))
        return (handover.state, handover.outgoing_signed_at, handover.incoming_signed_at, handover.updated_at, terms)


@time_machine.travel(NOW, tick=False)
class HandoverLifecycleTests(HandoverTestCase):
    def test_through_every_state_to_the_new_term(self):
        handover = self.make_handover()
        self.assertEqual(
            (handover.state, handover.outgoing_unit, handover.incoming_unit), (H.PLANNED, self.tsw, self.mz)
        )
        self.approve_summary()
        self.verify_channels()
        self.verify_contacts()
        self.link_meeting(handover)
        services.start_preparing(handover)
        self.assertEqual(handover.state, H.PREPARING)
        services.record_meeting_held(handover, now=NOW)  # the scheduled job: no user
        self.assertEqual(handover.state, H.MEETING_HELD)
        services.list_open_items(handover, by=self.convener_liaison, now=NOW)
        self.assertEqual(handover.open_items_listed_at, NOW)
        self.assertEqual(missing_items(handover, NOW), [])

        signed_out = NOW + datetime.timedelta(minutes=5)
        services.sign_outgoing(handover, by=self.convener_liaison, now=signed_out)
        self.assertEqual(handover.state, H.SIGNED_OUTGOING)
        self.assertEqual(
            (handover.outgoing_signed_at, handover.outgoing_signed_by), (signed_out, self.convener_liaison)
        )
        self.assertEqual(self.province.convener_on(signed_out + datetime.timedelta(hours=1)), self.tsw)

        moment = NOW + datetime.timedelta(hours=2)
        mz_liaison = self.member("mz_liaison", self.mz, "liaison")
        services.sign_incoming(handover, by=mz_liaison, now=moment)
        self.assertEqual(handover.state, H.COMPLETED)
        self.assertEqual((handover.incoming_signed_at, handover.incoming_signed_by), (moment, mz_liaison))
        self.tsw_term.refresh_from_db()
        self.assertEqual(self.tsw_term.ends_at, moment)
        new = ConvenerTerm.objects.get(mechanism=self.province, unit=self.mz)
        self.assertEqual((new.starts_at, new.ends_at), (moment, None))
        self.assertEqual(self.province.convener_on(moment - datetime.timedelta(seconds=1)), self.tsw)
        self.assertEqual(self.province.convener_on(moment), self.mz)
        self.assertEqual(self.province.convener_on(moment + datetime.timedelta(seconds=1)), self.mz)

        actions = list(
            ModelLogEntry.objects.filter(object_id=str(handover.pk), action__startswith="xianjie.handover.")
            .order_by("timestamp", "pk")
            .values_list("action", flat=True)
        )
        self.assertEqual(
            actions,
            [f"xianjie.handover.{step}" for step in ("create", "prepare", "meeting_held", "open_items")]
            + ["xianjie.handover.sign_outgoing", "xianjie.handover.sign_incoming"],
        )

    def test_signing_with_the_checklist_incomplete_names_the_missing_items_and_changes_nothing(self):
        handover = self.ready_handover()
        Minutes.objects.filter(meeting=handover.meeting).update(state=MinutesState.IN_REVIEW)
        HelpChannel.objects.filter(unit=self.zgh).update(last_verified_on=TODAY - datetime.timedelta(days=61))
        before = self.snapshot(handover)
        with translation.override("en"), self.assertRaises(ActionRefused) as refused:
            services.sign_outgoing(handover, by=self.convener_liaison, now=NOW)
        message = str(refused.exception)
        self.assertIn("Help channels verified within 60 days", message)
        self.assertIn("Handover meeting held and its minutes approved", message)
        self.assertNotIn("Annual work summary approved", message)
        self.assertNotIn("Liaison contacts", message)
        self.assertEqual(self.snapshot(handover), before)

    def test_signing_before_the_meeting_is_recorded_is_refused(self):
        handover = self.make_handover()
        for step in (None, services.start_preparing):
            if step:
                step(handover)
            refused = self.assertRaisesMessage(ActionRefused, "The handover meeting has not been recorded as held")
            with self.subTest(state=handover.state), translation.override("en"), refused:
                services.sign_outgoing(handover, by=self.convener_liaison, now=NOW)

    def test_record_meeting_held_needs_a_held_meeting(self):
        handover = self.make_handover()
        services.start_preparing(handover)
        with translation.override("en"), self.assertRaisesMessage(ActionRefused, "No handover meeting is linked"):
            services.record_meeting_held(handover, now=NOW)
        meeting = self.link_meeting(handover)
        from meetings.models import Meeting, MeetingState

        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.NOTICED)
        with self.assertRaises(ActionRefused):
            services.record_meeting_held(handover, now=NOW)
        self.assertEqual(Handover.objects.get(pk=handover.pk).state, H.PREPARING)

    def test_incoming_before_outgoing_is_refused(self):
        handover = self.ready_handover()
        mz_liaison = self.member("mz_liaison", self.mz, "liaison")
        before = self.snapshot(handover)
        with translation.override("en"), self.assertRaisesMessage(ActionRefused, "The outgoing convener signs first"):
            services.sign_incoming(handover, by=mz_liaison, now=NOW)
        self.assertEqual(self.snapshot(handover), before)

    def test_an_outgoing_signer_whose_unit_is_not_the_convener_is_refused(self):
        handover = self.ready_handover()
        before = self.snapshot(handover)
        for user in (self.other_liaison, self.secretariat, self.supervisor):
            with self.subTest(user.username), self.assertRaises(ActionRefused):
                services.sign_outgoing(handover, by=user, now=NOW)
        # tsw's liaison, once tsw's term has ended (another unit convenes): refused too.
        self.tsw_term.ends_at = NOW - datetime.timedelta(days=1)
        self.tsw_term.save()
        ConvenerTerm.objects.create(mechanism=self.province, unit=self.zgh, starts_at=self.tsw_term.ends_at)
        with self.assertRaises(ActionRefused):
            services.sign_outgoing(handover, by=self.convener_liaison, now=NOW)
        self.assertEqual(Handover.objects.get(pk=handover.pk).state, H.MEETING_HELD)
        self.assertEqual(before[0], H.MEETING_HELD)

    def test_the_secretariat_cannot_sign_either_side(self):
        handover = self.signed_outgoing()
        with self.assertRaises(ActionRefused):
            services.sign_incoming(handover, by=self.secretariat, now=NOW)
        self.assertEqual(Handover.objects.get(pk=handover.pk).state, H.SIGNED_OUTGOING)

    def test_an_incoming_unit_that_has_left_is_refused(self):
        handover = self.signed_outgoing()
        mz_liaison = self.member("mz_liaison", self.mz, "liaison")
        MemberUnit.objects.filter(pk=self.mz.pk).update(left_on=TODAY - datetime.timedelta(days=1))
        with translation.override("en"), self.assertRaisesMessage(ActionRefused, "has left the mechanism"):
            services.sign_incoming(handover, by=mz_liaison, now=NOW)
        self.assertFalse(ConvenerTerm.objects.filter(unit=self.mz).exists())
        self.assertIsNone(ConvenerTerm.objects.get(pk=self.tsw_term.pk).ends_at)

    def test_a_completed_handover_is_not_signed_again(self):
        handover = self.signed_outgoing()
        services.sign_incoming(handover, by=self.admin, now=NOW)
        with translation.override("en"), self.assertRaisesMessage(ActionRefused, "already completed"):
            services.sign_incoming(handover, by=self.admin, now=NOW + datetime.timedelta(hours=1))
        self.assertEqual(ConvenerTerm.objects.filter(unit=self.mz).count(), 1)

    def test_a_stale_copy_is_refused(self):
        handover = self.ready_handover()
        seen = handover.updated_at
        with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):  # someone lists them again
            services.list_open_items(handover, by=self.secretariat)
        with self.assertRaises(StaleObject):
            services.sign_outgoing(handover, by=self.convener_liaison, now=NOW, seen_updated_at=seen)
        self.assertEqual(Handover.objects.get(pk=handover.pk).state, H.MEETING_HELD)

    def test_open_items_are_frozen_once_signed(self):
        handover = self.signed_outgoing()
        with self.assertRaises(ActionRefused):
            services.list_open_items(handover, by=self.secretariat, now=NOW)

    def test_contacts_are_verified_by_the_units_liaison_or_the_secretariat(self):
        services.verify_contacts(self.zgh, by=self.other_liaison, today=TODAY)
        services.verify_contacts(self.tsw, by=self.secretariat, today=TODAY)
        for unit, user in ((self.tsw, self.other_liaison), (self.zgh, self.supervisor), (self.mz, self.outsider)):
            with self.subTest(unit=unit.code, user=user.username), self.assertRaises(ActionRefused):
                services.verify_contacts(unit, by=user, today=TODAY)
        verified = dict(MemberUnit.objects.filter(mechanism=self.province).values_list("code", "contacts_verified_on"))
        self.assertEqual(verified, {"mz": None, "zgh": TODAY, "tsw": TODAY})
        self.assertEqual(MemberUnit.objects.get(pk=self.zgh.pk).contacts_verified_by, self.other_liaison)
        self.assertTrue(
            ModelLogEntry.objects.filter(action="xianjie.handover.contacts", object_id=str(self.zgh.pk)).exists()
        )
