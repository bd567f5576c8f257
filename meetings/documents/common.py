"""What the meeting documents share: the meeting's name and time as documents write them, the issuing unit,
the numbering of headings and the kinds' lookups."""

import datetime

from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx.enum.text import WD_ALIGN_PARAGRAPH

from mechanism.documents.builder import chinese_date

from ..models import Meeting
from ..services.common import SHANGHAI

# Heading numbers of a Chinese document (一、二、…); part of the document's layout, not a translation.
DIGITS = "零一二三四五六七八九"


def chinese_number(number):
    """1 → 一, 10 → 十, 12 → 十二, 40 → 四十, 99 → 九十九 (the numbers of first-level headings)."""
    if number < 10:
        return DIGITS[number]
    if number < 100:
        tens, units = divmod(number, 10)
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[units] if units else "")
    return str(number)


def numbered(number, text):
    """一、text: a first-level heading."""
    return _("%(number)s. %(text)s") % {"number": chinese_number(number), "text": text}


def full_name(meeting):
    """2026年第3次联席会议, with its subject when it has one (a thematic meeting's theme)."""
    if meeting.title:
        return _("%(name)s (%(subject)s)") % {"name": meeting.name, "subject": meeting.title}
    return str(meeting.name)


def local(moment):
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    return timezone.localtime(moment, SHANGHAI)


def clock(moment):
    return f"{moment.hour}:{moment.minute:02d}"


def time_line(starts_at, ends_at=None):
    """2026年3月10日（星期二）9:30—11:30, in Asia/Shanghai."""
    start = local(starts_at)
    values = {"date": chinese_date(start.date()), "weekday": WEEKDAYS[start.weekday()], "start": clock(start)}
    if ends_at is None:
        return _("%(date)s (%(weekday)s) %(start)s") % values
    return _("%(date)s (%(weekday)s) %(start)s–%(end)s") % {**values, "end": clock(local(ends_at))}


def issuing_unit(mechanism):
    """Every meeting document is issued by the mechanism's office (its secretariat), whoever convenes."""
    return _("%(mechanism)s Office") % {"mechanism": mechanism.name}


def line(doc, lead, text, indent=False):
    """时间：…: a lead-in in the heading font, then the text (flush left unless indent)."""
    return doc.paragraph(text, indent=indent, bold_lead=lead)


def subtitle(doc, title_paragraph, text):
    """A centred line right under the title (the draft mark), before the title's empty line."""
    paragraph = doc.paragraph(text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title_paragraph._p.addnext(paragraph._p)
    return paragraph


def get_meeting(pk):
    return Meeting.objects.select_related("mechanism").get(pk=pk)


def enumerate_names(names):
    """山西省民政厅、山西省总工会: names in a row, with the Chinese enumeration comma."""
    return pgettext("document", ", ").join(str(name) for name in names)


def clauses(parts):
    return pgettext("document", "; ").join(str(part) for part in parts)
