"""Meeting services: numbering, the convener on the date, notice, reschedule, cancel, hold, who may, quorum."""

import datetime

import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from mechanism.models import QuorumRule, Role
from mechanism.services.errors import ActionRefused, StaleObject
from meetings.models import Meeting, MeetingCounter, MeetingKind, MeetingState, NoticeDelivery, NoticeMethod
from meetings.recipients import recipients
from meetings.services import (
    add_item,
    cancel_meeting,
    create_meeting,
    hold_meeting,
    quorum,
    record_attendance,
    remove_attendance,
    remove_item,
    reschedule_meeting,
    send_notice,
    update_meeting,
)
from tests.base import CastTestCase
from tests.factories import SHANGHAI, MemberUnitFactory

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # tsw holds the convener term
IN_2025 = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=SHANGHAI)  # zgh held it
NEW_YEARS_EVE = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC, still 2025 in UTC too
NEW_YEARS_NIGHT = datetime.datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI)  # 16:30 UTC on Dec 31: 2025 in UTC
MARCH_MEETING = datetime.datetime(2026, 3, 24, 9, 30, tzinfo=SHANGHAI)
HOUR = datetime.timedelta(hours=1)


class MeetingCase(CastTestCase):
    def make(self, starts_at=MARCH_MEETING, by=None, **kw):
        kw.setdefault("kind", MeetingKind.REGULAR)
        kw.setdefault("ends_at", starts_at + 2 * HOUR)
        kw.setdefault("place", "省民政厅三楼会议室")
        return create_meeting(self.province, starts_at=starts_at, by=by or self.secretariat, **kw)

    def noticed(self, **kw):
        meeting = self.make(**kw)
        add_item(meeting, "议题一", "topic", 30, by=self.secretariat)
        with self.captureOnCommitCallbacks():
            send_notice(meeting, by=self.secretariat)
        return meeting


@time_machine.travel(NOW, tick=False)
class NumberingTests(MeetingCase):
    def test_numbers_restart_at_the_asia_shanghai_new_year(self):
        december = self.make(starts_at=NEW_YEARS_EVE)
        second_december = self.make(starts_at=NEW_YEARS_EVE - 24 * HOUR)
        january = self.make(starts_at=NEW_YEARS_NIGHT)
        self.assertEqual((december.year, december.number), (2025, 1))
        self.assertEqual((second_december.year, second_december.number), (2025, 2))
        self.assertEqual((january.year, january.number), (2026, 1))
        with translation.override("en"):
            self.assertEqual(str(january.name), "Joint meeting no. 1 of 2026")

    def test_a_cancelled_meeting_keeps_its_number_and_the_next_takes_the_next(self):
        first, second = self.make(), self.make(starts_at=MARCH_MEETING + 48 * HOUR)
        cancel_meeting(second, "会议室不可用", by=self.secretariat)
        third = self.make(starts_at=MARCH_MEETING + 96 * HOUR)
        second.refresh_from_db()
        self.assertEqual([first.number, second.number, third.number], [1, 2, 3])
        self.assertEqual(second.state, MeetingState.CANCELLED)

    def test_a_deleted_drafts_number_is_not_given_again(self):
        self.make()
        self.make(starts_at=MARCH_MEETING + 48 * HOUR).delete()
        self.assertEqual(self.make(starts_at=MARCH_MEETING + 96 * HOUR).number, 3)
        self.assertEqual(MeetingCounter.objects.get(mechanism=self.province, year=2026).last, 3)

    def test_numbers_are_per_mechanism(self):
        self.make()
        self.assertEqual(MeetingCounter.objects.filter(mechanism=self.taiyuan).count(), 0)
        self.assertEqual(self.make(starts_at=MARCH_MEETING + 48 * HOUR).number, 2)

    def test_invited_units_default_to_the_units_active_on_the_meeting_date(self):
        MemberUnitFactory(mechanism=self.province, code="late", joined_on=datetime.date(2026, 6, 1))
        meeting = self.make()
        self.assertEqual(set(meeting.invited_units.all()), {self.mz, self.zgh, self.tsw})

    def test_creating_is_logged(self):
        meeting = self.make()
        self.assertTrue(ModelLogEntry.objects.for_instance(meeting).filter(action="xianjie.meeting.create").exists())


@time_machine.travel(NOW, tick=False)
class ValidationTests(MeetingCase):
    def test_the_convener_on_both_sides_of_the_january_handover(self):
        before = self.make(starts_at=datetime.datetime(2025, 12, 30, 9, 30, tzinfo=SHANGHAI))
        after = self.make(starts_at=datetime.datetime(2026, 1, 5, 9, 30, tzinfo=SHANGHAI))
        self.assertEqual(before.convener, self.zgh)
        self.assertEqual(after.convener, self.tsw)

    def test_a_date_before_any_convener_term_is_refused_and_nothing_is_saved(self):
        with self.assertRaises(ValidationError) as refused:
            self.make(starts_at=datetime.datetime(2024, 6, 4, 9, 30, tzinfo=SHANGHAI))
        self.assertIn("starts_at", refused.exception.message_dict)
        self.assertFalse(Meeting.objects.exists())
        self.assertFalse(MeetingCounter.objects.exists())

    def test_an_end_before_the_start_is_refused_and_nothing_is_saved(self):
        with translation.override("en"), self.assertRaises(ValidationError) as refused:
            self.make(ends_at=MARCH_MEETING - HOUR)
        self.assertEqual(refused.exception.message_dict["ends_at"], ["会议结束时间必须晚于开始时间。"])
        self.assertFalse(Meeting.objects.exists())

    def test_units_of_another_mechanism_cannot_be_invited(self):
        with self.assertRaises(ValidationError):
            self.make(invited_units=[self.mz, self.ty_fl])
        self.assertFalse(Meeting.objects.exists())

    def test_a_draft_is_edited_a_noticed_meeting_is_not(self):
        meeting = self.make()
        update_meeting(meeting, by=self.secretariat, place="视频会议", invited_units=[self.mz, self.tsw])
        self.assertEqual(meeting.place, "视频会议")
        self.assertEqual(set(meeting.invited_units.all()), {self.mz, self.tsw})
        with self.assertRaises(ValidationError):
            update_meeting(meeting, by=self.secretariat, ends_at=MARCH_MEETING - HOUR)
        meeting.refresh_from_db()
        self.assertEqual(meeting.ends_at, MARCH_MEETING + 2 * HOUR)
        noticed = self.noticed(starts_at=MARCH_MEETING + 48 * HOUR)
        with self.assertRaises(ActionRefused):
            update_meeting(noticed, by=self.secretariat, place="别处")


@time_machine.travel(NOW, tick=False)
class NoticeTests(MeetingCase):
    def test_notice_refused_without_recipients(self):
        meeting = self.make(invited_units=[self.mz])  # mz has no liaison: nobody to write to
        add_item(meeting, "议题一", "topic", 30, by=self.secretariat)
        with translation.override("en"), self.assertRaises(ActionRefused) as refused:
            send_notice(meeting, by=self.secretariat)
        self.assertIn("Nobody would receive this notice", str(refused.exception))
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.DRAFT)

    def test_notice_refused_with_an_empty_agenda(self):
        meeting = self.make()
        item = add_item(meeting, "议题一", "topic", 30, by=self.secretariat)
        remove_item(item, "合并到下次", by=self.secretariat)
        with translation.override("en"), self.assertRaises(ActionRefused) as refused:
            send_notice(meeting, by=self.secretariat)
        self.assertIn("The agenda is empty", str(refused.exception))
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.DRAFT)

    def test_notice_moves_to_noticed_and_queues_the_delivery_after_commit(self):
        meeting = self.make()
        add_item(meeting, "议题一", "topic", 30, by=self.secretariat)
        with self.captureOnCommitCallbacks() as callbacks:
            self.assertTrue(send_notice(meeting, by=self.convener_liaison))
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(meeting.state, MeetingState.NOTICED)
        self.assertEqual(meeting.sequence, 0)
        self.assertTrue(ModelLogEntry.objects.for_instance(meeting).filter(action="xianjie.meeting.notice").exists())

    def test_a_second_notice_with_nothing_changed_is_a_no_op(self):
        meeting = self.noticed()
        for membership in recipients(meeting):  # what the sender records once the mail went out
            NoticeDelivery.objects.create(
                meeting=meeting,
                user=membership.user,
                unit=membership.unit,
                email=membership.user.email,
                method=NoticeMethod.REQUEST,
                sequence=0,
                sent_at=timezone.now(),
            )
        entries = ModelLogEntry.objects.for_instance(meeting).count()
        with self.captureOnCommitCallbacks() as callbacks:
            self.assertFalse(send_notice(meeting, by=self.secretariat))
        self.assertEqual(callbacks, [])
        self.assertEqual(ModelLogEntry.objects.for_instance(meeting).count(), entries)
        # A liaison who joined since is sent the invitation on the next notice.
        self.member("new_liaison", self.zgh, Role.LIAISON)
        with self.captureOnCommitCallbacks() as callbacks:
            self.assertTrue(send_notice(meeting, by=self.secretariat))
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(meeting.sequence, 0)

    def test_reschedule_raises_the_sequence_once_and_resends(self):
        meeting = self.noticed()
        with self.captureOnCommitCallbacks() as callbacks:
            self.assertTrue(
                reschedule_meeting(meeting, MARCH_MEETING + 24 * HOUR, MARCH_MEETING + 26 * HOUR, by=self.secretariat)
            )
        self.assertEqual(len(callbacks), 1)
        self.assertEqual((meeting.sequence, meeting.state, meeting.number), (1, MeetingState.NOTICED, 1))
        self.assertEqual(meeting.starts_at, MARCH_MEETING + 24 * HOUR)
        with self.captureOnCommitCallbacks() as callbacks:
            self.assertFalse(
                reschedule_meeting(meeting, MARCH_MEETING + 24 * HOUR, MARCH_MEETING + 26 * HOUR, by=self.secretariat)
            )
        self.assertEqual((meeting.sequence, callbacks), (1, []))
        reschedule_meeting(
            meeting, MARCH_MEETING + 24 * HOUR, MARCH_MEETING + 26 * HOUR, place="视频会议", by=self.secretariat
        )
        self.assertEqual((meeting.sequence, meeting.place), (2, "视频会议"))

    def test_reschedule_validates_and_needs_a_noticed_meeting(self):
        meeting = self.noticed()
        with self.assertRaises(ValidationError):
            reschedule_meeting(meeting, MARCH_MEETING, MARCH_MEETING - HOUR, by=self.secretariat)
        meeting.refresh_from_db()
        self.assertEqual((meeting.sequence, meeting.ends_at), (0, MARCH_MEETING + 2 * HOUR))
        draft = self.make(starts_at=MARCH_MEETING + 96 * HOUR)
        with self.assertRaises(ActionRefused):
            reschedule_meeting(draft, MARCH_MEETING, MARCH_MEETING + HOUR, by=self.secretariat)

    def test_cancel_requires_a_reason(self):
        meeting = self.noticed()
        with translation.override("en"), self.assertRaises(ActionRefused) as refused:
            cancel_meeting(meeting, "  ", by=self.secretariat)
        self.assertEqual(str(refused.exception), "Give a reason.")
        meeting.refresh_from_db()
        self.assertEqual((meeting.state, meeting.sequence), (MeetingState.NOTICED, 0))

    def test_cancelling_a_noticed_meeting_raises_the_sequence_and_sends(self):
        meeting = self.noticed()
        with self.captureOnCommitCallbacks() as callbacks:
            cancel_meeting(meeting, "汛期防汛任务", by=self.convener_liaison)
        self.assertEqual(len(callbacks), 1)
        self.assertEqual((meeting.state, meeting.sequence), (MeetingState.CANCELLED, 1))
        self.assertEqual(meeting.cancel_reason, "汛期防汛任务")

    def test_cancelling_a_draft_sends_nothing(self):
        meeting = self.make()
        with self.captureOnCommitCallbacks() as callbacks:
            cancel_meeting(meeting, "改期", by=self.secretariat)
        self.assertEqual(callbacks, [])
        self.assertEqual((meeting.state, meeting.sequence), (MeetingState.CANCELLED, 0))
        with self.assertRaises(ActionRefused):
            hold_meeting(meeting, by=self.secretariat)

    def test_hold_needs_a_noticed_meeting(self):
        draft = self.make()
        with self.assertRaises(ActionRefused):
            hold_meeting(draft, by=self.secretariat)
        meeting = self.noticed(starts_at=MARCH_MEETING + 48 * HOUR)
        hold_meeting(meeting, by=self.secretariat)
        self.assertEqual(meeting.state, MeetingState.HELD)

    def test_a_stale_copy_is_refused(self):
        meeting = self.noticed()
        old_copy = Meeting.objects.get(pk=meeting.pk)
        cancel_meeting(meeting, "改期", by=self.secretariat)
        with self.assertRaises(StaleObject):
            hold_meeting(old_copy, by=self.secretariat)
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.CANCELLED)


@time_machine.travel(NOW, tick=False)
class WhoMayConveneTests(MeetingCase):
    def test_others_are_refused_every_step(self):
        meeting = self.noticed()
        for user in (self.other_liaison, self.outsider, self.supervisor):
            with self.subTest(user=user.username):
                with self.assertRaises(ActionRefused):
                    self.make(by=user, starts_at=MARCH_MEETING + 48 * HOUR)
                with self.assertRaises(ActionRefused):
                    send_notice(meeting, by=user)
                with self.assertRaises(ActionRefused):
                    reschedule_meeting(meeting, MARCH_MEETING + HOUR, MARCH_MEETING + 2 * HOUR, by=user)
                with self.assertRaises(ActionRefused):
                    cancel_meeting(meeting, "不开了", by=user)
                with self.assertRaises(ActionRefused):
                    hold_meeting(meeting, by=user)
        meeting.refresh_from_db()
        self.assertEqual((meeting.state, meeting.sequence, Meeting.objects.count()), (MeetingState.NOTICED, 0, 1))

    def test_the_convener_liaison_and_the_secretariat_may(self):
        by_liaison = self.make(by=self.convener_liaison)
        by_secretariat = self.make(by=self.secretariat, starts_at=MARCH_MEETING + 48 * HOUR)
        self.assertEqual([by_liaison.number, by_secretariat.number], [1, 2])
        hold_meeting(self.noticed(starts_at=MARCH_MEETING + 96 * HOUR), by=self.convener_liaison)

    def test_may_convene_is_asked_about_the_current_moment(self):
        # zgh's liaison convened in 2025; in 2026 it may not, even for a meeting dated in 2025.
        with self.assertRaises(ActionRefused):
            self.make(by=self.other_liaison, starts_at=datetime.datetime(2025, 12, 30, 9, 30, tzinfo=SHANGHAI))
        with time_machine.travel(IN_2025, tick=False):
            meeting = self.make(by=self.other_liaison, starts_at=datetime.datetime(2025, 7, 1, 9, 30, tzinfo=SHANGHAI))
        self.assertEqual(meeting.convener, self.zgh)


@time_machine.travel(NOW, tick=False)
class QuorumTests(MeetingCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.u4 = MemberUnitFactory(mechanism=cls.province, code="u4", joined_on=datetime.date(2024, 1, 1))
        cls.u5 = MemberUnitFactory(mechanism=cls.province, code="u5", joined_on=datetime.date(2024, 1, 1))
        # Left before the meeting: not counted among the active units.
        MemberUnitFactory(
            mechanism=cls.province, code="gone", joined_on=datetime.date(2024, 1, 1), left_on=datetime.date(2026, 1, 1)
        )

    def test_more_than_half_of_the_active_units(self):
        meeting = self.noticed()
        record_attendance(meeting, self.mz, "王处长", by=self.secretariat)
        record_attendance(meeting, self.mz, "李科长", by=self.secretariat)
        late = record_attendance(meeting, self.zgh, "赵部长", arrived_late=True, by=self.secretariat)
        self.assertTrue(late.arrived_late)
        result = quorum(meeting)
        self.assertEqual((result.present_units, result.active_units, result.needed), (2, 5, 3))
        self.assertFalse(result.reached)
        record_attendance(meeting, self.tsw, "孙书记", by=self.convener_liaison)
        self.assertTrue(quorum(meeting).reached)

    def test_two_thirds(self):
        self.province.quorum_rule = QuorumRule.TWO_THIRDS
        self.province.save()
        meeting = self.noticed()
        for unit in (self.mz, self.zgh, self.tsw):
            record_attendance(meeting, unit, "代表", by=self.secretariat)
        result = quorum(meeting)
        self.assertEqual((result.present_units, result.needed, result.reached), (3, 4, False))
        record_attendance(meeting, self.u4, "代表", by=self.secretariat)
        self.assertTrue(quorum(meeting).reached)

    def test_a_meeting_below_quorum_can_still_be_held(self):
        meeting = self.noticed()
        record_attendance(meeting, self.mz, "王处长", by=self.secretariat)
        hold_meeting(meeting, by=self.secretariat)
        self.assertEqual(meeting.state, MeetingState.HELD)
        self.assertFalse(quorum(meeting).reached)

    def test_attendance_is_removed_and_refused_to_others_and_for_drafts(self):
        meeting = self.noticed()
        row = record_attendance(meeting, self.mz, "王处长", by=self.secretariat)
        with self.assertRaises(ActionRefused):
            record_attendance(meeting, self.zgh, "赵部长", by=self.other_liaison)
        with self.assertRaises(ActionRefused):
            record_attendance(meeting, self.ty_fl, "外人", by=self.secretariat)
        remove_attendance(row, by=self.secretariat)
        self.assertEqual(quorum(meeting).present_units, 0)
        with self.assertRaises(ActionRefused):
            record_attendance(self.make(starts_at=MARCH_MEETING + 48 * HOUR), self.mz, "王处长", by=self.secretariat)
