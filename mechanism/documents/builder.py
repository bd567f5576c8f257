"""Lay out a Chinese official document after GB/T 9704-2012 with python-docx.

A4; margins 37/35/28/26 mm (top/bottom/left/right); 22 lines of 28 characters on a document grid with exact
line spacing, so the page count holds when a font is substituted; title 22 pt 方正小标宋简体 centred; body
16 pt 仿宋_GB2312; first-level headings 黑体, second-level 楷体_GB2312; page numbers "— 1 —" in 14 pt 宋体,
odd pages right and even pages left, one character in; the issuing unit and the date (Arabic numerals) at
the end. Every run names its East Asian font (w:eastAsia), not only the styles.
"""

import io

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_SIZE = Pt(22)
BODY_SIZE = Pt(16)
PAGE_NUMBER_SIZE = Pt(14)
TABLE_SIZE = Pt(14)

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TEXT_HEIGHT = Mm(297 - 37 - 35)
TEXT_WIDTH = Mm(210 - 28 - 26)
LINE_PITCH = Twips(int(TEXT_HEIGHT.twips / LINES_PER_PAGE))  # 579 twips, about 28.95 pt
CHAR = Pt(16)


def chinese_date(day):
    """2026年11月23日: the date of an official document, in Arabic numerals, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_fonts(run_or_style, font, size=None, latin=LATIN_FONT, bold=None):
    """Name the font on a run or a style, East Asian included (w:eastAsia)."""
    target = run_or_style.font
    target.name = latin
    if size is not None:
        target.size = size
    if bold is not None:
        target.bold = bold
    r_pr = run_or_style.element.get_or_add_rPr()
    fonts = r_pr.rFonts if r_pr.rFonts is not None else r_pr._add_rFonts()
    for attribute, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", font), ("w:cs", latin)):
        fonts.set(qn(attribute), value)


def _exact(paragraph_format, first_line_indent=None):
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = LINE_PITCH
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    if first_line_indent is not None:
        paragraph_format.first_line_indent = first_line_indent


class OfficialDocument:
    """One document: call title(), then headings, paragraphs and tables, then signature(); save() or to_bytes()."""

    def __init__(self):
        self.document = Document()
        self._page_setup(self.document.sections[0])
        self._styles()
        self._page_numbers(self.document.sections[0])
        body = self.document._body._body
        for paragraph in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
            body.remove(paragraph)

    # Layout -----------------------------------------------------------------------------------------------

    def _page_setup(self, section):
        section.start_type = WD_SECTION_START.NEW_PAGE
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        for name, value in MARGINS.items():
            setattr(section, name, value)
        section.header_distance, section.footer_distance = Mm(15), Mm(20)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        # Characters per line: the grid's pitch is the body size plus charSpace (4096ths of a point).
        pitch_pt = TEXT_WIDTH.pt / CHARS_PER_LINE
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))
        grid.set(qn("w:charSpace"), str(round((pitch_pt - BODY_SIZE.pt) * 4096)))

    def _styles(self):
        styles = self.document.styles
        normal = styles["Normal"]
        set_fonts(normal, BODY_FONT, BODY_SIZE)
        _exact(normal.paragraph_format)
        normal.paragraph_format.widow_control = False
        for name, font in (("Heading 1", HEADING1_FONT), ("Heading 2", HEADING2_FONT)):
            style = styles[name]
            set_fonts(style, font, BODY_SIZE, bold=False)
            style.font.color.rgb = None
            style.font.italic = False
            _exact(style.paragraph_format, first_line_indent=CHAR * 2)
            style.paragraph_format.keep_with_next = True
        title = styles["Title"]
        set_fonts(title, TITLE_FONT, TITLE_SIZE, bold=False)
        title.font.color.rgb = None
        _exact(title.paragraph_format)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.element.get_or_add_pPr()
        for border in title.element.pPr.findall(qn("w:pBdr")):  # the template's title underline
            title.element.pPr.remove(border)

    def _page_numbers(self, section):
        self.document.settings.odd_and_even_pages_header_footer = True
        for footer, alignment, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = alignment
            setattr(paragraph.paragraph_format, side, PAGE_NUMBER_SIZE)  # one character in
            self._run(paragraph, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            self._page_field(paragraph)
            self._run(paragraph, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)

    def _page_field(self, paragraph):
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            run = self._run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
            elif text.strip() == "PAGE":
                instruction = OxmlElement("w:instrText")
                instruction.set(qn("xml:space"), "preserve")
                instruction.text = text
                run._r.append(instruction)
            else:
                run.text = text

    @staticmethod
    def _run(paragraph, text, font=BODY_FONT, size=BODY_SIZE, bold=None):
        run = paragraph.add_run(text)
        set_fonts(run, font, size, bold=bold)
        return run

    # Content ----------------------------------------------------------------------------------------------

    def title(self, text):
        """The title, centred, followed by one empty line."""
        paragraph = self.document.add_paragraph(style="Title")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(paragraph, text, TITLE_FONT, TITLE_SIZE, bold=False)
        self.blank()
        return paragraph

    def blank(self):
        return self.document.add_paragraph()

    def heading1(self, text):
        """一、…: 黑体."""
        paragraph = self.document.add_paragraph(style="Heading 1")
        self._run(paragraph, text, HEADING1_FONT, bold=False)
        return paragraph

    def heading2(self, text):
        """（一）…: 楷体_GB2312."""
        paragraph = self.document.add_paragraph(style="Heading 2")
        self._run(paragraph, text, HEADING2_FONT, bold=False)
        return paragraph

    def paragraph(self, text="", indent=True, align=None, bold_lead=None):
        """A body paragraph, first line indented two characters; bold_lead is a lead-in in 黑体 (e.g. 出席：)."""
        paragraph = self.document.add_paragraph()
        _exact(paragraph.paragraph_format, first_line_indent=CHAR * 2 if indent else Pt(0))
        if align is not None:
            paragraph.alignment = align
        if bold_lead:
            self._run(paragraph, bold_lead, HEADING1_FONT)
        if text:
            self._run(paragraph, text)
        return paragraph

    def addressee(self, text):
        """主送机关: flush left, ending with a full-width colon."""
        return self.paragraph(text if text.endswith("：") else text + "：", indent=False)

    def table(self, header, rows, widths_mm=None, repeat_header=True, size=TABLE_SIZE, row_height_mm=None):
        """A bordered table; the header row repeats on every page."""
        table = self.document.add_table(rows=0, cols=len(header))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for index, values in enumerate([header, *rows]):
            row = table.add_row()
            if row_height_mm:
                row.height = Mm(row_height_mm)
            if index == 0 and repeat_header:
                marker = OxmlElement("w:tblHeader")
                marker.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(marker)
            for column, value in enumerate(values):
                cell = row.cells[column]
                if widths_mm:
                    cell.width = Mm(widths_mm[column])
                paragraph = cell.paragraphs[0]
                _exact(paragraph.paragraph_format, first_line_indent=Pt(0))
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if index == 0 else None
                self._run(paragraph, str(value), HEADING1_FONT if index == 0 else BODY_FONT, size)
        return table

    def signature(self, unit_name, day):
        """The issuing unit centred over the date; the date four characters in from the right (GB/T 9704 7.3.5)."""
        self.blank()
        date_text = chinese_date(day)
        date_width = _text_width(date_text)
        unit_width = _text_width(unit_name)
        unit = self.paragraph(unit_name, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        unit.paragraph_format.right_indent = Pt(max(CHAR.pt * 4 + (date_width - unit_width) / 2, 0))
        date = self.paragraph(date_text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        date.paragraph_format.right_indent = CHAR * 4
        return date

    # Output -----------------------------------------------------------------------------------------------

    def save(self, target):
        self.document.save(target)

    def to_bytes(self):
        stream = io.BytesIO()
        self.document.save(stream)
        return stream.getvalue()


def _text_width(text):
    """Width in points at the body size: a CJK character is a full em, Latin letters and digits half."""
    return sum(BODY_SIZE.pt if ord(ch) > 0x2E80 else BODY_SIZE.pt / 2 for ch in text)
