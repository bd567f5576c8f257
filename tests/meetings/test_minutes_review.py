"""The review round: who is asked, answers and comments, the deadline, rounds kept and compared, the mails,
and who may read the minutes."""

import datetime

from django.core import mail
from django.http import Http404
from django.utils import translation

from mechanism.models import Role
from meetings import minutes_text
from meetings.access import get_minutes_for_user, may_approve_minutes, may_draft_minutes, reviewing_units
from meetings.minutes_mail import send_publication_mail, send_review_mail
from meetings.models import MinutesComment, MinutesRevision, MinutesState, ReviewResponse
from meetings.services import (
    agree_to_minutes,
    approve_minutes,
    comment_on_minutes,
    correct_minutes,
    pending_reviewers,
    publish_minutes,
    revise_minutes,
    send_minutes_for_review,
    update_decision,
    update_item_summary,
)
from tests.factories import MemberUnitFactory
from tests.meetings.factories import AgendaItemFactory
from tests.meetings.test_minutes_lifecycle import DAY, TODAY, MinutesCase


class SendForReviewTests(MinutesCase):
    def test_the_round_goes_to_the_units_that_attended_with_a_snapshot(self):
        minutes = self.drafted(attendees=[self.zgh, self.tsw], invited_units=[self.mz, self.zgh, self.tsw])
        update_item_summary(self.items(minutes)[0], "听取通报", by=self.secretariat)
        revision = self.send(minutes, deadline=TODAY + 5 * DAY)
        self.assertEqual(set(revision.reviewers.all()), {self.zgh, self.tsw})
        self.assertEqual(revision.comment_deadline, TODAY + 5 * DAY)
        self.assertEqual(minutes.comment_deadline, TODAY + 5 * DAY)
        self.assertIsNotNone(revision.sent_at)
        self.assertEqual(revision.content["items"][0]["summary"], "听取通报")
        self.assertEqual(pending_reviewers(minutes), [self.zgh, self.tsw])

    def test_no_attendance_no_round(self):
        minutes = self.drafted(attendees=[], invited_units=[self.zgh])
        with self.refused("Record the attendance first: the minutes go to the units that attended."):
            send_minutes_for_review(minutes, TODAY + DAY, by=self.secretariat)
        self.assertEqual(minutes.state, MinutesState.DRAFTED)
        self.assertIsNone(MinutesRevision.objects.get(minutes=minutes).sent_at)

    def test_a_deadline_in_the_past_is_refused(self):
        minutes = self.drafted()
        with self.refused("The comment deadline cannot be in the past."):
            send_minutes_for_review(minutes, TODAY - DAY, by=self.secretariat)
        with self.refused("Give the comment deadline."):
            send_minutes_for_review(minutes, None, by=self.secretariat)
        send_minutes_for_review(minutes, TODAY, by=self.secretariat)  # today itself is allowed
        self.assertEqual(minutes.state, MinutesState.IN_REVIEW)

    def test_only_drafters_send(self):
        minutes = self.drafted()
        message = "Only the secretariat and the liaisons of the convening unit may draft and publish the minutes."
        with self.refused(message):
            send_minutes_for_review(minutes, TODAY + DAY, by=self.other_liaison)
        self.assertEqual(minutes.state, MinutesState.DRAFTED)


class AnswerTests(MinutesCase):
    def setUp(self):
        self.minutes = self.drafted(attendees=[self.zgh, self.tsw], invited_units=[self.mz, self.zgh, self.tsw])
        self.send(self.minutes, deadline=TODAY + 3 * DAY)

    def test_comment_per_item_then_agree_replaces_the_answer(self):
        item = self.items(self.minutes)[0].agenda_item
        comment = comment_on_minutes(
            self.minutes, self.zgh, "建议补充帮扶人数", agenda_item=item, by=self.other_liaison
        )
        self.assertEqual((comment.agenda_item, comment.by), (item, self.other_liaison))
        self.assertFalse(ReviewResponse.objects.get(unit=self.zgh).agreed)
        agree_to_minutes(self.minutes, self.zgh, by=self.other_liaison)
        self.assertTrue(ReviewResponse.objects.get(unit=self.zgh).agreed)
        self.assertEqual(ReviewResponse.objects.count(), 1)
        self.assertEqual(MinutesComment.objects.count(), 1)  # the comment stays
        self.assertEqual(pending_reviewers(self.minutes), [self.tsw])

    def test_a_unit_not_asked_cannot_answer(self):
        with self.refused("%(unit)s was not asked to review these minutes.", unit=self.mz.name):
            agree_to_minutes(self.minutes, self.mz, by=self.mz_liaison)
        self.assertFalse(ReviewResponse.objects.exists())

    def test_only_a_liaison_of_the_unit_answers_for_it(self):
        for user in (self.convener_liaison, self.secretariat):
            message = "Only a liaison of %(unit)s may answer for it."
            with self.subTest(user=user.username), self.refused(message, unit=self.zgh.name):
                comment_on_minutes(self.minutes, self.zgh, "意见", by=user)
        agree_to_minutes(self.minutes, self.zgh, by=self.admin)
        self.assertTrue(ReviewResponse.objects.get().agreed)

    def test_after_the_deadline_no_answer(self):
        with self.refused("The comment deadline has passed."):
            agree_to_minutes(self.minutes, self.zgh, by=self.other_liaison, today=TODAY + 4 * DAY)
        with self.refused("The comment deadline has passed."):
            comment_on_minutes(self.minutes, self.zgh, "晚了", by=self.other_liaison, today=TODAY + 4 * DAY)
        agree_to_minutes(self.minutes, self.zgh, by=self.other_liaison, today=TODAY + 3 * DAY)  # on the day: yes
        self.assertEqual(ReviewResponse.objects.count(), 1)

    def test_a_comment_needs_text_and_an_item_of_this_meeting(self):
        with self.refused("Write the comment."):
            comment_on_minutes(self.minutes, self.zgh, "  ", by=self.other_liaison)
        other_item = AgendaItemFactory()
        with self.refused("The agenda item is not one of this meeting's."):
            comment_on_minutes(self.minutes, self.zgh, "意见", agenda_item=other_item, by=self.other_liaison)
        self.assertFalse(MinutesComment.objects.exists())
        self.assertFalse(ReviewResponse.objects.exists())

    def test_no_answer_outside_a_round(self):
        revise_minutes(self.minutes, by=self.secretariat, today=TODAY + 8 * DAY)  # after the comment deadline
        with self.refused("The minutes are not in review."):
            agree_to_minutes(self.minutes, self.zgh, by=self.other_liaison)


class ApprovalAndPendingTests(MinutesCase):
    def test_approving_while_answers_are_pending_before_the_deadline_is_refused(self):
        minutes = self.drafted()
        self.send(minutes, deadline=TODAY + 3 * DAY)
        agree_to_minutes(minutes, self.zgh, by=self.other_liaison)
        message = "2 units have not answered yet; approve once they have, or after the comment deadline (%(deadline)s)."
        with self.refused(message, deadline=(TODAY + 3 * DAY).isoformat()):
            approve_minutes(minutes, by=self.convener_liaison)
        with self.refused(message, deadline=(TODAY + 3 * DAY).isoformat()):
            approve_minutes(minutes, by=self.convener_liaison, today=TODAY + 3 * DAY)  # the last day still counts
        minutes.refresh_from_db()
        self.assertEqual(minutes.state, MinutesState.IN_REVIEW)
        self.assertIsNone(minutes.approved_at)
        self.approve(minutes, today=TODAY + 4 * DAY)  # once the deadline has passed
        self.assertEqual(minutes.state, MinutesState.APPROVED)

    def test_approving_once_everyone_answered(self):
        minutes = self.drafted()
        self.send(minutes)
        comment_on_minutes(minutes, self.mz, "意见", by=self.mz_liaison)
        agree_to_minutes(minutes, self.zgh, by=self.other_liaison)
        agree_to_minutes(minutes, self.tsw, by=self.convener_liaison)
        self.approve(minutes)
        self.assertEqual(minutes.state, MinutesState.APPROVED)


class ReviseWhilePendingTests(MinutesCase):
    """Revising skips no review: approval from a revision would otherwise bypass the pending answers."""

    def assert_in_review(self, minutes):
        minutes.refresh_from_db()
        self.assertEqual((minutes.state, minutes.revision), (MinutesState.IN_REVIEW, 1))
        self.assertEqual(MinutesRevision.objects.filter(minutes=minutes).count(), 1)

    def test_revising_the_next_day_with_units_pending_is_refused(self):
        minutes = self.drafted()
        self.send(minutes, deadline=TODAY + 3 * DAY)
        comment_on_minutes(minutes, self.zgh, "请补充", by=self.other_liaison)
        message, deadline = "2 units have not answered yet; the comment deadline is %(date)s.", TODAY + 3 * DAY
        with self.refused(message, date=deadline.isoformat()):
            revise_minutes(minutes, by=self.secretariat, reason="按意见修改", today=TODAY + DAY)
        self.assert_in_review(minutes)
        agree_to_minutes(minutes, self.mz, by=self.mz_liaison)
        message = "1 unit has not answered yet; the comment deadline is %(date)s."
        with self.refused(message, date=deadline.isoformat()):  # the last day still counts
            revise_minutes(minutes, by=self.secretariat, reason="按意见修改", today=TODAY + 3 * DAY)
        self.assert_in_review(minutes)

    def test_revising_once_every_unit_answered(self):
        minutes = self.drafted()
        self.send(minutes, deadline=TODAY + 3 * DAY)
        comment_on_minutes(minutes, self.zgh, "请补充", by=self.other_liaison)
        agree_to_minutes(minutes, self.mz, by=self.mz_liaison)
        agree_to_minutes(minutes, self.tsw, by=self.convener_liaison)
        revision = revise_minutes(minutes, by=self.secretariat, reason="按意见修改", today=TODAY + DAY)
        self.assertEqual((revision.number, minutes.state), (2, MinutesState.REVISED))

    def test_revising_after_the_deadline(self):
        minutes = self.drafted()
        self.send(minutes, deadline=TODAY + 3 * DAY)
        revise_minutes(minutes, by=self.secretariat, today=TODAY + 4 * DAY)
        self.assertEqual(minutes.state, MinutesState.REVISED)

    def test_a_correction_is_approved_directly(self):
        minutes = self.drafted()
        self.approved(minutes)
        correct_minutes(minutes, "更正错字", by=self.secretariat)
        self.assertEqual(minutes.state, MinutesState.REVISED)
        self.approve(minutes)
        self.assertEqual((minutes.state, minutes.revision), (MinutesState.APPROVED, 2))


class RoundsKeptTests(MinutesCase):
    def test_two_rounds_keep_their_text_and_comments_and_compare_shows_the_change(self):
        minutes = self.drafted()
        item = self.items(minutes)[0]
        update_item_summary(item, "会议听取了情况通报。", by=self.secretariat)
        decision = self.action(minutes, text="走访困难职工")
        first = self.send(minutes)
        comment_on_minutes(minutes, self.zgh, "请写明走访户数", agenda_item=item.agenda_item, by=self.other_liaison)
        agree_to_minutes(minutes, self.mz, by=self.mz_liaison)
        agree_to_minutes(minutes, self.tsw, by=self.convener_liaison)
        second = revise_minutes(minutes, by=self.secretariat, reason="按总工会意见修改")
        self.assertEqual((second.number, second.reason, minutes.revision), (2, "按总工会意见修改", 2))
        update_item_summary(item, "会议听取了情况通报，走访困难职工30户。", by=self.secretariat)
        update_decision(decision, "走访困难职工30户", units=[self.zgh], due_on=TODAY + 10 * DAY, by=self.secretariat)
        removed_later = self.action(minutes, text="新增：慈善对接", units=[self.tsw], index=1)
        self.send(minutes, deadline=TODAY + 5 * DAY)
        agree_to_minutes(minutes, self.zgh, by=self.other_liaison)

        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual(first.content["items"][0]["summary"], "会议听取了情况通报。")
        self.assertEqual(second.content["items"][0]["summary"], "会议听取了情况通报，走访困难职工30户。")
        self.assertEqual(list(first.comments.values_list("text", flat=True)), ["请写明走访户数"])
        self.assertEqual({r.unit for r in first.responses.all()}, {self.zgh, self.mz, self.tsw})
        self.assertEqual([r.unit for r in second.responses.all()], [self.zgh])
        self.assertFalse(second.comments.exists())
        self.assertEqual(first.comment_deadline, TODAY + 7 * DAY)
        self.assertEqual(second.comment_deadline, TODAY + 5 * DAY)
        self.assertEqual(pending_reviewers(minutes), [self.mz, self.tsw])

        with translation.override("en"):
            differences = minutes_text.compare(first.content, second.content)
        self.assertEqual([d["title"] for d in differences], ["议题一", "议题二"])
        summary, changed = differences[0]["changes"]
        self.assertEqual(summary["field"], "Summary")
        self.assertEqual(summary["old"], "会议听取了情况通报。")
        self.assertEqual(summary["new"], "会议听取了情况通报，走访困难职工30户。")
        self.assertEqual(changed["field"], "Action item")
        self.assertTrue(changed["old"].startswith("走访困难职工;"))
        self.assertTrue(changed["new"].startswith("走访困难职工30户;"))
        [added] = differences[1]["changes"]
        self.assertEqual(added["old"], "")
        self.assertIn("新增：慈善对接", added["new"])
        self.assertIn(self.tsw.name, added["new"])
        [removed] = minutes_text.compare(second.content, first.content)[1]["changes"]
        self.assertEqual(removed["new"], "")
        self.assertIn(str(removed_later.text), removed["old"])
        self.assertEqual(minutes_text.compare(first.content, first.content), [])

    def test_compare_names_a_changed_opening_first(self):
        old = {"opening": "甲", "items": []}
        new = {"opening": "乙", "items": []}
        with translation.override("en"):
            [difference] = minutes_text.compare(old, new)
        self.assertEqual(difference["changes"], [{"field": "Opening paragraph", "old": "甲", "new": "乙"}])


class MailTests(MinutesCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.fl = MemberUnitFactory(mechanism=cls.province, code="fl", name="山西省妇女联合会")
        cls.fl_liaison = cls.member("fl_liaison", cls.fl, Role.LIAISON)
        cls.gone = MemberUnitFactory(
            mechanism=cls.province, code="gone", name="已退出单位", left_on=datetime.date(2025, 12, 31)
        )
        cls.gone_liaison = cls.member("gone_liaison", cls.gone, Role.LIAISON)
        cls.ty_liaison = cls.member("ty_liaison", cls.ty_fl, Role.LIAISON)

    def test_the_review_mail_goes_to_the_reviewer_units_liaisons_only_and_once(self):
        minutes = self.drafted(attendees=[self.zgh, self.tsw], invited_units=[self.mz, self.zgh, self.tsw, self.fl])
        mail.outbox.clear()
        revision = self.send(minutes, deadline=TODAY + 5 * DAY)
        self.assertEqual(
            sorted(address for message in mail.outbox for address in message.to),
            [self.convener_liaison.email, self.other_liaison.email],
        )
        message = mail.outbox[0]
        self.assertIn(str(minutes.meeting.name), message.subject)
        self.assertIn((TODAY + 5 * DAY).isoformat(), message.body)
        self.assertIn(f"/admin/meetings/{minutes.meeting.pk}/", message.body)
        self.assertEqual(send_review_mail(revision.pk), 0)  # the task run again: nothing more
        self.assertEqual(len(mail.outbox), 2)
        revision.refresh_from_db()
        self.assertIsNotNone(revision.review_mailed_at)

    def test_the_publication_mail_goes_to_every_active_unit_once(self):
        minutes = self.drafted()
        self.action(minutes, units=[self.zgh], text="走访困难职工家庭")
        self.approved(minutes)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            publish_minutes(minutes, by=self.secretariat)
        received = sorted(address for message in mail.outbox for address in message.to)
        expected = [self.mz_liaison, self.convener_liaison, self.other_liaison, self.fl_liaison]
        self.assertEqual(received, sorted(user.email for user in expected))
        self.assertNotIn(self.gone_liaison.email, received)
        self.assertNotIn(self.ty_liaison.email, received)
        to_zgh = next(m for m in mail.outbox if m.to == [self.other_liaison.email])
        self.assertIn("走访困难职工家庭", to_zgh.body)
        self.assertIn(str(minutes.meeting.name), to_zgh.subject)
        self.assertEqual(send_publication_mail(minutes.pk), 0)
        self.assertEqual(len(mail.outbox), 4)

    def test_the_publication_mail_attaches_the_minutes_when_the_document_kind_exists(self):
        from mechanism.documents import registry

        minutes = self.drafted()
        self.approved(minutes)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            publish_minutes(minutes, by=self.secretariat)
        self.assertTrue(mail.outbox)
        try:
            registry.get_kind("minutes")
        except LookupError:
            self.assertTrue(all(not m.attachments for m in mail.outbox))
        else:
            for message in mail.outbox:
                [(name, content, mimetype)] = message.attachments
                self.assertTrue(name.endswith(".docx"))
                self.assertTrue(content.startswith(b"PK"))


class AccessTests(MinutesCase):
    def test_who_may_draft_and_approve(self):
        self.assertTrue(may_draft_minutes(self.secretariat, self.province))
        self.assertTrue(may_draft_minutes(self.convener_liaison, self.province))
        self.assertFalse(may_draft_minutes(self.other_liaison, self.province))
        self.assertTrue(may_approve_minutes(self.convener_liaison, self.province))
        self.assertTrue(may_approve_minutes(self.admin, self.province))
        self.assertFalse(may_approve_minutes(self.secretariat, self.province))
        self.assertFalse(may_approve_minutes(self.other_liaison, self.province))
        last_year = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
        self.assertTrue(may_approve_minutes(self.other_liaison, self.province, moment=last_year))

    def test_before_publication_only_drafters_supervisors_convener_and_reviewers_read(self):
        fl = MemberUnitFactory(mechanism=self.province, code="fl")
        fl_liaison = self.member("fl_liaison", fl, Role.LIAISON)
        minutes = self.drafted(attendees=[self.zgh], invited_units=[self.zgh, fl])
        pk = minutes.meeting.pk
        for user in (self.secretariat, self.supervisor, self.convener_liaison, self.admin):
            self.assertEqual(get_minutes_for_user(user, pk), minutes)
        for user in (self.other_liaison, fl_liaison, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(Http404):
                get_minutes_for_user(user, pk)
        self.send(minutes)
        self.assertEqual(get_minutes_for_user(self.other_liaison, pk), minutes)  # asked to review
        self.assertEqual(reviewing_units(self.other_liaison, minutes), [self.zgh])
        self.assertEqual(reviewing_units(fl_liaison, minutes), [])
        with self.assertRaises(Http404):
            get_minutes_for_user(fl_liaison, pk)

    def test_after_publication_every_reader_of_the_mechanism(self):
        fl = MemberUnitFactory(mechanism=self.province, code="fl")
        fl_liaison = self.member("fl_liaison", fl, Role.LIAISON)
        minutes = self.drafted()
        self.approved(minutes)
        with self.captureOnCommitCallbacks(execute=True):
            publish_minutes(minutes, by=self.secretariat)
        self.assertEqual(get_minutes_for_user(fl_liaison, minutes.meeting.pk), minutes)
        with self.assertRaises(Http404):
            get_minutes_for_user(self.outsider, minutes.meeting.pk)

    def test_a_meeting_without_minutes_is_404(self):
        meeting = self.held()
        with self.assertRaises(Http404):
            get_minutes_for_user(self.secretariat, meeting.pk)
