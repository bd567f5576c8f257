"""The minutes (会议纪要) as .docx: layout, attendance, items, decisions, action items, quorum, draft mark,
and the approved text standing while a correction is under way."""

import datetime

import time_machine
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mechanism.documents.registry import LONG_DOCUMENT_STEPS, get_kind, render
from meetings import services
from meetings.documents.minutes import quorum_sentence
from meetings.minutes_text import snapshot
from meetings.models import (
    AgendaItemKind,
    Attendance,
    Decision,
    DecisionKind,
    ItemMinutes,
    MeetingState,
    Minutes,
    MinutesRevision,
)
from meetings.services import quorum
from tests.base import CastTestCase
from tests.casework import make_case
from tests.docx_checks import all_text, assert_official_layout, open_docx
from tests.factories import SHANGHAI
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI)  # ten days after the meeting of 2026-03-10
DUE = datetime.date(2026, 4, 15)


def zh(msgid, context=None, **values):
    with translation.override("zh-hans"):
        text = pgettext(context, msgid) if context else _(msgid)
        return text % values if values else text


def held_meeting(case, items=2, present=(), **kw):
    """A held meeting of the province with `items` agenda items and the people of `present` recorded."""
    meeting = MeetingFactory(
        mechanism=case.province,
        invited_units=[case.mz, case.zgh, case.tsw],
        state=MeetingState.HELD,
        chair="张主任",
        guests="刘教授 山西大学\n陈律师 晋阳律师事务所",
        **kw,
    )
    for number in range(1, items + 1):
        AgendaItemFactory(meeting=meeting, order=number, title=f"第{number}项议题", presenter=case.zgh)
    for unit, person in present:
        Attendance.objects.create(meeting=meeting, unit=unit, person=person)
    return meeting


def make_minutes(meeting, decisions=True):
    """Minutes of every item kept on the agenda; with decisions, each item gets a decision and an action item."""
    minutes = Minutes.objects.create(meeting=meeting)
    MinutesRevision.objects.create(minutes=minutes, number=1)
    units = list(meeting.invited_units.order_by("pk"))
    for item in meeting.agenda_items.filter(removed_at=None):
        row = ItemMinutes.objects.create(minutes=minutes, agenda_item=item, summary=f"第{item.order}项议题的讨论情况")
        if decisions:
            Decision.objects.create(item=row, kind=DecisionKind.DECISION, text=f"同意第{item.order}项议题的方案")
            action = Decision.objects.create(
                item=row,
                kind=DecisionKind.ACTION,
                text=f"落实第{item.order}项议题",
                due_on=DUE,
                expected_result="形成报告",
            )
            action.units.set(units[1:])
    return minutes


def approve(minutes, moment=NOW):
    """What approval leaves behind: the state, and the revision's approved text and date."""
    minutes.send_for_review()
    minutes.approve()
    minutes.approved_at = moment
    minutes.save()
    MinutesRevision.objects.filter(minutes=minutes, number=minutes.revision).update(
        content=snapshot(minutes), approved_at=moment
    )


def document(minutes):
    return open_docx(render(get_kind("minutes"), minutes))


def title_of(meeting):
    with translation.override("zh-hans"):
        return _("%(meeting)s minutes") % {"meeting": meeting.name}


@time_machine.travel(NOW, tick=False)
class MinutesDocumentTests(CastTestCase):
    def present(self):
        return [(self.mz, "王处长"), (self.mz, "李科长"), (self.zgh, "赵部长")]

    def test_minutes_have_the_official_layout_and_title(self):
        minutes = make_minutes(held_meeting(self, present=self.present()))
        approve(minutes)
        assert_official_layout(self, document(minutes), title_of(minutes.meeting))

    def test_attendance_lists_present_guests_and_excused(self):
        text = all_text(document(make_minutes(held_meeting(self, present=self.present()))))
        present = next(line for line in text.splitlines() if line.startswith(zh("Present: ")))
        for value in (self.mz.name, "王处长", "李科长", self.zgh.name, "赵部长"):
            self.assertIn(value, present)
        self.assertNotIn(self.tsw.name, present)
        guests = next(line for line in text.splitlines() if line.startswith(zh("In attendance: ")))
        self.assertIn("刘教授 山西大学", guests)
        self.assertIn("陈律师 晋阳律师事务所", guests)
        excused = next(line for line in text.splitlines() if line.startswith(zh("Excused: ")))
        self.assertEqual(excused, zh("Excused: ") + self.tsw.name)

    def test_every_item_decision_and_action_with_units_and_due_date(self):
        meeting = held_meeting(self, items=3, present=self.present())
        doc = document(make_minutes(meeting))
        text = all_text(doc)
        headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        self.assertEqual(
            headings,
            [zh("%(number)s. %(text)s", number=n, text=f"第{i}项议题") for n, i in (("一", 1), ("二", 2), ("三", 3))],
        )
        for number in (1, 2, 3):
            self.assertIn(f"第{number}项议题的讨论情况", text)
            self.assertIn(f"1.同意第{number}项议题的方案", text)
        self.assertEqual(text.count(zh("Decisions: ")), 3)
        self.assertEqual(len(doc.tables), 3)
        header = [cell.text for cell in doc.tables[0].rows[0].cells]
        self.assertEqual(header[2], zh("Responsible units", "document"))
        row = [cell.text for cell in doc.tables[0].rows[1].cells]
        self.assertEqual(row[0:2], ["1", "落实第1项议题"])
        self.assertIn(self.zgh.name, row[2])
        self.assertIn(self.tsw.name, row[2])
        self.assertNotIn(self.mz.name, row[2])
        self.assertEqual(row[3:], ["2026年4月15日", "形成报告"])

    def test_a_decision_with_units_and_due_date_names_them(self):
        minutes = make_minutes(held_meeting(self, items=1, present=self.present()), decisions=False)
        decision = Decision.objects.create(item=minutes.items.get(), text="转介相关单位", due_on=DUE)
        decision.units.set([self.zgh])
        text = all_text(document(minutes))
        line = next(line for line in text.splitlines() if line.startswith("1.转介相关单位"))
        self.assertIn(self.zgh.name, line)
        self.assertIn("2026年4月15日", line)

    def test_below_quorum_says_so_and_a_quorum_does_not(self):
        rule = self.province.quorum_rule
        below = held_meeting(self, present=[(self.zgh, "赵部长")])
        q = quorum(below)
        self.assertFalse(q.reached)
        sentence = zh_quorum(q, rule)
        self.assertIn("1", sentence)
        self.assertIn(sentence, all_text(document(make_minutes(below))))

        reached = held_meeting(self, present=self.present())
        q = quorum(reached)
        self.assertTrue(q.reached)
        self.assertNotIn(zh_quorum(q, rule), all_text(document(make_minutes(reached))))

    def test_no_person_name_of_a_case_appears(self):
        case = make_case(self.province, person_name="王小花")
        meeting = held_meeting(self, items=1, present=self.present())
        AgendaItemFactory(meeting=meeting, order=5, title="王小花家庭救助", kind=AgendaItemKind.CASE, case=case)
        AgendaItemFactory(meeting=meeting, order=6, title="赵大明住房困难", kind=AgendaItemKind.CASE)
        minutes = make_minutes(meeting, decisions=False)
        text = all_text(document(minutes))
        self.assertIn(zh("Case %(reference)s", reference=case.reference), text)
        self.assertIn(zh("Case item"), text)
        self.assertNotIn("王小花", text)
        self.assertNotIn("赵大明", text)
        approve(minutes)
        self.assertNotIn("王小花", all_text(document(minutes)))

    def test_draft_mark_only_until_approved(self):
        minutes = make_minutes(held_meeting(self, present=self.present()))
        doc = document(minutes)
        self.assertEqual(doc.paragraphs[0].text, title_of(minutes.meeting))
        self.assertEqual(doc.paragraphs[1].text, zh("(draft)", "document"))
        self.assertEqual(doc.paragraphs[-1].text, "2026年3月20日")  # today for a draft

        minutes.send_for_review()
        minutes.save()
        self.assertEqual(document(minutes).paragraphs[1].text, zh("(draft for comments)", "document"))

        minutes.approve()
        minutes.save()
        MinutesRevision.objects.filter(minutes=minutes).update(
            content=snapshot(minutes), approved_at=datetime.datetime(2026, 3, 18, 9, 0, tzinfo=SHANGHAI)
        )
        with time_machine.travel(datetime.datetime(2026, 5, 1, 10, 0, tzinfo=SHANGHAI)):
            texts = [p.text for p in document(minutes).paragraphs]
        self.assertNotIn(zh("(draft)", "document"), texts)
        self.assertNotIn(zh("(draft for comments)", "document"), texts)
        self.assertEqual(texts[1], "")  # the title's empty line
        self.assertEqual(texts[-1], "2026年3月18日")  # the approval date, not today

    def test_a_correction_under_way_leaves_the_approved_text(self):
        minutes = make_minutes(held_meeting(self, items=1, present=self.present()))
        approve(minutes)
        minutes.correct()
        minutes.revision = 2
        minutes.save()
        MinutesRevision.objects.create(minutes=minutes, number=2, is_correction=True, reason="更正")
        ItemMinutes.objects.filter(minutes=minutes).update(summary="更正后的讨论情况")
        Decision.objects.filter(item__minutes=minutes, kind=DecisionKind.DECISION).update(text="更正后的决定")
        text = all_text(document(minutes))
        self.assertIn("第1项议题的讨论情况", text)
        self.assertIn("同意第1项议题的方案", text)
        self.assertNotIn("更正后", text)
        self.assertNotIn(zh("(draft)", "document"), text)

    def test_through_the_services_a_correction_leaves_the_published_text(self):
        meeting = held_meeting(self, items=1, present=self.present())
        minutes = services.start_minutes(meeting)
        item = minutes.items.get()
        services.update_item_summary(item, "原讨论情况")
        services.add_decision(item, DecisionKind.ACTION, "报送材料", units=[self.zgh], due_on=DUE)
        services.send_minutes_for_review(minutes, NOW.date() + datetime.timedelta(days=3))
        for unit in (self.mz, self.zgh):
            services.agree_to_minutes(minutes, unit)
        services.approve_minutes(minutes)
        services.publish_minutes(minutes)
        services.correct_minutes(minutes, "更正笔误")
        services.update_item_summary(ItemMinutes.objects.get(pk=item.pk), "更正后的讨论情况")
        minutes.refresh_from_db()
        doc = document(minutes)
        text = all_text(doc)
        self.assertIn("原讨论情况", text)
        self.assertNotIn("更正后的讨论情况", text)
        self.assertEqual(doc.paragraphs[1].text, "")  # no draft mark: the published minutes stand
        self.assertIn("2026年4月15日", text)

    def test_opening_written_or_generated(self):
        minutes = make_minutes(held_meeting(self, present=self.present()))
        opening = document(minutes).paragraphs[3].text
        for value in ("2026年3月10日", self.tsw.name, "省民政厅三楼会议室", "张主任"):  # tsw convenes in 2026
            self.assertIn(value, opening)
        minutes.opening = "会议由共青团山西省委员会召集，听取了各单位工作汇报。"
        minutes.save()
        self.assertEqual(document(minutes).paragraphs[3].text, minutes.opening)

    def test_progress_per_item_and_steps(self):
        minutes = make_minutes(held_meeting(self, items=4), decisions=False)
        calls = []
        with translation.override("zh-hans"):
            get_kind("minutes").build(minutes, lambda done, total: calls.append((done, total)))
        self.assertEqual(calls, [(1, 4), (2, 4), (3, 4), (4, 4)])
        self.assertEqual(get_kind("minutes").steps(minutes), 4)
        self.assertLess(get_kind("minutes").steps(minutes), LONG_DOCUMENT_STEPS)

    def test_getters_and_filename(self):
        meeting = held_meeting(self)
        with self.assertRaises(Minutes.DoesNotExist):
            get_kind("minutes").get(meeting.pk)
        with self.assertRaises(Http404):
            get_kind("minutes").get_for_user(self.secretariat, meeting.pk)
        minutes = make_minutes(meeting)
        self.assertEqual(get_kind("minutes").get(meeting.pk), minutes)
        self.assertEqual(get_kind("minutes").get_for_user(self.secretariat, meeting.pk), minutes)
        with self.assertRaises(Http404):
            get_kind("minutes").get_for_user(self.outsider, meeting.pk)
        self.assertEqual(get_kind("minutes").filename(minutes), title_of(meeting) + ".docx")


def zh_quorum(q, rule):
    with translation.override("zh-hans"):
        values = {"present": q.present_units, "active": q.active_units, "needed": q.needed, "reached": q.reached}
        return quorum_sentence(values, rule)
