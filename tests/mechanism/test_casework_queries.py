"""The casework screens cost the same number of queries with 3 cases as with 30; the bulk personal rule
agrees with access.may_see_personal_fields."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mechanism import access
from mechanism.casework.queries import PersonalFieldsRule
from mechanism.models import Assignment, Need, Role, UnitKind, Urgency
from mechanism.services import assignments as work
from mechanism.services import triage
from mechanism.services.assistance import record_assistance
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.factories import MemberUnitFactory

URGENCIES = [Urgency.NORMAL, Urgency.URGENT, Urgency.EMERGENCY]
NEEDS = list(Need.values)


class QueryCountTest(CastTestCase):
    def setUp(self):
        self.added = 0
        self.detail_case = self.make(0)
        triage.accept_case(self.detail_case, by=self.secretariat)
        [self.detail_assignment] = triage.refer_case(self.detail_case, [self.zgh], by=self.secretariat)
        work.acknowledge_assignment(self.detail_assignment, by=self.other_liaison)

    def make(self, number):
        return make_case(
            self.province,
            by=self.secretariat,
            id_number=resident_id(serial=f"{number:03d}"),
            phone=f"139{number:08d}",
            urgency=URGENCIES[number % 3],
            needs=[NEEDS[number % len(NEEDS)], Need.MEDICAL],
        )

    def add_cases(self, count):
        """Cases in every state the screens show, and as many follow-ups and assistance on the detail case."""
        today = timezone.localdate()
        for _ in range(count):
            self.added += 1
            number = self.added
            case = self.make(number)
            stage = number % 5
            if stage >= 1:
                triage.accept_case(case, by=self.secretariat)
            if stage >= 2:
                units = [self.zgh, self.tsw] if stage == 4 else [self.zgh]
                assignment = triage.refer_case(case, units, by=self.secretariat)[0]
            if stage == 3:
                work.acknowledge_assignment(assignment, by=self.other_liaison)
                Assignment.objects.filter(pk=assignment.pk).update(due_on=today - datetime.timedelta(days=number))
            if stage == 4:
                work.complete_assignment(assignment, "已办结", by=self.other_liaison)
            self.detail_assignment.refresh_from_db()
            work.add_follow_up(self.detail_assignment, "call", today, f"电话回访 {number}", by=self.other_liaison)
            record_assistance(
                self.detail_case, self.zgh, "cash", today, "government", amount=100 + number,
                by=self.secretariat, confirmed=True,
            )  # fmt: skip

    def pages(self):
        case_url = reverse("casework:case", args=[self.detail_case.pk])
        assignment_url = reverse("casework:assignment", args=[self.detail_assignment.pk])
        return [
            (self.secretariat, reverse("casework:queue")),
            (self.supervisor, reverse("casework:queue")),
            (self.secretariat, reverse("casework:cases")),
            (self.secretariat, reverse("casework:cases") + f"?need=medical&overdue=on&unit={self.zgh.pk}"),
            (self.secretariat, reverse("casework:cases") + "?export=csv"),
            (self.other_liaison, reverse("casework:cases")),
            (self.secretariat, reverse("casework:supervision")),
            (self.secretariat, case_url),
            (self.other_liaison, case_url),
            (self.other_liaison, assignment_url),
            (self.secretariat, reverse("wagtailadmin_home")),
            (self.other_liaison, reverse("wagtailadmin_home")),
        ]

    def count_queries(self):
        counts = {}
        for user, url in self.pages():
            client = self.login(user)
            client.get(url)  # warm the per-process caches (content types, site, menus)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            self.assertEqual(response.status_code, 200, url)
            counts[(user.username, url)] = len(queries)
        return counts

    def test_every_screen_takes_the_same_number_of_queries_with_3_and_with_30_cases(self):
        self.add_cases(3)
        few = self.count_queries()
        self.add_cases(27)
        many = self.count_queries()
        for page, count in few.items():
            with self.subTest(page=page):
                self.assertEqual(many[page], count)

    def test_the_lists_show_what_they_counted(self):
        """The counts above are only worth something if the pages list the rows."""
        self.add_cases(10)
        home = self.login(self.other_liaison).get(reverse("wagtailadmin_home")).content.decode()
        waiting = Assignment.objects.filter(unit=self.zgh, state="assigned")
        self.assertEqual(waiting.count(), 2)  # stage 2: cases 2 and 7
        for assignment in waiting:
            self.assertIn(reverse("casework:assignment", args=[assignment.pk]), home)
        supervision = self.login(self.secretariat).get(reverse("casework:supervision")).content.decode()
        self.assertEqual(supervision.count('href="/admin/casework/assignment/'), 2)  # stage 3: cases 3 and 8
        detail = self.login(self.secretariat).get(reverse("casework:case", args=[self.detail_case.pk])).content.decode()
        self.assertEqual(detail.count("电话回访"), 20)  # each follow-up in the assignment table and the timeline


class PersonalRuleTest(CastTestCase):
    def test_the_bulk_rule_agrees_with_access_for_every_user_and_case(self):
        charity = MemberUnitFactory(mechanism=self.province, code="cszh", kind=UnitKind.CHARITY)
        charity_liaison = self.member("charity_liaison", charity, Role.LIAISON)
        cases = [
            make_case(self.province, by=self.secretariat),
            make_case(self.province, consent_given=False, consent_by="", consent_method="", phone="13900000001"),
            make_case(self.taiyuan, area=self.taiyuan_area, phone="13900000002"),
        ]
        users = [
            self.admin, self.secretariat, self.supervisor, self.convener_liaison, self.other_liaison,
            self.outsider, charity_liaison,
        ]  # fmt: skip
        seen = set()
        for user in users:
            rule = PersonalFieldsRule(user)
            for case in cases:
                with self.subTest(user=user.username, case=case.reference):
                    expected = access.may_see_personal_fields(user, case)
                    self.assertEqual(rule.allows(case), expected)
                    seen.add(expected)
        self.assertEqual(seen, {True, False})
