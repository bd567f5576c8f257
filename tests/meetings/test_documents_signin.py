"""The sign-in sheet (签到表) as .docx: one row per invited unit, room to sign, the header row repeating."""

import datetime

import time_machine
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx.oxml.ns import qn

from mechanism.documents.registry import get_kind, render
from tests.base import CastTestCase
from tests.docx_checks import all_text, assert_official_layout, open_docx
from tests.factories import SHANGHAI, MemberUnitFactory
from tests.meetings.factories import MeetingFactory

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def many_units_meeting(case, count):
    """A meeting of the province inviting `count` units."""
    units = [MemberUnitFactory(mechanism=case.province, name=f"第{n}成员单位") for n in range(1, count + 1)]
    return MeetingFactory(mechanism=case.province, invited_units=units)


def sheet(meeting):
    return open_docx(render(get_kind("signin"), meeting))


@time_machine.travel(NOW, tick=False)
class SignInSheetTests(CastTestCase):
    def test_layout_and_title(self):
        meeting = MeetingFactory(mechanism=self.province, invited_units=[self.mz, self.zgh])
        with translation.override("zh-hans"):
            title = _("%(meeting)s sign-in sheet") % {"meeting": meeting.name}
            filename = _("%(meeting)s sign-in sheet.docx") % {"meeting": meeting.name}
        assert_official_layout(self, sheet(meeting), title)
        self.assertEqual(get_kind("signin").filename(meeting), filename)

    def test_one_row_per_invited_unit_with_empty_cells_to_sign(self):
        meeting = MeetingFactory(mechanism=self.province, invited_units=[self.mz, self.zgh, self.tsw])
        doc = sheet(meeting)
        rows = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
        with translation.override("zh-hans"):
            header = [pgettext("document", word) for word in ("No.", "Unit", "Name", "Position", "Signature")]
        self.assertEqual(rows[0], header)
        self.assertEqual(rows[1:], [["1", self.mz.name, "", "", ""], ["2", self.zgh.name, "", "", ""],
                                    ["3", self.tsw.name, "", "", ""]])  # fmt: skip
        text = all_text(doc)
        self.assertIn("2026年3月10日", text)
        self.assertIn("省民政厅三楼会议室", text)

    def test_header_row_repeats_and_rows_leave_room_to_sign(self):
        doc = sheet(many_units_meeting(self, 5))
        rows = doc.tables[0].rows
        self.assertEqual(len(rows), 6)
        first = rows[0]._tr.trPr.find(qn("w:tblHeader"))
        self.assertIsNotNone(first)
        self.assertIn(first.get(qn("w:val")), ("true", "1", None))
        for row in rows[1:]:
            self.assertIsNone(row._tr.trPr.find(qn("w:tblHeader")) if row._tr.trPr is not None else None)
            self.assertGreaterEqual(round(row.height.mm), 12)

    def test_units_not_invited_are_not_on_the_sheet(self):
        meeting = MeetingFactory(mechanism=self.province, invited_units=[self.zgh])
        text = all_text(sheet(meeting))
        self.assertIn(self.zgh.name, text)
        self.assertNotIn(self.mz.name, text)
        self.assertNotIn(self.tsw.name, text)
