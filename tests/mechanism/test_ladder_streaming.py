"""The overdue ladder streams: the database selects exactly the assignments with a stage due, with only the ladder's
columns, so a pass costs the same queries beside 5 or 50 assignments whose notices all went out; and the SQL
selection gives the same stages as the working-day rule asked assignment by assignment."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mechanism import ladder, workdays
from mechanism.models import Assignment, AssignmentState
from tests.base import CastTestCase

TODAY = datetime.date(2026, 3, 17)  # a Tuesday in an ordinary working week
DAY = datetime.timedelta(days=1)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


class LadderStreamingTest(CastTestCase):
    def add(self, count, due_on, assigned_on, **sent):
        """Assignments of action items (no case) of the zgh unit, with the given stages already sent."""
        rows = [
            Assignment(
                mechanism=self.province,
                unit=self.zgh,
                task=f"落实事项 {n}",
                assigned_at=at(assigned_on),
                due_on=due_on,
                **sent,
            )
            for n in range(count)
        ]
        return Assignment.objects.bulk_create(rows)

    def notified(self, count):
        """Overdue assignments whose every stage went out: a pass must not read them."""
        stamp = at(TODAY - 10 * DAY)
        stages = ["ack_reminder_at", "due_soon_at", "due_today_at", "overdue_at"]
        return self.add(count, TODAY - 5 * DAY, TODAY - 20 * DAY, **dict.fromkeys(stages, stamp))

    def pass_queries(self):
        """A pass over one newly overdue assignment: its queries, and the notices it sent."""
        self.add(1, TODAY - DAY, TODAY - DAY, ack_reminder_at=at(TODAY))
        with CaptureQueriesContext(connection) as queries:
            sent = ladder.run_ladder(today=TODAY)
        self.assertEqual(sent, 1)
        return [query["sql"] for query in queries]

    def test_a_pass_costs_the_same_beside_5_or_50_assignments_whose_notices_all_went_out(self):
        self.notified(5)
        few = self.pass_queries()
        self.notified(45)
        many = self.pass_queries()
        self.assertEqual(len(few), len(many))
        [select] = [sql for sql in many if "ORDER BY" in sql and '"due_on" <' in sql]
        self.assertNotIn('"task"', select)  # only the ladder's columns are loaded
        self.assertIn('"overdue_at" IS NULL', select)

    def test_the_selection_is_exactly_the_assignments_with_a_stage_due(self):
        quiet = self.notified(3)
        waiting = self.add(1, TODAY + 10 * DAY, TODAY - 7 * DAY)  # only the acknowledgement reminder
        fresh = self.add(1, TODAY + 10 * DAY, TODAY)  # assigned today: nothing yet
        soon = self.add(1, TODAY + 2 * DAY, TODAY - DAY)  # due Thursday: two working days
        later = self.add(1, TODAY + 3 * DAY, TODAY - DAY)  # due Friday: three working days
        done = self.add(1, TODAY - 3 * DAY, TODAY - 20 * DAY)
        Assignment.objects.filter(pk=done[0].pk).update(state=AssignmentState.COMPLETED)
        selected = {a.pk for a in ladder.pending_assignments(ladder.Day.of(TODAY))}
        self.assertEqual(selected, {waiting[0].pk, soon[0].pk})
        self.assertTrue(selected.isdisjoint({a.pk for a in quiet + fresh + later + done}))

    def test_the_sql_selection_agrees_with_the_working_day_rule_around_a_holiday(self):
        start = datetime.date(2026, 9, 28)  # National Day week: 1–7 October off, 10 October a working Saturday
        days = [start + n * DAY for n in range(16)]
        for n, due_on in enumerate(days):
            self.add(1, due_on, days[max(0, n - 5)])
        for today in days:
            with self.subTest(today=today):
                expected = reference_stages(Assignment.objects.active(), today)
                got = {
                    (a.pk, stage)
                    for a, stage in ladder.due_stages(
                        ladder.pending_assignments(ladder.Day.of(today)), ladder.Day.of(today)
                    )
                }
                self.assertEqual(got, expected)
                self.assertTrue(expected)


def reference_stages(assignments, today):
    """The stages by the working-day rule, asked of workdays for each assignment (the ladder before it streamed)."""
    stages = set()
    for a in assignments:
        assigned_on = timezone.localtime(a.assigned_at).date()
        if a.state == AssignmentState.ASSIGNED and workdays.working_days_between(assigned_on, today) >= 2:
            stages.add((a.pk, "ack_reminder"))
        if a.due_on < today:
            stages.add((a.pk, "overdue"))
        elif a.due_on == today:
            stages.add((a.pk, "due_today"))
        elif workdays.working_days_between(today, a.due_on) <= 2:
            stages.add((a.pk, "due_soon"))
    return stages
