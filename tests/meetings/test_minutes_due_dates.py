"""Due dates of decisions and action items in working days: set at approval when none is given, and never on a
day off (2026: the National Day holiday is 1–7 October, Saturday 10 October a working day)."""

import datetime

import time_machine

from mechanism.models import Assignment, Case, Urgency
from mechanism.services import triage
from meetings.models import Decision, DecisionKind, MinutesRevision
from meetings.services import add_decision, update_decision
from tests.factories import SHANGHAI
from tests.meetings.test_minutes_decisions import DecisionsCase
from tests.meetings.test_minutes_lifecycle import DAY, TODAY

BEFORE_HOLIDAY = datetime.datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)  # a Monday


class DefaultDueDateTests(DecisionsCase):
    def approved_at(self, minutes, moment):
        with time_machine.travel(moment, tick=False):
            self.send(minutes, deadline=moment.date() + DAY)
            self.all_agree(minutes)
            return self.approve(minutes)

    def test_an_action_item_without_a_due_date_is_due_in_ten_working_days(self):
        minutes = self.drafted()
        decision = self.action(minutes, due_on=None)
        [assignment] = self.approved_at(minutes, BEFORE_HOLIDAY)
        expected = datetime.date(2026, 10, 16)  # 29, 30 Sep; 8, 9, 10, 12–16 Oct
        self.assertEqual((assignment.due_on, assignment.due_provisional), (expected, False))
        decision.refresh_from_db()
        self.assertEqual(decision.due_on, expected)
        approved = MinutesRevision.objects.get(minutes=minutes, approved_at__isnull=False)
        self.assertEqual(approved.content["items"][0]["decisions"][0]["due_on"], expected.isoformat())

    def test_a_case_decision_without_a_due_date_is_due_by_the_cases_urgency(self):
        minutes, case = self.case_minutes()
        Case.objects.filter(pk=case.pk).update(urgency=Urgency.URGENT)
        decision = self.refer(minutes, units=[self.zgh], due_on=None)
        self.approved_at(minutes, BEFORE_HOLIDAY)
        expected = datetime.date(2026, 10, 8)  # three working days: 29, 30 Sep, 8 Oct
        self.assertEqual(triage.default_due(Urgency.URGENT, BEFORE_HOLIDAY.date()).day, expected)
        self.assertEqual(Assignment.objects.get(case=case).due_on, expected)
        self.assertEqual(Decision.objects.get(pk=decision.pk).due_on, expected)

    def test_a_given_due_date_is_kept(self):
        minutes = self.drafted()
        self.action(minutes, due_on=TODAY + 10 * DAY)
        [assignment] = self.approved(minutes)
        self.assertEqual(assignment.due_on, TODAY + 10 * DAY)


class DayOffRefusedTests(DecisionsCase):
    def test_a_saturday_is_refused(self):
        saturday = TODAY + 5 * DAY  # 2026-03-07
        minutes = self.drafted()
        message = "%(date)s is not a working day; choose a working day."
        with self.refused(message, date="2026-03-07"):
            self.action(minutes, due_on=saturday)
        self.assertFalse(Decision.objects.exists())
        minutes_with_case, _case = self.case_minutes()
        with self.refused(message, date="2026-03-07"):
            self.refer(minutes_with_case, due_on=saturday)
        decision = self.action(minutes, due_on=TODAY + 4 * DAY)
        with self.refused(message, date="2026-03-07"):
            update_decision(decision, "改", units=[self.zgh], due_on=saturday, by=self.secretariat)
        self.assertEqual(Decision.objects.get(pk=decision.pk).due_on, TODAY + 4 * DAY)

    def test_a_holiday_is_refused_and_a_made_up_working_saturday_accepted(self):
        with time_machine.travel(BEFORE_HOLIDAY, tick=False):
            minutes = self.drafted()
            item = self.items(minutes)[0]
            with self.refused("%(date)s is not a working day; choose a working day.", date="2026-10-05"):
                add_decision(item, DecisionKind.ACTION, "督办", units=[self.zgh], due_on=datetime.date(2026, 10, 5))
            decision = add_decision(
                item, DecisionKind.ACTION, "督办", units=[self.zgh], due_on=datetime.date(2026, 10, 10)
            )
        self.assertEqual(decision.due_on, datetime.date(2026, 10, 10))
