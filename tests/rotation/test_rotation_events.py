"""Swaps and defers recorded by the secretariat: checked against the rules, logged, and in the forecast."""

import datetime
from unittest import mock

import time_machine
from django.utils import translation
from wagtail.models import ModelLogEntry

from mechanism.models import Mechanism
from mechanism.services.errors import ActionRefused
from rotation.models import RotationEvent
from rotation.plans import mechanism_forecast
from rotation.services import record_defer, record_swap
from rotation.wording import reason
from tests.base import CastTestCase

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 2)


def conveners(mechanism, years=4):
    _names, turns = mechanism_forecast(mechanism, years, today=TODAY)
    return [(turn.year, turn.unit) for turn in turns]


@time_machine.travel(NOW, tick=False)
class RotationEventTests(CastTestCase):
    def test_a_swap_exchanges_the_two_units_years_and_says_by_what_decision(self):
        self.assertEqual(conveners(self.province), [(2027, "mz"), (2028, "mz"), (2029, "zgh"), (2030, "tsw")])
        event = record_swap(
            self.province, self.zgh, self.tsw, 2028, "工作调整", "2026年第2次联席会议决定", by=self.secretariat
        )
        self.assertEqual(conveners(self.province), [(2027, "mz"), (2028, "mz"), (2029, "tsw"), (2030, "zgh")])
        names, turns = mechanism_forecast(self.province, 4, today=TODAY)
        with translation.override("zh-hans"):
            self.assertIn("2026年第2次联席会议决定", reason(turns[2], names))
            self.assertIn(self.zgh.name, reason(turns[2], names))
        entry = ModelLogEntry.objects.get(action="xianjie.rotation.swap")
        self.assertEqual((entry.object_id, entry.user_id), (str(event.pk), self.secretariat.pk))

    def test_a_defer_passes_the_unit_over_for_one_year(self):
        record_defer(self.province, self.zgh, 2029, "机构改革", "省民政厅函〔2026〕5号", by=self.secretariat)
        self.assertEqual(conveners(self.province), [(2027, "mz"), (2028, "mz"), (2029, "tsw"), (2030, "zgh")])

    def test_a_defer_when_no_other_unit_waits_is_refused_and_nothing_saved(self):
        with self.assertRaises(ActionRefused) as refused:  # in 2027 only mz waits in this round
            record_defer(self.province, self.mz, 2027, "工作需要", "会议决定", by=self.secretariat)
        self.assertIn(self.mz.name, str(refused.exception))
        self.assertFalse(RotationEvent.objects.exists())

    def test_bad_input_is_refused_and_nothing_saved(self):
        self.tsw.left_on = datetime.date(2026, 2, 1)
        self.tsw.save()
        cases = [
            lambda: record_swap(self.province, self.zgh, self.tsw, 2028, "理由", "决定", by=self.secretariat),
            lambda: record_defer(self.province, self.zgh, 2028, "  ", "决定", by=self.secretariat),
            lambda: record_defer(self.province, self.zgh, 2028, "理由", "", by=self.secretariat),
            lambda: record_defer(self.province, self.zgh, 2025, "理由", "决定", by=self.secretariat),
            lambda: record_swap(self.province, self.zgh, self.zgh, 2028, "理由", "决定", by=self.secretariat),
            lambda: record_swap(self.province, self.zgh, self.ty_fl, 2028, "理由", "决定", by=self.secretariat),
            lambda: record_defer(self.province, self.zgh, 2028, "理由", "决定", by=self.other_liaison),
            lambda: record_defer(self.province, self.zgh, 2028, "理由", "决定", by=self.outsider),
        ]
        for index, case in enumerate(cases):
            with self.subTest(index), self.assertRaises(ActionRefused):
                case()
        self.assertFalse(RotationEvent.objects.exists())
        self.assertFalse(ModelLogEntry.objects.filter(action__startswith="xianjie.rotation").exists())

    def test_the_same_swap_twice_is_refused_even_with_its_units_the_other_way_round(self):
        record_swap(self.province, self.zgh, self.tsw, 2028, "工作调整", "会议决定", by=self.secretariat)
        for first, second in ((self.zgh, self.tsw), (self.tsw, self.zgh)):
            with self.subTest(first.code), self.assertRaises(ActionRefused) as refused:
                record_swap(self.province, first, second, 2028, "再次", "会议决定", by=self.secretariat)
            with translation.override("en"):
                self.assertIn("already recorded", str(refused.exception))
        self.assertEqual(RotationEvent.objects.count(), 1)
        # Recorded twice, the two swaps would cancel out: the forecast still has the swap.
        self.assertEqual(conveners(self.province), [(2027, "mz"), (2028, "mz"), (2029, "tsw"), (2030, "zgh")])
        record_swap(self.province, self.zgh, self.tsw, 2029, "又一年", "会议决定", by=self.secretariat)  # another year
        self.assertEqual(RotationEvent.objects.count(), 2)

    def test_the_same_defer_twice_is_refused(self):
        record_defer(self.province, self.zgh, 2029, "机构改革", "会议决定", by=self.secretariat)
        with translation.override("en"), self.assertRaises(ActionRefused) as refused:
            record_defer(self.province, self.zgh, 2029, "机构改革", "会议决定", by=self.secretariat)
        self.assertIn("already passed over in 2029", str(refused.exception))
        self.assertEqual(RotationEvent.objects.count(), 1)
        self.assertEqual(conveners(self.province), [(2027, "mz"), (2028, "mz"), (2029, "tsw"), (2030, "zgh")])

    def test_check_and_save_run_under_a_row_lock_on_the_mechanism(self):
        with mock.patch.object(
            Mechanism.objects, "select_for_update", wraps=Mechanism.objects.select_for_update
        ) as lock:
            record_defer(self.province, self.zgh, 2029, "机构改革", "会议决定", by=self.secretariat)
        lock.assert_called_once_with()

    def test_a_unit_that_leaves_on_or_before_1_january_of_the_year_is_refused(self):
        for left_on in (datetime.date(2027, 6, 1), datetime.date(2028, 1, 1)):  # a member today, not in 2028
            self.tsw.left_on = left_on
            self.tsw.save()
            with self.subTest(left_on), translation.override("en"), self.assertRaises(ActionRefused) as refused:
                record_swap(self.province, self.zgh, self.tsw, 2028, "工作调整", "会议决定", by=self.secretariat)
            self.assertIn("not a member unit on 1 January 2028", str(refused.exception))
            self.assertIn(self.tsw.name, str(refused.exception))
        self.assertFalse(RotationEvent.objects.exists())

    def test_a_year_whose_convener_term_has_started_is_refused(self):
        # tsw's term of 2026 has started: 2026 is history, 2027 is the first year that may change.
        with translation.override("en"), self.assertRaises(ActionRefused) as refused:
            record_swap(self.province, self.zgh, self.mz, 2026, "工作调整", "会议决定", by=self.secretariat)
        self.assertIn("convener term of 2026 has already started", str(refused.exception))
        self.assertFalse(RotationEvent.objects.exists())
        event = record_swap(self.province, self.zgh, self.mz, 2027, "工作调整", "会议决定", by=self.secretariat)
        self.assertEqual(RotationEvent.objects.get().pk, event.pk)
