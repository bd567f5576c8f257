"""Decisions and action items: their rules, and the assignments approval creates from them, exactly once."""

from django.contrib.contenttypes.models import ContentType
from django.core import mail

from mechanism.models import Assignment, CaseState, UnitKind
from mechanism.services import triage
from meetings.models import AgendaItemKind, Decision, DecisionKind, MinutesState
from meetings.services import (
    add_decision,
    apply_decisions,
    approve_minutes,
    correct_minutes,
    remove_decision,
    revise_minutes,
    send_minutes_for_review,
    update_decision,
)
from tests.casework import make_case
from tests.factories import MemberUnitFactory
from tests.meetings.test_minutes_lifecycle import DAY, TODAY, MinutesCase


class DecisionsCase(MinutesCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.charity = MemberUnitFactory(
            mechanism=cls.province, code="cszh", name="山西省慈善总会", kind=UnitKind.CHARITY
        )
        cls.fl = MemberUnitFactory(mechanism=cls.province, code="fl", name="山西省妇女联合会")

    def case_minutes(self, consent=True, state=CaseState.TABLED):
        """Minutes of a meeting with a case item (agenda item 1) and a topic (item 2)."""
        case = make_case(self.province, by=self.secretariat, consent_given=consent)
        triage.accept_case(case, by=self.secretariat)
        if state == CaseState.TABLED:
            triage.table_case(case, by=self.secretariat)
        items = [{"title": "个案研究", "kind": AgendaItemKind.CASE, "case": case}, "议题二"]
        minutes = self.drafted(items=items)
        case.refresh_from_db()
        return minutes, case

    def refer(self, minutes, units=None, due_on=TODAY + 15 * DAY, text="请联合帮扶"):
        units = [self.zgh, self.fl] if units is None else units
        item = self.items(minutes)[0]
        return add_decision(item, DecisionKind.DECISION, text, units=units, due_on=due_on, by=self.secretariat)


class DecisionRulesTests(DecisionsCase):
    def test_an_action_item_with_units_due_date_and_expected_result(self):
        minutes = self.drafted()
        decision = self.action(minutes, units=[self.zgh, self.tsw, self.zgh], expected_result="形成走访报告")
        self.assertEqual(set(decision.units.all()), {self.zgh, self.tsw})
        self.assertEqual((decision.created_in, decision.order, decision.expected_result), (1, 1, "形成走访报告"))
        self.assertEqual(self.action(minutes, text="第二项").order, 2)

    def test_text_and_kind_are_required(self):
        item = self.items(self.drafted())[0]
        with self.refused("Write the decision or action item."):
            add_decision(item, DecisionKind.ACTION, "  ", units=[self.zgh], due_on=TODAY, by=self.secretariat)
        with self.refused("Choose whether this is a decision or an action item."):
            add_decision(item, "wish", "文本", by=self.secretariat)
        self.assertFalse(Decision.objects.exists())

    def test_a_unit_that_has_left_is_refused(self):
        gone = MemberUnitFactory(mechanism=self.province, code="gone", left_on=TODAY - 10 * DAY)
        minutes = self.drafted()
        with self.refused("%(unit)s has left the mechanism.", unit=gone.name):
            self.action(minutes, units=[self.zgh, gone])
        with self.refused("%(unit)s is not a member unit of this mechanism.", unit=self.ty_fl.name):
            self.action(minutes, units=[self.ty_fl])
        self.assertFalse(Decision.objects.exists())

    def test_a_due_date_in_the_past_is_refused(self):
        minutes = self.drafted()
        with self.refused("The due date cannot be in the past."):
            self.action(minutes, due_on=TODAY - DAY)
        self.assertFalse(Decision.objects.exists())
        self.assertEqual(self.action(minutes, due_on=TODAY).due_on, TODAY)

    def test_an_action_item_needs_a_unit_but_not_a_due_date(self):
        minutes = self.drafted()
        with self.refused("An action item needs at least one responsible unit."):
            self.action(minutes, units=[])
        self.assertFalse(Decision.objects.exists())
        self.assertIsNone(self.action(minutes, due_on=None).due_on)  # set at approval, in working days

    def test_a_decision_names_units_only_on_a_case_item(self):
        minutes, _case = self.case_minutes()
        topic = self.items(minutes)[1]
        plain = add_decision(topic, DecisionKind.DECISION, "原则同意方案", by=self.secretariat)
        self.assertFalse(plain.units.exists())
        message = "Only a decision on a case item names responsible units; make it an action item instead."
        with self.refused(message):
            add_decision(topic, DecisionKind.DECISION, "转介", units=[self.zgh], due_on=TODAY, by=self.secretariat)
        self.assertEqual(Decision.objects.count(), 1)
        self.assertIsNone(self.refer(minutes, due_on=None).due_on)  # by the case's urgency at approval

    def test_a_charity_needs_the_cases_consent(self):
        minutes, _case = self.case_minutes(consent=False)
        message = "%(unit)s is a charity: without the person's consent to share, the case cannot go to it."
        with self.refused(message, unit=self.charity.name):
            self.refer(minutes, units=[self.charity])
        self.assertFalse(Decision.objects.exists())

    def test_update_and_remove_while_drafted(self):
        minutes = self.drafted()
        decision = self.action(minutes)
        update_decision(decision, "改后的督办", units=[self.tsw], due_on=TODAY + 3 * DAY, by=self.secretariat)
        self.assertEqual((decision.text, list(decision.units.all())), ("改后的督办", [self.tsw]))
        with self.refused("The due date cannot be in the past."):
            update_decision(decision, "改", units=[self.tsw], due_on=TODAY - DAY, by=self.secretariat)
        remove_decision(decision, by=self.secretariat)
        self.assertFalse(Decision.objects.exists())

    def test_an_applied_decision_is_neither_changed_nor_removed(self):
        minutes = self.drafted()
        decision = self.action(minutes)
        self.approved(minutes)
        decision.refresh_from_db()
        self.assertTrue(decision.is_applied)
        correct_minutes(minutes, "更正", by=self.secretariat)
        message = "This decision has been carried out already; it can no longer change."
        with self.refused(message):
            update_decision(decision, "改", units=[self.zgh], due_on=TODAY + DAY, by=self.secretariat)
        with self.refused(message):
            remove_decision(decision, by=self.secretariat)
        self.assertTrue(Decision.objects.filter(pk=decision.pk, text="走访困难职工家庭").exists())


class ApprovalCreatesAssignmentsTests(DecisionsCase):
    def test_no_assignment_while_drafted_or_in_review(self):
        minutes, case = self.case_minutes()
        self.action(minutes)
        self.refer(minutes)
        self.assertFalse(Assignment.objects.exists())
        self.send(minutes)
        self.assertFalse(Assignment.objects.exists())
        with self.refused("The decisions are carried out when the minutes are approved."):
            apply_decisions(minutes, by=self.convener_liaison)
        revise_minutes(minutes, by=self.secretariat, today=TODAY + 8 * DAY)  # after the comment deadline
        self.assertFalse(Assignment.objects.exists())
        case.refresh_from_db()
        self.assertEqual(case.state, CaseState.TABLED)

    def test_approval_refers_the_case_and_creates_the_action_items_once(self):
        minutes, case = self.case_minutes()
        refer = self.refer(minutes, text="请总工会、妇联联合帮扶")
        action = self.action(minutes, units=[self.zgh, self.tsw], index=1, expected_result="报送走访情况")
        created = self.approved(minutes)
        self.assertEqual(len(created), 4)
        decision_type = ContentType.objects.get_for_model(Decision)
        referred = Assignment.objects.filter(case=case)
        self.assertEqual({a.unit for a in referred}, {self.zgh, self.fl})
        for assignment in referred:
            self.assertEqual((assignment.source_type, assignment.source_id), (decision_type, refer.pk))
            self.assertEqual(assignment.source, refer)
            self.assertEqual(assignment.due_on, TODAY + 15 * DAY)
            self.assertEqual(assignment.task, "请总工会、妇联联合帮扶")
            self.assertEqual(assignment.assigned_by, self.convener_liaison)
        case.refresh_from_db()
        self.assertEqual(case.state, CaseState.IN_PROGRESS)
        actions = Assignment.objects.filter(case=None)
        self.assertEqual({a.unit for a in actions}, {self.zgh, self.tsw})
        for assignment in actions:
            self.assertEqual(assignment.source, action)
            self.assertEqual(assignment.task, "走访困难职工家庭\n报送走访情况")
            self.assertEqual((assignment.mechanism, assignment.due_on), (self.province, TODAY + 10 * DAY))
            self.assertEqual(assignment.assigned_by, self.convener_liaison)
        self.assertEqual(set(refer.assignments.all()), set(referred))

        # A second approval is refused; applying again (a retried job) creates nothing.
        with self.refused("The minutes are approved already."):
            approve_minutes(minutes, by=self.convener_liaison)
        self.assertEqual(apply_decisions(minutes, by=self.convener_liaison), [])
        self.assertEqual(apply_decisions(minutes), [])
        self.assertEqual(Assignment.objects.count(), 4)
        self.assertTrue(all(d.is_applied for d in Decision.objects.all()))

    def test_apply_decisions_run_twice_creates_the_assignments_once(self):
        minutes = self.drafted()
        decision = self.action(minutes)
        self.send(minutes)
        self.all_agree(minutes)
        # As if approval had committed its state but its job is run again: the claims decide.
        with self.captureOnCommitCallbacks(execute=True):
            first = approve_minutes(minutes, by=self.convener_liaison)
        Decision.objects.filter(pk=decision.pk).update(applied_at=None)  # pretend the first job never claimed
        Assignment.objects.all().delete()
        created = apply_decisions(minutes, by=self.convener_liaison)
        again = apply_decisions(minutes, by=self.convener_liaison)
        self.assertEqual(len(first), 1)
        self.assertEqual(len(created), 1)
        self.assertEqual(again, [])
        self.assertEqual(Assignment.objects.filter(decision=decision).count(), 1)

    def test_the_new_assignment_is_mailed_to_the_units_liaisons(self):
        minutes = self.drafted()
        self.action(minutes, units=[self.zgh])
        self.send(minutes)
        self.all_agree(minutes)
        mail.outbox.clear()
        self.approve(minutes)
        self.assertEqual([m.to for m in mail.outbox], [[self.other_liaison.email]])


class ApprovalChecksDecisionsTests(DecisionsCase):
    def assert_nothing_approved(self, minutes):
        minutes.refresh_from_db()
        self.assertEqual(minutes.state, MinutesState.REVISED)
        self.assertIsNone(minutes.approved_at)
        self.assertFalse(Assignment.objects.exists())
        self.assertFalse(Decision.objects.filter(applied_at__isnull=False).exists())

    def revised(self, minutes):
        with self.captureOnCommitCallbacks(execute=True):
            send_minutes_for_review(minutes, TODAY + DAY, by=self.secretariat)
        self.all_agree(minutes)
        revise_minutes(minutes, by=self.secretariat)

    def test_a_unit_that_left_after_drafting_stops_the_approval(self):
        minutes = self.drafted()
        self.action(minutes, units=[self.zgh])
        self.action(minutes, units=[self.fl], text="妇联督办")
        self.revised(minutes)
        self.fl.left_on = TODAY
        self.fl.save()
        problem = f"{self.fl.name} has left the mechanism."
        with self.refused(
            "Agenda item “%(item)s”: %(problem)s Change the decision before approving.", item="议题一", problem=problem
        ):
            approve_minutes(minutes, by=self.convener_liaison)
        self.assert_nothing_approved(minutes)

    def test_a_due_date_passed_since_drafting_stops_the_approval(self):
        minutes = self.drafted()
        self.action(minutes, due_on=TODAY + DAY)
        self.revised(minutes)
        with self.refused(
            "Agenda item “%(item)s”: %(problem)s Change the decision before approving.",
            item="议题一",
            problem="The due date cannot be in the past.",
        ):
            approve_minutes(minutes, by=self.convener_liaison, today=TODAY + 2 * DAY)
        self.assert_nothing_approved(minutes)

    def test_a_case_closed_in_the_meantime_stops_the_approval(self):
        minutes, case = self.case_minutes()
        self.refer(minutes)
        self.revised(minutes)
        triage.resolve_case(case, "已由其他渠道解决", by=self.secretariat)
        with self.refused(
            "Agenda item “%(item)s”: %(problem)s Change the decision before approving.",
            item=f"Case {case.reference}",
            problem=f"case {case.reference} is “Resolved” and can no longer be referred.",
        ):
            approve_minutes(minutes, by=self.convener_liaison)
        self.assert_nothing_approved(minutes)
        case.refresh_from_db()
        self.assertEqual(case.state, CaseState.RESOLVED)

    def test_the_convener_liaison_from_another_unit_is_not_enough(self):
        minutes = self.drafted()
        self.revised(minutes)
        with self.refused("Only the convener approves the minutes."):
            approve_minutes(minutes, by=self.mz_liaison)  # a liaison, but of a unit not convening
        self.assert_nothing_approved(minutes)

    def test_an_action_item_due_today_is_still_applied(self):
        minutes = self.drafted()
        self.action(minutes, due_on=TODAY)
        self.revised(minutes)
        [assignment] = self.approve(minutes)
        self.assertEqual(assignment.due_on, TODAY)


class OneCaseSeveralDecisionsTests(DecisionsCase):
    """Several decisions of the same minutes on one case: each unit gets the case once, and approval works."""

    def assert_referred(self, case, units, created):
        self.assertEqual({a.unit for a in created}, set(units))
        self.assertEqual({a.unit for a in Assignment.objects.filter(case=case)}, set(units))
        case.refresh_from_db()
        self.assertEqual(case.state, CaseState.IN_PROGRESS)
        self.assertFalse(Decision.objects.filter(applied_at=None).exclude(units=None).exists())

    def test_two_decisions_with_different_units_on_one_case_item(self):
        minutes, case = self.case_minutes()
        self.refer(minutes, units=[self.zgh], text="请总工会帮扶")
        self.refer(minutes, units=[self.fl], text="请妇联帮扶")
        self.assert_referred(case, [self.zgh, self.fl], self.approved(minutes))

    def test_one_case_on_two_agenda_items(self):
        case = make_case(self.province, by=self.secretariat)
        triage.accept_case(case, by=self.secretariat)
        items = [
            {"title": "个案研究", "kind": AgendaItemKind.CASE, "case": case},
            {"title": "个案研究（续）", "kind": AgendaItemKind.CASE, "case": case},
        ]
        minutes = self.drafted(items=items)
        first, second = self.items(minutes)
        add_decision(first, DecisionKind.DECISION, "请总工会帮扶", units=[self.zgh], due_on=TODAY + 15 * DAY)
        add_decision(second, DecisionKind.DECISION, "请妇联帮扶", units=[self.fl], due_on=TODAY + 15 * DAY)
        self.assert_referred(case, [self.zgh, self.fl], self.approved(minutes))

    def test_the_same_unit_twice_on_one_case_is_refused(self):
        minutes, _case = self.case_minutes()
        first = self.refer(minutes, units=[self.zgh])
        message = "%(unit)s is already named in another decision on this case."
        with self.refused(message, unit=self.zgh.name):
            self.refer(minutes, units=[self.fl, self.zgh], text="再请总工会")
        other = self.refer(minutes, units=[self.fl], text="请妇联")
        with self.refused(message, unit=self.zgh.name):
            update_decision(other, "请妇联、总工会", units=[self.fl, self.zgh], due_on=TODAY + 15 * DAY)
        # A decision keeps its own units when edited.
        update_decision(first, "请总工会帮扶", units=[self.zgh], due_on=TODAY + 15 * DAY)
        self.assertEqual(Decision.objects.count(), 2)
        self.assertEqual(list(Decision.objects.get(pk=other.pk).units.all()), [self.fl])

    def test_a_unit_that_already_has_the_case_is_refused(self):
        minutes, case = self.case_minutes()
        triage.refer_case(case, [self.zgh], by=self.secretariat, due_on=TODAY + 15 * DAY)
        with self.refused("%(unit)s already has this case.", unit=self.zgh.name):
            self.refer(minutes, units=[self.zgh])
        self.assertFalse(Decision.objects.exists())

    def test_a_duplicate_that_reached_the_minutes_stops_the_approval_and_nothing_is_saved(self):
        minutes, case = self.case_minutes()
        self.refer(minutes, units=[self.zgh])
        # As if written before the rule: a second decision naming the same unit.
        item = self.items(minutes)[0]
        twice = Decision.objects.create(item=item, text="再请总工会", due_on=TODAY + 15 * DAY, order=2)
        twice.units.set([self.zgh])
        self.send(minutes)
        self.all_agree(minutes)
        problem = f"{self.zgh.name} is already named in another decision on this case."
        with self.refused(
            "Agenda item “%(item)s”: %(problem)s Change the decision before approving.",
            item=f"Case {case.reference}",
            problem=problem,
        ):
            approve_minutes(minutes, by=self.convener_liaison)
        minutes.refresh_from_db()
        self.assertEqual(minutes.state, MinutesState.IN_REVIEW)
        self.assertFalse(Assignment.objects.exists())
        self.assertFalse(Decision.objects.filter(applied_at__isnull=False).exists())
        case.refresh_from_db()
        self.assertEqual(case.state, CaseState.TABLED)


class ApplyDecisionsGuardTests(DecisionsCase):
    def test_apply_decisions_by_the_secretariat_is_refused(self):
        minutes = self.drafted()
        decision = self.action(minutes)
        self.approved(minutes)
        Decision.objects.filter(pk=decision.pk).update(applied_at=None)  # as if a job were still to carry it out
        Assignment.objects.all().delete()
        with self.refused("Only the convener approves the minutes."):
            apply_decisions(minutes, by=self.secretariat)
        self.assertFalse(Assignment.objects.exists())
        self.assertEqual(len(apply_decisions(minutes)), 1)  # the system (a retried job) may
