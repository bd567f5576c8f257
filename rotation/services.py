"""Recording a swap or a defer: the secretariat of the mechanism, with a reason and a decision, checked against
the rules before anything is saved (a refusal says why and saves nothing). The checks match the mechanism
file's (rotation.files): each unit a member on 1 January of the year, the year after the last convener term,
and the same swap or defer never twice (two identical swaps would cancel out). They run under a row lock on
the mechanism, so two requests at once cannot both pass. In the same transaction, an open handover not yet
signed by the outgoing convener follows the new forecast (refresh_incoming)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mechanism import access
from mechanism.models import Mechanism
from mechanism.services.errors import ActionRefused

from . import log_actions  # noqa: F401  (registers the audit-log actions written here)
from .models import Handover, HandoverState, RotationEvent, RotationEventKind
from .models.handover import OPEN_STATES
from .plans import SHANGHAI, mechanism_forecast
from .rules import RotationError

# The open states before the outgoing convener signs: the handover still follows the forecast and is reminded.
NOT_SIGNED = [state for state in OPEN_STATES if state != HandoverState.SIGNED_OUTGOING]


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
    first_day = datetime.date(year, 1, 1)
    for unit in units:
        if unit.mechanism_id != mechanism.pk:
            raise ActionRefused(_("%(unit)s is not a member unit of this mechanism.") % {"unit": unit.name})
        if not unit.is_active_on(today):
            raise ActionRefused(_("%(unit)s has left the mechanism.") % {"unit": unit.name})
        if not unit.is_active_on(first_day):
            message = _("%(unit)s is not a member unit on 1 January %(year)s, so it has no place in that year.")
            raise ActionRefused(message % {"unit": unit.name, "year": year})
    with transaction.atomic():
        Mechanism.objects.select_for_update().get(pk=mechanism.pk)  # one recording at a time per mechanism
        _check_open_year(mechanism, year)
        _check_not_recorded(mechanism, kind, units, year)
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


def last_term_year(mechanism):
    """The year (Asia/Shanghai) the mechanism's latest convener term started; None without terms."""
    starts_at = mechanism.convener_terms.order_by("-starts_at").values_list("starts_at", flat=True).first()
    return None if starts_at is None else timezone.localtime(starts_at, SHANGHAI).year


def first_open_year(mechanism, today):
    """The first year a swap or a defer may change: from this year on, after the last convener term's year."""
    last = last_term_year(mechanism)
    return today.year if last is None else max(today.year, last + 1)


def _check_open_year(mechanism, year):
    """A year whose convener term has started is history: only a later year may change."""
    last = last_term_year(mechanism)
    if last is not None and year <= last:
        message = _(
            "%(year)s cannot change: the convener term of %(last)s has already started, so choose a year "
            "after %(last)s."
        )
        raise ActionRefused(message % {"year": year, "last": last})


def _check_not_recorded(mechanism, kind, units, year):
    rows = RotationEvent.objects.filter(mechanism=mechanism, kind=kind, year=year)
    if kind == RotationEventKind.SWAP:
        first, second = units
        same = rows.filter(Q(unit=first, other_unit=second) | Q(unit=second, other_unit=first))
        if same.exists():
            message = _(
                "The swap of %(first)s and %(second)s in %(year)s is already recorded; recording it again "
                "would undo it."
            )
            raise ActionRefused(message % {"first": first.name, "second": second.name, "year": year})
    elif rows.filter(unit=units[0]).exists():
        message = _("%(unit)s is already passed over in %(year)s.")
        raise ActionRefused(message % {"unit": units[0].name, "year": year})


def refresh_incoming(mechanism, today=None):
    """Give every open handover of the mechanism not yet signed by the outgoing convener the unit the forecast
    now names for its year; returns the handovers changed. Call it inside the transaction that changed the plan."""
    today = today or timezone.localdate()
    handovers = list(
        Handover.objects.select_for_update(of=("self",))
        .filter(mechanism=mechanism, state__in=NOT_SIGNED, outgoing_signed_at=None)
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
