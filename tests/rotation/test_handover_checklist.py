"""The handover checklist flips each item from the data alone, in a constant number of queries; the open items
listed for the incoming convener carry no personal data."""

import datetime
import json

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mechanism.models import AssignmentState, HelpChannel, MemberUnit, Need
from mechanism.services.triage import accept_case, decline_case, refer_case
from meetings.models import Minutes, MinutesState
from rotation.handovers import services
from rotation.handovers.checklist import checklist, missing_items, open_items_of, plain_title
from rotation.models import AnnualSummary, Handover, SummaryState
from tests.casework import make_case, resident_id
from tests.factories import HelpChannelFactory, MemberUnitFactory
from tests.rotation.test_handover_lifecycle import NOW, TODAY, HandoverTestCase


def done(handover, key, now=NOW):
    return {item.key: item.done for item in checklist(handover, now)}[key]


def detail(handover, key, now=NOW):
    with translation.override("en"):
        return {item.key: item.detail for item in checklist(handover, now)}[key]


@time_machine.travel(NOW, tick=False)
class ChecklistTests(HandoverTestCase):
    def setUp(self):
        self.handover = self.ready_handover()

    def test_a_ready_handover_has_every_item_done(self):
        self.assertEqual([(item.key, item.done) for item in checklist(self.handover, NOW)], [
            ("summary", True), ("open_items", True), ("channels", True), ("contacts", True), ("meeting", True),
        ])  # fmt: skip
        self.assertEqual(missing_items(self.handover, NOW), [])

    def test_channels_verified_59_days_ago_count_61_do_not(self):
        HelpChannel.objects.filter(unit=self.zgh).update(last_verified_on=TODAY - datetime.timedelta(days=59))
        self.assertTrue(done(self.handover, "channels"))
        HelpChannel.objects.filter(unit=self.zgh).update(last_verified_on=TODAY - datetime.timedelta(days=61))
        self.assertFalse(done(self.handover, "channels"))
        text = detail(self.handover, "channels")
        self.assertIn("1 help channel not verified", text)
        self.assertIn(self.zgh.name, text)
        self.assertNotIn(self.tsw.name, text)

    def test_a_channel_never_verified_counts_but_one_of_a_unit_that_left_does_not(self):
        HelpChannel.objects.filter(unit=self.tsw).update(last_verified_on=None)
        self.assertFalse(done(self.handover, "channels"))
        MemberUnit.objects.filter(pk=self.tsw.pk).update(left_on=TODAY - datetime.timedelta(days=1))
        self.assertTrue(done(self.handover, "channels"))

    def test_contacts_of_every_active_unit_within_60_days(self):
        MemberUnit.objects.filter(pk=self.mz.pk).update(contacts_verified_on=TODAY - datetime.timedelta(days=61))
        MemberUnit.objects.filter(pk=self.tsw.pk).update(contacts_verified_on=None)
        self.assertFalse(done(self.handover, "contacts"))
        text = detail(self.handover, "contacts")
        self.assertIn(self.mz.name, text)
        self.assertIn(self.tsw.name, text)
        self.assertNotIn(self.zgh.name, text)
        MemberUnit.objects.filter(pk__in=[self.mz.pk, self.tsw.pk]).update(
            contacts_verified_on=TODAY - datetime.timedelta(days=60)
        )
        self.assertTrue(done(self.handover, "contacts"))

    def test_minutes_approved_or_published_but_not_in_review(self):
        minutes = Minutes.objects.filter(meeting=self.handover.meeting)
        for state, expected in (
            (MinutesState.IN_REVIEW, False),
            (MinutesState.DRAFTED, False),
            (MinutesState.PUBLISHED, True),
            (MinutesState.APPROVED, True),
        ):
            minutes.update(state=state)
            with self.subTest(state):
                self.assertEqual(done(self.handover, "meeting"), expected)
        minutes.delete()
        self.assertFalse(done(self.handover, "meeting"))
        Handover.objects.filter(pk=self.handover.pk).update(meeting=None)
        self.handover.refresh_from_db()
        self.assertIn("No handover meeting", detail(self.handover, "meeting"))

    def test_summary_approved_versus_drafting(self):
        summary = AnnualSummary.objects.get(mechanism=self.province, year=2026)
        AnnualSummary.objects.filter(pk=summary.pk).update(state=SummaryState.DRAFTING)
        self.assertFalse(done(self.handover, "summary"))
        self.assertIn("2026", detail(self.handover, "summary"))
        AnnualSummary.objects.filter(pk=summary.pk).update(state=SummaryState.APPROVED)
        self.assertTrue(done(self.handover, "summary"))
        # The handover's own summary, when linked, decides over the year-before one.
        own = self.approve_summary(year=2025, state=SummaryState.SUBMITTED)
        Handover.objects.filter(pk=self.handover.pk).update(summary=own)
        self.handover.refresh_from_db()
        self.assertFalse(done(self.handover, "summary"))

    def test_open_items_not_listed(self):
        Handover.objects.filter(pk=self.handover.pk).update(open_items_listed_at=None, open_items=[])
        self.handover.refresh_from_db()
        self.assertFalse(done(self.handover, "open_items"))
        with translation.override("en"):
            self.assertEqual(
                missing_items(self.handover, NOW), ["Open cases and action items listed for the incoming convener"]
            )

    def test_queries_do_not_grow_with_units_and_channels(self):
        checklist(self.handover, NOW)
        with CaptureQueriesContext(connection) as few:
            checklist(self.handover, NOW)
        for n in range(6):
            unit = MemberUnitFactory(mechanism=self.province, code=f"extra{n}")
            HelpChannelFactory(unit=unit, last_verified_on=None)
            HelpChannelFactory(unit=unit, last_verified_on=TODAY)
        with CaptureQueriesContext(connection) as more:
            items = checklist(self.handover, NOW)
        self.assertEqual(len(more), len(few))
        self.assertFalse({item.key: item.done for item in items}["channels"])


@time_machine.travel(NOW, tick=False)
class OpenItemsTests(HandoverTestCase):
    def test_open_cases_are_listed_without_personal_data(self):
        id_number, phone = resident_id(serial="456"), "13912345678"
        case = make_case(self.province, by=self.secretariat, person_name="李四平", id_number=id_number, phone=phone,
                         needs=[Need.MEDICAL, Need.HOUSING], address="太原市小店区某街1号")  # fmt: skip
        accept_case(case, by=self.secretariat)
        refer_case(case, [self.zgh], by=self.secretariat, today=TODAY)
        closed = make_case(self.province, by=self.secretariat, person_name="王五", id_number=resident_id(serial="789"))
        decline_case(closed, "不属于救助范围", by=self.secretariat)

        handover = self.make_handover()
        services.list_open_items(handover, by=self.secretariat, now=NOW)
        handover.refresh_from_db()
        self.assertEqual(len(handover.open_items), 1, handover.open_items)
        row = handover.open_items[0]
        with translation.override("zh-hans"):
            needs = f"{Need.MEDICAL.label}、{Need.HOUSING.label}"
        self.assertEqual(row["kind"], "case")
        self.assertEqual(row["reference"], case.reference)
        self.assertEqual(row["title"], needs)
        self.assertEqual(row["units"], self.zgh.name)
        self.assertTrue(row["due_on"])
        self.assertTrue(all(isinstance(value, str) for value in row.values()))
        stored = json.dumps(handover.open_items, ensure_ascii=False)
        for secret in (id_number, phone, "李四平", "小店区", "王五", closed.reference):
            self.assertNotIn(secret, stored)

    def test_action_items_mask_numbers_and_relisting_replaces(self):
        from mechanism.models import Assignment

        Assignment.objects.create(
            mechanism=self.province, unit=self.tsw, case=None, task="联系13912345678核实情况，身份证号" + resident_id(),
            assigned_at=NOW, due_on=TODAY + datetime.timedelta(days=10),
        )  # fmt: skip
        rows = open_items_of(self.province)
        self.assertEqual([row["kind"] for row in rows], ["action"])
        self.assertNotIn("13912345678", rows[0]["title"])
        self.assertNotIn(resident_id(), rows[0]["title"])
        self.assertEqual(rows[0]["units"], self.tsw.name)
        handover = self.make_handover()
        services.list_open_items(handover, by=self.secretariat, now=NOW)
        Assignment.objects.update(state=AssignmentState.COMPLETED)
        services.list_open_items(handover, by=self.secretariat, now=NOW)
        handover.refresh_from_db()
        self.assertEqual(handover.open_items, [])

    def test_numbers_written_with_spaces_or_hyphens_are_masked(self):
        from mechanism.models import Assignment

        secrets = (
            "1401 0519 9001 0112 34",
            "140105-19900101-1234",
            "139 0351 1234",
            "0351-1234567",
            "14010519900101123X",
        )
        for n, secret in enumerate(secrets):
            Assignment.objects.create(
                mechanism=self.province, unit=self.tsw, case=None, task=f"回访{secret}并报告（第{n}项）",
                assigned_at=NOW, due_on=TODAY + datetime.timedelta(days=10 + n),
            )  # fmt: skip
        titles = [row["title"] for row in open_items_of(self.province)]
        self.assertEqual(titles, [f"回访****并报告（第{n}项）" for n in range(len(secrets))])
        kept = "会议定于2027年1月12日召开，参会12人"  # short numbers stay
        self.assertEqual(plain_title(kept), kept)
