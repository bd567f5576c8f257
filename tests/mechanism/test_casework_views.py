"""The casework admin screens: who sees what, the actions by POST, reveal, stale and bad input, masking."""

import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from mechanism.models import (
    AccessKind,
    AreaLevel,
    Assignment,
    AssignmentState,
    AssistanceRecord,
    Case,
    CaseState,
    FollowUp,
    PersonalDataAccess,
    Role,
    UnitKind,
    Urgency,
)
from mechanism.personal import mask_id_number
from mechanism.services import assignments as work
from mechanism.services import triage
from mechanism.services.assistance import record_assistance
from mechanism.services.errors import StaleObject
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.factories import AreaFactory, MemberUnitFactory

FULL_ID = resident_id()
PHONE = "13800000000"


def zh(message):
    """A message as the Chinese admin shows it (the English source until the catalogue has it), escaped."""
    with translation.override("zh-hans"):
        return escape(translation.gettext(message) if isinstance(message, str) else str(message))


class CaseworkTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.charity = MemberUnitFactory(
            mechanism=cls.province, code="cszh", name="山西省慈善总会", kind=UnitKind.CHARITY
        )
        cls.charity_liaison = cls.member("charity_liaison", cls.charity, Role.LIAISON)

    def case(self, **kw):
        return make_case(self.province, by=self.secretariat, **kw)

    def referred(self, units, **kw):
        case = self.case(**kw)
        triage.accept_case(case, by=self.secretariat)
        assignments = triage.refer_case(case, units, by=self.secretariat)
        case.refresh_from_db()
        return case, assignments

    def case_url(self, case):
        return reverse("casework:case", args=[case.pk])

    def post_case(self, user, case, action, state=None, **data):
        """POST an action as from a fresh page (the current state) unless an old state is given."""
        case.refresh_from_db()
        return self.login(user).post(self.case_url(case), {"action": action, "state": state or case.state, **data})

    def post_assignment(self, user, assignment, action, state=None, **data):
        assignment.refresh_from_db()
        url = reverse("casework:assignment", args=[assignment.pk])
        return self.login(user).post(url, {"action": action, "state": state or assignment.state, **data})

    def state_of(self, obj):
        obj.refresh_from_db()
        return obj.state

    def export_text(self, user, query=""):
        response = self.login(user).get(reverse("casework:cases") + "?export=csv" + query)
        self.assertEqual(response.status_code, 200)
        return response.content.decode("utf-8-sig")

    def report_data(self, **kw):
        return {
            "mechanism": self.province.pk,
            "source": "hotline",
            "person_name": "吴桂英",
            "id_number": FULL_ID,
            "phone": PHONE,
            "area": self.shanxi.pk,
            "household_category": "dibao",
            "needs": ["medical", "care"],
            "urgency": "urgent",
            "narrative": "独居老人，需要医疗和照护。",
            "consent_given": "on",
            "consent_by": "吴桂英本人",
            "consent_method": "signed_form",
            **kw,
        }

    def assertDenied(self, response):
        self.assertIn(response.status_code, (302, 404))
        if response.status_code == 302:
            self.assertEqual(response.url, reverse("wagtailadmin_home"))


class OutsiderTest(CaseworkTestCase):
    """Taiyuan's secretariat is another mechanism: it reaches nothing of the province's casework."""

    def test_outsider_gets_404_on_every_object_url(self):
        case, [assignment] = self.referred([self.zgh])
        client = self.login(self.outsider)
        self.assertEqual(client.get(self.case_url(case)).status_code, 404)
        self.assertEqual(client.get(reverse("casework:assignment", args=[assignment.pk])).status_code, 404)
        reveal = client.post(
            reverse("casework:reveal", args=[case.pk]), {"field": "id_number", "reason": "核实身份信息"}
        )
        self.assertEqual(reveal.status_code, 404)
        self.assertEqual(self.post_case(self.outsider, case, "resolve", summary="已解决").status_code, 404)
        self.assertEqual(self.post_assignment(self.outsider, assignment, "acknowledge").status_code, 404)
        self.assertEqual(self.state_of(case), CaseState.REFERRED)
        self.assertEqual(self.state_of(assignment), AssignmentState.ASSIGNED)
        self.assertFalse(PersonalDataAccess.objects.filter(user=self.outsider).exists())

    def test_outsider_cannot_report_into_the_province_and_the_anonymous_visitor_is_sent_to_log_in(self):
        data = self.report_data()
        response = self.login(self.outsider).post(reverse("casework:report"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Case.objects.exists())
        case, [assignment] = self.referred([self.zgh])
        self.client.logout()
        urls = [
            reverse("casework:queue"),
            reverse("casework:cases"),
            reverse("casework:supervision"),
            reverse("casework:report"),
            self.case_url(case),
            reverse("casework:assignment", args=[assignment.pk]),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response.url.startswith(reverse("wagtailadmin_login")))
        reveal = self.client.post(reverse("casework:reveal", args=[case.pk]), {"field": "id_number", "reason": "看看"})
        self.assertTrue(reveal.url.startswith(reverse("wagtailadmin_login")))
        self.assertFalse(PersonalDataAccess.objects.exists())

    def test_outsider_sees_no_province_case_in_any_list_or_export(self):
        case, [assignment] = self.referred([self.zgh], person_name="王晓红", urgency=Urgency.EMERGENCY)
        Assignment.objects.filter(pk=assignment.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
        reported = self.case(person_name="李建华", id_number=resident_id(serial="124"), phone="13900000000")
        pages = [
            reverse("casework:queue"),
            reverse("casework:cases"),
            reverse("casework:cases") + "?overdue=on",
            reverse("casework:supervision"),
            reverse("wagtailadmin_home"),
        ]
        links = [self.case_url(case), self.case_url(reported), reverse("casework:assignment", args=[assignment.pk])]
        for user, should_see in ((self.secretariat, True), (self.outsider, False)):
            client = self.login(user)
            seen = "".join(client.get(url).content.decode() for url in pages) + self.export_text(user)
            for text in ["王晓红", "李建华", *links]:
                with self.subTest(user=user.username, text=text):
                    self.assertEqual(text in seen, should_see)


class LiaisonTest(CaseworkTestCase):
    def test_liaison_of_another_unit_gets_404_on_a_case_and_assignment_of_a_different_unit(self):
        case, [assignment] = self.referred([self.tsw], person_name="赵秀兰")
        outsider_unit = self.login(self.other_liaison)
        self.assertEqual(outsider_unit.get(self.case_url(case)).status_code, 404)
        self.assertEqual(outsider_unit.get(reverse("casework:assignment", args=[assignment.pk])).status_code, 404)
        self.assertEqual(self.post_assignment(self.other_liaison, assignment, "acknowledge").status_code, 404)
        listing = outsider_unit.get(reverse("casework:cases")).content.decode() + self.export_text(self.other_liaison)
        self.assertNotIn("赵秀兰", listing)
        self.assertNotIn(self.case_url(case), listing)
        # The unit it was assigned to does see it.
        own = self.login(self.convener_liaison)
        self.assertContains(own.get(self.case_url(case)), "赵秀兰")
        self.assertContains(own.get(reverse("casework:cases")), self.case_url(case))
        self.assertEqual(self.state_of(assignment), AssignmentState.ASSIGNED)

    def test_a_liaison_sees_only_unit_names_of_other_units_assignments(self):
        case, [ours, theirs] = self.referred([self.zgh, self.tsw])
        work.add_follow_up(theirs, "visit", timezone.localdate(), "团省委上门走访记录", by=self.convener_liaison)
        response = self.login(self.other_liaison).get(self.case_url(case))
        self.assertContains(response, self.tsw.short_name)
        self.assertNotContains(response, "团省委上门走访记录")
        self.assertNotContains(response, reverse("casework:assignment", args=[theirs.pk]))
        self.assertContains(response, reverse("casework:assignment", args=[ours.pk]))
        page = self.login(self.other_liaison).get(reverse("casework:assignment", args=[ours.pk]))
        self.assertContains(page, self.tsw.short_name)
        self.assertNotContains(page, "团省委上门走访记录")

    def test_charity_liaison_without_consent_sees_the_reference_but_not_the_person(self):
        case = make_case(
            self.province,
            by=self.charity_liaison,
            source="charity",
            source_unit=self.charity,
            person_name="孙玉梅",
            consent_given=False,
            consent_by="",
            consent_method="",
        )
        client = self.login(self.charity_liaison)
        response = client.get(self.case_url(case))
        self.assertContains(response, case.reference)
        for hidden in ["孙玉梅", FULL_ID, mask_id_number(FULL_ID), "138****0000", PHONE]:
            self.assertNotContains(response, hidden)
        self.assertNotContains(response, reverse("casework:reveal", args=[case.pk]))
        listing = client.get(reverse("casework:cases"))
        self.assertContains(listing, case.reference)
        self.assertNotContains(listing, "孙玉梅")
        exported = self.export_text(self.charity_liaison)
        self.assertIn(case.reference, exported)
        self.assertNotIn("孙玉梅", exported)
        self.assertNotIn(mask_id_number(FULL_ID), exported)
        # The secretariat sees the person.
        self.assertContains(self.login(self.secretariat).get(self.case_url(case)), "孙玉梅")

    def test_liaison_acknowledges_follows_up_and_completes_its_assignment(self):
        case, [assignment] = self.referred([self.zgh])
        today = timezone.localdate()
        response = self.post_assignment(self.other_liaison, assignment, "acknowledge")
        self.assertRedirects(response, reverse("casework:assignment", args=[assignment.pk]))
        self.assertEqual(self.state_of(assignment), AssignmentState.ACKNOWLEDGED)
        self.assertEqual(self.state_of(case), CaseState.IN_PROGRESS)
        self.post_assignment(
            self.other_liaison, assignment, "follow_up", kind="visit", happened_on=today, text="上门走访"
        )
        self.assertEqual(FollowUp.objects.get(assignment=assignment).text, "上门走访")
        response = self.post_assignment(self.other_liaison, assignment, "complete", outcome="已协调医疗救助")
        self.assertEqual(self.state_of(assignment), AssignmentState.COMPLETED)
        page = self.client.get(response.url)
        self.assertContains(page, "已协调医疗救助")
        self.assertContains(page, "上门走访")
        self.assertNotContains(page, 'name="action" value="complete"')

    def test_liaison_returns_an_assignment_with_a_reason(self):
        _case, [assignment] = self.referred([self.zgh])
        refused = self.post_assignment(self.other_liaison, assignment, "return", reason="")
        self.assertEqual(refused.status_code, 200)
        self.assertEqual(self.state_of(assignment), AssignmentState.ASSIGNED)
        self.post_assignment(self.other_liaison, assignment, "return", reason="不属于本单位职责")
        self.assertEqual(self.state_of(assignment), AssignmentState.RETURNED)

    def test_the_secretariat_reads_an_assignment_but_does_not_act_on_it(self):
        _case, [assignment] = self.referred([self.zgh])
        page = self.login(self.secretariat).get(reverse("casework:assignment", args=[assignment.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'value="acknowledge"')
        self.assertDenied(self.post_assignment(self.secretariat, assignment, "acknowledge"))
        self.assertEqual(self.state_of(assignment), AssignmentState.ASSIGNED)

    def test_a_liaison_is_sent_from_the_queue_and_supervision_list_to_its_dashboard(self):
        client = self.login(self.other_liaison)
        for name in ("casework:queue", "casework:supervision"):
            with self.subTest(name=name):
                self.assertRedirects(client.get(reverse(name)), reverse("wagtailadmin_home"))


class SecretariatTest(CaseworkTestCase):
    def test_secretariat_walks_a_case_through_accept_refer_resolve_close(self):
        case = self.case()
        today = timezone.localdate()
        steps = [
            ("accept", {}, CaseState.ACCEPTED),
            ("refer", {"units": [self.zgh.pk, self.tsw.pk], "task": "协调医疗救助"}, CaseState.REFERRED),
            ("resolve", {"summary": "医疗救助已到位"}, CaseState.RESOLVED),
            ("close", {"verified_on": today.isoformat(), "result": "本人确认已获帮助"}, CaseState.CLOSED),
        ]
        for action, data, state in steps:
            with self.subTest(action=action):
                response = self.post_case(self.secretariat, case, action, **data)
                self.assertRedirects(response, self.case_url(case))
                self.assertEqual(self.state_of(case), state)
        self.assertEqual(set(case.assignments.values_list("unit__code", flat=True)), {"zgh", "tsw"})
        page = self.client.get(self.case_url(case))
        self.assertContains(page, "本人确认已获帮助")
        self.assertContains(page, 'name="action" value="reopen"')
        self.assertNotContains(page, 'name="action" value="accept"')

    def test_decline_table_escalate_and_reopen_by_post(self):
        declined = self.case()
        self.post_case(self.secretariat, declined, "decline", reason="不属于本机制受理范围")
        self.assertEqual(self.state_of(declined), CaseState.DECLINED)
        tabled = self.case(id_number=resident_id(serial="130"), phone="13900000001")
        self.post_case(self.secretariat, tabled, "accept")
        self.post_case(self.secretariat, tabled, "table", state=CaseState.ACCEPTED, note="下次联席会议研究")
        self.assertEqual(self.state_of(tabled), CaseState.TABLED)
        self.post_case(self.secretariat, tabled, "resolve", summary="会议协调解决")
        self.post_case(self.secretariat, tabled, "reopen", reason="回访发现问题未解决")
        self.assertEqual(self.state_of(tabled), CaseState.ACCEPTED)

    def test_escalation_shows_the_parents_state_below_and_the_origin_above(self):
        lower = make_case(self.taiyuan, by=self.outsider, area=self.taiyuan_area, person_name="周建军")
        self.post_case(self.outsider, lower, "accept")
        response = self.post_case(self.outsider, lower, "escalate", state=CaseState.ACCEPTED, reason="需省级统筹")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.state_of(lower), CaseState.ESCALATED)
        upper = Case.objects.get(escalated_from=lower)
        below = self.login(self.outsider).get(self.case_url(lower))
        self.assertContains(below, upper.reference)
        self.assertContains(below, "— " + zh(CaseState.REPORTED.label))
        self.assertNotContains(below, self.case_url(upper))  # Taiyuan does not see the province's case
        above = self.login(self.secretariat).get(self.case_url(upper))
        self.assertContains(above, lower.reference)
        self.assertContains(above, self.taiyuan.name)

    def test_supervisor_reads_the_queue_and_the_case_but_cannot_act(self):
        case = self.case(person_name="钱国强")
        client = self.login(self.supervisor)
        self.assertContains(client.get(reverse("casework:queue")), case.reference)
        page = client.get(self.case_url(case))
        self.assertContains(page, "钱国强")
        self.assertNotContains(page, 'name="action"')
        self.assertDenied(self.post_case(self.supervisor, case, "accept"))
        self.assertEqual(self.state_of(case), CaseState.REPORTED)

    def test_queue_puts_reported_before_accepted_and_emergencies_first(self):
        old_normal = self.case(person_name="甲", id_number=resident_id(serial="201"), phone="13900000201")
        accepted = self.case(person_name="乙", id_number=resident_id(serial="202"), phone="13900000202")
        triage.accept_case(accepted, by=self.secretariat)
        emergency = self.case(
            person_name="丙", id_number=resident_id(serial="203"), phone="13900000203", urgency=Urgency.EMERGENCY
        )
        referred, _assignments = self.referred([self.zgh], id_number=resident_id(serial="204"), phone="13900000204")
        content = self.login(self.secretariat).get(reverse("casework:queue")).content.decode()
        positions = [content.index(self.case_url(case)) for case in (emergency, old_normal, accepted)]
        self.assertEqual(positions, sorted(positions))
        self.assertNotIn(self.case_url(referred), content)

    def test_filters_by_state_need_area_unit_and_overdue(self):
        county = AreaFactory(code="140105", name="小店区", level=AreaLevel.COUNTY, parent=self.taiyuan_area)
        housing = self.case(needs=["housing"], area=county, id_number=resident_id(serial="301"), phone="13900000301")
        medical, [late] = self.referred([self.zgh], id_number=resident_id(serial="302"), phone="13900000302")
        Assignment.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
        client = self.login(self.secretariat)
        expectations = {
            "state=reported": [housing],
            "state=referred": [medical],
            "need=housing": [housing],
            "need=medical": [medical],
            f"area={self.taiyuan_area.pk}": [housing],
            f"unit={self.zgh.pk}": [medical],
            f"unit={self.tsw.pk}": [],
            "overdue=on": [medical],
            "state=bogus&unit=999999": [housing, medical],  # a bad value is reported and ignored, never a 500
        }
        for query, shown in expectations.items():
            with self.subTest(query=query):
                response = client.get(reverse("casework:cases") + "?" + query)
                self.assertEqual(response.status_code, 200)
                for case in (housing, medical):
                    self.assertEqual(self.case_url(case) in response.content.decode(), case in shown)
        exported = self.export_text(self.secretariat, "&need=housing")
        self.assertIn(housing.reference, exported)
        self.assertNotIn(medical.reference, exported)
        self.assertTrue(PersonalDataAccess.objects.filter(user=self.secretariat, kind=AccessKind.EXPORT).exists())

    def test_the_export_masks_id_numbers_and_phones_and_keeps_formulas_as_text(self):
        case = self.case(person_name="=HYPERLINK(1)")
        rows = list(csv.reader(io.StringIO(self.export_text(self.secretariat))))
        [row] = [row for row in rows[1:] if row[0] == case.reference]
        self.assertEqual(row[-3:], ["'=HYPERLINK(1)", mask_id_number(FULL_ID), "138****0000"])
        self.assertNotIn(FULL_ID, "".join(",".join(row) for row in rows))

    def test_supervision_list_shows_most_overdue_first_with_days(self):
        _first, [a] = self.referred([self.zgh], id_number=resident_id(serial="401"), phone="13900000401")
        _second, [b] = self.referred([self.tsw], id_number=resident_id(serial="402"), phone="13900000402")
        _third, [c] = self.referred([self.zgh], id_number=resident_id(serial="403"), phone="13900000403")
        today = timezone.localdate()
        Assignment.objects.filter(pk=a.pk).update(due_on=today - datetime.timedelta(days=2))
        Assignment.objects.filter(pk=b.pk).update(due_on=today - datetime.timedelta(days=9))
        for client in (self.login(self.secretariat), self.login(self.supervisor)):
            content = client.get(reverse("casework:supervision")).content.decode()
            links = [reverse("casework:assignment", args=[x.pk]) for x in (b, a)]
            self.assertLess(content.index(links[0]), content.index(links[1]))
            self.assertIn("<strong>9</strong>", content)
            self.assertNotIn(reverse("casework:assignment", args=[c.pk]), content)


class RevealTest(CaseworkTestCase):
    def test_detail_shows_the_masked_id_and_phone_never_the_full_ones_and_logs_the_view(self):
        case = self.case()
        response = self.login(self.secretariat).get(self.case_url(case))
        self.assertContains(response, "1401**********" + FULL_ID[-4:])
        self.assertContains(response, "138****0000")
        raw = response.content.decode()
        self.assertNotIn(FULL_ID, raw)
        self.assertNotIn(PHONE, raw)
        self.assertEqual(response["Cache-Control"].count("no-store"), 1)
        self.assertEqual(
            PersonalDataAccess.objects.filter(case=case, user=self.secretariat, kind=AccessKind.VIEW).count(), 1
        )

    def test_the_guard_names_other_open_cases_of_the_person_but_not_this_cases_own_assistance(self):
        case = self.case()
        record_assistance(
            case, self.zgh, "cash", timezone.localdate(), "government", amount=300, by=self.secretariat, confirmed=True
        )
        client = self.login(self.secretariat)
        self.assertNotContains(client.get(self.case_url(case)), 'id="case-guard"')
        other = self.case(phone="13900000999")  # the same ID number
        self.assertIn(other.reference, self.guard_section(client.get(self.case_url(case))))
        self.assertIn(self.zgh.name, self.guard_section(client.get(self.case_url(other))))  # assisted on the first

    def guard_section(self, response):
        content = response.content.decode()
        start = content.index('id="case-guard"')
        return content[start : content.index("</section>", start)]

    def test_reveal_needs_a_reason_shows_the_value_once_and_writes_the_access_log(self):
        case = self.case()
        client = self.login(self.secretariat)
        url = reverse("casework:reveal", args=[case.pk])
        refused = client.post(url, {"field": "id_number", "reason": ""})
        self.assertEqual(refused.status_code, 200)
        self.assertNotIn(FULL_ID, refused.content.decode())
        self.assertFalse(PersonalDataAccess.objects.filter(kind=AccessKind.REVEAL_ID).exists())

        shown = client.post(url, {"field": "id_number", "reason": "核实低保资格"})
        self.assertContains(shown, FULL_ID, count=1)
        self.assertNotIn(FULL_ID, shown.request["PATH_INFO"] + shown.request.get("QUERY_STRING", ""))
        log = PersonalDataAccess.objects.get(kind=AccessKind.REVEAL_ID)
        self.assertEqual((log.user, log.case, log.reason), (self.secretariat, case, "核实低保资格"))
        self.assertEqual(client.get(url).status_code, 405)  # never by GET, so never from a link
        later = client.get(self.case_url(case)).content.decode()
        lists = "".join(client.get(reverse(name)).content.decode() for name in ("casework:queue", "casework:cases"))
        for text in (later, lists, self.export_text(self.secretariat)):
            self.assertNotIn(FULL_ID, text)

    def test_reveal_the_phone(self):
        case = self.case()
        shown = self.login(self.secretariat).post(
            reverse("casework:reveal", args=[case.pk]), {"field": "phone", "reason": "电话回访需要"}
        )
        self.assertContains(shown, "+86" + PHONE)
        self.assertTrue(PersonalDataAccess.objects.filter(kind=AccessKind.REVEAL_PHONE, case=case).exists())


class BadInputTest(CaseworkTestCase):
    def test_a_stale_form_is_refused_with_the_message_and_changes_nothing(self):
        case = self.case()
        triage.accept_case(case, by=self.secretariat)  # someone else, after the page was shown
        response = self.post_case(self.secretariat, case, "decline", state=CaseState.REPORTED, reason="重复上报")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, zh(StaleObject()))
        case.refresh_from_db()
        self.assertEqual((case.state, case.state_reason), (CaseState.ACCEPTED, ""))

        _other, [assignment] = self.referred([self.zgh], id_number=resident_id(serial="500"), phone="13900000500")
        work.acknowledge_assignment(assignment, by=self.other_liaison)
        stale = self.post_assignment(
            self.other_liaison, assignment, "complete", state=AssignmentState.ASSIGNED, outcome="已办结"
        )
        self.assertContains(stale, zh(StaleObject()))
        self.assertEqual(self.state_of(assignment), AssignmentState.ACKNOWLEDGED)

    def test_bad_posts_return_the_form_with_a_message_and_change_nothing(self):
        case = self.case()
        declined = self.post_case(self.secretariat, case, "decline", reason="")
        self.assertContains(declined, zh("This field is required."))
        self.assertEqual(self.state_of(case), CaseState.REPORTED)
        self.post_case(self.secretariat, case, "accept")
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        bad = [
            ("decline", {"reason": "不予受理"}, None, None),  # not possible once accepted
            (
                "refer",
                {"units": [self.zgh.pk], "due_on": yesterday.isoformat()},
                None,
                "The due date cannot be in the past.",
            ),
            ("refer", {"units": [self.charity.pk]}, None, None),
            ("refer", {"units": [], "due_on": "not a date"}, None, "This field is required."),
            ("table", {}, CaseState.REPORTED, None),
            ("bogus", {}, None, "Unknown action; nothing was saved."),
        ]
        Case.objects.filter(pk=case.pk).update(consent_given=False)
        for action, data, state, message in bad:
            with self.subTest(action=action, data=data):
                response = self.post_case(self.secretariat, case, action, state=state or CaseState.ACCEPTED, **data)
                self.assertEqual(response.status_code, 200)
                if message:
                    self.assertContains(response, zh(message))
                self.assertEqual(self.state_of(case), CaseState.ACCEPTED)
        self.assertFalse(Assignment.objects.exists())
        closing = self.case(id_number=resident_id(serial="600"), phone="13900000600")
        triage.accept_case(closing, by=self.secretariat)
        triage.table_case(closing, by=self.secretariat)
        triage.resolve_case(closing, "已解决", by=self.secretariat)
        future = self.post_case(self.secretariat, closing, "close", verified_on=tomorrow.isoformat(), result="x")
        self.assertContains(future, zh("The verification call cannot be in the future."))
        self.assertEqual(self.state_of(closing), CaseState.RESOLVED)
        lower = make_case(self.taiyuan, by=self.outsider, area=self.taiyuan_area)
        triage.accept_case(lower, by=self.outsider)
        blank = self.post_case(self.outsider, lower, "escalate", reason="  ")
        self.assertContains(blank, zh("This field is required."))
        self.assertEqual(self.state_of(lower), CaseState.ACCEPTED)
        self.assertFalse(Case.objects.filter(escalated_from=lower).exists())

    def test_the_report_form_refuses_a_bad_id_number_with_a_message(self):
        client = self.login(self.secretariat)
        self.assertEqual(client.get(reverse("casework:report")).status_code, 200)
        data = self.report_data(id_number="140105198005171230")  # wrong check digit
        response = client.post(reverse("casework:report"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, zh("The check digit of this ID number does not match: a digit is probably mistyped.")
        )
        for field, value in [("needs", []), ("area", "999999"), ("phone", "12345"), ("person_name", " ")]:
            with self.subTest(field=field):
                self.assertEqual(
                    client.post(reverse("casework:report"), {**self.report_data(), field: value}).status_code, 200
                )
        self.assertFalse(Case.objects.exists())

    def test_the_report_form_reports_and_asks_to_confirm_a_suspected_duplicate(self):
        client = self.login(self.secretariat)
        response = client.post(reverse("casework:report"), self.report_data())
        case = Case.objects.get()
        self.assertRedirects(response, self.case_url(case))
        self.assertContains(client.get(response.url), case.reference)
        self.assertEqual((case.needs, case.urgency, case.consent_given), (["medical", "care"], "urgent", True))

        again = client.post(reverse("casework:report"), self.report_data())
        self.assertEqual(again.status_code, 200)
        self.assertContains(again, case.reference)  # the guard names the open case
        self.assertContains(again, 'name="confirmed"')
        self.assertEqual(Case.objects.count(), 1)
        confirmed = client.post(reverse("casework:report"), self.report_data(confirmed="on"))
        self.assertEqual(confirmed.status_code, 302)
        self.assertEqual(Case.objects.count(), 2)

    def test_a_liaison_reports_for_its_own_unit_only(self):
        client = self.login(self.other_liaison)
        data = self.report_data(source="member_unit", source_unit=self.tsw.pk)
        self.assertEqual(client.post(reverse("casework:report"), data).status_code, 200)
        self.assertFalse(Case.objects.exists())
        ok = client.post(reverse("casework:report"), {**data, "source_unit": self.zgh.pk})
        self.assertEqual(ok.status_code, 302)
        self.assertEqual(Case.objects.get().source_unit, self.zgh)
        self.assertDenied(self.login(self.supervisor).get(reverse("casework:report")))

    def test_recording_assistance_asks_to_confirm_when_another_case_of_the_person_is_open(self):
        case = self.case()
        self.case(phone="13900000999")  # the same ID number: an open case elsewhere
        today = timezone.localdate().isoformat()
        data = {"unit": self.zgh.pk, "kind": "cash", "funding": "government", "given_on": today, "amount": "500"}
        warned = self.post_case(self.secretariat, case, "assistance", **data)
        self.assertEqual(warned.status_code, 200)
        self.assertContains(warned, 'name="confirmed"')
        self.assertFalse(AssistanceRecord.objects.exists())
        missing = self.post_case(self.secretariat, case, "assistance", **{**data, "amount": ""})
        self.assertContains(missing, zh("Give the amount or describe the service or goods."))
        done = self.post_case(self.secretariat, case, "assistance", confirmed="on", **data)
        self.assertRedirects(done, self.case_url(case))
        self.assertEqual(AssistanceRecord.objects.get().amount, 500)


class DashboardAndMenuTest(CaseworkTestCase):
    def test_unit_dashboard_counts_and_links_the_liaisons_assignments(self):
        today = timezone.localdate()
        _a, [waiting] = self.referred([self.zgh], id_number=resident_id(serial="701"), phone="13900000701")
        _b, [late] = self.referred([self.zgh], id_number=resident_id(serial="702"), phone="13900000702")
        _c, [done] = self.referred([self.zgh], id_number=resident_id(serial="703"), phone="13900000703")
        _d, [elsewhere] = self.referred([self.tsw], id_number=resident_id(serial="704"), phone="13900000704")
        Assignment.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=1))
        work.acknowledge_assignment(late, by=self.other_liaison)
        work.complete_assignment(done, "已办结", by=self.other_liaison)
        home = self.login(self.other_liaison).get(reverse("wagtailadmin_home")).content.decode()
        for assignment in (waiting, late, done):
            self.assertIn(reverse("casework:assignment", args=[assignment.pk]), home)
        self.assertNotIn(reverse("casework:assignment", args=[elsewhere.pk]), home)
        self.assertIn(f'href="#casework-{self.zgh.pk}-overdue"', home)
        self.assertIn(f'href="#casework-{self.zgh.pk}-to_acknowledge"', home)

    def test_secretariat_panel_counts_waiting_and_overdue(self):
        self.case()
        _b, [late] = self.referred([self.zgh], id_number=resident_id(serial="801"), phone="13900000801")
        Assignment.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
        self.case(id_number=resident_id(serial="802"), phone="13900000802")
        home = self.login(self.secretariat).get(reverse("wagtailadmin_home")).content.decode()
        counts = {
            reverse("casework:queue") + "?state=reported": ("Reported, waiting for triage", 2),
            reverse("casework:queue") + "?state=accepted": ("Accepted, not yet referred", 0),
            reverse("casework:supervision"): ("Overdue assignments (supervision list)", 1),
        }
        for url, (label, count) in counts.items():
            self.assertIn(f'<a href="{url}">{zh(label)}</a>: <strong>{count}</strong>', home)
        outsider_home = self.login(self.outsider).get(reverse("wagtailadmin_home")).content.decode()
        self.assertIn(f"{zh('Reported, waiting for triage')}</a>: <strong>0</strong>", outsider_home)

    def test_menu_items_show_only_to_those_who_may_use_them(self):
        expected = {
            self.secretariat: {"queue": True, "supervision": True, "report": True, "cases": True},
            self.supervisor: {"queue": True, "supervision": True, "report": False, "cases": True},
            self.other_liaison: {"queue": False, "supervision": False, "report": True, "cases": True},
        }
        urls = {"queue": "/admin/casework/", "supervision": "/admin/casework/supervision/",
                "report": "/admin/casework/report/", "cases": "/admin/casework/cases/"}  # fmt: skip
        for user, shown in expected.items():
            home = self.login(user).get(reverse("wagtailadmin_home")).content.decode()
            for name, visible in shown.items():
                with self.subTest(user=user.username, item=name):
                    self.assertEqual(f'"casework-{name}"' in home, visible)
                    if visible:
                        self.assertIn(f'"{urls[name]}"', home)
