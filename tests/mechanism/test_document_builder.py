"""The GB/T 9704 builder: the frame every document shares, read back with python-docx and laid out by
LibreOffice with the named fonts present and missing."""

import datetime

from django.test import SimpleTestCase
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from mechanism.documents.builder import CHAR, OfficialDocument, chinese_date
from tests.docx_checks import A4_POINTS, all_runs, all_text, assert_official_layout, east_asia, open_docx, to_pdf

TITLE = "关于测试公文版式的通知"
LINE = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未"  # 28 characters: one full line
DAY = datetime.date(2026, 11, 23)
UNIT = "山西省政府救助与慈善帮扶工作衔接机制办公室"


def sample():
    doc = OfficialDocument()
    doc.title(TITLE)
    doc.addressee("各成员单位")
    doc.heading1("一、总体要求")
    doc.paragraph("正文第一段。")
    doc.heading2("（一）工作机制")
    doc.table(["序号", "单位"], [[number, f"成员单位{number}"] for number in range(1, 4)], widths_mm=(20, 136))
    doc.signature(UNIT, DAY)
    return open_docx(doc.to_bytes())


def lines_document(lines):
    """The title and its empty line, then body lines: 22 lines a page holds 44 + 22 = 66 lines on three pages."""
    doc = OfficialDocument()
    doc.title(TITLE)
    for number in range(lines - 2):
        # Alternately a full unindented line and an indented one (2 + 26 characters): each exactly one line.
        doc.paragraph(LINE, indent=False) if number % 2 else doc.paragraph(LINE[:26])
    return doc.to_bytes()


class BuilderLayoutTests(SimpleTestCase):
    def test_frame_fonts_and_title(self):
        document = sample()
        assert_official_layout(self, document, TITLE)

    def test_body_runs_are_16pt_fangsong_with_east_asian_font(self):
        document = sample()
        body = [p for p in document.paragraphs if p.text == "正文第一段。"][0]
        self.assertEqual([(east_asia(run), run.font.size) for run in body.runs], [("仿宋_GB2312", Pt(16))])
        self.assertEqual(body.paragraph_format.first_line_indent, CHAR * 2)
        self.assertIsNotNone(body.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")))

    def test_headings_use_heiti_and_kaiti(self):
        document = sample()
        first = [p for p in document.paragraphs if p.text == "一、总体要求"][0]
        second = [p for p in document.paragraphs if p.text == "（一）工作机制"][0]
        self.assertEqual({east_asia(run) for run in first.runs}, {"黑体"})
        self.assertEqual({east_asia(run) for run in second.runs}, {"楷体_GB2312"})
        self.assertEqual(first.style.name, "Heading 1")
        self.assertFalse(any(run.font.bold for run in first.runs + second.runs))

    def test_no_theme_fonts_left_on_the_styles(self):
        document = sample()
        for name in ("Normal", "Title", "Heading 1", "Heading 2"):
            fonts = document.styles[name].element.rPr.rFonts
            self.assertIsNone(fonts.get(qn("w:eastAsiaTheme")), name)

    def test_table_header_repeats_and_rows_do_not_split(self):
        table = sample().tables[0]
        header = table.rows[0]._tr.trPr
        self.assertEqual(header.find(qn("w:tblHeader")).get(qn("w:val")), "true")
        self.assertIsNone(table.rows[1]._tr.trPr.find(qn("w:tblHeader")))
        self.assertTrue(all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows))
        self.assertEqual({east_asia(run) for run in table.rows[0].cells[0].paragraphs[0].runs}, {"黑体"})
        self.assertEqual(table.cell(1, 1).text, "成员单位1")

    def test_signature_unit_over_a_right_aligned_date(self):
        paragraphs = sample().paragraphs
        unit, date = paragraphs[-2], paragraphs[-1]
        self.assertEqual((unit.text, date.text), (UNIT, "2026年11月23日"))
        self.assertEqual(paragraphs[-3].text, "")  # one empty line under the text
        self.assertEqual(date.alignment, WD_ALIGN_PARAGRAPH.RIGHT)
        self.assertEqual(unit.alignment, WD_ALIGN_PARAGRAPH.RIGHT)
        self.assertGreaterEqual(date.paragraph_format.right_indent, CHAR * 4 - 20)  # four characters in
        self.assertEqual({east_asia(run) for run in unit.runs + date.runs}, {"仿宋_GB2312"})

    def test_unsealed_signature_starts_the_date_two_characters_right_of_the_unit(self):
        doc = OfficialDocument()
        doc.title(TITLE)
        doc.signature(UNIT, DAY, sealed=False)
        unit, date = open_docx(doc.to_bytes()).paragraphs[-2:]
        self.assertAlmostEqual(unit.paragraph_format.right_indent.pt, CHAR.pt * 2, delta=0.1)
        # The unit ends two characters in and is 21 characters long, so it starts 23 characters from the right.
        self.assertAlmostEqual(date.paragraph_format.left_indent.pt, CHAR.pt * 28 - CHAR.pt * 21, delta=1.5)

    def test_chinese_date_has_no_leading_zeros(self):
        self.assertEqual(chinese_date(datetime.date(2026, 3, 2)), "2026年3月2日")

    def test_every_run_names_its_east_asian_font(self):
        runs = all_runs(sample())
        self.assertTrue(runs)
        self.assertTrue(all(east_asia(run) for run in runs))


class BuilderXmlCharacterTests(SimpleTestCase):
    """Text from the database may hold characters XML 1.0 cannot: they are dropped, the document still builds."""

    BAD = "\ufffe\uffff\x0b\x00\ud800"

    def test_title_paragraph_and_table_cell_with_non_xml_characters_build_and_open(self):
        doc = OfficialDocument()
        doc.title(f"关于{self.BAD}测试的通知")
        doc.heading1(f"一、{self.BAD}要求")
        doc.paragraph(f"正文{self.BAD}一段。", bold_lead=f"出席{self.BAD}：")
        doc.table(["序号", f"单{self.BAD}位"], [[1, f"成员{self.BAD}单位"]], widths_mm=(20, 136))
        doc.signature(f"山西省{self.BAD}民政厅", DAY)
        document = open_docx(doc.to_bytes())
        text = all_text(document)
        for expected in ("关于测试的通知", "一、要求", "出席：正文一段。", "单位", "成员单位", "山西省民政厅"):
            self.assertIn(expected, text)
        for character in self.BAD:
            self.assertNotIn(character, text)

    def test_characters_xml_allows_are_kept(self):
        doc = OfficialDocument()
        doc.paragraph("甲\t乙\n丙\U0001f600\ufffd\ue000")
        text = all_text(open_docx(doc.to_bytes()))
        self.assertIn("\U0001f600\ufffd\ue000", text)


class BuilderPdfTests(SimpleTestCase):
    """LibreOffice lays the pages out: 22 lines of 28 characters, whether or not the named fonts exist."""

    def check_pages(self, fonts):
        pages, sizes = to_pdf(lines_document(66), fonts=fonts)
        self.assertEqual(pages, 3)
        for width, height in sizes:
            self.assertAlmostEqual(width, A4_POINTS[0], delta=1)
            self.assertAlmostEqual(height, A4_POINTS[1], delta=1)
        self.assertEqual(to_pdf(lines_document(67), fonts=fonts)[0], 4)

    def test_three_pages_of_text_take_three_a4_pages_with_the_fonts_present(self):
        self.check_pages("named")

    def test_three_pages_of_text_take_three_a4_pages_with_the_fonts_missing(self):
        self.check_pages("missing")

    def test_title_table_and_signature_lay_out_the_same_with_and_without_the_fonts(self):
        doc = OfficialDocument()
        doc.title("关于" + "测试" * 12 + "的通知")  # a title of two lines
        doc.heading1("一、参会单位")
        doc.table(["序号", "单位", "签名"], [[n, f"成员单位{n}", ""] for n in range(1, 41)], widths_mm=(20, 90, 46))
        doc.signature(UNIT, DAY)
        data = doc.to_bytes()
        self.assertEqual(to_pdf(data, fonts="named")[0], to_pdf(data, fonts="missing")[0])
