"""Lay out a Chinese official document after GB/T 9704-2012 with python-docx.

A4; margins 37/35/28/26 mm (top/bottom/left/right); 22 lines of 28 characters: exact line spacing on a line
grid, and every character condensed by a quarter point, so 28 full-width characters (16 pt each) fill the
156 mm line; title 22 pt 方正小标宋简体 centred; body 16 pt 仿宋_GB2312; first-level headings 黑体,
second-level 楷体_GB2312; page numbers "— 1 —" in 14 pt 宋体, odd pages right and even pages left, one
character in; the issuing unit and the date (Arabic numerals) at the end. Every run names its East Asian
font (w:eastAsia), not only the styles.

Why no character grid (docGrid linesAndChars): LibreOffice gives a glyph wider than the grid cell two cells,
and 28 cells of 156 mm are narrower than a 16 pt character, so a substituted font doubled the spacing. A
full-width character is one em wide in every CJK font, so the condensed spacing holds whichever font is used.
"""

import io
import math
import re
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm, Pt, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph

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
# Character spacing in twentieths of a point, rounded down so that 28 characters fit: -5, i.e. -0.25 pt.
CHAR_SPACING = math.floor((TEXT_WIDTH.pt / CHARS_PER_LINE - BODY_SIZE.pt) * 20)
CHAR = Emu(BODY_SIZE + Pt(CHAR_SPACING / 20))  # one character's advance (15.75 pt): the unit of indents
ZH = "zh-CN"
# Schema order (ECMA-376): an element added to run or paragraph properties goes before those that follow it,
# or Word refuses the file.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr")
_AFTER_SPACING += ("w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", *_AFTER_LANG)
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")
_AFTER_SNAP += ("w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle")
_AFTER_SNAP += ("w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", *_AFTER_SNAP)


def chinese_date(day):
    """2026年11月23日: the date of an official document, in Arabic numerals, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_fonts(run_or_style, font, size=None, latin=LATIN_FONT, bold=None):
    """Name the font on a run or a style, East Asian included (w:eastAsia); theme fonts would win in Word."""
    target = run_or_style.font
    if size is not None:
        target.size = size
    if bold is not None:
        target.bold = bold
    r_pr = run_or_style.element.get_or_add_rPr()
    _name_fonts(r_pr, font, latin)


def _name_fonts(r_pr, font, latin=LATIN_FONT):
    fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", font), ("w:cs", latin)):
        fonts.set(qn(attribute), value)


def _condense(r_pr):
    """Character spacing on a style's run properties, in the place the schema gives it (Word is strict)."""
    for old in r_pr.findall(qn("w:spacing")):
        r_pr.remove(old)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING))
    r_pr.insert_element_before(spacing, *_AFTER_SPACING)


def _no_snap(p_pr):
    """Lines not snapped to the grid: LibreOffice gives a line whose font is taller than the pitch (a 22 pt title
    in a substituted font) two grid lines; exact spacing alone keeps the 22 lines."""
    snap = p_pr.find(qn("w:snapToGrid"))
    if snap is None:
        snap = OxmlElement("w:snapToGrid")
        p_pr.insert_element_before(snap, *_AFTER_SNAP)
    snap.set(qn("w:val"), "0")


def _no_autospace(p_pr):
    """No extra space between Chinese and digits, so the date is as wide as _text_width says."""
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        p_pr.insert_element_before(element, *_AFTER_AUTOSPACE)


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
        self._defaults()
        self._styles()
        self._page_numbers(self.document.sections[0])
        body = self.document._body._body
        for paragraph in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
            body.remove(paragraph)
        self._sect_pr = body.find(qn("w:sectPr"))

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
        grid.attrib.pop(qn("w:charSpace"), None)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))

    def _defaults(self):
        """Document defaults in Chinese: explicit fonts, East Asian language zh-CN (line breaking, fallback)."""
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _name_fonts(r_pr, BODY_FONT)
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            r_pr.insert_element_before(lang, *_AFTER_LANG)
        lang.set(qn("w:eastAsia"), ZH)
        for spacing in defaults.iter(qn("w:spacing")):  # the template's 10 pt after every paragraph
            spacing.attrib.pop(qn("w:after"), None)
        theme_lang = self.document.settings.element.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:eastAsia"), ZH)

    def _styles(self):
        styles = self.document.styles
        normal = styles["Normal"]
        set_fonts(normal, BODY_FONT, BODY_SIZE)
        _exact(normal.paragraph_format)
        normal.paragraph_format.widow_control = False
        _no_snap(normal.element.get_or_add_pPr())
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
        p_pr = title.element.get_or_add_pPr()
        for tag in ("w:pBdr", "w:contextualSpacing"):  # the template's title underline
            for element in p_pr.findall(qn(tag)):
                p_pr.remove(element)
        for style in (normal, styles["Heading 1"], styles["Heading 2"], title):
            r_pr = style.element.get_or_add_rPr()
            _condense(r_pr)
            for kern in r_pr.findall(qn("w:kern")):
                r_pr.remove(kern)
        grid = styles["Table Grid"].element  # its single line spacing would beat Normal's exact one in Word
        for p_pr in grid.findall(qn("w:pPr")):
            grid.remove(p_pr)

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
    # Paragraphs and tables are written as WordprocessingML and parsed in one go: python-docx's object API
    # looks up styles and child elements on every call, ten times slower for a 40-item minutes.

    def _add(self, xml):
        element = parse_xml(xml)
        self._sect_pr.addprevious(element)  # the body ends with the section's properties
        return element

    def _paragraph(self, runs, style=None, first_line=None, align=None):
        p_pr = _p_pr(style, first_line, align)
        return Paragraph(self._add(f"<w:p {_W}>{p_pr}{''.join(runs)}</w:p>"), self.document._body)

    def title(self, text):
        """The title, centred, followed by one empty line."""
        paragraph = self._paragraph([_run_xml(text, TITLE_FONT, TITLE_SIZE, False)], "Title", align="center")
        self.blank()
        return paragraph

    def blank(self):
        return self._paragraph([])

    def heading1(self, text):
        """一、…: 黑体."""
        return self._paragraph([_run_xml(text, HEADING1_FONT, BODY_SIZE, False)], "Heading1")

    def heading2(self, text):
        """（一）…: 楷体_GB2312."""
        return self._paragraph([_run_xml(text, HEADING2_FONT, BODY_SIZE, False)], "Heading2")

    def paragraph(self, text="", indent=True, align=None, bold_lead=None):
        """A body paragraph, first line indented two characters; bold_lead is a lead-in in 黑体 (e.g. 出席：)."""
        runs = [_run_xml(bold_lead, HEADING1_FONT)] if bold_lead else []
        if text:
            runs.append(_run_xml(text, BODY_FONT))
        return self._paragraph(runs, first_line=CHAR * 2 if indent else 0, align=_JC.get(align))

    def addressee(self, text):
        """主送机关: flush left, ending with a full-width colon."""
        return self.paragraph(text if text.endswith("：") else text + "：", indent=False)

    def table(self, header, rows, widths_mm=None, repeat_header=True, size=TABLE_SIZE, row_height_mm=None):
        """A bordered table of fixed column widths; the header row repeats on every page and no row is split."""
        count = len(header)
        widths = [Mm(width).twips for width in widths_mm] if widths_mm else [TEXT_WIDTH.twips // count] * count
        if len(widths) != count:
            raise ValueError("one width per column")
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        height = f'<w:trHeight w:val="{Mm(row_height_mm).twips}"/>' if row_height_mm else ""
        body = []
        for index, values in enumerate([header, *rows]):
            head = index == 0
            marker = '<w:tblHeader w:val="true"/>' if head and repeat_header else ""
            cells = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                f"<w:p>{_p_pr(align='center' if head else None)}"
                f"{_run_xml(str(value), HEADING1_FONT if head else BODY_FONT, size)}</w:p></w:tc>"
                for width, value in zip(widths, values, strict=True)
            )
            body.append(f"<w:tr><w:trPr><w:cantSplit/>{height}{marker}</w:trPr>{cells}</w:tr>")
        table = self._add(
            f'<w:tbl {_W}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            f"{''.join(body)}</w:tbl>"
        )
        return Table(table, self.document._body)

    def picture(self, png_bytes, width_mm=150, caption=None):
        """An inline picture, centred, `width_mm` wide (its height follows), with an optional caption below.

        The image part and its relationship come from python-docx (run.add_picture); the paragraph takes single
        line spacing, since an exact line would clip the picture to one line's height."""
        paragraph = self._paragraph([], align="center", first_line=0)
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        paragraph.paragraph_format.keep_with_next = bool(caption)
        run = self._run(paragraph, "")
        run.add_picture(io.BytesIO(png_bytes), width=Mm(min(width_mm, TEXT_WIDTH.mm)))
        if caption:
            self.paragraph(caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        return paragraph

    def signature(self, unit_name, day, sealed=True):
        """The issuing unit and, below it, the date, one empty line under the text (GB/T 9704 7.3.5).

        Sealed (7.3.5.1): the date four characters in from the right, the unit centred over it (a unit name
        longer than the room to its right pushes the date further in). Unsealed (7.3.5.2): the unit two
        characters in, the date's first character two characters right of the unit's, which holds whatever
        width the digits have in the font used; a date longer than that is two characters in instead.
        """
        self.blank()
        unit_name = xml_text(unit_name)  # measured as it will be written
        date_text = chinese_date(day)
        date_width, unit_width = _text_width(date_text), _text_width(unit_name)
        if sealed:
            date_in = max(CHAR.pt * 4, (unit_width - date_width) / 2)
            lines = [(unit_name, date_in + (date_width - unit_width) / 2), (date_text, date_in)]
        elif unit_width >= date_width + CHAR.pt * 2:
            lines = [(unit_name, CHAR.pt * 2), (date_text, None)]
        else:
            lines = [(unit_name, CHAR.pt * 4 + date_width - unit_width), (date_text, CHAR.pt * 2)]
        for text, right_indent in lines:
            paragraph = self.paragraph(text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
            if right_indent is None:  # anchored at its start: the unit's first character plus two
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
                paragraph.paragraph_format.left_indent = Pt(TEXT_WIDTH.pt - unit_width)
            else:
                paragraph.paragraph_format.right_indent = Pt(right_indent)
            _no_autospace(paragraph._p.get_or_add_pPr())
        return paragraph

    # Output -----------------------------------------------------------------------------------------------

    def save(self, target):
        self.document.save(target)

    def to_bytes(self):
        stream = io.BytesIO()
        self.document.save(stream)
        return stream.getvalue()


_W = nsdecls("w")
_JC = {WD_ALIGN_PARAGRAPH.LEFT: "left", WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right"}
_JC |= {WD_ALIGN_PARAGRAPH.JUSTIFY: "both", None: None}
# Everything outside XML 1.0's Char production (C0 controls, lone surrogates, U+FFFE, U+FFFF): text from the
# database may hold them, and one would make parse_xml refuse the whole document.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text):
    """The text without the characters an XML 1.0 document cannot hold."""
    return _NOT_XML.sub("", text)


def _p_pr(style=None, first_line=None, align=None):
    """Paragraph properties in schema order: style, first-line indent (EMU or 0), alignment (a w:jc value)."""
    parts = [f'<w:pStyle w:val="{style}"/>'] if style else []
    if first_line is not None:
        parts.append(f'<w:ind w:firstLine="{Emu(first_line).twips}"/>')
    if align:
        parts.append(f'<w:jc w:val="{align}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


def _run_xml(text, font, size=BODY_SIZE, bold=None):
    """One run naming its fonts (w:eastAsia included); line breaks and tabs as Word writes them."""
    fonts = f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{font}" w:cs="{LATIN_FONT}"/>'
    weight = "" if bold is None else ("<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>')
    half_points = int(Emu(size).pt * 2)
    content = []
    for number, line in enumerate(xml_text(text).split("\n")):
        if number:
            content.append("<w:br/>")
        pieces = [f'<w:t xml:space="preserve">{escape(piece)}</w:t>' if piece else "" for piece in line.split("\t")]
        content.append("<w:tab/>".join(pieces))
    return (
        f'<w:r><w:rPr>{fonts}{weight}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
        f"{''.join(content)}</w:r>"
    )


def _text_width(text):
    """Width in points on the body line: a CJK character is one character's advance, a Latin letter or digit half
    of it (Times New Roman's digits are half an em)."""
    return sum(CHAR.pt if ord(ch) > 0x2E80 else CHAR.pt / 2 for ch in text)
