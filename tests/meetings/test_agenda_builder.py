"""The agenda builder: what is waiting comes in a fixed order, overdue work returns by itself, edits stick."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mechanism.models import Assignment, HolidayOverride
from mechanism.services.assignments import acknowledge_assignment, complete_assignment
from mechanism.services.errors import ActionRefused
from mechanism.services.triage import accept_case, table_case
from mechanism.workdays import working_days_between
from meetings.models import AgendaItem, AgendaItemKind, MeetingState
from meetings.services import (
    add_item,
    agenda_time,
    build_agenda,
    cancel_meeting,
    create_meeting,
    propose_topic,
    remove_item,
    reorder_items,
)
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.factories import SHANGHAI

from .factories import AgendaItemFactory, MeetingFactory

K = AgendaItemKind
TODAY = datetime.date(2026, 3, 20)  # a Friday; March 2026 has no holiday
NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI)
MEETING_AT = datetime.datetime(2026, 3, 24, 9, 30, tzinfo=SHANGHAI)
AFTER_THE_MEETING = datetime.date(2026, 4, 30)


def at(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@time_machine.travel(NOW, tick=False)
class AgendaCase(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.meeting = create_meeting(
            cls.province,
            kind="regular",
            starts_at=MEETING_AT,
            ends_at=MEETING_AT + datetime.timedelta(hours=2),
            by=None,
        )

    def assignment(self, task, unit, due_on, assigned_on=datetime.date(2026, 2, 2), acknowledged=True, mechanism=None):
        a = Assignment.objects.create(
            mechanism=mechanism or self.province, unit=unit, task=task, assigned_at=at(assigned_on), due_on=due_on
        )
        if acknowledged:
            acknowledge_assignment(a)
        return a

    def tabled_case(self, **kw):
        case = make_case(self.province, by=self.secretariat, **kw)
        accept_case(case)
        return table_case(case)

    def build(self, meeting=None, by=None):
        return build_agenda(meeting or self.meeting, by=by or self.secretariat, today=TODAY)

    def items(self, meeting=None):
        return list(AgendaItem.objects.filter(meeting=meeting or self.meeting, removed_at=None).order_by("order"))


class OrderAndReturnTests(AgendaCase):
    def setUp(self):
        self.over11 = self.assignment("逾期十一天", self.zgh, datetime.date(2026, 3, 5))
        self.over10 = self.assignment("逾期十天", self.zgh, datetime.date(2026, 3, 6))
        self.over9 = self.assignment("逾期九天", self.tsw, datetime.date(2026, 3, 9))
        self.unack5 = self.assignment(
            "五天未签收", self.tsw, AFTER_THE_MEETING, assigned_on=datetime.date(2026, 3, 13), acknowledged=False
        )
        self.unack4 = self.assignment(
            "四天未签收", self.zgh, AFTER_THE_MEETING, assigned_on=datetime.date(2026, 3, 16), acknowledged=False
        )
        self.due_before_meeting = self.assignment("会前到期", self.mz, datetime.date(2026, 3, 23))
        self.done = self.assignment("已办结", self.zgh, datetime.date(2026, 2, 3))
        complete_assignment(self.done, "已落实")
        self.elsewhere = self.assignment("太原逾期", self.ty_fl, datetime.date(2026, 1, 5), mechanism=self.taiyuan)
        self.case_from_zgh = self.tabled_case(source_unit=self.zgh)
        self.case_no_source = self.tabled_case(id_number=resident_id(serial="456"), phone="13900000000")
        self.topic = propose_topic(self.province, self.zgh, "困难职工冬季帮扶", 20, by=self.other_liaison)

    def test_the_working_day_distances_are_what_the_names_say(self):
        self.assertEqual(working_days_between(self.over11.due_on, TODAY), 11)
        self.assertEqual(working_days_between(self.over10.due_on, TODAY), 10)
        self.assertEqual(working_days_between(self.over9.due_on, TODAY), 9)
        self.assertEqual(working_days_between(datetime.date(2026, 3, 13), TODAY), 5)
        self.assertEqual(working_days_between(datetime.date(2026, 3, 16), TODAY), 4)

    def test_follow_up_first_then_tabled_cases_then_returned_assignments_then_topics(self):
        self.build()
        items = self.items()
        self.assertEqual([i.kind for i in items], [K.FOLLOW_UP, K.CASE, K.CASE, K.OVERDUE, K.OVERDUE, K.TOPIC])
        self.assertTrue(all(i.built for i in items))
        self.assertEqual([i.case for i in items[1:3]], [self.case_from_zgh, self.case_no_source])
        self.assertEqual([i.presenter for i in items[1:3]], [self.zgh, self.mz])  # source unit, else the lead unit
        self.assertEqual([i.assignment for i in items[3:5]], [self.over11, self.unack5])
        self.assertEqual([i.presenter for i in items[3:5]], [self.zgh, self.tsw])
        self.assertEqual((items[5].proposal, items[5].presenter, items[5].minutes), (self.topic, self.zgh, 20))
        self.assertEqual([i.order for i in items], [1, 2, 3, 4, 5, 6])

    def test_overdue_more_than_ten_or_unacknowledged_five_working_days_return(self):
        self.build()
        returned = {i.assignment for i in self.items() if i.kind == K.OVERDUE}
        self.assertEqual(returned, {self.over11, self.unack5})
        self.assertTrue({self.over10, self.over9, self.unack4, self.done}.isdisjoint(returned))

    def test_working_days_follow_the_holiday_calendar(self):
        HolidayOverride.objects.create(date=datetime.date(2026, 3, 12), name="测试假日")  # 11 → 10 working days
        self.build()
        returned = {i.assignment for i in self.items() if i.kind == K.OVERDUE}
        self.assertEqual(returned, {self.unack5})

    def test_the_follow_up_lists_open_work_overdue_or_due_by_the_meeting(self):
        self.build()
        report = self.items()[0].description
        for listed in ("逾期十一天", "逾期十天", "逾期九天", "会前到期"):
            self.assertIn(listed, report)
        for left_out in ("已办结", "太原逾期", "五天未签收", "四天未签收"):
            self.assertNotIn(left_out, report)

    def test_no_personal_data_in_titles(self):
        self.build()
        titles = " ".join(i.title + i.description for i in self.items())
        self.assertNotIn("张三", titles)
        self.assertIn(self.case_from_zgh.reference, titles)

    def test_rebuilding_keeps_manual_and_removed_items_and_adds_only_what_is_new(self):
        self.build()
        manual = add_item(self.meeting, "省总工会工作报告", K.UNIT_REPORT, 15, presenter=self.zgh, by=self.secretariat)
        topic_item = next(i for i in self.items() if i.kind == K.TOPIC)
        remove_item(topic_item, "与第二项合并讨论", by=self.secretariat)
        self.assertEqual(self.build(), [])
        self.assertEqual(AgendaItem.objects.filter(meeting=self.meeting).count(), 7)
        topic_item.refresh_from_db()
        self.assertEqual((topic_item.removed_reason, topic_item.removed_by), ("与第二项合并讨论", self.secretariat))
        # Something new: appended after what is there; the follow-up stays first.
        later = propose_topic(self.province, self.tsw, "青年志愿者参与", 10, by=self.convener_liaison)
        added = self.build()
        self.assertEqual([i.proposal for i in added], [later])
        items = self.items()
        self.assertEqual(items[0].kind, K.FOLLOW_UP)
        self.assertEqual(items[-2:], [manual, added[0]])

    def test_the_builder_keeps_to_a_fixed_number_of_queries(self):
        other = MeetingFactory(mechanism=self.province, starts_at=MEETING_AT + datetime.timedelta(days=1))
        with CaptureQueriesContext(connection) as few:
            self.build()
        for n in range(4):
            self.assignment(f"更多逾期{n}", self.zgh, datetime.date(2026, 2, 2 + n))
        self.tabled_case(id_number=resident_id(serial="789"), phone="13700000000")
        propose_topic(self.province, self.tsw, "另一个议题", 10, by=self.convener_liaison)
        with CaptureQueriesContext(connection) as more:
            added = self.build(other)
        self.assertGreater(len(added), len(self.items()))
        self.assertEqual(len(more), len(few))


class TopicTests(AgendaCase):
    def test_a_topic_on_another_meetings_agenda_is_not_proposed_again(self):
        topic = propose_topic(self.province, self.zgh, "困难职工冬季帮扶", 20, by=self.secretariat)
        earlier = MeetingFactory(mechanism=self.province, starts_at=MEETING_AT - datetime.timedelta(days=20))
        AgendaItemFactory(meeting=earlier, proposal=topic, title=topic.title)
        self.build()
        self.assertFalse(any(i.proposal_id for i in self.items()))

    def test_a_topic_of_a_cancelled_meeting_comes_back(self):
        topic = propose_topic(self.province, self.zgh, "困难职工冬季帮扶", 20, by=self.secretariat)
        earlier = create_meeting(
            self.province,
            kind="regular",
            starts_at=MEETING_AT - datetime.timedelta(days=20),
            ends_at=MEETING_AT - datetime.timedelta(days=20, hours=-1),
            by=self.secretariat,
        )
        self.build(earlier)
        cancel_meeting(earlier, "改期", by=self.secretariat)
        self.build()
        self.assertEqual([i.proposal for i in self.items() if i.kind == K.TOPIC], [topic])

    def test_who_may_propose(self):
        propose_topic(self.province, self.zgh, "由联络员提出", 10, by=self.other_liaison)
        propose_topic(self.province, self.zgh, "由秘书处提出", 10, by=self.secretariat)
        for user, unit in ((self.other_liaison, self.tsw), (self.supervisor, self.zgh), (self.outsider, self.zgh)):
            with self.subTest(user=user.username), self.assertRaises(ActionRefused):
                propose_topic(self.province, unit, "不行", 10, by=user)
        with self.assertRaises(ActionRefused):
            propose_topic(self.province, self.ty_fl, "别的机制的单位", 10, by=self.secretariat)


class EditingTests(AgendaCase):
    def test_remove_needs_a_reason_and_keeps_it(self):
        item = add_item(self.meeting, "其他事项", K.OTHER, 10, by=self.secretariat)
        with translation.override("en"), self.assertRaises(ActionRefused) as refused:
            remove_item(item, "", by=self.secretariat)
        self.assertEqual(str(refused.exception), "Give a reason.")
        remove_item(item, "时间不够", by=self.secretariat)
        item.refresh_from_db()
        self.assertIsNotNone(item.removed_at)
        self.assertEqual(item.removed_reason, "时间不够")
        self.assertEqual(self.items(), [])

    def test_reorder(self):
        a, b, c = (add_item(self.meeting, title, K.TOPIC, 10, by=self.secretariat) for title in "甲乙丙")
        remove_item(b, "撤回", by=self.secretariat)
        reorder_items(self.meeting, [c.pk, a.pk], by=self.convener_liaison)
        self.assertEqual([i.title for i in self.items()], ["丙", "甲"])
        with self.assertRaises(ActionRefused):
            reorder_items(self.meeting, [c.pk], by=self.secretariat)  # a is missing
        with self.assertRaises(ActionRefused):
            reorder_items(self.meeting, [c.pk, a.pk, b.pk], by=self.secretariat)  # b was removed
        self.assertEqual([i.title for i in self.items()], ["丙", "甲"])

    def test_agenda_time_counts_the_items_not_removed_against_the_meeting_length(self):
        add_item(self.meeting, "甲", K.TOPIC, 30, by=self.secretariat)
        add_item(self.meeting, "乙", K.TOPIC, 45, by=self.secretariat)
        removed = add_item(self.meeting, "丙", K.TOPIC, 60, by=self.secretariat)
        remove_item(removed, "撤回", by=self.secretariat)
        self.assertEqual(agenda_time(self.meeting), (75, 120))

    def test_added_items_are_checked(self):
        with self.assertRaises(ActionRefused):
            add_item(self.meeting, " ", K.TOPIC, 10, by=self.secretariat)
        with self.assertRaises(ActionRefused):
            add_item(self.meeting, "外单位", K.UNIT_REPORT, 10, presenter=self.ty_fl, by=self.secretariat)
        with self.assertRaises(ActionRefused):
            add_item(self.meeting, "零分钟", K.TOPIC, 0, by=self.secretariat)
        self.assertEqual(self.items(), [])

    def test_only_the_convener_side_edits_and_only_before_the_meeting(self):
        for user in (self.other_liaison, self.supervisor, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(ActionRefused):
                build_agenda(self.meeting, by=user, today=TODAY)
        held = MeetingFactory(mechanism=self.province, state=MeetingState.HELD)
        with self.assertRaises(ActionRefused):
            build_agenda(held, by=self.secretariat, today=TODAY)
        with self.assertRaises(ActionRefused):
            add_item(held, "会后", K.OTHER, 10, by=self.secretariat)
        self.assertEqual(AgendaItem.objects.count(), 0)
