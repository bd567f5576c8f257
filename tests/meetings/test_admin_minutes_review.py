"""The review round on the minutes screen: reviewing liaisons agree or comment, rounds and comments are kept,
the convener approves (the secretariat cannot), and two revisions are compared side by side."""

import datetime

import time_machine
from django.urls import reverse

from mechanism.models import Assignment, Role
from meetings.models import MinutesComment, MinutesState, ReviewResponse
from meetings.services import agree_to_minutes, comment_on_minutes, revise_minutes, update_item_summary
from tests.factories import MembershipFactory

from .test_admin_meeting import NOW
from .test_admin_minutes import DEADLINE, MinutesAdminCase

S = MinutesState


@time_machine.travel(NOW, tick=False)
class MinutesReviewTests(MinutesAdminCase):
    def test_reviewing_liaison_sees_forms_and_agrees_for_its_unit(self):
        minutes = self.in_review(self.minutes())
        response = self.screen(self.other_liaison, minutes)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "data-review-forms")
        self.assertNotContains(response, self.minutes_url("send", minutes))
        self.assertNotContains(response, self.minutes_url("approve", minutes))
        response = self.act(self.other_liaison, "agree", minutes, {"unit": self.zgh.pk})
        self.assertIn("山西省总工会 agrees to the minutes.", self.said(response))
        self.assertTrue(ReviewResponse.objects.get(unit=self.zgh).agreed)
        self.assertContains(response, f'data-reviewer="{self.zgh.pk}" data-answer="agreed"')
        self.assertContains(response, f'data-reviewer="{self.tsw.pk}" data-answer="pending"')

    def test_reviewing_liaison_comments_on_an_item_and_on_the_whole(self):
        minutes = self.in_review(self.minutes(titles=("议题一", "议题二")))
        second = self.item(minutes, 1).agenda_item
        self.act(self.other_liaison, "comment", minutes, {"unit": self.zgh.pk, "agenda_item": second.pk,
                                                          "text": "第二项表述不准确"})  # fmt: skip
        response = self.act(self.other_liaison, "comment", minutes, {"unit": self.zgh.pk, "text": "整体同意"})
        self.assertIn("Comment of 山西省总工会 recorded.", self.said(response))
        comments = list(MinutesComment.objects.order_by("pk").values_list("agenda_item", "text"))
        self.assertEqual(comments, [(second.pk, "第二项表述不准确"), (None, "整体同意")])
        self.assertContains(response, f'data-reviewer="{self.zgh.pk}" data-answer="commented"')
        self.assertContains(response, "第二项表述不准确")

    def test_liaison_of_two_reviewing_units_chooses_the_unit(self):
        user = self.member("two_units", self.zgh, Role.LIAISON)
        MembershipFactory(user=user, unit=self.tsw, role=Role.LIAISON)
        minutes = self.in_review(self.minutes())
        response = self.screen(user, minutes)
        choices = dict(response.context["forms"]["agree"].fields["unit"].choices)
        self.assertEqual(set(choices), {self.zgh.pk, self.tsw.pk})
        self.assertContains(response, 'name="unit"')
        self.act(user, "agree", minutes, {"unit": self.tsw.pk})
        self.assertEqual(list(ReviewResponse.objects.values_list("unit", flat=True)), [self.tsw.pk])

    def test_answer_for_a_unit_not_ones_own_is_refused(self):
        minutes = self.in_review(self.minutes())
        response = self.act(self.other_liaison, "agree", minutes, {"unit": self.tsw.pk})
        self.assertIn("Nothing was saved", self.said(response))
        self.assertFalse(ReviewResponse.objects.exists())

    def test_empty_comment_is_refused(self):
        minutes = self.in_review(self.minutes())
        response = self.act(self.other_liaison, "comment", minutes, {"unit": self.zgh.pk, "text": "  "})
        self.assertIn("Nothing was saved", self.said(response))
        self.assertContains(response, "Write the comment.")
        self.assertFalse(MinutesComment.objects.exists())

    def test_non_reviewer_who_may_see_cannot_answer(self):
        minutes = self.in_review(self.minutes())
        for name, data in [("agree", {"unit": self.mz.pk}), ("comment", {"unit": self.mz.pk, "text": "意见"})]:
            with self.subTest(name):
                response = self.act(self.secretariat, name, minutes, data)
                self.assertIn("Only a liaison of a unit asked to review", self.said(response))
        self.assertFalse(ReviewResponse.objects.exists())

    def test_rounds_and_their_comments_are_kept_and_shown_by_revision(self):
        minutes = self.in_review(self.minutes())
        comment_on_minutes(minutes, self.zgh, "第一轮意见", by=self.other_liaison)
        response = self.act(self.secretariat, "revise", self.close_round(minutes), {"reason": "吸收总工会意见"})
        self.assertIn("Revision 2 started.", self.said(response))
        minutes.refresh_from_db()
        self.assertEqual((minutes.state, minutes.revision), (S.REVISED, 2))
        self.in_review(minutes)
        comment_on_minutes(minutes, self.tsw, "第二轮意见", by=self.convener_liaison)
        response = self.screen(self.secretariat, minutes)
        self.assertContains(response, 'data-comments-revision="1"')
        self.assertContains(response, 'data-comments-revision="2"')
        self.assertContains(response, "第一轮意见")
        self.assertContains(response, "第二轮意见")
        self.assertContains(response, "吸收总工会意见")
        self.assertEqual(response.context["round"]["revision"].number, 2)


@time_machine.travel(NOW, tick=False)
class MinutesApprovalTests(MinutesAdminCase):
    def answered(self, minutes):
        self.in_review(minutes)
        agree_to_minutes(minutes, self.zgh, by=self.other_liaison)
        agree_to_minutes(minutes, self.tsw, by=self.convener_liaison)
        minutes.refresh_from_db()
        return minutes

    def test_convener_liaison_approves_and_the_assignments_are_shown(self):
        minutes = self.minutes()
        decision = self.action_item(minutes)
        self.answered(minutes)
        response = self.screen(self.convener_liaison, minutes)
        self.assertContains(response, self.minutes_url("approve", minutes))
        response = self.act(self.convener_liaison, "approve", minutes)
        self.assertIn("The minutes are approved; 1 assignment was created.", self.said(response))
        minutes.refresh_from_db()
        self.assertEqual((minutes.state, minutes.approved_by), (S.APPROVED, self.convener_liaison))
        assignment = Assignment.objects.get()
        self.assertEqual((assignment.unit, assignment.source_id), (self.zgh, decision.pk))
        self.assertContains(response, reverse("casework:assignment", args=[assignment.pk]))
        self.assertNotContains(response, self.minutes_url("edit_decision", minutes))
        self.assertContains(response, self.minutes_url("publish", minutes))  # a drafter too
        self.assertContains(response, self.minutes_url("correct", minutes))

    def test_secretariat_cannot_approve(self):
        minutes = self.answered(self.minutes())
        response = self.act(self.secretariat, "approve", minutes)
        self.assertIn("Only the convener approves the minutes.", self.said(response))
        minutes.refresh_from_db()
        self.assertEqual((minutes.state, minutes.approved_at), (S.IN_REVIEW, None))
        self.assertFalse(Assignment.objects.exists())

    def test_approving_while_comments_are_pending_before_the_deadline_is_refused(self):
        minutes = self.in_review(self.minutes())
        agree_to_minutes(minutes, self.zgh, by=self.other_liaison)
        minutes.refresh_from_db()
        response = self.act(self.convener_liaison, "approve", minutes)
        self.assertIn("1 unit has not answered yet", self.said(response))
        minutes.refresh_from_db()
        self.assertEqual(minutes.state, S.IN_REVIEW)

    def test_approving_after_the_deadline_with_pending_units(self):
        minutes = self.in_review(self.minutes())
        with time_machine.travel(datetime.datetime.combine(DEADLINE, datetime.time(12)) + datetime.timedelta(days=1)):
            self.act(self.convener_liaison, "approve", minutes)
        minutes.refresh_from_db()
        self.assertEqual(minutes.state, S.APPROVED)

    def test_approving_twice_from_an_old_page_is_stale(self):
        minutes = self.answered(self.minutes())
        shown = {"state": minutes.state, "revision": minutes.revision, "updated_at": minutes.updated_at.isoformat()}
        self.act(self.convener_liaison, "approve", minutes)
        self.login(self.convener_liaison)
        response = self.client.post(self.minutes_url("approve", minutes), shown, follow=True,
                                    HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
        self.assertIn("Someone else changed this", self.said(response))


@time_machine.travel(NOW, tick=False)
class MinutesCompareTests(MinutesAdminCase):
    def test_compare_two_revisions_side_by_side(self):
        minutes = self.minutes()
        item = self.item(minutes)
        update_item_summary(item, "旧的摘要", by=self.secretariat)
        self.close_round(self.in_review(minutes))
        revise_minutes(minutes, by=self.secretariat, reason="改摘要")
        minutes.refresh_from_db()
        update_item_summary(item, "新的摘要", by=self.secretariat)
        self.in_review(minutes)
        response = self.screen(self.secretariat, minutes)
        self.assertContains(response, reverse("meetings_admin:minutes_compare", args=[minutes.meeting_id]))
        url = self.minutes_url("compare", minutes)
        response = self.login(self.secretariat).get(url, {"old": 1, "new": 2}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "旧的摘要")
        self.assertContains(response, "新的摘要")
        self.assertEqual(len(response.context["differences"]), 1)

    def test_compare_the_revision_being_edited_reads_the_current_text(self):
        minutes = self.close_round(self.in_review(self.minutes()))
        revise_minutes(minutes, by=self.secretariat)
        minutes.refresh_from_db()
        update_item_summary(self.item(minutes), "正在修改的摘要", by=self.secretariat)
        response = self.login(self.secretariat).get(self.minutes_url("compare", minutes), {"old": 1, "new": 2})
        self.assertContains(response, "正在修改的摘要")

    def test_compare_with_odd_numbers_is_404(self):
        minutes = self.minutes()
        self.login(self.secretariat)
        for query in [{"old": 1, "new": 7}, {"old": "x", "new": 1}, {"old": 1}]:
            with self.subTest(query):
                self.assertEqual(self.client.get(self.minutes_url("compare", minutes), query).status_code, 404)
        self.assertEqual(self.client.get(self.minutes_url("compare", minutes)).status_code, 200)
