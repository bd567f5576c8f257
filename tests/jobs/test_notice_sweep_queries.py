"""The five-minute notice sweep (pending_meetings) asks one query whatever the number of meetings in its window."""

import datetime

import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mechanism.models import Role
from meetings.models import Meeting, MeetingState
from meetings.notices.sending import deliver_notices, pending_meetings
from meetings.recipients import recipients
from tests.base import CastTestCase
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

from .work import MARCH_2

DAY = datetime.timedelta(days=1)


@time_machine.travel(MARCH_2, tick=False)
class NoticeSweepQueriesTest(CastTestCase):
    def meeting(self, state, sequence=0):
        made = MeetingFactory(mechanism=self.province, starts_at=MARCH_2 + 8 * DAY, invited_units=[self.zgh, self.tsw])
        AgendaItemFactory(meeting=made, order=1, title="上季度落实情况")
        Meeting.objects.filter(pk=made.pk).update(state=state, sequence=sequence)
        return made.pk

    def add(self, count):
        """Per round: a noticed meeting nobody heard of, a cancelled one whose cancellation is not out yet, a noticed
        one already sent to all, a cancelled one never noticed (nobody to tell) and a draft. Returns the pending."""
        pending = []
        for _ in range(count):
            pending.append(self.meeting(MeetingState.NOTICED))
            cancelled = self.meeting(MeetingState.NOTICED)
            deliver_notices(cancelled)
            Meeting.objects.filter(pk=cancelled).update(state=MeetingState.CANCELLED, sequence=1)
            pending.append(cancelled)
            deliver_notices(self.meeting(MeetingState.NOTICED))
            self.meeting(MeetingState.CANCELLED)
            self.meeting(MeetingState.DRAFT)
        return pending

    def swept(self):
        with CaptureQueriesContext(connection) as queries:
            found = pending_meetings()
        return found, len(queries)

    def test_the_same_single_query_for_2_and_for_8_pending_meetings(self):
        expected = self.add(1)
        few, few_queries = self.swept()
        self.assertEqual(few, expected)
        expected += self.add(3)
        many, many_queries = self.swept()
        self.assertEqual(sorted(many), sorted(expected))
        self.assertEqual(len(many), 8)
        self.assertEqual((few_queries, many_queries), (1, 1))

    def test_only_the_recipients_rule_counts_an_inactive_or_address_less_liaison_is_not_waited_for(self):
        """The subquery repeats meetings.recipients.recipients(): it must agree with it."""
        sent = self.meeting(MeetingState.NOTICED)
        deliver_notices(sent)
        users = get_user_model().objects
        users.filter(pk=self.member("no_address", self.zgh, Role.LIAISON).pk).update(email="")
        users.filter(pk=self.member("gone", self.tsw, Role.LIAISON).pk).update(is_active=False)
        self.member("secretary", self.zgh, Role.SECRETARIAT)
        self.assertEqual(pending_meetings(), [])
        self.assertEqual(len(recipients(Meeting.objects.get(pk=sent))), 2)
        self.member("newcomer", self.tsw, Role.LIAISON)
        self.assertEqual(pending_meetings(), [sent])
