"""The minutes screen reads a fixed number of queries whatever the number of items, decisions and comments."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import DecisionKind
from meetings.services import add_decision, agree_to_minutes, approve_minutes, comment_on_minutes

from .test_admin_meeting import NOW
from .test_admin_minutes import DUE, MinutesAdminCase


@time_machine.travel(NOW, tick=False)
class MinutesScreenQueryTests(MinutesAdminCase):
    def count(self, user, minutes):
        self.login(user)
        url = self.minutes_url("minutes", minutes)
        self.client.get(url)  # warm the session and the user's roles
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def minutes_with(self, size):
        """Minutes of `size` items, each with a decision and an action item of two units."""
        minutes = self.minutes(titles=[f"议题{n}" for n in range(size)])
        for number in range(size):
            item = self.item(minutes, number)
            add_decision(item, DecisionKind.DECISION, f"决定{number}", by=self.secretariat)
            add_decision(item, DecisionKind.ACTION, f"督办{number}", units=[self.zgh, self.tsw], due_on=DUE,
                         expected_result="报告", by=self.secretariat)  # fmt: skip
        return minutes

    def test_editable_screen_does_not_grow_with_items_and_decisions(self):
        small, large = self.minutes_with(3), self.minutes_with(12)
        self.assertEqual(self.count(self.secretariat, small), self.count(self.secretariat, large))

    def test_approved_screen_with_assignments_and_comments_does_not_grow(self):
        counts = []
        for size in (3, 12):
            minutes = self.in_review(self.minutes_with(size))
            for number in range(size):
                item = self.item(minutes, number).agenda_item
                comment_on_minutes(minutes, self.zgh, f"意见{number}", agenda_item=item, by=self.other_liaison)
            agree_to_minutes(minutes, self.tsw, by=self.convener_liaison)
            minutes.refresh_from_db()
            with self.captureOnCommitCallbacks(execute=True):
                created = approve_minutes(minutes, by=self.convener_liaison)
            self.assertEqual(len(created), 2 * size)
            counts.append(self.count(self.convener_liaison, minutes))
        self.assertEqual(counts[0], counts[1])
