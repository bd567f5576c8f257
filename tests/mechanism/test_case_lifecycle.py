"""The case life cycle through the services: each transition, each refusal, consent, escalation, no lost update."""

import datetime

from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from mechanism.models import Assignment, Case, CaseState, UnitKind, Urgency
from mechanism.services import assignments as work
from mechanism.services import triage
from mechanism.services.errors import ActionRefused, StaleObject
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.factories import MemberUnitFactory


class CaseTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.charity = MemberUnitFactory(
            mechanism=cls.province, code="cszh", name="山西省慈善总会", kind=UnitKind.CHARITY
        )

    def case(self, **kw):
        return make_case(self.province, by=self.secretariat, **kw)

    def states(self, case):
        case.refresh_from_db()
        return case.state

    def actions(self, obj):
        return list(
            ModelLogEntry.objects.for_instance(obj).order_by("timestamp", "pk").values_list("action", flat=True)
        )


class IntakeTest(CaseTestCase):
    def test_reported_case_gets_a_reference_per_mechanism_and_year(self):
        first, second = self.case(), self.case(id_number=resident_id(serial="124"), phone="13900000000")
        year = first.reported_at.astimezone(datetime.UTC).year
        self.assertRegex(first.reference, rf"^XJ-{year}-000001$")
        self.assertEqual(second.reference, f"XJ-{year}-000002")
        other = make_case(
            self.taiyuan, area=self.taiyuan_area, id_number=resident_id(serial="200"), phone="13700000000"
        )
        self.assertEqual(other.reference, f"XJ-{year}-000001")
        self.assertEqual(first.state, CaseState.REPORTED)
        self.assertEqual(self.actions(first), ["xianjie.case.report"])

    def test_bad_input_is_refused_field_by_field_and_nothing_saved(self):
        cases = {
            "id_number": {"id_number": "140105198005171230"},
            "phone": {"phone": "12345"},
            "needs": {"needs": []},
            "area": {"area": self.shanxi},
            "consent_by": {"consent_by": ""},
            "person_name": {"person_name": "  "},
        }
        for field, kw in cases.items():
            with self.subTest(field=field), self.assertRaises(ValidationError) as refused:
                make_case(self.taiyuan, **({"area": self.taiyuan_area} | kw))
            self.assertIn(field, refused.exception.message_dict)
        self.assertEqual(Case.objects.count(), 0)

    def test_a_liaison_of_another_unit_cannot_report_for_a_unit(self):
        with self.assertRaises(ActionRefused):
            make_case(self.province, by=self.other_liaison, source_unit=self.tsw, source="member_unit")
        case = make_case(self.province, by=self.convener_liaison, source_unit=self.tsw, source="member_unit")
        self.assertEqual(case.source_unit, self.tsw)


class TransitionTest(CaseTestCase):
    def test_accept_refer_acknowledge_complete_resolve_close(self):
        case = self.case()
        triage.accept_case(case, by=self.secretariat)
        [assignment] = triage.refer_case(case, [self.zgh], by=self.secretariat, today=datetime.date(2026, 3, 2))
        self.assertEqual(self.states(case), CaseState.REFERRED)
        self.assertEqual(assignment.due_on, datetime.date(2026, 3, 16))  # 10 working days
        work.acknowledge_assignment(assignment, by=self.other_liaison)
        self.assertEqual(self.states(case), CaseState.IN_PROGRESS)
        work.add_follow_up(
            assignment, "visit", datetime.date(2026, 3, 3), "上门走访，了解就医需求", by=self.other_liaison
        )
        assignment.refresh_from_db()
        work.complete_assignment(assignment, "已协调医疗救助", by=self.other_liaison)
        triage.resolve_case(case, "医疗救助已到位", by=self.secretariat)
        triage.close_case(
            case, datetime.date(2026, 3, 20), "本人确认已获帮助", by=self.secretariat, today=datetime.date(2026, 3, 21)
        )
        self.assertEqual(self.states(case), CaseState.CLOSED)
        self.assertEqual(
            self.actions(case),
            ["xianjie.case.report", "xianjie.case.accept", "xianjie.case.refer", "xianjie.case.start_work",
             "xianjie.case.resolve", "xianjie.case.close"],
        )  # fmt: skip

    def test_decline_needs_a_reason(self):
        case = self.case()
        with self.assertRaises(ActionRefused):
            triage.decline_case(case, "  ", by=self.secretariat)
        self.assertEqual(self.states(case), CaseState.REPORTED)
        triage.decline_case(case, "不属于本机制受理范围", by=self.secretariat)
        self.assertEqual(self.states(case), CaseState.DECLINED)
        self.assertEqual(case.state_reason, "不属于本机制受理范围")

    def test_refused_transitions_change_nothing(self):
        case = self.case()
        refusals = [
            lambda: triage.refer_case(case, [self.zgh], by=self.secretariat),
            lambda: triage.resolve_case(case, "x", by=self.secretariat),
            lambda: triage.reopen_case(case, "x", by=self.secretariat),
            lambda: triage.close_case(case, datetime.date(2026, 1, 1), "x", by=self.secretariat),
            lambda: triage.table_case(case, by=self.secretariat),
        ]
        for number, refuse in enumerate(refusals):
            with self.subTest(number=number), self.assertRaises(ActionRefused):
                refuse()
        self.assertEqual(self.states(case), CaseState.REPORTED)
        self.assertEqual(Assignment.objects.count(), 0)

    def test_reopen_from_resolved_and_closed(self):
        case = self.case()
        triage.accept_case(case, by=self.secretariat)
        triage.table_case(case, by=self.secretariat)
        triage.resolve_case(case, "会议协调解决", by=self.secretariat)
        with self.assertRaises(ActionRefused):
            triage.reopen_case(case, "", by=self.secretariat)
        triage.reopen_case(case, "回访发现问题未解决", by=self.secretariat)
        self.assertEqual(self.states(case), CaseState.ACCEPTED)

    def test_only_the_secretariat_of_the_mechanism_triages(self):
        case = self.case()
        for user in (self.other_liaison, self.supervisor, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(ActionRefused):
                triage.accept_case(case, by=user)
        self.assertEqual(self.states(case), CaseState.REPORTED)

    def test_stale_copy_loses_and_is_told(self):
        case = self.case()
        stale = Case.objects.get(pk=case.pk)
        triage.accept_case(case, by=self.secretariat)
        with self.assertRaises(StaleObject):
            triage.decline_case(stale, "重复", by=self.secretariat)
        self.assertEqual(self.states(case), CaseState.ACCEPTED)


class AssignmentRulesTest(CaseTestCase):
    def accepted(self, **kw):
        case = self.case(**kw)
        triage.accept_case(case, by=self.secretariat)
        return case

    def test_charity_needs_consent(self):
        case = self.accepted(consent_given=False, consent_by="", consent_method="")
        with self.assertRaises(ActionRefused) as refused:
            triage.refer_case(case, [self.zgh, self.charity], by=self.secretariat)
        self.assertIn("山西省慈善总会", str(refused.exception))
        self.assertEqual(Assignment.objects.count(), 0)
        self.assertEqual(self.states(case), CaseState.ACCEPTED)
        with_consent = self.accepted(id_number=resident_id(serial="321"), phone="13600000000")
        self.assertEqual(len(triage.refer_case(with_consent, [self.charity], by=self.secretariat)), 1)

    def test_unit_that_left_past_due_date_other_mechanism(self):
        case = self.accepted()
        left = MemberUnitFactory(
            mechanism=self.province, code="gone", joined_on=datetime.date(2020, 1, 1), left_on=datetime.date(2024, 1, 1)
        )
        for units, kw in [
            ([left], {}),
            ([self.ty_fl], {}),
            ([self.zgh], {"due_on": datetime.date(2020, 1, 1)}),
            ([], {}),
        ]:
            with self.subTest(units=units, kw=kw), self.assertRaises(ActionRefused):
                triage.refer_case(case, units, by=self.secretariat, **kw)
        self.assertEqual(Assignment.objects.count(), 0)

    def test_urgency_sets_the_default_due_date(self):
        monday = datetime.date(2026, 3, 2)
        for urgency, expected in [
            (Urgency.URGENT, datetime.date(2026, 3, 5)),
            (Urgency.EMERGENCY, datetime.date(2026, 3, 3)),
        ]:
            case = self.accepted(urgency=urgency, id_number=resident_id(serial=str(100 + len(urgency))), phone="")
            [assignment] = triage.refer_case(case, [self.zgh], by=self.secretariat, today=monday)
            self.assertEqual(assignment.due_on, expected)

    def test_only_the_units_liaison_works_the_assignment(self):
        case = self.accepted()
        [assignment] = triage.refer_case(case, [self.zgh], by=self.secretariat)
        for user in (self.convener_liaison, self.outsider, self.supervisor):
            with self.subTest(user=user.username), self.assertRaises(ActionRefused):
                work.acknowledge_assignment(assignment, by=user)
        work.acknowledge_assignment(assignment, by=self.other_liaison)

    def test_return_needs_a_reason_and_frees_the_unit_for_reassignment(self):
        case = self.accepted()
        [assignment] = triage.refer_case(case, [self.zgh], by=self.secretariat)
        with self.assertRaises(ActionRefused):
            work.return_assignment(assignment, "", by=self.other_liaison)
        work.return_assignment(assignment, "不属于本单位职责", by=self.other_liaison)
        again = triage.refer_case(case, [self.zgh, self.tsw], by=self.secretariat)
        self.assertEqual(len(again), 2)

    def test_complete_needs_an_outcome(self):
        case = self.accepted()
        [assignment] = triage.refer_case(case, [self.zgh], by=self.secretariat)
        with self.assertRaises(ActionRefused):
            work.complete_assignment(assignment, "", by=self.other_liaison)
        assignment.refresh_from_db()
        self.assertEqual(assignment.state, "assigned")


class EscalationTest(CaseTestCase):
    def test_escalation_creates_a_linked_case_and_the_resolution_flows_back(self):
        child = make_case(self.taiyuan, by=self.outsider, area=self.taiyuan_area)
        triage.accept_case(child, by=self.outsider)
        parent_case = triage.escalate_case(child, "市级协调不了，需省级统筹", by=self.outsider)
        self.assertEqual(parent_case.mechanism, self.province)
        self.assertEqual(parent_case.escalated_from, child)
        self.assertEqual(parent_case.id_number, child.id_number)
        self.assertEqual(self.states(child), CaseState.ESCALATED)
        self.assertEqual(child.escalated_to.state, CaseState.REPORTED)
        triage.accept_case(parent_case, by=self.secretariat)
        triage.table_case(parent_case, by=self.secretariat)
        triage.resolve_case(parent_case, "省级会议协调解决", by=self.secretariat)
        self.assertEqual(self.states(child), CaseState.RESOLVED)
        self.assertEqual(child.state_reason, "省级会议协调解决")

    def test_top_mechanism_cannot_escalate(self):
        case = self.case()
        triage.accept_case(case, by=self.secretariat)
        with self.assertRaises(ActionRefused):
            triage.escalate_case(case, "无上级", by=self.secretariat)
        self.assertEqual(self.states(case), CaseState.ACCEPTED)
