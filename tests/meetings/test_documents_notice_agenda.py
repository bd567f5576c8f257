"""The meeting notice (会议通知) and the agenda (议程) as .docx: the official layout and what they must say."""

import datetime

import time_machine
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from mechanism.documents.registry import get_kind, render
from meetings.models import AgendaItem, AgendaItemKind, NoticeDelivery, NoticeMethod
from tests.base import CastTestCase
from tests.casework import make_case
from tests.docx_checks import all_text, assert_official_layout, open_docx
from tests.factories import SHANGHAI
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # the meeting is on Tuesday 2026-03-10


def zh(text, **values):
    """A fixed document word as the document says it (the Chinese once the translations are merged)."""
    with translation.override("zh-hans"):
        return _(text) % values if values else _(text)


def make_meeting(case, **kw):
    """A meeting of the province inviting its three units, with two items and a removed one."""
    kw.setdefault("chair", "张主任")
    meeting = MeetingFactory(mechanism=case.province, invited_units=[case.mz, case.zgh, case.tsw], **kw)
    AgendaItemFactory(meeting=meeting, order=1, title="困难职工帮扶情况", presenter=case.zgh, minutes=20)
    AgendaItemFactory(meeting=meeting, order=2, title="青少年助学项目", presenter=case.tsw, minutes=25)
    AgendaItemFactory(meeting=meeting, order=3, title="已撤下的议题", removed_at=NOW, removed_reason="改期")
    return meeting


def document(kind, meeting):
    return open_docx(render(get_kind(kind), meeting))


def name_of(meeting):
    with translation.override("zh-hans"):
        return str(meeting.name)


@time_machine.travel(NOW, tick=False)
class NoticeDocumentTests(CastTestCase):
    def test_notice_has_the_official_layout_and_its_title(self):
        meeting = make_meeting(self)
        title = zh("Notice on convening %(meeting)s", meeting=name_of(meeting))
        self.assertIn("2026年第", title)
        assert_official_layout(self, document("notice", meeting), title)

    def test_notice_says_time_place_units_items_and_reply_date(self):
        meeting = make_meeting(self, video_link="https://meet.example.org/abc")
        text = all_text(document("notice", meeting))
        self.assertIn("2026年3月10日", text)
        self.assertIn("9:30", text)
        with translation.override("zh-hans"):
            self.assertIn(str(_("Tuesday")), text)  # the weekday of the meeting
        self.assertIn("省民政厅三楼会议室", text)
        self.assertIn("https://meet.example.org/abc", text)
        for unit in (self.mz, self.zgh, self.tsw):
            self.assertIn(unit.name, text)
        self.assertIn("张主任", text)
        self.assertIn("1.困难职工帮扶情况", text)
        self.assertIn("2.青少年助学项目", text)
        self.assertNotIn("已撤下的议题", text)
        self.assertIn("2026年3月6日", text)  # answers two working days before (Mon 9th, Fri 6th)
        self.assertIn("secretariat@example.org", text)  # the secretariat to contact
        self.assertIn(f"{self.province.name}", text)

    def test_notice_is_dated_the_day_it_was_sent_and_signed_by_the_office(self):
        meeting = make_meeting(self)
        NoticeDelivery.objects.create(
            meeting=meeting,
            user=self.other_liaison,
            unit=self.zgh,
            email="other_liaison@example.org",
            method=NoticeMethod.REQUEST,
            sequence=0,
            sent_at=datetime.datetime(2026, 2, 26, 23, 30, tzinfo=datetime.UTC),  # Feb 27 in Shanghai
        )
        paragraphs = [p.text for p in document("notice", meeting).paragraphs]
        self.assertEqual(paragraphs[-1], "2026年2月27日")
        self.assertEqual(paragraphs[-2], zh("%(mechanism)s Office", mechanism=self.province.name))

    def test_unsent_notice_is_dated_today(self):
        paragraphs = [p.text for p in document("notice", make_meeting(self)).paragraphs]
        self.assertEqual(paragraphs[-1], "2026年3月2日")

    def test_all_invited_is_addressed_to_all_member_units_and_fewer_by_name(self):
        meeting = make_meeting(self)
        self.assertEqual(document("notice", meeting).paragraphs[2].text, zh("All member units") + "：")
        meeting.invited_units.set([self.zgh, self.tsw])
        addressee = document("notice", meeting).paragraphs[2].text
        self.assertIn(self.zgh.name, addressee)
        self.assertIn(self.tsw.name, addressee)
        self.assertNotIn(self.mz.name, addressee)

    def test_thematic_meeting_title_adds_its_subject(self):
        meeting = make_meeting(self, title="困难职工医疗救助")
        self.assertIn("困难职工医疗救助", document("notice", meeting).paragraphs[0].text)

    def test_case_items_show_the_case_reference_never_the_typed_title(self):
        meeting = make_meeting(self)
        case = make_case(self.province, person_name="王小花")
        AgendaItemFactory(meeting=meeting, order=4, title="王小花家庭医疗救助", kind=AgendaItemKind.CASE, case=case)
        AgendaItemFactory(meeting=meeting, order=5, title="赵大明住房困难", kind=AgendaItemKind.CASE)
        for kind in ("notice", "agenda"):
            text = all_text(document(kind, meeting))
            self.assertIn(zh("Case %(reference)s", reference=case.reference), text)
            self.assertIn(zh("Case item"), text)
            for secret in ("王小花", "赵大明"):
                self.assertNotIn(secret, text, kind)

    def test_filenames_name_the_meeting(self):
        meeting = make_meeting(self)
        self.assertEqual(get_kind("notice").filename(meeting), zh("%(meeting)s notice.docx", meeting=name_of(meeting)))
        self.assertEqual(get_kind("agenda").filename(meeting), zh("%(meeting)s agenda.docx", meeting=name_of(meeting)))

    def test_a_user_of_another_mechanism_gets_404(self):
        meeting = make_meeting(self)
        for kind in ("notice", "agenda", "signin"):
            with self.assertRaises(Http404):
                get_kind(kind).get_for_user(self.outsider, meeting.pk)
            self.assertEqual(get_kind(kind).get_for_user(self.other_liaison, meeting.pk), meeting)
            self.assertEqual(get_kind(kind).get(meeting.pk), meeting)


@time_machine.travel(NOW, tick=False)
class AgendaDocumentTests(CastTestCase):
    def test_agenda_has_the_official_layout_and_its_title(self):
        meeting = make_meeting(self)
        assert_official_layout(self, document("agenda", meeting), zh("%(meeting)s agenda", meeting=name_of(meeting)))

    def test_agenda_lists_every_item_with_presenter_and_minutes(self):
        meeting = make_meeting(self)
        doc = document("agenda", meeting)
        rows = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
        self.assertEqual(rows[1], ["1", "困难职工帮扶情况", self.zgh.name, "20"])
        self.assertEqual(rows[2], ["2", "青少年助学项目", self.tsw.name, "25"])
        self.assertEqual(len(rows), 3)  # the header and the two items kept; the removed one is not there
        text = all_text(doc)
        self.assertNotIn("已撤下的议题", text)
        self.assertIn(zh("%(count)s items, %(minutes)s minutes in all.", count=2, minutes=45), text)
        self.assertIn("张主任", text)
        self.assertIn("2026年3月10日", text)
        self.assertIn("省民政厅三楼会议室", text)

    def test_removing_an_item_takes_it_out_of_the_agenda(self):
        meeting = make_meeting(self)
        AgendaItem.objects.filter(meeting=meeting, order=2).update(removed_at=NOW)
        rows = document("agenda", meeting).tables[0].rows
        self.assertEqual([row.cells[1].text for row in rows[1:]], ["困难职工帮扶情况"])
