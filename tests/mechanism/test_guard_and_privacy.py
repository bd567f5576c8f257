"""The duplicate guard's three cases; personal data encrypted at rest, masked, revealed only with a logged reason."""

import datetime

from django.db import connection

from mechanism import personal
from mechanism.models import AccessKind, AssistanceRecord, Case, PersonalDataAccess, UnitKind
from mechanism.services import triage
from mechanism.services.assistance import record_assistance, reveal_personal_field
from mechanism.services.errors import ActionRefused, DuplicateSuspected
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.factories import MemberUnitFactory

PERSON = resident_id(serial="777")


class DuplicateGuardTest(CastTestCase):
    def assistance(self, case, unit, days_ago):
        return record_assistance(
            case, unit, "cash", datetime.date.today() - datetime.timedelta(days=days_ago), "government",
            amount=800, confirmed=True,
        )  # fmt: skip

    def test_open_case_of_the_same_person_warns_at_intake(self):
        first = make_case(self.province, id_number=PERSON, phone="")
        with self.assertRaises(DuplicateSuspected) as warned:
            make_case(self.province, id_number=PERSON, phone="13511112222", confirmed=False)
        [warning] = warned.exception.warnings
        self.assertIn(first.reference, warning.text)
        self.assertNotIn("张三", warning.text)
        self.assertEqual(Case.objects.count(), 1)

    def test_open_case_in_a_child_mechanism_warns_and_by_phone_when_no_id(self):
        make_case(self.taiyuan, area=self.taiyuan_area, id_number="", phone="13522223333")
        with self.assertRaises(DuplicateSuspected) as warned:
            make_case(self.province, id_number="", phone="135 2222 3333", confirmed=False)
        self.assertIn("太原市", warned.exception.warnings[0].text)

    def test_assistance_by_another_unit_in_the_last_twelve_months_warns_naming_the_unit_not_the_story(self):
        case = make_case(self.province, id_number=PERSON, narrative="只在本单位可见的详细情况")
        triage.accept_case(case)
        triage.refer_case(case, [self.zgh, self.tsw])
        self.assistance(case, self.zgh, days_ago=30)
        with self.assertRaises(DuplicateSuspected) as warned:
            record_assistance(case, self.tsw, "cash", datetime.date.today(), "government", amount=500)
        text = " ".join(warning.text for warning in warned.exception.warnings)
        self.assertIn("山西省总工会", text)
        self.assertNotIn("只在本单位可见", text)
        self.assertEqual(AssistanceRecord.objects.count(), 1)
        record_assistance(case, self.tsw, "cash", datetime.date.today(), "government", amount=500, confirmed=True)
        self.assertEqual(AssistanceRecord.objects.count(), 2)

    def test_closed_case_and_old_assistance_do_not_warn(self):
        case = make_case(self.province, id_number=PERSON)
        triage.accept_case(case)
        triage.refer_case(case, [self.zgh])
        self.assistance(case, self.zgh, days_ago=400)
        triage.resolve_case(case, "已解决")
        triage.close_case(case, datetime.date.today(), "回访确认")
        again = make_case(self.province, id_number=PERSON, confirmed=False)
        self.assertNotEqual(again.pk, case.pk)


class PersonalDataTest(CastTestCase):
    def test_no_plaintext_id_or_phone_in_the_database(self):
        case = make_case(self.province, id_number=PERSON, phone="13912345678")
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number, phone, id_number_hash FROM mechanism_case WHERE id = %s", [case.pk])
            stored_id, stored_phone, stored_hash = cursor.fetchone()
        self.assertNotIn(PERSON, stored_id)
        self.assertNotIn("13912345678", stored_phone)
        self.assertNotIn(PERSON[-6:], stored_id + stored_hash)
        self.assertEqual(Case.objects.get(pk=case.pk).id_number, PERSON)
        self.assertEqual(stored_hash, personal.blind_index("id", PERSON))

    def test_masks(self):
        case = make_case(self.province, id_number="140105198005171234"[:17] + resident_id()[-1], phone="13800000000")
        self.assertEqual(personal.mask_id_number(case.id_number), "1401**********" + case.id_number[-4:])
        self.assertEqual(personal.mask_phone(case.phone), "138****0000")

    def test_reveal_needs_a_reason_and_is_logged(self):
        case = make_case(self.province, id_number=PERSON)
        with self.assertRaises(ActionRefused):
            reveal_personal_field(case, "id_number", "", by=self.secretariat)
        self.assertEqual(PersonalDataAccess.objects.count(), 0)
        value = reveal_personal_field(case, "id_number", "核对低保档案", by=self.secretariat)
        self.assertEqual(value, PERSON)
        entry = PersonalDataAccess.objects.get()
        self.assertEqual(
            (entry.user, entry.case, entry.kind, entry.reason),
            (self.secretariat, case, AccessKind.REVEAL_ID, "核对低保档案"),
        )

    def test_charity_liaison_without_consent_cannot_reveal(self):
        charity = MemberUnitFactory(mechanism=self.province, code="cs", kind=UnitKind.CHARITY)
        from tests.factories import MembershipFactory

        charity_liaison = MembershipFactory(unit=charity).user
        case = make_case(self.province, id_number=PERSON, consent_given=False, consent_by="", consent_method="")
        with self.assertRaises(ActionRefused):
            reveal_personal_field(case, "phone", "需要联系本人", by=charity_liaison)
        self.assertEqual(PersonalDataAccess.objects.count(), 0)
