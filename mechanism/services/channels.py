"""Keeping help channels current: a liaison or the secretariat confirms a channel still works."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import access
from .errors import ActionRefused


def verify_channel(channel, by, today=None):
    """Record that `by` checked the channel today; refused unless `by` may manage it."""
    if not access.managed_channels(by).filter(pk=channel.pk).exists():
        raise ActionRefused(_("You may only verify the help channels of your own unit."))
    today = today or timezone.localdate()
    with transaction.atomic():
        channel.last_verified_on = today
        channel.last_verified_by = by
        # updated_at stays: a verification confirms the content, it does not change it.
        channel.save(update_fields=["last_verified_on", "last_verified_by"])
        log(channel, "xianjie.channel.verify", user=by, data={"verified_on": today.isoformat()})
    return channel


def verify_channels(channels, by, today=None):
    """Verify several channels at once; those `by` may not manage are skipped. Returns how many."""
    manageable = access.managed_channels(by).filter(pk__in=[channel.pk for channel in channels])
    done = 0
    for channel in manageable.select_related("unit"):
        verify_channel(channel, by, today=today)
        done += 1
    return done
