"""会议通知: who is asked to come when and where, what is on the agenda, how to answer."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mechanism.documents.builder import OfficialDocument, chinese_date
from mechanism.notify import secretariat_emails
from mechanism.workdays import subtract_working_days

from ..models import NoticeMethod
from ..notices.ics import agenda, item_label
from .common import (
    clauses,
    enumerate_names,
    full_name,
    issuing_unit,
    line,
    local,
    numbered,
    time_line,
)

REPLY_WORKING_DAYS = 2  # answers are due two working days before the meeting


def build(meeting, progress):
    doc = OfficialDocument()
    name = full_name(meeting)
    doc.title(_("Notice on convening %(meeting)s") % {"meeting": name})
    doc.addressee(addressee(meeting))
    doc.paragraph(purpose(meeting, name))
    line(doc, numbered(1, pgettext("document", "Time:")), time_line(meeting.starts_at), indent=True)
    line(doc, numbered(2, pgettext("document", "Place:")), place(meeting), indent=True)
    line(doc, numbered(3, pgettext("document", "Participants:")), participants(meeting), indent=True)
    doc.heading1(numbered(4, pgettext("document", "Agenda")))
    items = agenda(meeting)
    for number, item in enumerate(items, start=1):
        doc.paragraph(f"{number}.{item_label(item)}")
    if not items:
        doc.paragraph(_("The agenda will be sent separately."))
    line(doc, numbered(5, pgettext("document", "Requests:")), requests(meeting), indent=True)
    doc.signature(issuing_unit(meeting.mechanism), notice_day(meeting))
    progress(1, 1)
    return doc


def addressee(meeting):
    """各成员单位 when every active unit is invited, else the invited units by name."""
    invited = list(meeting.invited_units.all())
    active = set(meeting.mechanism.active_units(local(meeting.starts_at).date()).values_list("pk", flat=True))
    if not invited or active <= {unit.pk for unit in invited}:
        return _("All member units")
    return enumerate_names(unit.name for unit in invited)


def purpose(meeting, name):
    if meeting.title:
        text = _("To study %(subject)s, %(meeting)s is convened as follows:")
        return text % {"subject": meeting.title, "meeting": name}
    return _("To coordinate assistance and charity help, %(meeting)s is convened as follows:") % {"meeting": name}


def place(meeting):
    parts = [meeting.place] if meeting.place else []
    if meeting.video_link:
        parts.append(_("video link: %(link)s") % {"link": meeting.video_link})
    return clauses(parts) or _("to be announced")


def participants(meeting):
    units = enumerate_names(unit.name for unit in meeting.invited_units.all())
    text = _("The leaders in charge and the liaisons of %(units)s.") % {"units": units} if units else ""
    if meeting.chair:
        text += _("The meeting is chaired by %(chair)s.") % {"chair": meeting.chair}
    return text


def requests(meeting):
    reply_by = subtract_working_days(local(meeting.starts_at).date(), REPLY_WORKING_DAYS)
    text = _("Answer by %(date)s through the link in the notice e-mail: who attends, or why not.") % {
        "date": chinese_date(reply_by)
    }
    office = issuing_unit(meeting.mechanism)
    emails = secretariat_emails(meeting.mechanism)
    if emails:
        contact = _("Contact: %(office)s, e-mail %(emails)s.")
        return text + contact % {"office": office, "emails": enumerate_names(emails)}
    return text + _("Contact: %(office)s.") % {"office": office}


def notice_day(meeting):
    """The day the notice went out (its latest invitation sent), or today for a notice not sent yet."""
    sent = (
        meeting.deliveries.filter(method=NoticeMethod.REQUEST, sent_at__isnull=False)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return local(sent or timezone.now()).date()


def filename(meeting):
    with translation.override("zh-hans"):
        return _("%(meeting)s notice.docx") % {"meeting": meeting.name}
