"""The annual work summary (年度工作总结) as a document kind: `render_document summary PK OUT.docx`.

一、基本情况: the figures in sentences, their tables and the charts; 二、主要成效, 三、存在问题 and
四、下一年度工作计划: the convener's narrative; signed by the convener unit on the day of approval (today
while not approved, with a draft mark under the title).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from mechanism.documents.builder import OfficialDocument, chinese_date
from mechanism.documents.registry import DocumentKind, register
from meetings.documents.common import DIGITS, issuing_unit, numbered, subtitle

from ..models import AnnualSummary, SummaryState
from . import labels
from .access import get_summary_for_user
from .charts import CHARTS, chart_png
from .figures import local_day

PICTURE_WIDTH_MM = 150


def title_of(summary):
    """山西省…衔接机制2026年度工作总结."""
    return _("%(mechanism)s %(year)s annual work summary") % {"mechanism": summary.mechanism.name, "year": summary.year}


def get_summary(pk):
    return AnnualSummary.objects.select_related("mechanism__area", "convener_unit").get(pk=pk)


def sub_numbered(number, text):
    """（一）text: a second-level heading."""
    return _("(%(number)s) %(text)s") % {"number": DIGITS[number] if number < 10 else number, "text": text}


def narrative(doc, text):
    """The narrative's paragraphs (one per line); a section left empty says so."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines or [pgettext("document", "(not written)")]:
        doc.paragraph(line)


def facts(doc, summary, progress):
    figures = summary.figures or {}
    period = _("This summary covers %(start)s to %(end)s.") % {
        "start": chinese_date(summary.period_start),
        "end": chinese_date(summary.period_end),
    }
    if not figures:
        doc.paragraph(period + _("The figures have not been counted."))
        return
    counted = local_day(summary.figures_at) if summary.figures_at else None
    if counted:
        period += _("The figures were counted on %(date)s.") % {"date": chinese_date(counted)}
    doc.paragraph(period)
    for sentence in labels.sentences(figures):
        doc.paragraph(sentence)
    names = labels.unit_names(summary.mechanism)
    number = 0
    for table in labels.tables(figures, names):
        if not table["rows"]:
            continue
        number += 1
        doc.heading2(sub_numbered(number, table["title"]))
        doc.table(table["header"], table["rows"])
    progress(1, 3)
    for index, name in enumerate(CHARTS, start=1):
        caption = _("Figure %(number)s %(title)s") % {"number": index, "title": CHARTS[name]}
        doc.picture(chart_png(summary, name), width_mm=PICTURE_WIDTH_MM, caption=caption)
    progress(2, 3)


def build(summary, progress):
    doc = OfficialDocument()
    title = doc.title(title_of(summary))
    if summary.state != SummaryState.APPROVED:
        subtitle(doc, title, pgettext("document", "(draft)"))
    doc.heading1(numbered(1, _("Basic facts")))
    facts(doc, summary, progress)
    for number, (heading, text) in enumerate(
        (
            (_("Main achievements"), summary.achievements),
            (_("Problems"), summary.problems),
            (_("Work plan for next year"), summary.plans),
        ),
        start=2,
    ):
        doc.heading1(numbered(number, heading))
        narrative(doc, text)
    unit = summary.convener_unit.name if summary.convener_unit else issuing_unit(summary.mechanism)
    doc.signature(unit, issued_on(summary))
    progress(3, 3)
    return doc


def issued_on(summary):
    return local_day(summary.approved_at or timezone.now())


def filename(summary):
    return f"{title_of(summary)}.docx"  # the registry names every document in Chinese


register(
    DocumentKind(
        name="summary",
        label=pgettext_lazy("document kind", "Annual work summary"),
        get_for_user=get_summary_for_user,
        get=get_summary,
        build=build,
        filename=filename,
        steps=lambda summary: 3,
    )
)
