"""签到表: one row per invited unit with empty cells to sign; the header row repeats on every page."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mechanism.documents.builder import OfficialDocument

from .common import full_name, line, time_line

WIDTHS_MM = (15, 61, 28, 26, 26)  # 156 mm: the text width
ROW_HEIGHT_MM = 12  # room to sign by hand


def build(meeting, progress):
    doc = OfficialDocument()
    doc.title(_("%(meeting)s sign-in sheet") % {"meeting": full_name(meeting)})
    line(doc, pgettext("document", "Time: "), time_line(meeting.starts_at, meeting.ends_at))
    line(doc, pgettext("document", "Place: "), meeting.place or meeting.video_link)
    header = [
        pgettext("document", "No."),
        pgettext("document", "Unit"),
        pgettext("document", "Name"),
        pgettext("document", "Position"),
        pgettext("document", "Signature"),
    ]
    rows = [[number, unit.name, "", "", ""] for number, unit in enumerate(meeting.invited_units.all(), start=1)]
    doc.table(header, rows, widths_mm=WIDTHS_MM, repeat_header=True, row_height_mm=ROW_HEIGHT_MM)
    progress(1, 1)
    return doc


def filename(meeting):
    with translation.override("zh-hans"):
        return _("%(meeting)s sign-in sheet.docx") % {"meeting": meeting.name}
