"""Every figure of the demo's draft summary, counted again here a different way: row by row in Python, each
date turned into an Asia/Shanghai day, instead of the database's filters and aggregates. The demo's handover is
moved to mid-January: the summary still covers the whole calendar year, the days before the signature included."""

import datetime
from collections import Counter
from decimal import Decimal

import time_machine
from django.test import TestCase
from django.utils import timezone

from mechanism.demo import seed_mechanisms
from mechanism.demo_cases import seed_cases
from mechanism.models import Assignment, AssistanceRecord, Case, HelpChannel, Mechanism
from meetings.demo import seed_meetings
from meetings.models import Meeting
from rotation.summaries.figures import compute_figures
from rotation.summaries.services import start_summary
from tests.factories import SHANGHAI

MOMENT = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI)
HANDOVER = datetime.datetime(2026, 1, 16, 10, 0, tzinfo=SHANGHAI)  # the January signature: tsw's term begins
START, END, AS_OF = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), datetime.date(2026, 11, 20)


def day(moment):
    return timezone.localtime(moment, SHANGHAI).date() if moment else None


def in_period(value):
    return value is not None and START <= value <= AS_OF


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def share_bound(values, share):
    """The smallest value v with at least `share` of the values ≤ v, by counting."""
    return min(v for v in values if sum(1 for other in values if other <= v) >= share * len(values))


class DemoSummaryFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(MOMENT, tick=False):
            seed_mechanisms(today=MOMENT.date())
            seed_cases(today=MOMENT.date())
            seed_meetings(today=MOMENT.date())
            cls.province = Mechanism.objects.get(area__code="140000")
            term = cls.province.convener_terms.covering(MOMENT).get()
            cls.province.convener_terms.filter(ends_at=term.starts_at).update(ends_at=HANDOVER)
            cls.province.convener_terms.filter(pk=term.pk).update(starts_at=HANDOVER)
            cls.summary = start_summary(cls.province, 2026, now=MOMENT)
        cls.figures = cls.summary.figures

    def cases(self):
        return [case for case in Case.objects.select_related("source_unit") if case.mechanism_id == self.province.pk]

    def test_the_period_is_the_whole_calendar_year_counted_to_the_day_of_drafting(self):
        self.assertEqual((self.summary.period_start, self.summary.period_end), (START, END))
        self.assertEqual(self.province.convener_on(HANDOVER).code, "tsw")
        self.assertEqual(self.summary.convener_unit.code, "tsw")
        self.assertEqual(self.figures["period"], {"start": "2026-01-01", "end": "2026-12-31", "as_of": "2026-11-20"})
        self.assertEqual(self.summary.figures_at, MOMENT)

    def test_meetings_held_by_kind(self):
        held = Counter(
            meeting.kind
            for meeting in Meeting.objects.all()
            if meeting.mechanism_id == self.province.pk
            and meeting.state == "held"
            and in_period(day(meeting.starts_at))
        )
        self.assertGreaterEqual(sum(held.values()), 2)
        self.assertEqual(self.figures["meetings"], {"held": sum(held.values()), "by_kind": dict(held)})

    def breakdown(self, cases):
        return {
            "count": len(cases),
            "by_source": dict(Counter(case.source for case in cases)),
            "by_need": dict(Counter(need for case in cases for need in case.needs)),
            "by_unit": dict(Counter(case.source_unit.code if case.source_unit else "" for case in cases)),
        }

    def test_cases_received_resolved_and_open_by_source_need_and_unit(self):
        cases = self.cases()
        received = [case for case in cases if in_period(day(case.reported_at))]
        resolved = [case for case in cases if in_period(day(case.resolved_at))]
        still_open = [
            case
            for case in cases
            if day(case.reported_at) <= AS_OF
            and case.state != "declined"
            and (case.resolved_at is None or day(case.resolved_at) > AS_OF)
        ]
        self.assertTrue(len(received) > 10 and resolved and still_open)
        self.assertTrue([case for case in received if day(case.reported_at) < HANDOVER.date()])  # before the signature
        self.assertLess(len(received), len(cases))  # the demo's year reaches back before 1 January
        for name, group in (("received", received), ("resolved", resolved), ("open_at_end", still_open)):
            with self.subTest(name):
                self.assertEqual(self.figures["cases"][name], self.breakdown(group))

    def test_cases_by_month(self):
        received = Counter(day(case.reported_at).month for case in self.cases() if in_period(day(case.reported_at)))
        resolved = Counter(day(case.resolved_at).month for case in self.cases() if in_period(day(case.resolved_at)))
        monthly = self.figures["cases"]["monthly"]
        self.assertEqual(monthly["received"], [received.get(month, 0) for month in range(1, 13)])
        self.assertEqual(monthly["resolved"], [resolved.get(month, 0) for month in range(1, 13)])

    def test_handling_time_median_and_90th_percentile(self):
        durations = [
            (case.resolved_at - case.reported_at) / datetime.timedelta(days=1)
            for case in self.cases()
            if in_period(day(case.resolved_at))
        ]
        self.assertGreaterEqual(len(durations), 3)
        expected = {
            "count": len(durations),
            "median": round(median(durations), 1),
            "p90": round(share_bound(durations, 0.9), 1),
        }
        self.assertEqual(self.figures["handling_days"], expected)
        self.assertLessEqual(expected["median"], expected["p90"])

    def test_overdue_assignments_how_long_and_by_unit(self):
        late = []
        for assignment in Assignment.objects.select_related("unit"):
            if assignment.mechanism_id != self.province.pk or not (START <= assignment.due_on < AS_OF):
                continue
            finished = day(assignment.finished_at)
            if finished is None or finished > AS_OF:
                late.append((assignment.unit.code, (AS_OF - assignment.due_on).days))
            elif finished > assignment.due_on:
                late.append((assignment.unit.code, (finished - assignment.due_on).days))
        days = [days for _unit, days in late]
        self.assertGreaterEqual(len(late), 3)
        expected = {
            "count": len(late),
            "median_days": round(median(days), 1),
            "max_days": max(days),
            "by_unit": dict(Counter(unit for unit, _days in late)),
        }
        self.assertEqual(self.figures["overdue"], expected)

    def test_action_items_done_returned_and_open(self):
        items = [
            assignment
            for assignment in Assignment.objects.all()
            if assignment.mechanism_id == self.province.pk
            and assignment.case_id is None
            and in_period(day(assignment.assigned_at))
        ]
        finished = [item for item in items if item.finished_at and day(item.finished_at) <= AS_OF]
        done = sum(1 for item in finished if item.state == "completed")
        returned = sum(1 for item in finished if item.state == "returned")
        self.assertGreaterEqual(len(items), 2)
        expected = {"total": len(items), "done": done, "returned": returned, "open": len(items) - done - returned}
        self.assertEqual(self.figures["action_items"], expected)

    def test_assistance_by_funding(self):
        expected = {}
        for record in AssistanceRecord.objects.all():
            if record.mechanism_id != self.province.pk or not in_period(record.given_on):
                continue
            row = expected.setdefault(
                record.funding, {"records": 0, "cases": set(), "amount": Decimal(0), "services": 0}
            )
            row["records"] += 1
            row["cases"].add(record.case_id)
            row["amount"] += record.amount or 0
            row["services"] += record.amount is None
        expected = {
            funding: {**row, "cases": len(row["cases"]), "amount": f"{row['amount']:.2f}"}
            for funding, row in expected.items()
        }
        self.assertIn("government", expected)
        self.assertEqual(self.figures["assistance"], expected)

    def test_help_channels_verified_in_the_period(self):
        current = [
            channel
            for channel in HelpChannel.objects.select_related("unit")
            if channel.unit.mechanism_id == self.province.pk and channel.unit.is_active_on(AS_OF)
        ]
        verified = [channel for channel in current if in_period(channel.last_verified_on)]
        self.assertTrue(verified)
        self.assertEqual(self.figures["channels"], {"total": len(current), "verified": len(verified)})

    def test_the_figures_are_json_and_name_no_person(self):
        import json

        text = json.dumps(self.figures, ensure_ascii=False)
        for case in self.cases()[:5]:
            self.assertNotIn(case.person_name, text)
        self.assertNotIn("民政", text)  # codes, not names: words are added when shown

    def test_a_later_period_counts_nothing_and_says_so_with_none(self):
        later = compute_figures(self.province, datetime.date(2030, 1, 1), datetime.date(2030, 12, 31), today=AS_OF)
        self.assertEqual(later["cases"]["received"]["count"], 0)
        self.assertEqual(later["handling_days"], {"count": 0, "median": None, "p90": None})
        self.assertEqual(later["overdue"]["max_days"], None)
