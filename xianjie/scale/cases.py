"""Cases of one mechanism over five years, in every state, with coherent dates: a state decides how old a
case can be, references count per mechanism and year in order of reporting, and an escalated case has its
linked case in the parent mechanism (written when the parent's turn comes)."""

import datetime
from itertools import accumulate

from mechanism.models import CaseSource, CaseState, ConsentMethod, HouseholdCategory, Need, UnitKind, Urgency

S = CaseState
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# state: (weight, youngest and oldest age in days); the first cases of a mechanism take every state once.
STATES = {
    S.CLOSED: (68, 45, 1825), S.DECLINED: (5, 1, 1825), S.RESOLVED: (5, 25, 200), S.IN_PROGRESS: (9, 4, 365),
    S.REFERRED: (4, 1, 60), S.TABLED: (1.5, 5, 150), S.ESCALATED: (1.5, 3, 180), S.ACCEPTED: (2.5, 0.2, 6),
    S.REPORTED: (3.5, 0.05, 3),
}  # fmt: skip
STATE_LIST = list(STATES)
STATE_CUM = list(accumulate(weight for weight, _young, _old in STATES.values()))
UPPER_STATES = [S.REFERRED, S.IN_PROGRESS, S.TABLED]
SOURCES = [CaseSource.MEMBER_UNIT, CaseSource.ONE_DOOR, CaseSource.SERVICE_STATION, CaseSource.HOTLINE]
SOURCES += [CaseSource.ONLINE_FORM, CaseSource.CHARITY]
SOURCE_WEIGHTS = [35, 20, 15, 12, 10, 8]
CATEGORIES = list(HouseholdCategory.values)
CATEGORY_WEIGHTS = [30, 15, 15, 10, 15, 15]
OFFLINE_CONSENT = [ConsentMethod.SIGNED_FORM, ConsentMethod.VERBAL_WITNESSED]
URGENCIES, URGENCY_WEIGHTS = [Urgency.NORMAL, Urgency.URGENT, Urgency.EMERGENCY], [80, 17, 3]
SOURCE_CUM, CATEGORY_CUM, URGENCY_CUM = (
    list(accumulate(w)) for w in (SOURCE_WEIGHTS, CATEGORY_WEIGHTS, URGENCY_WEIGHTS)
)
REASONS = ["因病致贫", "因残致困", "突发意外", "子女就学负担重", "失业无收入", "房屋受损", "独居高龄无人照料"]
REASON_TEXT = {
    S.DECLINED: "经核实，家庭收入高于当地救助标准，已告知可申请的其他帮扶渠道。",
    S.TABLED: "涉及多个部门职责，情况复杂，提交联席会议研究。",
    S.ESCALATED: "超出本级机制协调能力，提请上级机制统筹解决。",
    S.RESOLVED: "已落实临时救助和慈善帮扶，家庭基本生活有保障。",
    S.CLOSED: "已落实临时救助和慈善帮扶，家庭基本生活有保障。",
}
VERIFIED = "回访确认帮扶已到位，当事人表示满意。"
CASE_COLUMNS = [
    "id", "mechanism_id", "reference", "source", "source_unit_id", "reported_by_id", "reported_at", "person_name",
    "id_number", "id_number_hash", "phone", "phone_hash", "address", "area_id", "household_category", "needs",
    "urgency", "narrative", "consent_given", "consent_by", "consent_at", "consent_method", "state", "state_reason",
    "escalated_from_id", "resolved_at", "verified_on", "verification_result", "updated_at",
]  # fmt: skip


class CasePlan:
    """What the assignments of a case need to know, besides its row."""

    __slots__ = ("id", "state", "reported_at", "accepted_at", "consent", "urgency", "needs", "row")

    def __init__(self, state, reported_at):
        self.state, self.reported_at = state, reported_at
        self.id = self.accepted_at = self.row = None


class CaseMaker:
    """Plans the cases of one mechanism; `escalations` carries cases waiting for their parent mechanism."""

    def __init__(self, rng, clock, pool, escalations, budgets):
        self.rng, self.clock, self.pool = rng, clock, pool
        self.escalations, self.budgets = escalations, budgets
        self.needs = list(Need.values)

    def plan(self, mechanism, count):
        """The mechanism's cases in order of reporting, with their rows (ids and references filled in later)."""
        waiting = self.escalations.pop(mechanism.id, [])[:count]
        plans = [self._upper(mechanism, lower) for lower in waiting]
        for n in range(count - len(plans)):
            state = self._state(mechanism, n)
            plans.append(self._new(mechanism, state))
        plans.sort(key=lambda plan: plan.reported_at)
        return plans

    def _state(self, mechanism, n):
        state = STATE_LIST[n] if n < len(STATE_LIST) else self.rng.choices(STATE_LIST, cum_weights=STATE_CUM)[0]
        if state == S.ESCALATED and self.budgets.get(mechanism.parent.id if mechanism.parent else None, 0) <= 0:
            state = S.IN_PROGRESS
        if state == S.ESCALATED:
            self.budgets[mechanism.parent.id] -= 1
        return state

    def _age(self, state):
        _weight, young, old = STATES[state]
        skew = 1 if state in (S.CLOSED, S.DECLINED) else 2
        return datetime.timedelta(days=young + (old - young) * self.rng.random() ** skew)

    def _new(self, mechanism, state):
        rng = self.rng
        plan = CasePlan(state, self.clock.now - self._age(state))
        person = rng.choice(self.pool)
        area = rng.choice(mechanism.case_areas)
        plan.consent = rng.random() < 0.85
        source = rng.choices(SOURCES, cum_weights=SOURCE_CUM)[0]
        unit = None
        if source == CaseSource.CHARITY:
            charities = [u for u in mechanism.units if u.kind == UnitKind.CHARITY]
            unit = rng.choice(charities) if charities and plan.consent else None
            source = source if unit else CaseSource.HOTLINE
        elif source == CaseSource.MEMBER_UNIT:
            unit = rng.choice(mechanism.units)
        reporter = unit.liaison_id if unit else (None if source == CaseSource.ONLINE_FORM else mechanism.secretariat_id)
        plan.needs = rng.sample(self.needs, rng.choice((1, 1, 2, 2, 3)))
        plan.urgency = rng.choices(URGENCIES, cum_weights=URGENCY_CUM)[0]
        method = ConsentMethod.ONLINE if source == CaseSource.ONLINE_FORM else rng.choice(OFFLINE_CONSENT)
        consent = (True, person.name, plan.reported_at, method) if plan.consent else (False, "", None, "")
        address = f"{area.name}{rng.choice('东西南北中')}街道{rng.randrange(1, 40)}号院{rng.randrange(1, 30)}号"
        narrative = f"家庭{rng.choice(REASONS)}，生活陷入困难，申请帮扶。"
        plan.row = [None, mechanism.id, None, source, unit.id if unit else None, reporter, plan.reported_at,
                    person.name, person.id_number, person.id_hash, person.phone, person.phone_hash, address, area.id,
                    rng.choices(CATEGORIES, cum_weights=CATEGORY_CUM)[0], plan.needs, plan.urgency, narrative,
                    *consent, state, REASON_TEXT.get(state, ""), None, None, None, "", None]  # fmt: skip
        return plan

    def _upper(self, mechanism, lower):
        """The linked case in the parent: the person's fields copied, reported when the lower case went up."""
        lower_plan, escalated_at, reporter = lower
        plan = CasePlan(self.rng.choice(UPPER_STATES), escalated_at)
        plan.consent, plan.urgency, plan.needs = lower_plan.consent, lower_plan.urgency, lower_plan.needs
        row = list(lower_plan.row)
        row[1], row[3], row[4], row[5], row[6] = mechanism.id, CaseSource.ESCALATION, None, reporter, escalated_at
        row[22], row[23], row[24] = plan.state, REASON_TEXT.get(plan.state, ""), lower_plan.id
        plan.row = row
        return plan

    def accept(self, plan):
        """When the secretariat took the case in (None while it waits in the queue)."""
        if plan.state == S.REPORTED:
            return None
        room = min(DAY, (self.clock.now - plan.reported_at) * 0.3)
        return plan.reported_at + room * self.rng.random()


def number(plans, mechanism, counters, clock, escalations):
    """Ids and references (XJ-year-000001 per mechanism and year, as intake.next_reference gives them)."""
    for plan in plans:
        year = plan.reported_at.astimezone(clock.now.tzinfo).year
        counters[year] = counters.get(year, 0) + 1
        plan.row[0] = plan.id
        plan.row[2] = f"XJ-{year}-{counters[year]:06d}"
        if plan.state == S.ESCALATED:
            waiting = escalations.setdefault(mechanism.parent.id, [])
            waiting.append((plan, escalated_at(plan, clock), mechanism.secretariat_id))


def escalated_at(plan, clock):
    """When an escalated case went up: a fifth of the way from its acceptance to now."""
    return plan.accepted_at + (clock.now - plan.accepted_at) * 0.2


def finish_row(plan, clock, rng, last_event):
    """Fill resolved_at, verified_on and updated_at once the assignments' dates are known."""
    row, updated = plan.row, max(last_event, plan.accepted_at or plan.reported_at)
    if plan.state in (S.RESOLVED, S.CLOSED):
        resolved = min(updated + HOUR * 2 + DAY * 3 * rng.random(), clock.now - HOUR)
        row[25], updated = resolved, resolved
        if plan.state == S.CLOSED:
            verified = min(resolved + DAY * (3 + 12 * rng.random()), clock.now - HOUR)
            row[26], row[27], updated = clock.local_day(verified), VERIFIED, verified
    elif plan.state == S.ESCALATED:
        updated = max(updated, escalated_at(plan, clock))
    row[28] = updated
