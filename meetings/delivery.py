"""A recipient's copy that failed (NoticeDelivery, MailDelivery): what is noted, and when it is given up.

A copy the SMTP server refused for good (SMTPRecipientsRefused with 5xx codes: no such mailbox) counts a refusal;
after GIVE_UP_AFTER runs that each ended in a refusal it is not tried again, until the user's address changes.
Any other error (the server unreachable, a 4xx) only notes its class: the next run tries again, within the
sweep's bounds. Logs and rows carry ids and the exception's class name, never its text (which names the address).
"""

import smtplib

from django.db.models import F

GIVE_UP_AFTER = 3


def permanent(error):
    """True for a refusal that will not change by trying again: every recipient refused with a 5xx code."""
    if not isinstance(error, smtplib.SMTPRecipientsRefused):
        return False
    codes = [reply[0] for reply in error.recipients.values()]
    return bool(codes) and all(int(code) >= 500 for code in codes)


def record_failure(model, pk, error):
    """Note the failed send on the delivery row (after its claim rolled back); returns the error's class name."""
    name = type(error).__name__
    changes = {"last_error": name[:60]}
    if permanent(error):
        changes["refusals"] = F("refusals") + 1
    model.objects.filter(pk=pk, sent_at=None).update(**changes)
    return name


def follow_address(model, delivery, email):
    """A copy not yet sent goes to the user's current address; a new address clears the refusals of the old."""
    if delivery.sent_at is None and delivery.email != email:
        model.objects.filter(pk=delivery.pk, sent_at=None).update(email=email, refusals=0, last_error="")
