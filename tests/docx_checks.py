"""Checks every generated document must pass: open the .docx with python-docx and look at what Word would.

assert_official_layout checks the GB/T 9704 frame (A4, margins, fonts with w:eastAsia on the styles and on
every run, exact line spacing on a line grid, 28 characters a line, the title, page numbers in the footer).
to_pdf converts with LibreOffice headless (installed by .ci/run) and answers the page count and the page
sizes in points (read with pdfinfo when poppler-utils is there); `fonts=` chooses what the named fonts are.
"""

import io
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

A4_POINTS = (595.3, 841.9)


def open_docx(data):
    return Document(io.BytesIO(data))


def all_text(document):
    """Body paragraphs and table cells, in order, one string per paragraph."""
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return "\n".join(texts)


def east_asia(run_or_style):
    r_pr = run_or_style.element.rPr
    fonts = r_pr.rFonts if r_pr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def all_runs(document):
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                runs += [run for paragraph in cell.paragraphs for run in paragraph.runs]
    return runs


def assert_official_layout(test, document, title):
    section = document.sections[0]
    test.assertEqual(_mm(section.page_width, section.page_height), (210, 297))
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    test.assertEqual(_mm(*margins), (37, 35, 28, 26))
    normal = document.styles["Normal"]
    test.assertEqual(east_asia(normal), "仿宋_GB2312")
    test.assertEqual(normal.font.size, Pt(16))
    test.assertEqual(normal.paragraph_format.line_spacing_rule, WD_LINE_SPACING.EXACTLY)
    test.assertAlmostEqual(normal.paragraph_format.line_spacing.pt, 28.95, delta=0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    test.assertEqual(grid.get(qn("w:type")), "lines")
    test.assertEqual(grid.get(qn("w:linePitch")), "579")
    # 28 characters of 16 pt fill the 156 mm line only condensed by a quarter point each.
    test.assertEqual(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")), "-5")
    test.assertEqual(document.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")), "黑体")
    test.assertEqual(document.styles["Heading 2"].element.rPr.rFonts.get(qn("w:eastAsia")), "楷体_GB2312")

    first = document.paragraphs[0]
    test.assertEqual(first.text, title)
    test.assertEqual(first.alignment, WD_ALIGN_PARAGRAPH.CENTER)
    test.assertEqual({(east_asia(run), run.font.size) for run in first.runs}, {("方正小标宋简体", Pt(22))})
    missing = [run.text for run in all_runs(document) if east_asia(run) is None]
    test.assertEqual(missing, [], "every run names its East Asian font")

    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        test.assertIn("PAGE", xml)
        test.assertEqual(re.sub(r"\s", "", footer.paragraphs[0].text), "—1—")
        test.assertEqual({east_asia(run) for run in footer.paragraphs[0].runs}, {"宋体"})
        test.assertEqual({run.font.size for run in footer.paragraphs[0].runs}, {Pt(14)})


def _mm(*lengths):
    """Lengths in whole millimetres (the file stores twips, so 210 mm comes back as 210.01)."""
    return tuple(round(length.mm) for length in lengths)


def soffice():
    """The LibreOffice binary; a test skips without it, except in CI, where .ci/run installs it."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        if os.environ.get("CI"):
            raise AssertionError("CI must have LibreOffice (libreoffice-writer): .ci/run installs it")
        raise unittest.SkipTest("LibreOffice is not installed here")
    return binary


FONT_NAMES = ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体")
# "named": each font the standard names resolves, through fontconfig, to an installed CJK font (Noto, from
# fonts-noto-cjk), so LibreOffice lays the text out in a font under that name; "missing": those names are
# refused and LibreOffice substitutes as it would on any machine without them.
NAMED_AS = {"仿宋_GB2312": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC", "楷体_GB2312": "Noto Serif CJK SC"}
NAMED_AS |= {"方正小标宋简体": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC"}


def _fontconfig(folder, fonts):
    """A fontconfig file for LibreOffice: the system's fonts, plus aliases ("named") or refusals ("missing")."""
    if fonts == "named":
        if not _has_font(NAMED_AS["仿宋_GB2312"]):
            if os.environ.get("CI"):
                raise AssertionError("CI must have fonts-noto-cjk: .ci/run installs it")
            raise unittest.SkipTest("fonts-noto-cjk is not installed here")
        rules = "".join(
            f'<alias binding="strong"><family>{name}</family><prefer><family>{real}</family></prefer></alias>'
            for name, real in NAMED_AS.items()
        )
    else:
        patterns = "".join(
            f'<pattern><patelt name="family"><string>{name}</string></patelt></pattern>' for name in FONT_NAMES
        )
        rules = f"<selectfont><rejectfont>{patterns}</rejectfont></selectfont>"
    path = os.path.join(folder, "fonts.conf")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(
            '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>{rules}</fontconfig>'
        )
    return path


def _has_font(family):
    if not shutil.which("fc-list"):
        return False
    found = subprocess.run(["fc-list", family, "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def to_pdf(data, fonts=None):
    """(page count, [(width, height) in points per page]) of the .docx as LibreOffice lays it out.

    fonts=None uses whatever fonts the machine has; "named" and "missing" are described at NAMED_AS.
    """
    binary = soffice()
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "document.docx")
        with open(source, "wb") as handle:
            handle.write(data)
        environment = dict(os.environ)
        if fonts is not None:
            environment["FONTCONFIG_FILE"] = _fontconfig(folder, fonts)
        profile = f"-env:UserInstallation=file://{folder}/profile"
        subprocess.run(
            [binary, profile, "--headless", "--convert-to", "pdf", "--outdir", folder, source],
            check=True,
            capture_output=True,
            timeout=180,
            env=environment,
        )
        target = os.path.join(folder, "document.pdf")
        if shutil.which("pdfinfo"):
            return _pdfinfo(target)
        with open(target, "rb") as handle:
            pdf = handle.read()
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    return pages, [(float(x2) - float(x1), float(y2) - float(y1)) for x1, y1, x2, y2 in boxes]


def _pdfinfo(path):
    """Pages and per-page sizes as poppler reads them (exact, whatever LibreOffice's PDF writer does)."""
    text = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", path], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", text.stdout, re.MULTILINE).group(1))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", text.stdout, re.MULTILINE)
    return pages, [(float(width), float(height)) for width, height in sizes]
