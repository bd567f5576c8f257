"""The handover record (交接记录) as a document kind: `render_document handover PK OUT.docx`.

The outgoing and incoming conveners, the handover meeting, the checklist as it stood when the outgoing
convener signed (today while unsigned), the open items handed over (no personal data: case references and
need labels) and both signatures with their dates.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from mechanism.documents.builder import OfficialDocument, chinese_date
from mechanism.documents.registry import DocumentKind, register
from meetings.documents.common import issuing_unit, numbered

from ..models import Handover
from ..plans import local_date
from .access import get_handover_for_user
from .checklist import checklist_shown

CHECKLIST_WIDTHS_MM = (15, 47, 16, 78)  # 156 mm: the text width
ITEMS_WIDTHS_MM = (15, 14, 32, 33, 28, 20, 14)  # 156 mm; 序号 on one line
OPEN_ITEM_HEADER = (
    pgettext_lazy("handover", "Kind"),
    pgettext_lazy("handover", "Reference"),
    pgettext_lazy("handover", "Summary"),
    pgettext_lazy("handover", "Units"),
    pgettext_lazy("handover", "Due"),
    pgettext_lazy("handover", "State"),
)


def title_of(handover):
    """山西省…衔接机制2027年度召集单位交接记录."""
    return _("%(mechanism)s %(year)s convener handover record") % {
        "mechanism": handover.mechanism.name,
        "year": handover.year,
    }


def get_handover(pk):
    return Handover.objects.select_related(
        "mechanism__area", "outgoing_unit", "incoming_unit", "meeting", "outgoing_signed_by", "incoming_signed_by"
    ).get(pk=pk)


def person(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def signature_line(unit, at, by):
    if at is None:
        return _("%(unit)s (not signed)") % {"unit": unit.name if unit else "—"}
    return _("%(unit)s, signed by %(person)s on %(date)s") % {
        "unit": unit.name if unit else "—",
        "person": person(by),
        "date": chinese_date(local_date(at)),
    }


def meeting_line(meeting):
    if meeting is None:
        return pgettext("document", "none")
    return _("%(meeting)s, %(date)s (%(state)s)") % {
        "meeting": meeting.name,
        "date": chinese_date(local_date(meeting.starts_at)),
        "state": meeting.get_state_display(),
    }


def build(handover, progress):
    doc = OfficialDocument()
    doc.title(title_of(handover))
    outgoing = handover.outgoing_unit.name if handover.outgoing_unit else "—"
    doc.paragraph(outgoing, indent=False, bold_lead=_("Outgoing convener: "))
    doc.paragraph(handover.incoming_unit.name, indent=False, bold_lead=_("Incoming convener: "))
    doc.paragraph(meeting_line(handover.meeting), indent=False, bold_lead=_("Handover meeting: "))
    doc.paragraph(str(handover.get_state_display()), indent=False, bold_lead=pgettext("handover", "State: "))

    doc.heading1(numbered(1, pgettext("handover", "Checklist")))
    items = checklist_shown(handover, timezone.now())  # once signed: the checklist as signed
    header = [pgettext("document", "No."), pgettext("handover", "Item"), pgettext("handover", "Result"),
              pgettext("handover", "Detail")]  # fmt: skip
    rows = [[i, item.label, "✓" if item.done else "✗", item.detail] for i, item in enumerate(items, start=1)]
    doc.table(header, rows, widths_mm=CHECKLIST_WIDTHS_MM)
    progress(1, 3)

    doc.heading1(numbered(2, _("Open cases and action items")))
    if handover.open_items_listed_at is None:
        doc.paragraph(_("The open items have not been listed."))
    elif not handover.open_items:
        doc.paragraph(_("No case or action item was open."))
    else:
        doc.table(
            [pgettext("document", "No."), *(str(word) for word in OPEN_ITEM_HEADER)],
            [open_item_row(i, row) for i, row in enumerate(handover.open_items, start=1)],
            widths_mm=ITEMS_WIDTHS_MM,
        )
    progress(2, 3)

    doc.heading1(numbered(3, _("Signatures")))
    doc.paragraph(
        signature_line(handover.outgoing_unit, handover.outgoing_signed_at, handover.outgoing_signed_by),
        indent=False,
        bold_lead=_("Outgoing convener: "),
    )
    doc.paragraph(
        signature_line(handover.incoming_unit, handover.incoming_signed_at, handover.incoming_signed_by),
        indent=False,
        bold_lead=_("Incoming convener: "),
    )
    issued = handover.incoming_signed_at or handover.outgoing_signed_at or timezone.now()
    doc.signature(issuing_unit(handover.mechanism), local_date(issued))
    progress(3, 3)
    return doc


KIND_LABELS = {"case": pgettext_lazy("open item", "Case"), "action": pgettext_lazy("open item", "Action item")}


def open_item_row(number, row):
    due = row.get("due_on") or ""
    return [
        number,
        KIND_LABELS.get(row.get("kind"), row.get("kind", "")),
        row.get("reference") or "—",
        row.get("title") or "",
        row.get("units") or "—",
        chinese_date(datetime.date.fromisoformat(due)) if due else "—",
        row.get("state") or "",
    ]


def filename(handover):
    return f"{title_of(handover)}.docx"  # the registry names every document in Chinese


register(
    DocumentKind(
        name="handover",
        label=pgettext_lazy("document kind", "Handover record"),
        get_for_user=get_handover_for_user,
        get=get_handover,
        build=build,
        filename=filename,
        steps=lambda handover: 3,
    )
)
