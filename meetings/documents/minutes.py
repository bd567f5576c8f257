"""会议纪要 in the 纪要 format: who attended, then per agenda item its summary, decisions and action items.

Approved minutes render their latest approved revision's stored text, so a correction in progress changes
nothing in the published document; minutes never approved render the current text with a draft mark.
"""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mechanism.documents.builder import OfficialDocument, chinese_date
from mechanism.models import QuorumRule

from ..minutes_text import snapshot
from ..models import DecisionKind, Minutes, MinutesState
from .common import clauses, enumerate_names, full_name, issuing_unit, local, numbered, subtitle

ACTION_WIDTHS_MM = (15, 40, 36, 40, 25)  # 156 mm: the text width


def text_of(minutes):
    """(content, approved revision or None): the latest approved text if there is one, else the current text."""
    approved = minutes.revisions.filter(approved_at__isnull=False).order_by("-number").first()
    if approved is not None and approved.content:
        return approved.content, approved
    return snapshot(minutes), approved


def build(minutes, progress):
    content, approved = text_of(minutes)
    meeting = minutes.meeting
    final = approved is not None or minutes.state in (MinutesState.APPROVED, MinutesState.PUBLISHED)
    doc = OfficialDocument()
    title = doc.title(_("%(meeting)s minutes") % {"meeting": full_name(meeting)})
    if not final:
        subtitle(doc, title, draft_mark(minutes))
    doc.paragraph(content.get("opening") or opening(content["meeting"], meeting))
    attendance_lines(doc, content["attendance"])
    if not content["quorum"]["reached"]:
        doc.paragraph(quorum_sentence(content["quorum"], meeting.mechanism.quorum_rule))
    items = content["items"]
    for number, item in enumerate(items, start=1):
        item_section(doc, number, item)
        progress(number, len(items))
    doc.signature(issuing_unit(meeting.mechanism), issued_on(minutes, approved, final))
    return doc


def draft_mark(minutes):
    if minutes.state == MinutesState.IN_REVIEW:
        return pgettext("document", "(draft for comments)")
    return pgettext("document", "(draft)")


def opening(facts, meeting):
    """The opening sentence when the secretariat wrote none: when, where, who convened and who chaired."""
    values = {
        "date": chinese_date(local(facts["starts_at"]).date()),
        "convener": facts["convener"],
        "meeting": full_name(meeting),
        "place": facts["place"],
    }
    if facts["place"]:
        text = _("On %(date)s, %(convener)s convened %(meeting)s in %(place)s.") % values
    else:
        text = _("On %(date)s, %(convener)s convened %(meeting)s.") % values
    if facts["chair"]:
        text += _("The meeting was chaired by %(chair)s.") % {"chair": facts["chair"]}
    return text + _("The matters agreed are recorded as follows:")


def attendance_lines(doc, attendance):
    """出席 (units with their people), 列席 (guests), 请假 (invited units absent); an empty list is left out."""
    present = [
        _("%(unit)s (%(people)s)") % {"unit": row["unit"], "people": enumerate_names(row["people"])}
        for row in attendance["present"]
    ]
    doc.paragraph(clauses(present) or pgettext("document", "none"), indent=False, bold_lead=_("Present: "))
    if attendance["guests"]:
        doc.paragraph(clauses(attendance["guests"]), indent=False, bold_lead=_("In attendance: "))
    if attendance["absent"]:
        absent = enumerate_names(row["unit"] for row in attendance["absent"])
        doc.paragraph(absent, indent=False, bold_lead=_("Excused: "))


def quorum_sentence(quorum, rule):
    rules = {
        QuorumRule.MORE_THAN_HALF: pgettext("quorum", "more than half"),
        QuorumRule.TWO_THIRDS: pgettext("quorum", "two thirds"),
        QuorumRule.ALL: pgettext("quorum", "all"),
    }
    return _(
        "%(present)s member units attended, short of %(rule)s of the %(active)s member units (%(needed)s); "
        "the meeting did not reach its quorum."
    ) % {**quorum, "rule": rules.get(rule, rules[QuorumRule.MORE_THAN_HALF])}


def item_section(doc, number, item):
    doc.heading1(numbered(number, label(item)))
    if item["summary"]:
        doc.paragraph(item["summary"])
    decisions = [row for row in item["decisions"] if row["kind"] == DecisionKind.DECISION]
    actions = [row for row in item["decisions"] if row["kind"] == DecisionKind.ACTION]
    if decisions:
        doc.paragraph(bold_lead=_("Decisions: ")).paragraph_format.keep_with_next = True
        for index, decision in enumerate(decisions, start=1):
            doc.paragraph(f"{index}.{decision['text']}{responsibility(decision)}")
    if actions:
        doc.paragraph(bold_lead=_("Action items: ")).paragraph_format.keep_with_next = True
        header = [
            pgettext("document", "No."),
            pgettext("document", "Action"),
            pgettext("document", "Responsible units"),
            pgettext("document", "Due"),
            pgettext("document", "Expected result"),
        ]
        rows = [
            [index, row["text"], enumerate_names(row["units"]), due(row), row["expected_result"]]
            for index, row in enumerate(actions, start=1)
        ]
        doc.table(header, rows, widths_mm=ACTION_WIDTHS_MM)


def label(item):
    """A case item says its case reference only (re-said here, so a text stored in any language reads Chinese)."""
    if item.get("case"):
        return _("Case %(reference)s") % {"reference": item["case"]}
    return item["title"]


def due(decision):
    return chinese_date(datetime.date.fromisoformat(decision["due_on"])) if decision["due_on"] else ""


def responsibility(decision):
    """（责任单位：…；完成时限：…）after a decision that names units or a due date."""
    parts = []
    if decision["units"]:
        parts.append(_("responsible: %(units)s") % {"units": enumerate_names(decision["units"])})
    if decision["due_on"]:
        parts.append(_("due %(date)s") % {"date": due(decision)})
    return _(" (%(details)s)") % {"details": clauses(parts)} if parts else ""


def issued_on(minutes, approved, final):
    """The approval date of approved minutes; today for a draft."""
    moment = ((approved.approved_at if approved is not None else None) or minutes.approved_at) if final else None
    return local(moment or timezone.now()).date()


def get_minutes(pk):
    return Minutes.objects.select_related("meeting__mechanism").get(meeting__pk=pk)


def steps(minutes):
    return max(minutes.items.filter(agenda_item__removed_at=None).count(), 1)


def filename(minutes):
    with translation.override("zh-hans"):
        return _("%(meeting)s minutes.docx") % {"meeting": minutes.meeting.name}
