"""A mechanism's rotation plan read from its member units and convener terms.

The plan order is the units' order in the mechanism (the lead unit first, then by the day they joined):
units that were members from the founding day form the initial order, later ones join, and a unit with a
leaving day leaves; swaps and defers are the recorded RotationEvents.

The year of a term, one definition everywhere: the year (Asia/Shanghai) in which its ConvenerTerm starts. A
term starts when the incoming convener signs the handover into that year, and signing is possible only from
1 January 00:00 (Asia/Shanghai) of the handover's year (rotation.handovers.access.signing_opens_at), so the
handover into year Y starts a term counted as Y; rotation.handovers.services.handover_year(now) names that Y
for any moment from 1 December of the year before to 30 November.
"""

from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RotationEvent, RotationEventKind, RotationPlan
from .rules import Defer, Join, Leave, Plan, RotationError, Swap, forecast

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_date(moment):
    """The calendar day (Asia/Shanghai) of an aware datetime."""
    return timezone.localtime(moment, SHANGHAI).date()


def plan_of(mechanism, units=None):
    """(Plan, names by unit code) of the mechanism; `units` saves the query when the caller has them."""
    units = list(mechanism.units.all()) if units is None else units
    if not units:
        return Plan(order=[], joined={}), {}
    founded = min(unit.joined_on for unit in units)
    first = [unit.code for unit in units if unit.joined_on == founded]
    stored = RotationPlan.objects.filter(mechanism=mechanism).values_list("order", flat=True).first()
    if stored:  # the stored order of the founding units; any founding unit it misses follows in the units' order
        first = [code for code in stored if code in first] + [code for code in first if code not in stored]
    events = [Join(unit.code, unit.joined_on) for unit in units if unit.joined_on != founded]
    events += [Leave(unit.code, unit.left_on) for unit in units if unit.left_on]
    events += [event for event in recorded_events(mechanism) if event not in events]
    names = {unit.code: unit.name for unit in units}
    plan = Plan(order=first, joined=dict.fromkeys(first, founded), events=events, names=names)
    return plan, names


def recorded_events(mechanism):
    """The events recorded for the mechanism (swaps, defers and joins and leaves from its history), as rule values."""
    rows = RotationEvent.objects.filter(mechanism=mechanism).select_related("unit", "other_unit")
    events = []
    for row in rows:
        if row.kind == RotationEventKind.SWAP:
            events.append(Swap(row.unit.code, row.other_unit.code, row.year, row.reason, row.decision))
        elif row.kind == RotationEventKind.DEFER:
            events.append(Defer(row.unit.code, row.year, row.reason, row.decision))
        elif row.kind == RotationEventKind.JOIN:
            events.append(Join(row.unit.code, row.day))
        else:
            events.append(Leave(row.unit.code, row.day))
    return events


def past_terms(mechanism):
    """[(year, unit code)] of the mechanism's convener terms in order, each counted by the year (Asia/Shanghai)
    its start falls in: the year of the handover that started it (see the module's docstring)."""
    terms = mechanism.convener_terms.select_related("unit").order_by("starts_at")
    return [(local_date(term.starts_at).year, term.unit.code) for term in terms]


def mechanism_forecast(mechanism, years=10, today=None):
    """(names, [Turn]) for the `years` years after the last term's year (or from this year without terms).
    RotationError when no unit is a member today or the rules find no convener for a year."""
    today = today or timezone.localdate()
    units = list(mechanism.units.all())
    if not any(unit.is_active_on(today) for unit in units):
        message = _("%(mechanism)s has no active member units, so no convener can be forecast.")
        raise RotationError(message % {"mechanism": mechanism.name})
    plan, names = plan_of(mechanism, units)
    terms = past_terms(mechanism)
    this_year = today.year
    first_year = max(terms[-1][0] + 1, this_year) if terms else this_year
    return names, forecast(plan, terms, first_year, years)
