"""Orchestrates a scale build: checks the database is empty, lays out the organisation, then writes the
cases, assignments, follow-ups and meetings mechanism by mechanism (children before parents, so an escalated
case exists before its linked case above), one transaction per mechanism."""

import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from mechanism.models import Area, Assignment, Case, CaseCounter, FollowUp, Mechanism, MemberUnit

from . import cases, meetings, org, people, shapes, work
from .clock import Clock
from .progress import Progress
from .writers import BulkWriter

SIZES = {
    "full": (3000, 40_000, 2_000_000, 6_000_000),
    "tenth": (300, 4000, 200_000, 600_000),
    "tiny": (6, 60, 600, 1800),
}
LEVEL_WEIGHT = {"province": 2.5, "city": 1.5, "county": 1.0}


@dataclass
class Size:
    mechanisms: int
    units: int
    cases: int
    assignments: int


def check_empty():
    """Refuse a database that already holds mechanisms, cases or scale users: ids and names would clash."""
    taken = Mechanism.objects.exists() or Case.objects.exists()
    if taken or get_user_model().objects.filter(username__startswith="scale-").exists():
        raise CommandError(
            _("The database already holds mechanisms, cases or scale users; generate_scale_data fills an empty, "
              "migrated database only. Nothing was written.")
        )  # fmt: skip


def shares(total, weights):
    """`total` split in proportion to `weights`, exactly (largest remainders, ties by position)."""
    whole = sum(weights)
    raw = [total * weight / whole for weight in weights]
    counts = [int(share) for share in raw]
    order = sorted(range(len(raw)), key=lambda index: counts[index] - raw[index])
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


def build(size, seed, quiet=False):
    """Write the whole data set; returns the rows written per table and the seconds taken."""
    started = time.monotonic()
    check_empty()
    rng, clock, writer = random.Random(seed), Clock(), BulkWriter(connection)
    areas = shapes.build_areas(size.mechanisms, writer.next_id(Area), set(Area.objects.values_list("code", flat=True)))
    mechanisms = shapes.build_mechanisms(areas, writer.next_id(Mechanism))
    unit_id = writer.next_id(MemberUnit)
    for mechanism, count in zip(mechanisms, shapes.unit_counts(len(mechanisms), size.units, rng), strict=True):
        unit_id += len(shapes.build_units(mechanism, count, unit_id))
    writer.skip_foreign_key_triggers()
    with Progress(quiet) as progress:
        with transaction.atomic():
            org.write_organisation(writer, clock, rng, areas, mechanisms)
        county_codes = [area.code for area in areas if area.level == "county"] or [areas[0].code]
        step = progress.task(_("People"), people.pool_size(size.cases))
        pool = people.person_pool(rng, people.pool_size(size.cases), county_codes, step)
        step = progress.task(_("Cases"), size.cases)
        _write_work(writer, clock, rng, mechanisms, size, pool, step)
    writer.check_references()
    with transaction.atomic():
        writer.finish()
    return {"counts": writer.counts, "seconds": round(time.monotonic() - started, 1)}


def _write_work(writer, clock, rng, mechanisms, size, pool, step):
    case_counts = shares(size.cases, [LEVEL_WEIGHT[m.area.level] for m in mechanisms])
    work_counts = shares(size.assignments, case_counts)
    budgets = {m.id: count // 4 for m, count in zip(mechanisms, case_counts, strict=True)}
    escalations = {}
    maker = cases.CaseMaker(rng, clock, pool, escalations, budgets)
    worker = work.WorkMaker(rng, clock, writer.next_id(Assignment), writer.next_id(FollowUp))
    ids = {"case": writer.next_id(Case), "counter": writer.next_id(CaseCounter)}
    ids.update({name: writer.next_id(model) for name, (model, _columns) in meetings.TABLES.items()})
    carry = 0
    for index in reversed(range(len(mechanisms))):
        mechanism = mechanisms[index]
        with transaction.atomic():
            carry = _mechanism(writer, clock, rng, mechanism, case_counts[index], work_counts[index] + carry,
                               maker, worker, escalations, ids)  # fmt: skip
        step(case_counts[index])


def _mechanism(writer, clock, rng, mechanism, case_count, work_count, maker, worker, escalations, ids):
    """One mechanism's cases, assignments, follow-ups and meetings; returns the assignments it could not take."""
    plans = maker.plan(mechanism, case_count)
    for plan in plans:
        plan.accepted_at = maker.accept(plan)
        plan.id, ids["case"] = ids["case"], ids["case"] + 1
    counters = {}
    cases.number(plans, mechanism, counters, clock, escalations)
    usable = [work.usable_units(mechanism.units, plan) for plan in plans]
    counts = work.split_work(plans, [min(work.MAX_UNITS, len(units)) for units in usable], work_count, rng)
    assignments, follow_ups = [], []
    for plan, units, count in zip(plans, usable, counts, strict=True):
        last = plan.accepted_at or plan.reported_at
        if count:
            last = worker.case_work(mechanism, plan, rng.sample(units, count), assignments, follow_ups)
        cases.finish_row(plan, clock, rng, last)
    writer.write(Case, cases.CASE_COLUMNS, (plan.row for plan in plans))
    counter_rows = []
    for year, last in sorted(counters.items()):
        counter_rows.append((ids["counter"], mechanism.id, year, last))
        ids["counter"] += 1
    writer.write(CaseCounter, ["id", "mechanism_id", "year", "last"], counter_rows)
    writer.write(Assignment, work.ASSIGNMENT_COLUMNS, assignments)
    writer.write(FollowUp, work.FOLLOW_UP_COLUMNS, follow_ups)
    tabled = [(plan.id, plan.row[2]) for plan in plans if plan.state == cases.S.TABLED]
    maker_meetings = meetings.MeetingMaker(rng, clock, ids)
    maker_meetings.add(mechanism, tabled)
    for name, (model, columns) in meetings.TABLES.items():
        writer.write(model, columns, maker_meetings.rows[name])
    return work_count - len(assignments)
