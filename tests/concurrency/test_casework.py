"""Cases and assignments: two sessions act on the same one; one act is done, the other is told it changed."""

import datetime

from django.urls import reverse
from django.utils import timezone

from mechanism.models import Assignment, AssignmentState, Case, CaseState, FollowUp
from mechanism.services import assignments as work
from mechanism.services import triage
from tests.casework import make_case

from .base import TwoSessionsCase, page_stamp


def case_url(case):
    return reverse("casework:case", args=[case.pk])


def assignment_url(assignment):
    return reverse("casework:assignment", args=[assignment.pk])


class CaseActs(TwoSessionsCase):
    def two_pages(self, case, first_action, second_action, first_user=None, second_user=None):
        """Two sessions open the case; each returns a function posting its act from the page it read."""
        url = case_url(case)
        acts = []
        for user, (action, data) in ((first_user or self.secretariat, first_action),
                                     (second_user or self.secretariat2, second_action)):  # fmt: skip
            client = self.session(user)
            stamp = page_stamp(client.get(url), url, action)
            acts.append(lambda client=client, stamp=stamp, data=data: client.post(url, {**stamp, **data}))
        return acts

    def accept_or_decline(self):
        case = make_case(self.province, by=self.secretariat)
        return case, self.two_pages(case, ("accept", {}), ("decline", {"reason": "不属于救助范围"}))

    def check_accept_or_decline(self, case, winner):
        case.refresh_from_db()
        if winner == 0:
            self.assertEqual((case.state, case.state_reason), (CaseState.ACCEPTED, ""))
        else:
            self.assertEqual((case.state, case.state_reason), (CaseState.DECLINED, "不属于救助范围"))

    def test_accept_then_decline_from_the_old_page_is_refused(self):
        case, (accept, decline) = self.accept_or_decline()
        self.check_accept_or_decline(case, self.sequential(accept, decline))
        self.counted("case: accept / decline")

    def test_accept_and_decline_at_once_one_is_done(self):
        case, acts = self.accept_or_decline()
        self.check_accept_or_decline(case, self.race(*acts))
        self.counted("case: accept / decline")

    def two_referrals(self):
        case = make_case(self.province, by=self.secretariat)
        triage.accept_case(case, by=self.secretariat)
        due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
        first = ("refer", {"units": [self.zgh.pk], "due_on": due, "task": "入户走访"})
        second = ("refer", {"units": [self.tsw.pk], "due_on": due, "task": "安排志愿者"})
        return case, self.two_pages(case, first, second)

    def check_referral(self, case, winner):
        unit, task = [(self.zgh, "入户走访"), (self.tsw, "安排志愿者")][winner]
        case.refresh_from_db()
        self.assertEqual(case.state, CaseState.REFERRED)
        self.assertEqual(list(case.assignments.values_list("unit", "task")), [(unit.pk, task)])

    def test_a_second_referral_from_the_old_page_is_refused(self):
        case, (first, second) = self.two_referrals()
        self.check_referral(case, self.sequential(first, second))
        self.counted("case: refer")

    def test_two_referrals_at_once_one_is_done(self):
        case, acts = self.two_referrals()
        self.check_referral(case, self.race(*acts))
        self.counted("case: refer")

    def close_or_reopen(self):
        case = make_case(self.province, by=self.secretariat)
        triage.accept_case(case, by=self.secretariat)
        triage.refer_case(case, [self.zgh], by=self.secretariat)
        triage.resolve_case(case, "已发放临时救助", by=self.secretariat)
        today = timezone.localdate().isoformat()
        close = ("close", {"verified_on": today, "result": "回访满意"})
        reopen = ("reopen", {"reason": "困难未解决"})
        return case, self.two_pages(case, close, reopen)

    def check_close_or_reopen(self, case, winner):
        case.refresh_from_db()
        if winner == 0:
            self.assertEqual((case.state, case.verification_result), (CaseState.CLOSED, "回访满意"))
            self.assertEqual(case.state_reason, "已发放临时救助")
        else:
            self.assertEqual((case.state, case.state_reason), (CaseState.ACCEPTED, "困难未解决"))
            self.assertEqual((case.verified_on, case.verification_result), (None, ""))

    def test_close_then_reopen_from_the_old_page_is_refused(self):
        case, (close, reopen) = self.close_or_reopen()
        self.check_close_or_reopen(case, self.sequential(close, reopen))
        self.counted("case: close / reopen")

    def test_close_and_reopen_at_once_one_is_done(self):
        case, acts = self.close_or_reopen()
        self.check_close_or_reopen(case, self.race(*acts))
        self.counted("case: close / reopen")


class AssignmentActs(TwoSessionsCase):
    """The liaison of the unit works its assignment in two sessions (two tabs, or two colleagues)."""

    def assignment(self, acknowledged=True):
        case = make_case(self.province, by=self.secretariat)
        triage.accept_case(case, by=self.secretariat)
        [assignment] = triage.refer_case(case, [self.zgh], by=self.secretariat)
        if acknowledged:
            work.acknowledge_assignment(assignment, by=self.other_liaison)
        return assignment

    def two_pages(self, assignment, *acts):
        url = assignment_url(assignment)
        posts = []
        for action, data in acts:
            client = self.session(self.other_liaison)
            stamp = page_stamp(client.get(url), url, action)
            posts.append(lambda client=client, stamp=stamp, data=data: client.post(url, {**stamp, **data}))
        return posts

    def complete_or_return(self):
        assignment = self.assignment()
        acts = self.two_pages(
            assignment, ("complete", {"outcome": "已送去慰问金"}), ("return", {"reason": "非本单位职责"})
        )
        return assignment, acts

    def check_complete_or_return(self, assignment, winner):
        assignment.refresh_from_db()
        if winner == 0:
            expected = (AssignmentState.COMPLETED, "已送去慰问金", "")
        else:
            expected = (AssignmentState.RETURNED, "", "非本单位职责")
        self.assertEqual((assignment.state, assignment.outcome, assignment.return_reason), expected)

    def test_complete_then_return_from_the_old_page_is_refused(self):
        assignment, (complete, send_back) = self.complete_or_return()
        self.check_complete_or_return(assignment, self.sequential(complete, send_back))
        self.counted("assignment: complete / return")

    def test_complete_and_return_at_once_one_is_done(self):
        assignment, acts = self.complete_or_return()
        self.check_complete_or_return(assignment, self.race(*acts))
        self.counted("assignment: complete / return")

    def test_two_acknowledgements_at_once_sign_once(self):
        assignment = self.assignment(acknowledged=False)
        self.race(*self.two_pages(assignment, ("acknowledge", {}), ("acknowledge", {})))
        assignment.refresh_from_db()
        self.assertEqual(assignment.state, AssignmentState.ACKNOWLEDGED)
        self.assertEqual(Case.objects.get(pk=assignment.case_id).state, CaseState.IN_PROGRESS)
        self.counted("assignment: acknowledge")

    def test_a_follow_up_on_the_page_before_completion_is_refused(self):
        assignment = self.assignment()
        today = timezone.localdate().isoformat()
        complete, follow_up = self.two_pages(
            assignment,
            ("complete", {"outcome": "已送去慰问金"}),
            ("follow_up", {"kind": "call", "happened_on": today, "text": "电话回访"}),
        )
        self.sequential(complete, follow_up)
        assignment.refresh_from_db()
        self.assertEqual((assignment.state, assignment.outcome), (AssignmentState.COMPLETED, "已送去慰问金"))
        self.assertFalse(FollowUp.objects.filter(assignment=assignment).exists())
        self.counted("assignment: complete / follow-up")

    def test_two_follow_ups_at_once_are_both_kept(self):
        """A follow-up adds to the assignment and changes nothing written before: both are kept."""
        assignment = self.assignment()
        today = timezone.localdate().isoformat()
        posts = self.two_pages(
            assignment,
            ("follow_up", {"kind": "call", "happened_on": today, "text": "电话回访"}),
            ("follow_up", {"kind": "visit", "happened_on": today, "text": "入户走访"}),
        )
        for post in posts:
            post()
        self.assertEqual(
            sorted(FollowUp.objects.filter(assignment=assignment).values_list("text", flat=True)),
            ["入户走访", "电话回访"],
        )
        self.assertEqual(Assignment.objects.get(pk=assignment.pk).state, AssignmentState.ACKNOWLEDGED)
