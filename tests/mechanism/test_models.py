"""Rules on the mechanism models: area codes, one lead unit, terms that never overlap, convener_on."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mechanism.models import Area, AreaLevel, ConvenerTerm, MemberUnit, QuorumRule, UnitHasHistory
from tests.base import CastTestCase
from tests.factories import SHANGHAI, ConvenerTermFactory, MemberUnitFactory, jan1


class AreaCodeShapeTest(CastTestCase):
    def test_codes_that_fit_their_level_are_accepted(self):
        Area(code="140000", name="山西省", level=AreaLevel.PROVINCE).clean()
        Area(code="140100", name="太原市", level=AreaLevel.CITY, parent=self.shanxi).clean()
        Area(code="140105", name="小店区", level=AreaLevel.COUNTY, parent=self.taiyuan_area).clean()

    def test_code_whose_shape_does_not_fit_its_level_is_refused(self):
        cases = [
            ("140100", AreaLevel.PROVINCE, None),
            ("140000", AreaLevel.CITY, self.shanxi),
            ("140105", AreaLevel.CITY, self.shanxi),
            ("140100", AreaLevel.COUNTY, self.taiyuan_area),
        ]
        for code, level, parent in cases:
            with self.subTest(code=code, level=level), self.assertRaises(ValidationError) as refused:
                Area(code=code, name="x", level=level, parent=parent).clean()
            self.assertIn("code", refused.exception.message_dict)

    def test_malformed_code_is_refused(self):
        for code in ["14000", "1400000", "04000a", "040000", ""]:
            with self.subTest(code=code), self.assertRaises(ValidationError):
                Area(code=code, name="x", level=AreaLevel.PROVINCE).clean()

    def test_parent_must_contain_the_code(self):
        beijing = Area.objects.create(code="110000", name="北京市", level=AreaLevel.PROVINCE)
        with self.assertRaises(ValidationError) as refused:
            Area(code="140200", name="大同市", level=AreaLevel.CITY, parent=beijing).clean()
        self.assertIn("parent", refused.exception.message_dict)

    def test_city_without_parent_is_refused(self):
        with self.assertRaises(ValidationError):
            Area(code="140200", name="大同市", level=AreaLevel.CITY).clean()


class LeadUnitTest(CastTestCase):
    def test_second_lead_unit_is_refused_by_validation(self):
        unit = MemberUnit(
            mechanism=self.province,
            code="fl",
            name="山西省妇女联合会",
            short_name="省妇联",
            kind="mass_organisation",
            joined_on=datetime.date(2023, 11, 20),
            is_lead=True,
        )
        with self.assertRaises(ValidationError) as refused:
            unit.full_clean()
        self.assertIn("is_lead", refused.exception.message_dict)

    def test_second_lead_unit_is_refused_by_the_database(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            MemberUnit.objects.filter(pk=self.zgh.pk).update(is_lead=True)

    def test_lead_unit_of_mechanism(self):
        self.assertEqual(self.province.lead_unit, self.mz)
        self.assertEqual(self.taiyuan.lead_unit, self.ty_mz)


class ConvenerTermTest(CastTestCase):
    def test_overlapping_term_is_refused(self):
        cases = [
            (jan1(2025), jan1(2027)),  # covers the current term's start
            (datetime.datetime(2025, 6, 1, tzinfo=SHANGHAI), None),  # open-ended inside the old term
            (jan1(2027), None),  # inside the current open term
        ]
        for starts_at, ends_at in cases:
            term = ConvenerTerm(mechanism=self.province, unit=self.mz, starts_at=starts_at, ends_at=ends_at)
            with self.subTest(starts_at=starts_at), self.assertRaises(ValidationError) as refused:
                term.full_clean()
            self.assertIn("starts_at", refused.exception.message_dict)

    def test_adjacent_terms_do_not_overlap(self):
        term = ConvenerTerm(mechanism=self.province, unit=self.mz, starts_at=jan1(2024), ends_at=jan1(2025))
        term.full_clean()

    def test_term_of_another_mechanism_does_not_clash(self):
        ConvenerTerm(mechanism=self.taiyuan, unit=self.ty_mz, starts_at=jan1(2026)).full_clean()

    def test_unit_must_be_member_on_start(self):
        late = MemberUnitFactory(mechanism=self.province, code="late", joined_on=datetime.date(2026, 3, 1))
        left = MemberUnitFactory(
            mechanism=self.province, code="left", joined_on=datetime.date(2020, 1, 1), left_on=datetime.date(2023, 6, 1)
        )
        for unit in (late, left, self.ty_fl):
            term = ConvenerTerm(mechanism=self.province, unit=unit, starts_at=jan1(2024), ends_at=jan1(2025))
            with self.subTest(unit=unit.code), self.assertRaises(ValidationError) as refused:
                term.full_clean()
            self.assertIn("unit", refused.exception.message_dict)

    def test_term_must_end_after_it_starts(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            ConvenerTermFactory(unit=self.mz, starts_at=jan1(2020), ends_at=jan1(2019))


class ConvenerOnTest(CastTestCase):
    def test_last_second_of_the_year_belongs_to_the_outgoing_convener(self):
        moment = datetime.datetime(2025, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)
        self.assertEqual(self.province.convener_on(moment), self.zgh)

    def test_asia_shanghai_midnight_of_january_1_belongs_to_the_incoming_convener(self):
        self.assertEqual(self.province.convener_on(jan1(2026)), self.tsw)

    def test_utc_evening_of_december_31_is_already_january_1_in_shanghai(self):
        moment = datetime.datetime(2025, 12, 31, 16, 0, tzinfo=datetime.UTC)
        self.assertEqual(self.province.convener_on(moment), self.tsw)
        self.assertEqual(self.province.convener_on(moment - datetime.timedelta(seconds=1)), self.zgh)

    def test_no_convener_before_the_first_term(self):
        self.assertIsNone(self.province.convener_on(jan1(2020)))
        self.assertIsNone(self.taiyuan.convener_on(jan1(2026)))


class DeleteUnitTest(CastTestCase):
    def test_unit_with_a_convener_term_cannot_be_deleted(self):
        with self.assertRaises(UnitHasHistory):
            self.zgh.delete()
        self.assertTrue(MemberUnit.objects.filter(pk=self.zgh.pk).exists())

    def test_unit_with_people_cannot_be_deleted(self):
        with self.assertRaises(UnitHasHistory):
            self.ty_mz.delete()
        self.assertTrue(MemberUnit.objects.filter(pk=self.ty_mz.pk).exists())

    def test_unit_without_history_can_be_deleted(self):
        self.ty_fl.delete()
        self.assertFalse(MemberUnit.objects.filter(pk=self.ty_fl.pk).exists())

    def test_unit_that_left_is_kept_and_no_longer_active(self):
        self.zgh.left_on = datetime.date(2026, 6, 30)
        self.zgh.full_clean()
        self.zgh.save()
        self.assertIn(self.zgh, self.province.active_units(datetime.date(2026, 6, 29)))
        self.assertNotIn(self.zgh, self.province.active_units(datetime.date(2026, 6, 30)))


class QuorumTest(CastTestCase):
    def test_more_than_half_by_default(self):
        self.assertEqual(self.province.quorum_rule, QuorumRule.MORE_THAN_HALF)
        self.assertEqual([self.province.quorum_needed(n) for n in (7, 6, 1)], [4, 4, 1])

    def test_other_rules(self):
        self.province.quorum_rule = QuorumRule.TWO_THIRDS
        self.assertEqual(self.province.quorum_needed(7), 5)
        self.province.quorum_rule = QuorumRule.ALL
        self.assertEqual(self.province.quorum_needed(7), 7)


class MechanismParentTest(CastTestCase):
    def test_parent_must_contain_the_area(self):
        self.province.parent = self.taiyuan
        with self.assertRaises(ValidationError):
            self.province.clean()
