"""议程: time, place and chair, then the items in order with who presents and how long, and the total."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mechanism.documents.builder import OfficialDocument

from ..notices.ics import agenda, item_label
from .common import full_name, line, time_line

WIDTHS_MM = (15, 57, 50, 34)  # 156 mm: the text width


def build(meeting, progress):
    doc = OfficialDocument()
    doc.title(_("%(meeting)s agenda") % {"meeting": full_name(meeting)})
    header_lines(doc, meeting)
    items = agenda(meeting)
    header = [
        pgettext("document", "No."),
        pgettext("document", "Item"),
        pgettext("document", "Presented by"),
        pgettext("document", "Minutes"),
    ]
    rows = [
        [number, item_label(item), item.presenter.name if item.presenter_id else "", item.minutes]
        for number, item in enumerate(items, start=1)
    ]
    doc.table(header, rows, widths_mm=WIDTHS_MM)
    total = sum(item.minutes for item in items)
    doc.paragraph(
        _("%(count)s items, %(minutes)s minutes in all.") % {"count": len(items), "minutes": total}, indent=False
    )
    progress(1, 1)
    return doc


def header_lines(doc, meeting):
    """时间 / 地点 / 主持人, one line each (the chair only when named)."""
    line(doc, pgettext("document", "Time: "), time_line(meeting.starts_at, meeting.ends_at))
    line(doc, pgettext("document", "Place: "), meeting.place or meeting.video_link)
    if meeting.chair:
        line(doc, pgettext("document", "Chair: "), meeting.chair)


def filename(meeting):
    with translation.override("zh-hans"):
        return _("%(meeting)s agenda.docx") % {"meeting": meeting.name}
