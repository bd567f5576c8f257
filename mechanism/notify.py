"""E-mails about assignments. They name the reference and link to it; never a person's details."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from .models import Membership, Role

STAGE_SUBJECTS = {
    "new": gettext_lazy("New assignment %(reference)s"),
    "ack_reminder": gettext_lazy("Please acknowledge assignment %(reference)s"),
    "due_soon": gettext_lazy("Assignment %(reference)s is due on %(due)s"),
    "due_today": gettext_lazy("Assignment %(reference)s is due today"),
    "overdue": gettext_lazy("Assignment %(reference)s is overdue"),
    "completed": gettext_lazy("Assignment %(reference)s was completed by %(unit)s"),
    "returned": gettext_lazy("Assignment %(reference)s was returned by %(unit)s"),
}


def reference_of(assignment):
    return assignment.case.reference if assignment.case_id else f"#{assignment.pk}"


def unit_emails(unit_ids, roles):
    rows = Membership.objects.filter(unit_id__in=unit_ids, role__in=roles, user__is_active=True)
    return sorted({email for email in rows.values_list("user__email", flat=True) if email})


def secretariat_emails(mechanism):
    rows = Membership.objects.filter(unit__mechanism=mechanism, role=Role.SECRETARIAT, user__is_active=True)
    return sorted({email for email in rows.values_list("user__email", flat=True) if email})


def recipients(assignment, stage):
    liaisons = unit_emails([assignment.unit_id], [Role.LIAISON])
    if stage in ("completed", "returned"):
        return secretariat_emails(assignment.mechanism)
    if stage == "overdue":
        return sorted(set(liaisons) | set(secretariat_emails(assignment.mechanism)))
    return liaisons


def build_message(assignment, stage):
    """The e-mail for one stage of one assignment, in Chinese, or None when nobody is to receive it."""
    to = recipients(assignment, stage)
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "reference": reference_of(assignment),
            "due": assignment.due_on.isoformat(),
            "unit": assignment.unit.short_name,
        }
        subject = str(STAGE_SUBJECTS[stage]) % values
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("casework:assignment", args=[assignment.pk])
        body = render_to_string(
            "mail/assignment_notice.txt",
            {"assignment": assignment, "stage": stage, "subject": subject, "link": link, **values},
        )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)
