"""The rotation demo on the Shanxi province: the swap decided at a demo meeting, last year's summary approved,
next January's handover preparing with its checklist half done; the forecast prints ten years with reasons;
a second seed changes nothing."""

import datetime
import io

import time_machine
from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from mechanism.demo import seed_mechanisms
from mechanism.demo_cases import seed_cases
from mechanism.models import ConvenerTerm, Mechanism
from mechanism.workdays import is_working_day
from meetings.demo import seed_meetings
from meetings.models import Meeting, MeetingKind, MeetingState
from rotation.demo import seed_rotation
from rotation.handovers.checklist import checklist
from rotation.models import AnnualSummary, Handover, HandoverState, RotationEvent, SummaryState
from tests.factories import SHANGHAI

NOW = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI)


class DemoRotationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            today = NOW.date()
            seed_mechanisms(today=today)
            seed_cases(today=today)
            seed_meetings(today=today)
            cls.handover = seed_rotation(today=today)
        cls.province = Mechanism.objects.get(area__code="140000")

    def forecast_lines(self):
        out = io.StringIO()
        with time_machine.travel(NOW, tick=False), translation.override("zh-hans"):
            call_command("rotation_forecast", "140000", stdout=out)
        return out.getvalue().splitlines()

    def test_the_swap_was_decided_at_the_oldest_demo_meeting(self):
        swap = RotationEvent.objects.get(mechanism=self.province)
        oldest = Meeting.objects.filter(mechanism=self.province, state=MeetingState.HELD).earliest("starts_at")
        self.assertEqual((swap.kind, swap.unit.code, swap.other_unit.code, swap.year), ("swap", "cl", "hsh", 2028))
        self.assertEqual(swap.decision, f"{oldest.name}决定")

    def test_the_forecast_prints_ten_years_each_with_its_reason(self):
        lines = self.forecast_lines()
        self.assertEqual([line.split(" ")[0] for line in lines], [str(year) for year in range(2027, 2037)])
        expected = [
            "山西省妇女联合会",
            "山西省红十字会",
            "山西省残疾人联合会",
            "少先队山西省工作委员会",
            "山西省民政厅",
        ]
        self.assertEqual([line.split(" ")[1] for line in lines[:5]], expected)
        self.assertIn("对调", lines[1])
        self.assertIn("2026年第", lines[1])
        self.assertTrue(all(" — " in line and line.split(" — ")[1] for line in lines))

    def test_last_years_summary_is_approved_by_both_sides(self):
        summary = AnnualSummary.objects.get(mechanism=self.province, year=2025)
        self.assertEqual(summary.state, SummaryState.APPROVED)
        self.assertIsNotNone(summary.secretariat_approved_at)
        self.assertIsNotNone(summary.convener_approved_at)
        self.assertEqual(summary.convener_unit.code, "zgh")
        self.assertTrue(summary.achievements and summary.problems and summary.plans)

    def test_next_januarys_handover_is_preparing_with_half_its_checklist_done(self):
        handover = Handover.objects.get(mechanism=self.province, year=2027)
        self.assertEqual(handover.state, HandoverState.PREPARING)
        self.assertEqual((handover.outgoing_unit.code, handover.incoming_unit.code), ("tsw", "fl"))
        self.assertEqual(handover.summary.year, 2026)
        self.assertEqual(handover.summary.state, SummaryState.DRAFTING)
        meeting = handover.meeting
        self.assertEqual((meeting.kind, meeting.state), (MeetingKind.ANNUAL, MeetingState.DRAFT))
        day = meeting.starts_at.astimezone(SHANGHAI).date()
        self.assertTrue(datetime.date(2027, 1, 8) <= day <= datetime.date(2027, 1, 21) and is_working_day(day))
        with time_machine.travel(NOW, tick=False):
            done = {item.key: item.done for item in checklist(handover)}
        self.assertEqual(done["open_items"], True)
        self.assertEqual(done["contacts"], True)
        self.assertEqual(done["summary"], False)
        self.assertEqual(done["meeting"], False)

    def test_a_second_seed_changes_nothing(self):
        counts = (RotationEvent.objects.count(), AnnualSummary.objects.count(), Handover.objects.count())
        terms = ConvenerTerm.objects.count()
        with time_machine.travel(NOW, tick=False):
            again = seed_rotation(today=NOW.date())
        self.assertEqual(again.pk, self.handover.pk)
        self.assertEqual(
            (RotationEvent.objects.count(), AnnualSummary.objects.count(), Handover.objects.count()), counts
        )
        self.assertEqual(ConvenerTerm.objects.count(), terms)
