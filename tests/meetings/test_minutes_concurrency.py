"""Two approvals of the same minutes at once (PostgreSQL only: SQLite has no concurrent row locks to test).

Each thread approves through its own database connection. The minutes' row lock serialises them: the second
waits, then finds the minutes approved and is refused as stale; the assignments are created once. Neither
thread holds a lock the other waits for before the minutes' row, so this cannot deadlock; the barrier and the
join have timeouts all the same, so a regression fails instead of hanging.
"""

import threading
import unittest

import time_machine
from django.db import connection
from django.test import TransactionTestCase

from mechanism.models import Assignment, Role
from mechanism.services.errors import ActionRefused
from meetings.models import Decision, Minutes, MinutesState
from meetings.services import approve_minutes, send_minutes_for_review
from tests.base import CastTestCase
from tests.meetings.test_minutes_lifecycle import DAY, NOW, TODAY, MinutesCase

TIMEOUT = 30  # seconds


@unittest.skipUnless(connection.vendor == "postgresql", "concurrent row locks need PostgreSQL")
@time_machine.travel(NOW, tick=False)
class ConcurrentApprovalTests(TransactionTestCase):
    # No serialized_rollback, like the browser tests (which run before and flush the tables after each test).

    # The cast and the helpers of the other minutes tests, on committed rows the threads can see.
    member = CastTestCase.__dict__["member"]
    held, drafted, items, action, all_agree = (
        MinutesCase.held,
        MinutesCase.drafted,
        MinutesCase.items,
        MinutesCase.action,
        MinutesCase.all_agree,
    )

    def setUp(self):
        CastTestCase.__dict__["setUpTestData"].__func__(type(self))
        type(self).mz_liaison = self.member("mz_liaison", self.mz, Role.LIAISON)

    def test_two_approvals_at_once_one_succeeds_and_assignments_are_made_once(self):
        minutes = self.drafted()
        self.action(minutes, units=[self.zgh, self.tsw])
        send_minutes_for_review(minutes, TODAY + 7 * DAY, by=self.secretariat)
        self.all_agree(minutes)
        barrier = threading.Barrier(2, timeout=TIMEOUT)
        results = []

        def approve():
            try:
                mine = Minutes.objects.get(pk=minutes.pk)  # each its own copy, read before either approves
                barrier.wait()
                results.append(("approved", approve_minutes(mine, by=self.convener_liaison)))
            except ActionRefused as refused:  # StaleObject is one
                results.append(("refused", refused))
            except Exception as error:  # noqa: BLE001 (reported by the assertion below, not lost in the thread)
                results.append(("error", error))
            finally:
                connection.close()  # this thread's own connection

        threads = [threading.Thread(target=approve) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
        self.assertFalse(any(thread.is_alive() for thread in threads), "an approval hung")

        self.assertEqual(sorted(outcome for outcome, _value in results), ["approved", "refused"], results)
        [created] = [value for outcome, value in results if outcome == "approved"]
        self.assertEqual(len(created), 2)
        self.assertEqual(Assignment.objects.count(), 2)
        self.assertEqual({a.unit for a in Assignment.objects.all()}, {self.zgh, self.tsw})
        self.assertFalse(Decision.objects.filter(applied_at=None).exists())
        minutes.refresh_from_db()
        self.assertEqual(minutes.state, MinutesState.APPROVED)
