"""Recording a swap or a defer: the secretariat of the mechanism, with a reason and a decision, checked against
the rules before anything is saved (a refusal says why and saves nothing). In the same transaction, an open
handover not yet signed by the outgoing convener follows the new forecast (refresh_incoming)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mechanism import access
from mechanism.services.errors import ActionRefused

from . import log_actions  # noqa: F401  (registers the audit-log actions written here)
from .models import Handover, HandoverState, RotationEvent, RotationEventKind
from .plans import mechanism_forecast
from .rules import RotationError


def record_swap(mechanism, first, second, year, reason, decision, by=None, today=None):
    if first == second:
        raise ActionRefused(_("A swap needs two different units."))
    return _record(mechanism, RotationEventKind.SWAP, [first, second], year, reason, decision, by, today)


def record_defer(mechanism, unit, year, reason, decision, by=None, today=None):
    return _record(mechanism, RotationEventKind.DEFER, [unit], year, reason, decision, by, today)


def _record(mechanism, kind, units, year, reason, decision, by, today):
    today = today or timezone.localdate()
    reason, decision = (reason or "").strip(), (decision or "").strip()
    if by is not None and not access.can_manage_mechanism(by, mechanism):
        raise ActionRefused(_("Only the secretariat of the mechanism may change its rotation plan."))
    if not reason:
        raise ActionRefused(_("Give a reason."))
    if not decision:
        raise ActionRefused(_("Name the decision that approved it (a meeting decision or a document)."))
    if not isinstance(year, int) or not today.year <= year <= today.year + 50:
        raise ActionRefused(_("Choose a year from this year on."))
    for unit in units:
        if unit.mechanism_id != mechanism.pk:
            raise ActionRefused(_("%(unit)s is not a member unit of this mechanism.") % {"unit": unit.name})
        if not unit.is_active_on(today):
            raise ActionRefused(_("%(unit)s has left the mechanism.") % {"unit": unit.name})
    with transaction.atomic():
        event = RotationEvent.objects.create(
            mechanism=mechanism,
            kind=kind,
            unit=units[0],
            other_unit=units[1] if len(units) > 1 else None,
            year=year,
            reason=reason,
            decision=decision,
            recorded_by=by,
        )
        try:  # the plan with the new event must still give a convener for every year it reaches
            mechanism_forecast(mechanism, years=max(10, year - today.year + 2), today=today)
        except RotationError as error:  # raised inside atomic: the event is rolled back
            raise ActionRefused(str(error)) from None
        event.refreshed_handovers = refresh_incoming(mechanism, today=today)
        data = {"year": year, "units": [u.name for u in units]}
        if event.refreshed_handovers:
            data["handovers"] = [handover.pk for handover in event.refreshed_handovers]
        log(event, f"xianjie.rotation.{kind}", user=by, data=data)
    return event


def refresh_incoming(mechanism, today=None):
    """Give every open handover of the mechanism not yet signed by the outgoing convener the unit the forecast
    now names for its year; returns the handovers changed. Call it inside the transaction that changed the plan."""
    today = today or timezone.localdate()
    unsigned = [HandoverState.PLANNED, HandoverState.PREPARING, HandoverState.MEETING_HELD]
    handovers = list(
        Handover.objects.select_for_update(of=("self",))
        .filter(mechanism=mechanism, state__in=unsigned, outgoing_signed_at=None)
        .select_related("incoming_unit")
        .order_by("year")
    )
    if not handovers:
        return []
    _names, turns = mechanism_forecast(mechanism, years=max(10, handovers[-1].year - today.year + 2), today=today)
    forecast = {turn.year: turn.unit for turn in turns}
    units = {unit.code: unit for unit in mechanism.units.all()}
    changed = []
    for handover in handovers:
        code = forecast.get(handover.year)
        if code is None or code == handover.incoming_unit.code:
            continue
        handover.incoming_unit = units[code]
        handover.save(update_fields=["incoming_unit", "updated_at"])
        changed.append(handover)
    return changed
