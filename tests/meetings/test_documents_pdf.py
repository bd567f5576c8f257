"""The meeting documents laid out by LibreOffice: A4 pages, as many as the content needs. Each conversion
costs about a second and a half, so each kind is converted once."""

import datetime
import math

import time_machine

from mechanism.documents.registry import get_kind, render
from tests.base import CastTestCase
from tests.docx_checks import A4_POINTS, to_pdf
from tests.factories import SHANGHAI
from tests.meetings.test_documents_minutes import approve, held_meeting, make_minutes
from tests.meetings.test_documents_notice_agenda import make_meeting
from tests.meetings.test_documents_signin import many_units_meeting

NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI)
TEXT_HEIGHT_MM = 297 - 37 - 35
LINES_PER_PAGE = 22


@time_machine.travel(NOW, tick=False)
class DocumentPdfTests(CastTestCase):
    def pdf(self, kind, obj):
        pages, sizes = to_pdf(render(get_kind(kind), obj))
        self.assertTrue(sizes)  # every media box (the pages' and the page tree's) is A4
        for width, height in sizes:
            self.assertAlmostEqual(width, A4_POINTS[0], delta=1)
            self.assertAlmostEqual(height, A4_POINTS[1], delta=1)
        return pages

    def test_a_short_notice_is_one_a4_page(self):
        self.assertEqual(self.pdf("notice", make_meeting(self)), 1)

    def test_a_short_agenda_is_one_a4_page(self):
        self.assertEqual(self.pdf("agenda", make_meeting(self)), 1)

    def test_sign_in_sheet_of_60_units_runs_over_several_pages(self):
        # 60 rows of at least 12 mm and the header: at least ceil(61 * 12 / 225) = 4 pages; one more at most
        # for the title and the header repeated on each page.
        pages = self.pdf("signin", many_units_meeting(self, 60))
        least = math.ceil(61 * 12 / TEXT_HEIGHT_MM)
        self.assertGreaterEqual(pages, least)
        self.assertLessEqual(pages, least + 1)

    def test_minutes_of_40_items_run_over_many_pages(self):
        minutes = make_minutes(held_meeting(self, items=40, present=[(self.mz, "王处长"), (self.zgh, "赵部长")]))
        approve(minutes)
        pages = self.pdf("minutes", minutes)
        # Per item at least five lines (heading, summary, 会议决定, the decision, 督办事项) and a table.
        self.assertGreaterEqual(pages, math.ceil(40 * 5 / LINES_PER_PAGE) + 1)
        self.assertLess(pages, 40)  # not a page per item
