"""OfficialDocument.picture: an inline PNG with its image part, centred, at the width asked, with a caption,
in a document that keeps the official layout."""

import datetime
import io

from django.test import SimpleTestCase
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from PIL import Image

from mechanism.documents.builder import OfficialDocument
from tests.docx_checks import all_text, assert_official_layout, east_asia, open_docx

TITLE = "关于测试插图的通知"


def png(width=300, height=150, colour=(46, 111, 158)):
    stream = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(stream, format="PNG")
    return stream.getvalue()


def build(*pictures):
    doc = OfficialDocument()
    doc.title(TITLE)
    doc.paragraph("图前正文。")
    for data, caption in pictures:
        doc.picture(data, width_mm=120, caption=caption)
    doc.paragraph("图后正文。")
    doc.signature("山西省政府救助与慈善帮扶工作衔接机制办公室", datetime.date(2026, 12, 20))
    return open_docx(doc.to_bytes())


class PictureTests(SimpleTestCase):
    def test_the_picture_is_an_inline_shape_with_its_png_part(self):
        data = png()
        document = build((data, "图1 测试图"))
        self.assertEqual(len(document.inline_shapes), 1)
        shape = document.inline_shapes[0]
        self.assertEqual(round(shape.width.mm), 120)
        self.assertEqual(round(shape.height.mm), 60)  # 2:1, as the image
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        part = document.part.related_parts[blip.embed]
        self.assertEqual(part.content_type, "image/png")
        self.assertEqual(part.blob, data)

    def test_the_picture_is_centred_on_single_spacing_and_its_caption_follows(self):
        document = build((png(), "图1 测试图"))
        texts = [paragraph.text for paragraph in document.paragraphs]
        index = next(i for i, p in enumerate(document.paragraphs) if p._p.xpath(".//pic:pic"))
        picture, caption = document.paragraphs[index], document.paragraphs[index + 1]
        self.assertEqual(picture.alignment, WD_ALIGN_PARAGRAPH.CENTER)
        self.assertEqual(picture.paragraph_format.line_spacing_rule, WD_LINE_SPACING.SINGLE)
        self.assertTrue(picture.paragraph_format.keep_with_next)
        self.assertEqual(caption.text, "图1 测试图")
        self.assertEqual(caption.alignment, WD_ALIGN_PARAGRAPH.CENTER)
        self.assertLess(texts.index("图前正文。"), index)
        self.assertGreater(texts.index("图后正文。"), index + 1)
        self.assertEqual(east_asia(picture.runs[0]), "仿宋_GB2312")

    def test_two_pictures_without_captions_keep_the_official_layout(self):
        document = build((png(), None), (png(colour=(200, 30, 30)), None))
        self.assertEqual(len(document.inline_shapes), 2)
        self.assertEqual(len(document.part.package.image_parts), 2)
        self.assertNotIn("图1", all_text(document))
        assert_official_layout(self, document, TITLE)

    def test_a_picture_wider_than_the_line_is_narrowed_to_it(self):
        doc = OfficialDocument()
        doc.title(TITLE)
        doc.picture(png(), width_mm=400)
        document = open_docx(doc.to_bytes())
        self.assertEqual(round(document.inline_shapes[0].width.mm), 156)
        self.assertEqual(document.paragraphs[-1]._p.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")), "center")
