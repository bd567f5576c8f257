"""The handover's life: created for the coming year (by the 1 December job or the secretariat), prepared,
its meeting recorded, signed by the outgoing and then the incoming convener. Row-locked, audit-logged."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mechanism.services.errors import ActionRefused

from .. import log_actions  # noqa: F401  (registers the audit-log actions written here)
from ..models import Handover, HandoverState
from ..plans import SHANGHAI, mechanism_forecast
from ..rules import RotationError


def incoming_for(mechanism, year, now):
    """The unit the rotation plan names for `year` (a RotationError says why there is none)."""
    names, turns = mechanism_forecast(mechanism, years=1, today=timezone.localtime(now, SHANGHAI).date())
    if not turns or turns[0].year != year:
        raise RotationError(_("The rotation plan names no convener for %(year)s.") % {"year": year})
    return mechanism.units.get(code=turns[0].unit)


def create_handover(mechanism, year, by=None, now=None):
    """The handover into `year`'s term, created once: a second call returns the existing one unchanged.

    The outgoing unit is the convener at `now`; the incoming one is the rotation plan's unit for `year`."""
    now = now or timezone.now()
    existing = Handover.objects.filter(mechanism=mechanism, year=year).first()
    if existing is not None:
        return existing
    try:
        incoming = incoming_for(mechanism, year, now)
    except RotationError as error:
        raise ActionRefused(str(error)) from None
    with transaction.atomic():
        handover, created = Handover.objects.get_or_create(
            mechanism=mechanism,
            year=year,
            defaults={"outgoing_unit": mechanism.convener_on(now), "incoming_unit": incoming},
        )
        if created:
            log(handover, "xianjie.handover.create", user=by, data={"year": year, "incoming": incoming.name})
    return handover


def handover_year(now):
    """The year of the term the coming (or current January's) handover begins: in December the next year."""
    day = timezone.localtime(now, SHANGHAI).date()
    return day.year + 1 if day >= datetime.date(day.year, 12, 1) else day.year


def start_preparing(handover, by=None, now=None):
    """planned → preparing (the 1 December job, once it has asked for the summary); already preparing: no change."""
    with transaction.atomic():
        fresh = Handover.objects.select_for_update().get(pk=handover.pk)
        if fresh.state != HandoverState.PLANNED:
            return fresh
        fresh.prepare()
        fresh.save()
        log(fresh, "xianjie.handover.prepare", user=by)
    handover.refresh_from_db()
    return handover
