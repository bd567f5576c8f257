"""转介函: what the receiving unit reads (unit, reference, task, due date, basis) and only the personal data it
needs; rendering personal data is written to the access log."""

import datetime
import zoneinfo

import time_machine
from django.utils import translation

from mechanism.documents.referral import shared_fields
from mechanism.documents.registry import get_kind, render
from mechanism.models import AccessKind, Assignment, HouseholdCategory, Need, PersonalDataAccess, Role, UnitKind
from mechanism.personal import mask_id_number
from mechanism.services import triage
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.docx_checks import A4_POINTS, all_text, assert_official_layout, open_docx, to_pdf
from tests.factories import MemberUnitFactory

FULL_ID = resident_id(serial="987")
PHONE = "13912345678"
ADDRESS = "太原市小店区坞城路92号"
TODAY = datetime.date(2026, 3, 2)
DUE = datetime.date(2026, 3, 16)
NOON = datetime.datetime(2026, 3, 2, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
TASK = "请为其子女落实助学帮扶。"


def zh(message, **values):
    """A fixed text as the Chinese document has it (the English source until the catalogue has it)."""
    with translation.override("zh-hans"):
        text = translation.pgettext(*message) if isinstance(message, tuple) else translation.gettext(message)
    return text % values if values else text


class ReferralSetup:
    """Cases referred to a mass organisation (zgh), the lead government unit (mz) and a charity, with and
    without consent. Not a test case itself: the download and command tests share it."""

    @classmethod
    def set_up_referrals(cls):
        cls.charity = MemberUnitFactory(
            mechanism=cls.province, code="cszh", name="山西省慈善总会", kind=UnitKind.CHARITY
        )
        cls.charity_liaison = cls.member("charity_liaison", cls.charity, Role.LIAISON)
        cls.case = cls.referable(household_category=HouseholdCategory.DIBAO)
        cls.to_zgh, cls.to_mz, cls.to_charity = triage.refer_case(
            cls.case, [cls.zgh, cls.mz, cls.charity], by=cls.secretariat, due_on=DUE, task=TASK, today=TODAY
        )
        cls.private_case = cls.referable(consent_given=False, consent_by="", consent_method="")
        cls.to_charity_without_consent = Assignment.objects.create(  # as if consent had been withdrawn since
            mechanism=cls.province,
            unit=cls.charity,
            case=cls.private_case,
            assigned_at=NOON,
            assigned_by=cls.secretariat,
            due_on=DUE,
        )

    @classmethod
    def referable(cls, **kw):
        kw.setdefault("needs", [Need.EDUCATION, Need.MEDICAL])
        case = make_case(cls.province, by=cls.secretariat, id_number=FULL_ID, phone=PHONE, address=ADDRESS, **kw)
        triage.accept_case(case, by=cls.secretariat)
        case.refresh_from_db()
        return case


class ReferralLetterTests(ReferralSetup, CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.set_up_referrals()

    def letter(self, assignment, user=None):
        assignment = get_kind("referral").get(assignment.pk)
        with time_machine.travel(NOON, tick=False):
            data = render(get_kind("referral"), assignment, user=user)
        return data, all_text(open_docx(data))

    def title(self, case):
        return zh("Letter on referring assistance case %(reference)s", reference=case.reference)

    def test_layout_and_title(self):
        data, _text = self.letter(self.to_zgh)
        assert_official_layout(self, open_docx(data), self.title(self.case))

    def test_says_unit_reference_task_due_date_and_basis(self):
        _data, text = self.letter(self.to_zgh)
        paragraphs = text.split("\n")
        self.assertEqual(paragraphs[2], "山西省总工会：")  # the addressee, under the title and its empty line
        self.assertIn(self.case.reference, text)
        self.assertIn(TASK, text)
        self.assertIn("2026年3月16日", text)  # the due date
        self.assertIn(
            zh("Please complete it by %(date)s and report the outcome to the issuing unit.", date="2026年3月16日"), text
        )
        plan = zh(
            "Under the implementation plan for effectively linking government assistance with charity help, member "
            "units may simplify their checks of people referred by the civil-affairs department and help them on "
            "the strength of its referral letter."
        )
        self.assertIn(plan, text)
        with translation.override("zh-hans"):
            category = str(HouseholdCategory.DIBAO.label)
        self.assertIn(category, text)
        # Issued by the lead unit (civil affairs), dated today.
        self.assertEqual(paragraphs[-2:], ["山西省民政厅", "2026年3月2日"])

    def test_without_a_task_asks_for_the_needs(self):
        Assignment.objects.filter(pk=self.to_zgh.pk).update(task="")
        _data, text = self.letter(self.to_zgh)
        with translation.override("zh-hans"):
            needs = f"{Need.EDUCATION.label}、{Need.MEDICAL.label}"
        self.assertIn(zh("Please help the person with what they need: %(needs)s.", needs=needs), text)

    def test_government_unit_gets_contact_details_and_the_masked_id(self):
        for assignment in (self.to_mz, self.to_zgh):  # a government department, a mass organisation
            _data, text = self.letter(assignment)
            self.assertIn("张三", text)
            self.assertIn(PHONE, text)
            self.assertIn(ADDRESS, text)
            self.assertIn(mask_id_number(FULL_ID), text)
            self.assertNotIn(FULL_ID, text)

    def test_charity_without_consent_gets_nothing_that_names_the_person(self):
        _data, text = self.letter(self.to_charity_without_consent)
        for value in ("张三", FULL_ID, mask_id_number(FULL_ID), FULL_ID[-4:], FULL_ID[:6], PHONE, PHONE[-4:], ADDRESS):
            self.assertNotIn(value, text)
        self.assertIn(self.private_case.reference, text)
        self.assertIn(self.province.area.name, text)  # the area, the needs and the category only
        with translation.override("zh-hans"):
            self.assertIn(str(Need.EDUCATION.label), text)

    def test_charity_with_consent_gets_name_and_phone_but_no_id(self):
        _data, text = self.letter(self.to_charity)
        self.assertIn("张三", text)
        self.assertIn(PHONE, text)
        self.assertIn(ADDRESS, text)
        for value in (FULL_ID, mask_id_number(FULL_ID), FULL_ID[-4:]):
            self.assertNotIn(value, text)

    def test_shared_fields_by_unit_kind_and_consent(self):
        self.assertEqual(shared_fields(self.to_zgh), {"name", "phone", "address", "id_number"})
        self.assertEqual(shared_fields(self.to_charity), {"name", "phone", "address"})
        self.assertEqual(shared_fields(self.to_charity_without_consent), set())

    def test_rendering_personal_data_is_logged_with_the_user(self):
        self.letter(self.to_zgh, user=self.other_liaison)
        self.letter(self.to_zgh)  # the command line: no user
        rows = PersonalDataAccess.objects.filter(case=self.case, kind=AccessKind.EXPORT).order_by("pk")
        self.assertEqual([row.user for row in rows], [self.other_liaison, None])
        self.assertIn("山西省总工会", rows[0].reason)

    def test_a_letter_without_personal_data_is_not_logged(self):
        self.letter(self.to_charity_without_consent, user=self.charity_liaison)
        self.assertFalse(PersonalDataAccess.objects.filter(kind=AccessKind.EXPORT).exists())

    def test_pdf_takes_the_pages_its_lines_need_on_a4(self):
        """About 26 lines in Chinese (a few more while the fixed texts are English): two pages of 22 lines."""
        data, _text = self.letter(self.to_zgh)
        pages, sizes = to_pdf(data)
        self.assertEqual(pages, 2)
        for width, height in sizes:
            self.assertAlmostEqual(width, A4_POINTS[0], delta=1)
            self.assertAlmostEqual(height, A4_POINTS[1], delta=1)
        # 840 more characters are 30 more lines of 28: the letter needs a third page, not a fourth.
        Assignment.objects.filter(pk=self.to_zgh.pk).update(task="请落实助学帮扶。" * 105)
        data, _text = self.letter(self.to_zgh)
        self.assertEqual(to_pdf(data)[0], 3)
