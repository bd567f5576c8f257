"""The handover e-mails of the scheduled work: the request for the annual work summary, the December and
January reminders, and the escalation on 31 January. In Chinese whoever runs the job; they name units and the
mechanism, never a person."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mechanism.models import Role
from mechanism.notify import secretariat_emails, unit_emails

from .plans import SHANGHAI


def handover_link(handover):
    """The handover's screen, as a full address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("rotation_handovers:detail", args=[handover.pk])


def outgoing_liaisons(handover):
    """The outgoing convener's liaisons; the secretariat when the unit has no liaison with an address."""
    liaisons = unit_emails([handover.outgoing_unit_id], [Role.LIAISON]) if handover.outgoing_unit_id else []
    return liaisons or secretariat_emails(handover.mechanism)


def supervisor_emails(mechanism):
    return unit_emails(list(mechanism.units.values_list("pk", flat=True)), [Role.SUPERVISOR])


def _message(handover, to, subject_of, template, **context):
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        values = {"mechanism": handover.mechanism.name, "year": handover.year}
        subject = subject_of() % values
        context = {
            "handover": handover,
            "subject": subject,
            "link": handover_link(handover),
            "outgoing": handover.outgoing_unit.name if handover.outgoing_unit_id else "",
            "incoming": handover.incoming_unit.name,
            **values,
            **context,
        }
        context["missing"] = [str(label) for label in context.get("missing", [])]
        body = render_to_string(template, context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def summary_request(handover, summary, meeting=None):
    """To the outgoing convener's liaisons: draft the annual work summary before the January meeting."""
    return _message(
        handover,
        outgoing_liaisons(handover),
        lambda: _("%(mechanism)s: please prepare the %(year)s handover and the annual work summary"),
        "mail/handover_summary_request.txt",
        summary_year=summary.year,
        meeting_day=_local_day(meeting),
    )


def reminder(handover, missing):
    """To the outgoing convener's liaisons and the secretariat: what the checklist still lacks."""
    to = sorted(set(outgoing_liaisons(handover)) | set(secretariat_emails(handover.mechanism)))
    return _message(
        handover,
        to,
        lambda: _("Reminder: the %(year)s handover of %(mechanism)s is not signed yet"),
        "mail/handover_reminder.txt",
        missing=missing,
    )


def escalation(handover, missing):
    """To the secretariat and the supervisors: the handover of this year is still not completed."""
    to = sorted(set(secretariat_emails(handover.mechanism)) | set(supervisor_emails(handover.mechanism)))
    return _message(
        handover,
        to,
        lambda: _("Escalation: the %(year)s handover of %(mechanism)s is not completed"),
        "mail/handover_escalation.txt",
        missing=missing,
        state=handover.get_state_display(),
    )


def _local_day(meeting):
    if meeting is None:
        return ""
    return timezone.localtime(meeting.starts_at, SHANGHAI).strftime("%Y-%m-%d %H:%M")
