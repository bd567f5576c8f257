"""Weekly reminders about stale help channels: one e-mail per unit, never twice for a channel and week.

Each channel is claimed for the ISO week (its Monday) by a ChannelReminder row whose `sent_at` is
set by a conditional update, inside the transaction that sends the unit's e-mail: a run that dies
before the send rolls its claims back; a second or concurrent run finds nothing left to claim.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import ngettext

from .models import STALE_AFTER_DAYS, ChannelReminder, HelpChannel, MemberUnit, Role
from .notify import secretariat_emails, unit_emails

logger = logging.getLogger(__name__)


def week_of(day):
    """The Monday of the ISO week `day` falls in."""
    return day - datetime.timedelta(days=day.weekday())


def due_channels(today):
    """Stale channels of units that are members today and not yet reminded about this week."""
    reminded = ChannelReminder.objects.filter(week=week_of(today), sent_at__isnull=False).values("channel_id")
    return HelpChannel.objects.current(today).stale(today).exclude(pk__in=reminded)


def recipients(unit):
    """The unit's liaisons; the mechanism's secretariat if no liaison has an address."""
    return unit_emails([unit.pk], [Role.LIAISON]) or secretariat_emails(unit.mechanism)


def build_message(unit, channels):
    to = recipients(unit)
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(unit)s: %(count)d help channel needs checking",
            "%(unit)s: %(count)d help channels need checking",
            len(channels),
        ) % {"unit": unit.short_name, "count": len(channels)}
        query = urlencode({"unit": unit.pk, "stale": "true"})
        link = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{reverse('helpchannel:index')}?{query}"
        body = render_to_string(
            "mail/channel_reminder.txt",
            {
                "unit": unit,
                "channels": channels,
                "subject": subject,
                "link": link,
                "stale_after_days": STALE_AFTER_DAYS,
            },
        )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def remind_unit(unit_pk, today):
    """Claim this week's reminder for each stale channel of one unit and send one e-mail; True if sent."""
    week = week_of(today)
    now = timezone.now()
    with transaction.atomic():
        candidates = list(due_channels(today).filter(unit_id=unit_pk).order_by("display_order", "pk"))
        ChannelReminder.objects.bulk_create(
            [ChannelReminder(channel=channel, week=week) for channel in candidates], ignore_conflicts=True
        )
        claimed = [
            channel
            for channel in candidates
            if ChannelReminder.objects.filter(channel=channel, week=week, sent_at__isnull=True).update(sent_at=now)
        ]
        if not claimed:
            return False
        unit = MemberUnit.objects.select_related("mechanism").get(pk=unit_pk)
        message = build_message(unit, claimed)
        if message is None:
            logger.warning("stale channel reminder: unit %s has no address to write to", unit_pk)
            return False
        message.send()
    return True


def remind_stale_channels(today=None):
    """One pass over all units; returns how many reminder e-mails this pass sent."""
    today = today or timezone.localdate()
    unit_pks = sorted(set(due_channels(today).values_list("unit_id", flat=True)))
    sent = 0
    for unit_pk in unit_pks:
        try:
            sent += remind_unit(unit_pk, today)
        except OSError:
            # The unit's claims rolled back with the failed send: a rerun (by hand, or next week) sends them.
            # A cron schedule is not retried, so the other units still get theirs now.
            logger.exception("stale channel reminder for unit %s could not be sent", unit_pk)
    logger.info("stale channel reminders: %d e-mails sent", sent)
    return sent
