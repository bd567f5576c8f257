"""The notice e-mail: zh-hans, plain text and HTML, the agenda, the answer links and the .ics attached."""

from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy

from ..answers import answer_url
from ..models import NoticeMethod
from .ics import TZ, item_label, location, meeting_link, person_name

SUBJECTS = {
    NoticeMethod.REQUEST: gettext_lazy("Meeting notice: %(name)s (%(date)s)"),
    NoticeMethod.CANCEL: gettext_lazy("Meeting cancelled: %(name)s (%(date)s)"),
}


def subject_for(meeting, method):
    day = timezone.localtime(meeting.starts_at, TZ).date()
    return str(SUBJECTS[method]) % {"name": meeting.name, "date": formats.date_format(day, "DATE_FORMAT")}


def build_notice(meeting, user, memberships, method, ics, items):
    """One e-mail to `user`, with an answer link for each of the user's invited units (`memberships`)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = subject_for(meeting, method)
        convener = meeting.convener
        context = {
            "meeting": meeting,
            "subject": subject,
            "method": method,
            "cancelled": method == NoticeMethod.CANCEL,
            "person": person_name(user),
            "starts_at": timezone.localtime(meeting.starts_at, TZ),
            "ends_at": timezone.localtime(meeting.ends_at, TZ),
            "location": location(meeting),
            "convener": convener.name if convener else "",
            "agenda": [
                {
                    "order": number,
                    "title": item_label(item),
                    "presenter": item.presenter.short_name if item.presenter_id else "",
                    "minutes": item.minutes,
                }
                for number, item in enumerate(items, start=1)
            ],
            "answers": [
                {"unit": membership.unit.name, "link": answer_url(meeting, membership)} for membership in memberships
            ],
            "link": meeting_link(meeting),
        }
        text = render_to_string("mail/meeting_notice.txt", context)
        html = render_to_string("mail/meeting_notice.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.attach(calendar_part(ics, method))
    return message


def calendar_part(ics, method):
    """The .ics as `text/calendar; method=…; charset=utf-8` (Django's attach() would repeat the charset)."""
    part = MIMEText(ics.decode(), "calendar", "utf-8")
    part.set_param("method", str(method))
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part
