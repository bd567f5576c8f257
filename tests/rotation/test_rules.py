"""The rotation rules (rotation/rules.py), by example and as properties over random plans (hypothesis)."""

import datetime
import random

from django.test import SimpleTestCase
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rotation.rules import Defer, Join, Leave, Plan, RotationError, Swap, forecast, replay

START = datetime.date(2020, 1, 1)
FIRST_YEAR = 2027
YEARS = 15


def plan_of(count, events=()):
    order = [f"u{i}" for i in range(count)]
    return Plan(order=order, joined=dict.fromkeys(order, START), events=list(events))


def units(turns):
    return [turn.unit for turn in turns]


class RuleExamples(SimpleTestCase):
    def test_every_unit_once_per_cycle_in_plan_order(self):
        self.assertEqual(units(forecast(plan_of(3), [], 2027, 7)), ["u0", "u1", "u2", "u0", "u1", "u2", "u0"])

    def test_past_terms_are_replayed_and_a_repeat_starts_a_new_cycle(self):
        terms = [(2024, "u0"), (2025, "u1"), (2026, "u0")]  # 2026 repeats u0: a new cycle began with it
        self.assertEqual(replay(plan_of(3), terms), ["u0"])
        self.assertEqual(units(forecast(plan_of(3), terms, 2027, 3)), ["u1", "u2", "u0"])

    def test_a_unit_joining_waits_in_the_current_cycle(self):
        plan = plan_of(3, [Join("new", datetime.date(2027, 6, 1))])
        self.assertEqual(units(forecast(plan, [], 2027, 5)), ["u0", "u1", "u2", "new", "u0"])

    def test_a_unit_is_eligible_only_when_a_member_on_1_january(self):
        joined_on_jan2 = plan_of(2, [Join("new", datetime.date(2029, 1, 2))])
        self.assertEqual(units(forecast(joined_on_jan2, [], 2027, 5)), ["u0", "u1", "u0", "u1", "new"])
        joined_on_jan1 = plan_of(2, [Join("new", datetime.date(2029, 1, 1))])
        self.assertEqual(units(forecast(joined_on_jan1, [], 2027, 5)), ["u0", "u1", "new", "u0", "u1"])
        left_on_jan1 = plan_of(3, [Leave("u1", datetime.date(2028, 1, 1))])
        self.assertEqual(units(forecast(left_on_jan1, [], 2027, 3)), ["u0", "u2", "u0"])
        left_on_jan2 = plan_of(3, [Leave("u1", datetime.date(2028, 1, 2))])
        self.assertEqual(units(forecast(left_on_jan2, [], 2027, 3)), ["u0", "u1", "u2"])

    def test_a_unit_that_rejoins_is_appended(self):
        plan = plan_of(3, [Leave("u0", datetime.date(2026, 3, 1)), Join("u0", datetime.date(2026, 9, 1))])
        self.assertEqual(units(forecast(plan, [], 2027, 3)), ["u1", "u2", "u0"])

    def test_swap_and_defer(self):
        swapped = plan_of(4, [Swap("u1", "u2", 2028, "对调", "2026年第2次联席会议")])
        turns = forecast(swapped, [], 2027, 4)
        self.assertEqual(units(turns), ["u0", "u2", "u1", "u3"])
        self.assertEqual(turns[1].swaps, (swapped.events[0],))
        deferred = plan_of(4, [Defer("u1", 2028, "机构改革")])
        turns = forecast(deferred, [], 2027, 4)
        self.assertEqual(units(turns), ["u0", "u2", "u1", "u3"])
        self.assertEqual((turns[1].took_over_from, turns[2].deferred), (deferred.events[0], deferred.events[0]))

    def test_refusals(self):
        with self.assertRaises(RotationError):  # the last unit waiting cannot be deferred
            forecast(plan_of(2, [Defer("u1", 2028)]), [], 2027, 3)
        with self.assertRaises(RotationError):
            forecast(plan_of(2, [Leave("u0", START), Leave("u1", START)]), [], 2027, 1)
        with self.assertRaises(RotationError):
            forecast(plan_of(2, [Join("u0", datetime.date(2025, 1, 1))]), [], 2027, 1)
        with self.assertRaises(RotationError):
            forecast(plan_of(2, [Leave("nobody", datetime.date(2025, 1, 1))]), [], 2027, 1)


# Properties -------------------------------------------------------------------------------------------------

days = st.dates(min_value=datetime.date(2021, 1, 1), max_value=datetime.date(2040, 12, 31))
years = st.integers(min_value=FIRST_YEAR - 3, max_value=FIRST_YEAR + YEARS)


@st.composite
def plans(draw, leaves=True):
    count = draw(st.integers(min_value=2, max_value=7))
    order = [f"u{i}" for i in range(count)]
    events = [Join(f"j{i}", draw(days)) for i in range(draw(st.integers(0, 3)))]
    if leaves:
        for unit in draw(st.lists(st.sampled_from(order), unique=True, max_size=count - 1)):
            events.append(Leave(unit, draw(days)))
    for _ in range(draw(st.integers(0, 3))):
        first, second = draw(st.lists(st.sampled_from(order), min_size=2, max_size=2, unique=True))
        events.append(Swap(first, second, draw(years)))
    for _ in range(draw(st.integers(0, 2))):
        events.append(Defer(draw(st.sampled_from(order)), draw(years)))
    return Plan(order=order, joined=dict.fromkeys(order, START), events=events)


@st.composite
def past_terms(draw, plan):
    """Terms of the years before FIRST_YEAR, as the rules would have given them (a consistent history)."""
    history = draw(st.integers(0, 6))
    simple = Plan(order=plan.order, joined=plan.joined)
    return [(turn.year, turn.unit) for turn in forecast(simple, [], FIRST_YEAR - history, history)]


def forecast_or_reject(plan, terms):
    try:
        return forecast(plan, terms, FIRST_YEAR, YEARS)
    except RotationError:
        assume(False)


class RuleProperties(SimpleTestCase):
    @settings(max_examples=150, deadline=None)
    @given(st.data())
    def test_nobody_convenes_twice_in_a_cycle_while_an_eligible_unit_waits(self, data):
        plan = data.draw(plans())
        terms = data.draw(past_terms(plan))
        convened = replay(plan, terms)
        for turn in forecast_or_reject(plan, terms):
            eligible = set(plan.order_on(turn.year))
            if turn.new_cycle:
                self.assertFalse(eligible - set(convened), f"{turn.year}: a new cycle while units still wait")
                convened = []
            self.assertNotIn(turn.unit, convened, f"{turn.year}: {turn.unit} twice in one cycle")
            self.assertIn(turn.unit, eligible)
            convened.append(turn.unit)

    @settings(max_examples=150, deadline=None)
    @given(st.data())
    def test_a_swap_of_two_waiting_units_exchanges_only_their_years(self, data):
        plan = data.draw(plans(leaves=False))
        plan.events = [event for event in plan.events if not isinstance(event, Swap | Defer)]
        terms = data.draw(past_terms(plan))
        waiting = [unit for unit in plan.order_on(FIRST_YEAR) if unit not in replay(plan, terms)]
        assume(len(waiting) >= 2)
        first, second = data.draw(st.lists(st.sampled_from(waiting), min_size=2, max_size=2, unique=True))
        before = units(forecast_or_reject(plan, terms))
        plan.events.append(Swap(first, second, FIRST_YEAR, "对调", "会议决定"))
        after = units(forecast_or_reject(plan, terms))
        exchange = {first: second, second: first}
        self.assertEqual(after, [exchange.get(unit, unit) for unit in before])

    @settings(max_examples=150, deadline=None)
    @given(st.data())
    def test_a_defer_moves_its_unit_exactly_one_year_later(self, data):
        plan = data.draw(plans(leaves=False))
        plan.events = [event for event in plan.events if isinstance(event, Join)]  # no swap moves it meanwhile
        terms = data.draw(past_terms(plan))
        before = forecast_or_reject(plan, terms)
        index = data.draw(st.integers(0, YEARS - 2))
        turn = before[index]
        history = terms + [(t.year, t.unit) for t in before[:index]]
        convened = [] if turn.new_cycle else replay(plan, history)
        others = [unit for unit in plan.order_on(turn.year) if unit not in convened and unit != turn.unit]
        plan.events.append(Defer(turn.unit, turn.year, "暂缓"))
        if not others:  # no other unit waits in the cycle that year: refused
            with self.assertRaises(RotationError):
                forecast(plan, terms, FIRST_YEAR, YEARS)
            return
        after = forecast(plan, terms, FIRST_YEAR, YEARS)
        self.assertEqual(units(after[:index]), units(before[:index]))
        self.assertEqual((after[index].unit, after[index + 1].unit), (others[0], turn.unit))
        self.assertEqual(after[index + 1].deferred, plan.events[-1])

    @settings(max_examples=80, deadline=None)
    @given(st.data())
    def test_the_forecast_is_deterministic_whatever_the_order_events_were_entered_in(self, data):
        plan = data.draw(plans())
        terms = data.draw(past_terms(plan))
        first = forecast_or_reject(plan, terms)
        shuffled = list(plan.events)
        random.Random(data.draw(st.integers(0, 10**6))).shuffle(shuffled)
        again = Plan(order=list(plan.order), joined=dict(plan.joined), events=shuffled)
        self.assertEqual(forecast(again, list(reversed(terms)), FIRST_YEAR, YEARS), first)
