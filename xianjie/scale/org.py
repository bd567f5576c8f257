"""Writes the organisation: areas, mechanisms, units, the scale users and their memberships, convener
terms (a yearly rotation) and the units' published help channels (hotlines and e-mails)."""

import datetime

from django.core.exceptions import ValidationError

from mechanism import hotlines
from mechanism.models import (
    Area,
    ConvenerTerm,
    HelpChannel,
    Mechanism,
    Membership,
    MemberUnit,
    Need,
    QuorumRule,
    Role,
    ServedGroup,
    UnitKind,
)

from .clock import SHANGHAI
from .people import USER_COLUMNS, user_model, user_row

WEEKDAYS = [1, 2, 3, 4, 5]
UNIT_NEEDS = {
    UnitKind.GOVERNMENT: [Need.BASIC_LIVING, Need.HOUSING, Need.CARE, Need.EMERGENCY],
    UnitKind.MASS_ORGANISATION: [Need.EMPLOYMENT, Need.MEDICAL, Need.PSYCHOLOGICAL],
    UnitKind.CHARITY: [Need.MEDICAL, Need.EDUCATION, Need.EMERGENCY],
    UnitKind.SOCIAL_ORGANISATION: [Need.CARE, Need.DISABILITY, Need.PSYCHOLOGICAL],
}
GROUPS = {
    "zgh": [ServedGroup.WORKERS],
    "fl": [ServedGroup.WOMEN],
    "tw": [ServedGroup.MINORS],
    "cl": [ServedGroup.DISABLED],
}


def write_organisation(writer, clock, rng, areas, mechanisms):
    """Everything but cases and meetings, in dependency order; the users get ids here."""
    writer.write(Area, ["id", "code", "name", "level", "parent_id"], _area_rows(areas))
    writer.write(Mechanism, ["id", "area_id", "name", "parent_id", "quorum_rule"], _mechanism_rows(mechanisms, rng))
    unit_columns = ["id", "mechanism_id", "name", "short_name", "code", "kind", "joined_on", "left_on", "is_lead"]
    writer.write(MemberUnit, unit_columns, _unit_rows(mechanisms, clock))
    writer.write(user_model(), USER_COLUMNS, _user_rows(writer.next_id(user_model()), mechanisms, rng, clock))
    # First ids are read before a write starts: no query may run on the connection during a COPY.
    rows = _membership_rows(writer.next_id(Membership), mechanisms, clock)
    writer.write(Membership, ["id", "user_id", "unit_id", "role", "created_at"], rows)
    rows = _term_rows(writer.next_id(ConvenerTerm), mechanisms, clock)
    writer.write(ConvenerTerm, ["id", "mechanism_id", "unit_id", "starts_at", "ends_at"], rows)
    writer.write(HelpChannel, CHANNEL_COLUMNS, _channel_rows(writer.next_id(HelpChannel), mechanisms, clock, rng))


def _area_rows(areas):
    for area in areas:
        yield (area.id, area.code, area.name, area.level, area.parent.id if area.parent else None)


def _mechanism_rows(mechanisms, rng):
    for mechanism in mechanisms:
        if rng.random() < 0.1:
            mechanism.quorum_rule = QuorumRule.TWO_THIRDS
        parent = mechanism.parent.id if mechanism.parent else None
        yield (mechanism.id, mechanism.area.id, mechanism.name, parent, mechanism.quorum_rule)


def _unit_rows(mechanisms, clock):
    for mechanism in mechanisms:
        for unit in mechanism.units:
            yield (
                unit.id,
                mechanism.id,
                unit.name,
                unit.short_name,
                unit.code,
                unit.kind,
                clock.start,
                None,
                unit.is_lead,
            )


def _user_rows(first_id, mechanisms, rng, clock):
    next_id = first_id
    for mechanism in mechanisms:
        mechanism.secretariat_id, mechanism.supervisor_id = next_id, next_id + 1
        yield user_row(next_id, f"scale-m{mechanism.id}-sec", rng, clock.founded)
        yield user_row(next_id + 1, f"scale-m{mechanism.id}-sup", rng, clock.founded)
        next_id += 2
        for unit in mechanism.units:
            unit.liaison_id = next_id
            yield user_row(next_id, f"scale-u{unit.id}", rng, clock.founded)
            next_id += 1


def _membership_rows(next_id, mechanisms, clock):
    since = clock.founded + datetime.timedelta(hours=1)
    for mechanism in mechanisms:
        yield (next_id, mechanism.secretariat_id, mechanism.lead.id, Role.SECRETARIAT, since)
        yield (next_id + 1, mechanism.supervisor_id, mechanism.lead.id, Role.SUPERVISOR, since)
        next_id += 2
        for unit in mechanism.units:
            yield (next_id, unit.liaison_id, unit.id, Role.LIAISON, since)
            next_id += 1


def _term_rows(next_id, mechanisms, clock):
    """Yearly terms from the founding: the lead unit first, then the departments and mass organisations."""
    years = range(clock.start.year + 1, clock.today.year + 1)
    bounds = [clock.founded] + [datetime.datetime(year, 1, 1, tzinfo=SHANGHAI) for year in years] + [None]
    for mechanism in mechanisms:
        rota = [unit for unit in mechanism.units if unit.kind in (UnitKind.GOVERNMENT, UnitKind.MASS_ORGANISATION)]
        for n, (starts, ends) in enumerate(zip(bounds, bounds[1:], strict=False)):
            yield (next_id, mechanism.id, rota[n % len(rota)].id, starts, ends)
            next_id += 1


CHANNEL_COLUMNS = [
    "id", "unit_id", "kind", "value", "description", "open_24_hours", "days", "opens_at", "closes_at", "hours_note",
    "groups", "needs", "is_public", "display_order", "last_verified_on", "last_verified_by_id", "updated_at",
]  # fmt: skip


def _channel_rows(next_id, mechanisms, clock, rng):
    """A hotline for every unit (its national service number or a landline) and an e-mail for most."""
    for mechanism in mechanisms:
        for unit in mechanism.units:
            verified = clock.today - datetime.timedelta(days=rng.randrange(240))
            stamp = clock.at(verified, 10, rng.randrange(60))
            groups = GROUPS.get(unit.code, [ServedGroup.EVERYONE])
            needs = UNIT_NEEDS[unit.kind]
            number = unit.hotline or _landline(mechanism, rng)
            always = unit.hotline in ("12349", "12355")
            hours = (None, None, "") if always else (datetime.time(8, 30), datetime.time(17, 30), "法定节假日除外")
            days = [] if always else WEEKDAYS
            yield (next_id, unit.id, "hotline", hotlines.normalize_phone(number), f"{unit.short_name}求助热线", always,
                   days, *hours, groups, needs, True, 1, verified, unit.liaison_id, stamp)  # fmt: skip
            next_id += 1
            if rng.random() < 0.7:
                email = hotlines.normalize_email(f"{unit.code}{mechanism.area.code}@jiuzhu.example.cn")
                yield (next_id, unit.id, "email", email, f"{unit.short_name}救助来信", False, [], None, None, "",
                       groups, needs, True, 2, verified, unit.liaison_id, stamp)  # fmt: skip
                next_id += 1


def _landline(mechanism, rng):
    """A landline of the province's capital: 8 digits after the area code, or 7 where the city has 7."""
    local = f"{rng.randrange(2, 8)}{rng.randrange(10**7):07d}"
    try:
        return hotlines.normalize_phone(f"{mechanism.landline_code}-{local}")
    except ValidationError:
        return hotlines.normalize_phone(f"{mechanism.landline_code}-{local[:7]}")
