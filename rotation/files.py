"""The `rotation:` section of the mechanism file (docs/mechanism-file.md): the plan order of the founding units,
the past terms, and the events that changed the plan. Imported inside the file's transaction and checked by
replaying the rules, so a history that contradicts itself is refused with its line and nothing is imported."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from mechanism.files import fields as f
from mechanism.files import sections
from mechanism.files.yaml_lines import FileError
from mechanism.models import ConvenerTerm

from .models import RotationEvent, RotationEventKind, RotationPlan
from .plans import SHANGHAI, past_terms, plan_of
from .rules import Defer, RotationError, forecast

Kind = RotationEventKind
SECTION_KEYS = {"order", "terms", "events"}
TERM_KEYS = {"year", "unit", "signed_at"}
EVENT_KEYS = {"kind", "date", "unit", "reason", "decision"}
SWAP_KEYS = {"kind", "date", "units", "reason", "decision"}
KIND_RANK = {Kind.LEAVE: 0, Kind.JOIN: 1, Kind.SWAP: 2, Kind.DEFER: 3}  # on one day, as rules.Plan applies them
FORECAST_YEARS = 10
YEARS_AHEAD = 50  # an event may be dated at most this many years after today (as on the rotation screen)


@dataclass
class _Event:
    kind: str
    unit: object
    other: object
    day: datetime.date
    reason: str
    decision: str
    line: int


def read_section(importer, item, mechanism, units):
    f.check_keys(item, SECTION_KEYS)
    reader = _Reader(importer, item, mechanism)
    reader.order()
    reader.terms()
    reader.events()
    reader.check_members()
    reader.check_forecast()


class _Reader:
    def __init__(self, importer, item, mechanism):
        self.importer, self.item, self.mechanism = importer, item, mechanism
        self.units = {unit.code: unit for unit in mechanism.units.all()}
        self.events_line = item.line_of("events")
        self.file_events = []

    def unit(self, code, line):
        unit = self.units.get(code)
        if unit is None:
            raise FileError(line, _("no unit with the code %(code)s in this mechanism") % {"code": code})
        return unit

    def order(self):
        if self.item.get("order") is None:
            return  # the stored order stays; without one the units' own order holds
        line = self.item.line_of("order")
        codes = f.text_list(self.item, "order")
        founded = min((unit.joined_on for unit in self.units.values()), default=None)
        for index, code in enumerate(codes):
            unit = self.unit(code, line)
            if code in codes[:index]:
                raise FileError(line, _("%(code)s appears twice in the order") % {"code": code})
            if unit.joined_on != founded:
                message = _(
                    "%(unit)s joined on %(day)s, after the founding day %(founded)s: the order lists only the "
                    "founding units (later ones are appended as they join)"
                )
                raise FileError(line, message % {"unit": unit.name, "day": unit.joined_on, "founded": founded})
        for unit in self.units.values():
            if unit.joined_on == founded and unit.code not in codes:
                raise FileError(
                    line, _("the order must list every founding unit; %(unit)s is missing") % {"unit": unit.name}
                )
        self.importer.upsert(RotationPlan, {"mechanism": self.mechanism}, {"order": codes}, line, validate=False)

    def terms(self):
        rows = []
        for item in f.sequence(self.item, "terms"):
            f.check_keys(item, TERM_KEYS)
            unit = self.unit(f.text(item, "unit"), item.line_of("unit"))
            year = item.get("year")
            if isinstance(year, bool) or not isinstance(year, int):
                raise FileError(item.line_of("year"), _("year must be a year like 2025"))
            signed_at = f.moment(item, "signed_at")
            if signed_at > timezone.now():
                message = _("signed_at %(moment)s is in the future: the terms are the past and current terms only")
                moment = timezone.localtime(signed_at, SHANGHAI).isoformat()
                raise FileError(item.line_of("signed_at"), message % {"moment": moment})
            signed_year = timezone.localtime(signed_at, SHANGHAI).year
            if year != signed_year:
                message = _("year %(year)s does not match signed_at, which falls in %(signed)s (Asia/Shanghai)")
                raise FileError(item.line_of("year"), message % {"year": year, "signed": signed_year})
            if rows and year <= rows[-1][0]:
                message = _("the terms must be in year order, each year once: %(year)s follows %(previous)s")
                raise FileError(item.line_of("year"), message % {"year": year, "previous": rows[-1][0]})
            rows.append((year, unit, signed_at, item))
        saved = []
        for index, (_year, unit, signed_at, item) in enumerate(rows):
            values = {"unit": unit}
            listed = self.importer.file_terms.get(signed_at)
            if listed is not None and listed.pk != unit.pk:
                message = _("convener_terms gives the term starting at %(start)s to %(unit)s, not to %(other)s")
                start = timezone.localtime(signed_at, SHANGHAI).isoformat()
                raise FileError(item.line, message % {"start": start, "unit": listed.name, "other": unit.name})
            if listed is None and index + 1 < len(rows):  # a term the file's convener_terms lists keeps its end
                values["ends_at"] = rows[index + 1][2]
            keys = {"mechanism": self.mechanism, "starts_at": signed_at}
            saved.append((self.importer.upsert(ConvenerTerm, keys, values, item.line, validate=False), item))
        for term, item in saved:  # overlaps are judged once every term is in place
            self.importer.validate(term, item.line)

    def events(self):
        seen = set()
        for item in f.sequence(self.item, "events"):
            event = self.parse_event(item)
            if self.confirms_unit(event):
                continue  # the unit's own joined_on / left_on already say it
            keys = {
                "mechanism": self.mechanism,
                "kind": event.kind,
                "unit": event.unit,
                "other_unit": event.other,
                "year": event.day.year,
                "day": None if event.kind in (Kind.SWAP, Kind.DEFER) else event.day,
            }
            if event.kind == Kind.SWAP and not RotationEvent.objects.filter(**keys).exists():
                swapped = {**keys, "unit": event.other, "other_unit": event.unit}
                if RotationEvent.objects.filter(**swapped).exists():  # the same swap, its units named the other way
                    keys = swapped
            key = tuple(getattr(value, "pk", value) for value in keys.values())
            if key in seen:
                raise FileError(item.line, _("this event appears twice"))
            seen.add(key)
            values = {"reason": event.reason, "decision": event.decision}
            on_create = {"recorded_by": self.importer.user}
            self.importer.upsert(RotationEvent, keys, values, item.line, validate=False, on_create=on_create)
            self.file_events.append(event)

    def parse_event(self, item):
        kind = f.choice(item, "kind", Kind)
        f.check_keys(item, SWAP_KEYS if kind == Kind.SWAP else EVENT_KEYS)
        day = f.date(item, "date")
        latest = _years_after(timezone.localdate(), YEARS_AHEAD)
        if day > latest:
            message = _("date %(date)s is too far ahead: an event may be dated at most %(years)s years from today")
            raise FileError(item.line_of("date"), message % {"date": day, "years": YEARS_AHEAD})
        other = None
        if kind == Kind.SWAP:
            codes = f.text_list(item, "units")
            if len(codes) != 2 or codes[0] == codes[1]:
                raise FileError(item.line_of("units"), _("a swap names two different units: units: [a, b]"))
            unit, other = (self.unit(code, item.line_of("units")) for code in codes)
        else:
            unit = self.unit(f.text(item, "unit"), item.line_of("unit"))
        reason = f.text(item, "reason", required=False)
        decision = f.text(item, "decision", required=False)
        if kind in (Kind.SWAP, Kind.DEFER) and not reason:
            raise FileError(item.line, _("a swap or a defer needs its reason"))
        if kind in (Kind.SWAP, Kind.DEFER) and not decision:
            raise FileError(
                item.line, _("a swap or a defer needs the decision that approved it (a meeting decision or a document)")
            )
        if len(decision) > 200:
            raise FileError(item.line_of("decision"), _("decision must be at most 200 characters"))
        for named in (unit, other):
            if named is not None and day < named.joined_on:
                message = _("%(unit)s cannot appear on %(date)s: the unit exists from %(joined_on)s (its joined_on)")
                raise FileError(item.line, message % {"unit": named.name, "date": day, "joined_on": named.joined_on})
        return _Event(kind, unit, other, day, reason, decision, item.line)

    @staticmethod
    def confirms_unit(event):
        unit = event.unit
        return (event.kind == Kind.JOIN and event.day == unit.joined_on) or (
            event.kind == Kind.LEAVE and event.day == unit.left_on
        )

    def check_members(self):
        """Replay each unit's joins and leaves; then every swap and defer must name members."""
        days = {unit.pk: {(unit.joined_on, Kind.JOIN)} for unit in self.units.values()}
        for unit in self.units.values():
            if unit.left_on:
                days[unit.pk].add((unit.left_on, Kind.LEAVE))
        recorded = RotationEvent.objects.filter(
            mechanism=self.mechanism, kind__in=[Kind.JOIN, Kind.LEAVE], day__isnull=False
        )
        for unit_id, day, kind in recorded.values_list("unit_id", "day", "kind"):
            days[unit_id].add((day, kind))
        self.spans = {unit.pk: self.spans_of(unit, days[unit.pk]) for unit in self.units.values()}
        for event in self.file_events:
            if event.kind in (Kind.SWAP, Kind.DEFER):
                for unit in filter(None, (event.unit, event.other)):
                    for day in (event.day, datetime.date(event.day.year, 1, 1)):
                        if not self.member_on(unit, day):
                            message = _("%(unit)s is not a member unit on %(date)s")
                            raise FileError(event.line, message % {"unit": unit.name, "date": day})

    def spans_of(self, unit, days):
        """[(joined, left or None)] of a unit, from its (day, join/leave) pairs; a contradiction names its line."""
        lines = {(e.kind, e.day): e.line for e in self.file_events if e.unit.pk == unit.pk}
        spans, start = [], None
        for day, kind in sorted(days, key=lambda row: (row[0], KIND_RANK[row[1]])):
            line = lines.get((kind, day), self.events_line)
            values = {"unit": unit.name, "date": day}
            if kind == Kind.JOIN and start is not None:
                raise FileError(line, _("%(unit)s cannot join on %(date)s: it is a member then") % values)
            if kind == Kind.LEAVE and start is None:
                message = _("%(unit)s cannot leave on %(date)s: it is not in the rotation then")
                raise FileError(line, message % values)
            if kind == Kind.JOIN and unit.left_on and day > unit.left_on:
                message = _("%(unit)s cannot join again on %(date)s: its left_on says it left on %(left_on)s")
                raise FileError(line, message % {**values, "left_on": unit.left_on})
            if kind == Kind.JOIN:
                start = day
            else:
                spans.append((start, day))
                start = None
        return spans + ([(start, None)] if start else [])

    def member_on(self, unit, day):
        return any(start <= day and (end is None or day < end) for start, end in self.spans[unit.pk])

    def check_forecast(self):
        """The rules must give a convener for each past year (from the first term) and the coming years."""
        plan, _names = plan_of(self.mechanism)
        terms = past_terms(self.mechanism)
        today = timezone.localdate()
        first = max(terms[-1][0] + 1, today.year) if terms else today.year
        defer_years = {event.year for event in plan.events if isinstance(event, Defer)}
        last = max([first + FORECAST_YEARS - 1, *(event.day.year + 1 for event in self.file_events)])
        for year in range(terms[0][0] if terms else first, first):
            try:
                plan.order_on(year)
                if year in defer_years:  # past terms are facts; only a defer's "another unit waits" is checked
                    forecast(plan, terms, year, 1)
            except RotationError as error:
                raise FileError(self.line_of_year(year), str(error)) from None
        try:
            forecast(plan, terms, first, last - first + 1)
        except RotationError as error:
            year = next(year for year in range(first, last + 1) if not self.forecasts(plan, terms, first, year))
            raise FileError(self.line_of_year(year), str(error)) from None

    @staticmethod
    def forecasts(plan, terms, first, year):
        try:
            forecast(plan, terms, first, year - first + 1)
        except RotationError:
            return False
        return True

    def line_of_year(self, year):
        """The line of the file's defer in this year, else the `events:` line."""
        lines = [e.line for e in self.file_events if e.kind == Kind.DEFER and e.day.year == year]
        return lines[0] if lines else self.events_line


def _years_after(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def write_section(mechanism):
    """The section for the export: the effective order, the terms, and the events in date order."""
    units = list(mechanism.units.all())
    if not units:
        return None
    plan, _names = plan_of(mechanism)
    founded = min(unit.joined_on for unit in units)
    terms = mechanism.convener_terms.select_related("unit").order_by("starts_at")
    rows = [(unit.joined_on, Kind.JOIN, unit.code, {}) for unit in units if unit.joined_on != founded]
    rows += [(unit.left_on, Kind.LEAVE, unit.code, {}) for unit in units if unit.left_on]
    for event in RotationEvent.objects.filter(mechanism=mechanism).select_related("unit", "other_unit"):
        words = {"reason": event.reason, "decision": event.decision}
        if event.kind == Kind.SWAP:
            rows.append((datetime.date(event.year, 1, 1), event.kind, [event.unit.code, event.other_unit.code], words))
        elif event.kind == Kind.DEFER:
            rows.append((datetime.date(event.year, 1, 1), event.kind, event.unit.code, words))
        else:
            rows.append((event.day, event.kind, event.unit.code, {k: v for k, v in words.items() if v}))
    rows.sort(key=lambda row: (row[0], KIND_RANK[row[1]], str(row[2])))
    return {
        "order": list(plan.order),
        "terms": [
            {
                "year": timezone.localtime(term.starts_at, SHANGHAI).year,
                "unit": term.unit.code,
                "signed_at": timezone.localtime(term.starts_at, SHANGHAI).isoformat(),
            }
            for term in terms
        ],
        "events": [
            {"kind": str(kind), "date": day, ("units" if kind == Kind.SWAP else "unit"): code, **words}
            for day, kind, code, words in rows
        ],
    }


sections.register("rotation", read_section, write_section)
