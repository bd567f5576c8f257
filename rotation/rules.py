"""The rotation rules as plain data and pure functions: who convenes in which year, and why.

Rules (issue 8):
1. The convener of a year is the first unit in the plan order that is eligible and has not convened in the
   current cycle. A unit is eligible for a year when it is a member on 1 January of that year. When no
   eligible unit waits, the cycle ends and the next starts again from the top of the order.
2. A unit that joins is appended to the end of the order and waits in the current cycle.
3. A unit that has left on or before 1 January is not eligible; a unit that rejoins is treated as joining.
4. Swap: two units exchange their places in the order from a given year on.
5. Defer: a unit is passed over for one given year; it keeps its place, so it convenes the year after.
   Refused when no other unit waits in the cycle.
6. Past terms are replayed in year order; a term whose unit already convened in the current cycle starts
   a new cycle.
No models here (only gettext): the models and the management command turn their rows into these values.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class RotationError(ValueError):
    """The plan cannot be applied as given (the message says why, in the user's language)."""


@dataclass(frozen=True)
class Join:
    unit: str
    day: datetime.date


@dataclass(frozen=True)
class Leave:
    unit: str
    day: datetime.date


@dataclass(frozen=True)
class Swap:
    first: str
    second: str
    year: int  # from this year on
    reason: str = ""
    decision: str = ""


@dataclass(frozen=True)
class Defer:
    unit: str
    year: int
    reason: str = ""
    decision: str = ""


@dataclass(frozen=True)
class Turn:
    """One year's convener and why: reason codes the caller words (see rotation.wording)."""

    year: int
    unit: str
    new_cycle: bool = False
    swaps: tuple = ()  # the Swap events that moved this unit before or in this year
    took_over_from: Defer | None = None  # this unit convenes because the deferred unit was passed over
    deferred: Defer | None = None  # this unit convenes a year late because of this Defer


@dataclass
class Plan:
    """The initial order (unit codes, each a member from its join day) and the events that change it."""

    order: list
    joined: dict  # unit code -> day it first joined (units in `order` from the start)
    events: list = field(default_factory=list)
    names: dict = field(default_factory=dict)  # unit code -> the name refusals give (the code without one)

    def name(self, unit):
        return self.names.get(unit, unit)

    def _timeline(self):
        """Every event with the day it takes effect, in one fixed order whatever order they were entered in:
        by day; on one day leaves, then joins, then swaps (a swap takes effect on 1 January of its year)."""
        rows = []
        for event in self.events:
            if isinstance(event, Leave):
                rows.append((event.day, 0, event.unit, "", event))
            elif isinstance(event, Join):
                rows.append((event.day, 1, event.unit, "", event))
            elif isinstance(event, Swap):
                rows.append((datetime.date(event.year, 1, 1), 2, event.first, event.second, event))
        return sorted(rows, key=lambda row: row[:4])

    def order_on(self, year):
        """The plan order for a year, only its eligible units: events up to 1 January applied in date order."""
        jan1 = datetime.date(year, 1, 1)
        order = list(self.order)
        joined = dict(self.joined)
        for day, *_key, event in self._timeline():
            if day > jan1:
                break
            if isinstance(event, Join):
                if event.unit in order:
                    message = _("%(unit)s joins but is already in the rotation.")
                    raise RotationError(message % {"unit": self.name(event.unit)})
                order.append(event.unit)
                joined[event.unit] = event.day
            elif isinstance(event, Leave):
                if event.unit not in order:
                    message = _("%(unit)s leaves but is not in the rotation.")
                    raise RotationError(message % {"unit": self.name(event.unit)})
                order.remove(event.unit)
            elif event.first in order and event.second in order:  # a swap; void once one of the two has left
                i, j = order.index(event.first), order.index(event.second)
                order[i], order[j] = order[j], order[i]
        return [unit for unit in order if joined[unit] <= jan1]

    def swaps_of(self, unit, year):
        swaps = [e for e in self.events if isinstance(e, Swap) and e.year <= year and unit in (e.first, e.second)]
        return tuple(sorted(swaps, key=lambda e: (e.year, e.first, e.second, e.reason, e.decision)))

    def defer_of(self, year):
        defers = sorted((e for e in self.events if isinstance(e, Defer) and e.year == year), key=repr)
        return {e.unit: e for e in reversed(defers)}  # one defer per unit and year counts: the first by value


def replay(plan, terms):
    """The units that convened in the current cycle after the past terms [(year, unit)], in year order."""
    convened = []
    for _year, unit in sorted(terms):
        if unit in convened:
            convened = []
        convened.append(unit)
    return convened


def forecast(plan, terms, first_year, years):
    """The Turns of `years` years from `first_year`, after replaying the past terms."""
    convened = replay(plan, [(year, unit) for year, unit in terms if year < first_year])
    late = {}  # unit -> the Defer that passed it over last year
    turns = []
    for year in range(first_year, first_year + years):
        order = plan.order_on(year)
        if not order:
            raise RotationError(_("No member unit is eligible to convene in %(year)s.") % {"year": year})
        waiting = [unit for unit in order if unit not in convened]
        new_cycle = not waiting
        if new_cycle:
            convened, waiting = [], order
        defers = plan.defer_of(year)
        chosen = next((unit for unit in waiting if unit not in defers), None)
        if chosen is None:
            raise RotationError(
                _("%(unit)s cannot be deferred in %(year)s: no other unit waits in this round.")
                % {"unit": plan.name(waiting[0]), "year": year}
            )
        passed = next((defers[unit] for unit in waiting[: waiting.index(chosen)]), None)
        convened.append(chosen)
        turns.append(
            Turn(
                year=year,
                unit=chosen,
                new_cycle=new_cycle,
                swaps=plan.swaps_of(chosen, year),
                took_over_from=passed,
                deferred=late.get(chosen),
            )
        )
        late = {defer.unit: defer for defer in defers.values()}
    return turns
