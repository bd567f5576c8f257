"""The annual work summary as a .docx: the official layout, the figures in sentences and tables, the narrative,
the charts as pictures, signed by the convener unit on the day of approval; `render_document summary PK`."""

import datetime
import io
import os
import tempfile

import time_machine
from django.core.management import call_command
from django.utils import translation

from mechanism.documents import registry
from mechanism.documents.builder import chinese_date
from mechanism.models import CaseSource, Need
from rotation.summaries import labels
from rotation.summaries.charts import CHARTS
from rotation.summaries.document import title_of
from rotation.summaries.services import approve_summary, start_summary, submit_summary, update_narrative
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.docx_checks import all_text, assert_official_layout, open_docx
from tests.factories import SHANGHAI, HelpChannelFactory

NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)
ACHIEVEMENTS = "全年协调救助个案，建立月度会商制度。\n联合开展走访慰问。"


@time_machine.travel(NOW)
class SummaryDocumentTests(CastTestCase):
    def setUp(self):
        make_case(self.province, needs=[Need.HOUSING], source=CaseSource.MEMBER_UNIT, source_unit=self.zgh)
        make_case(self.province, needs=[Need.MEDICAL, Need.HOUSING], id_number=resident_id(serial="456"))
        HelpChannelFactory(unit=self.zgh, last_verified_on=datetime.date(2026, 11, 1))
        self.summary = start_summary(self.province, 2026, now=NOW)
        update_narrative(self.summary, self.convener_liaison, ACHIEVEMENTS, "基层力量不足。", "完善转介流程。")

    def render(self):
        return open_docx(registry.render(registry.get_kind("summary"), self.summary))

    def zh(self, function, *args):
        with translation.override("zh-hans"):
            result = function(*args)
            return [str(item) for item in result] if isinstance(result, list) else str(result)

    def test_the_document_keeps_the_official_layout_and_says_the_narrative(self):
        document = self.render()
        assert_official_layout(self, document, self.zh(title_of, self.summary))
        text = all_text(document)
        for line in (*ACHIEVEMENTS.splitlines(), "基层力量不足。", "完善转介流程。"):
            self.assertIn(line, text)
        self.assertIn("2026", document.paragraphs[0].text)
        self.assertIn(self.province.name, document.paragraphs[0].text)

    def test_the_figures_are_in_sentences_and_tables(self):
        self.assertEqual(self.summary.figures["cases"]["received"]["count"], 2)
        document = self.render()
        text = all_text(document)
        for sentence in self.zh(labels.sentences, self.summary.figures):
            self.assertIn(sentence, text)
        rows = {tuple(cell.text for cell in row.cells) for table in document.tables for row in table.rows}
        self.assertIn((self.zh(labels.need_label, "housing"), "2", "0", "2"), rows)
        self.assertIn(("山西省总工会", "1", "0", "1"), rows)

    def test_the_charts_are_embedded_as_pictures(self):
        document = self.render()
        self.assertEqual(len(document.inline_shapes), len(CHARTS))
        parts = document.part.package.image_parts
        self.assertTrue(all(part.content_type == "image/png" for part in parts))
        self.assertTrue(all(part.blob.startswith(b"\x89PNG") for part in parts))
        self.assertEqual(round(document.inline_shapes[0].width.mm), 150)

    def test_a_draft_is_marked_and_signed_today_an_approved_one_on_its_day(self):
        draft = self.render()
        self.assertIn(chinese_date(NOW.date()), draft.paragraphs[-1].text)
        self.assertNotEqual(draft.paragraphs[1].text, "")  # the draft mark under the title
        submit_summary(self.summary, self.convener_liaison)
        approved_on = datetime.datetime(2026, 12, 20, 10, tzinfo=SHANGHAI)
        approve_summary(self.summary, self.secretariat, now=approved_on)
        approve_summary(self.summary, self.convener_liaison, now=approved_on)
        final = self.render()
        self.assertEqual(final.paragraphs[1].text, "")  # the title's empty line, no draft mark
        self.assertEqual(final.paragraphs[-1].text, chinese_date(approved_on.date()))
        self.assertEqual(final.paragraphs[-2].text, "共青团山西省委员会")

    def test_the_figures_are_those_counted_when_submitted(self):
        make_case(self.province, needs=[Need.MEDICAL], id_number=resident_id(serial="789"))
        submitted_at = datetime.datetime(2026, 12, 29, 9, tzinfo=SHANGHAI)
        submit_summary(self.summary, self.convener_liaison, now=submitted_at)
        self.assertEqual(self.summary.figures["cases"]["received"]["count"], 3)
        text = all_text(self.render())
        self.assertIn(f"数据统计截至{chinese_date(submitted_at.date())}。", text)
        self.assertNotIn(f"数据统计截至{chinese_date(NOW.date())}", text)
        for sentence in self.zh(labels.sentences, self.summary.figures):
            self.assertIn(sentence, text)

    def test_render_document_command_writes_the_summary(self):
        with tempfile.TemporaryDirectory() as folder:
            output = os.path.join(folder, "总结.docx")
            call_command("render_document", "summary", str(self.summary.pk), output, stdout=io.StringIO())
            with open(output, "rb") as handle:
                document = open_docx(handle.read())
        self.assertIn("完善转介流程。", all_text(document))
        self.assertGreaterEqual(len(document.inline_shapes), 1)

    def test_the_filename_is_the_title(self):
        kind = registry.get_kind("summary")
        self.assertEqual(registry.filename(kind, self.summary), self.zh(title_of, self.summary) + ".docx")
