"""Assignments (about three per case, every state) and follow-ups of one mechanism's cases: due dates in
working days, the ladder stamps the daily runs would have set by now, one active assignment per unit."""

import datetime

from django.conf import settings
from django.utils import translation

from mechanism.models import AssignmentState, CaseState, FollowUpKind, Need, UnitKind, Urgency

A, S = AssignmentState, CaseState
MINUTE, HOUR, DAY = datetime.timedelta(minutes=1), datetime.timedelta(hours=1), datetime.timedelta(days=1)
WITH_WORK = {S.REFERRED, S.IN_PROGRESS, S.TABLED, S.RESOLVED, S.CLOSED}
MAX_UNITS = 8
DUE_DAYS = {Urgency.NORMAL: 10, Urgency.URGENT: 5, Urgency.EMERGENCY: 2}
LATER = {  # the states of the second and later assignments of a case, with cumulative weights
    S.IN_PROGRESS: ([A.ASSIGNED, A.ACKNOWLEDGED, A.COMPLETED, A.RETURNED], [2, 5, 8, 9]),
    S.TABLED: ([A.ASSIGNED, A.ACKNOWLEDGED, A.COMPLETED, A.RETURNED], [1, 3, 6, 9]),
    S.RESOLVED: ([A.COMPLETED, A.RETURNED], [5, 6]),
    S.CLOSED: ([A.COMPLETED, A.RETURNED], [5, 6]),
}
FIRST = {S.REFERRED: A.ASSIGNED, S.IN_PROGRESS: A.ACKNOWLEDGED, S.TABLED: A.RETURNED, S.RESOLVED: A.COMPLETED}
FOLLOW_UP_ODDS = {A.COMPLETED: 0.9, A.RETURNED: 0.3, A.ACKNOWLEDGED: 0.5, A.ASSIGNED: 0.0}
FOLLOW_UP_TEXT = {
    FollowUpKind.VISIT: "入户走访，核实家庭收入和实际困难。",
    FollowUpKind.CALL: "电话联系当事人，了解帮扶需求和进展。",
    FollowUpKind.ASSISTANCE: "已发放帮扶款物，当事人签收。",
    FollowUpKind.NOTE: "与相关部门沟通，协调解决办法。",
}
FOLLOW_UP_KINDS = list(FOLLOW_UP_TEXT)
ASSIGNMENT_COLUMNS = [
    "id", "mechanism_id", "unit_id", "case_id", "source_type_id", "source_id", "task", "assigned_at",
    "assigned_by_id", "due_on", "due_provisional", "state", "acknowledged_at", "finished_at", "outcome",
    "return_reason", "notified_at", "finish_notified_at", "ack_reminder_at", "due_soon_at", "due_today_at",
    "overdue_at",
]  # fmt: skip
FOLLOW_UP_COLUMNS = ["id", "assignment_id", "kind", "happened_on", "text", "by_id", "created_at"]


def split_work(plans, caps, total, rng):
    """Assignments per case adding up to `total` (as far as the units allow): one for a case that has work,
    more at random, never more than the units the case may go to (`caps`)."""
    counts = [1 if plan.state in WITH_WORK else 0 for plan in plans]
    busy = [index for index, count in enumerate(counts) if count]
    extra = total - len(busy)
    while extra > 0 and busy:
        index = rng.choice(busy)
        if counts[index] < caps[index]:
            counts[index] += 1
            extra -= 1
        else:
            busy.remove(index)
    return counts


class WorkMaker:
    """Rows of the assignments and follow-ups of one case at a time; ids run on from the first given."""

    def __init__(self, rng, clock, assignment_id, follow_up_id):
        self.rng, self.clock = rng, clock
        self.assignment_id, self.follow_up_id = assignment_id, follow_up_id
        with translation.override(settings.LANGUAGE_CODE):  # the site's language, whatever the caller's
            self.labels = {need: str(Need(need).label) for need in Need.values}

    def case_work(self, mechanism, plan, units, assignments, follow_ups):
        """Append the case's assignments (one per unit given) and follow-ups; return the time of its last event."""
        rng, now = self.rng, self.clock.now
        chosen = units
        states = [FIRST.get(plan.state, A.COMPLETED)]
        pool, weights = LATER.get(plan.state, ([A.ASSIGNED], [1]))
        if len(chosen) > 1:
            states += rng.choices(pool, cum_weights=weights, k=len(chosen) - 1)
        last = plan.accepted_at
        for unit, state in zip(chosen, states, strict=True):
            room = min(3 * DAY, (now - plan.accepted_at) * 0.3)
            assigned = plan.accepted_at + MINUTE + room * rng.random()
            row, end = self._assignment(mechanism, plan, unit, state, assigned)
            assignments.append(row)
            last = max(last, end)
            if rng.random() < FOLLOW_UP_ODDS[state]:
                follow_ups.append(self._follow_up(row, unit, row[13] or now - 10 * MINUTE))
        return last

    def _assignment(self, mechanism, plan, unit, state, assigned):
        rng, clock, limit = self.rng, self.clock, self.clock.now - 10 * MINUTE
        due_on = clock.add_working_days(clock.local_day(assigned), DUE_DAYS[plan.urgency])
        acknowledged = finished = None
        if state != A.ASSIGNED:
            acknowledged = min(assigned + HOUR / 2 + 2 * DAY * rng.random(), limit)
        if state in (A.COMPLETED, A.RETURNED):
            finished = min(acknowledged + DAY + 11 * DAY * rng.random(), limit)
        if state == A.RETURNED and rng.random() < 0.5:
            acknowledged = None  # sent back without acknowledging first
        ladder = clock.ladder(assigned, due_on, acknowledged, finished)
        task = f"核实困难情况，落实{self.labels[plan.needs[0]]}帮扶。"
        outcome = "已落实帮扶措施，情况已反馈秘书处。" if state == A.COMPLETED else ""
        reason = "不属于本单位职责范围，建议转其他成员单位。" if state == A.RETURNED else ""
        notified = min(assigned + MINUTE * (1 + 4 * rng.random()), limit)
        finish_notified = finished + MINUTE * (1 + 4 * rng.random()) if finished else None
        row = (self.assignment_id, mechanism.id, unit.id, plan.id, None, None, task, assigned,
               mechanism.secretariat_id, due_on, False, state, acknowledged, finished, outcome, reason,
               notified, finish_notified, *ladder)  # fmt: skip
        self.assignment_id += 1
        stamps = [moment for moment in (finish_notified, finished, acknowledged, *ladder) if moment]
        return row, max([notified, *stamps])

    def _follow_up(self, row, unit, until):
        """One follow-up while the assignment was open, recorded the same day."""
        start = row[12] or row[7]
        created = start + max(until - start, MINUTE) * self.rng.random()
        kind = self.rng.choice(FOLLOW_UP_KINDS)
        made = (self.follow_up_id, row[0], kind, self.clock.local_day(created), FOLLOW_UP_TEXT[kind], unit.liaison_id,
                created)  # fmt: skip
        self.follow_up_id += 1
        return made


def usable_units(units, plan):
    """Units a case may go to: charities only with the person's consent to share (triage._check_unit)."""
    return units if plan.consent else [unit for unit in units if unit.kind != UnitKind.CHARITY]
