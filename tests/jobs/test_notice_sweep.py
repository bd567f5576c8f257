"""The notice sweep (meetings.tasks.deliver_pending_notices, every 5 minutes) sends what a lost notice task left,
within its bounds; a copy re-sent after the SMTP server took it carries the same Message-ID."""

import datetime

import time_machine
from django.core import mail
from django.test import override_settings
from django_q.models import Schedule

from meetings.models import Meeting, MeetingState, NoticeDelivery, NoticeMethod
from meetings.notices.sending import deliver_notices, message_id, pending_meetings
from meetings.tasks import deliver_pending_notices
from tests.base import CastTestCase
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

from .backends import crash_after
from .work import MARCH_2

DAY = datetime.timedelta(days=1)


def meeting(tc, state, starts_at=MARCH_2 + 8 * DAY, sequence=0):
    made = MeetingFactory(mechanism=tc.province, starts_at=starts_at, invited_units=[tc.zgh, tc.tsw])
    AgendaItemFactory(meeting=made, order=1, title="上季度落实情况")
    Meeting.objects.filter(pk=made.pk).update(state=state, sequence=sequence)
    return Meeting.objects.get(pk=made.pk)


@time_machine.travel(MARCH_2, tick=False)
class NoticeSweepTests(CastTestCase):
    def test_the_sweep_is_scheduled_every_five_minutes(self):
        schedule = Schedule.objects.get(func="meetings.tasks.deliver_pending_notices")
        self.assertEqual((schedule.schedule_type, schedule.cron, schedule.repeats), ("C", "*/5 * * * *", -1))

    def test_sends_what_a_lost_task_left_and_only_that(self):
        lost = meeting(self, MeetingState.NOTICED)
        half = meeting(self, MeetingState.NOTICED)
        with override_settings(EMAIL_BACKEND="tests.jobs.backends.CrashingBackend"):
            crash_after(1, 2)  # one notice of `half` goes out, the other fails twice: its claim is given back
            self.assertEqual(deliver_notices(half.pk), 1)
        done = meeting(self, MeetingState.NOTICED)
        deliver_notices(done.pk)
        meeting(self, MeetingState.DRAFT)
        meeting(self, MeetingState.NOTICED, starts_at=MARCH_2 - 20 * DAY)  # beyond the 14 days looked back
        mail.outbox.clear()
        self.assertEqual(pending_meetings(), [lost.pk, half.pk])
        self.assertEqual(deliver_pending_notices(), {lost.pk: 2, half.pk: 1})
        received = sorted((message.to[0], message.subject) for message in mail.outbox)
        self.assertEqual(len(received), 3)
        self.assertEqual(deliver_pending_notices(), {})
        self.assertEqual(len(mail.outbox), 3)

    def test_a_cancelled_meeting_gets_its_cancellation_out(self):
        cancelled = meeting(self, MeetingState.NOTICED)
        deliver_notices(cancelled.pk)
        Meeting.objects.filter(pk=cancelled.pk).update(state=MeetingState.CANCELLED, sequence=1)
        mail.outbox.clear()
        self.assertEqual(deliver_pending_notices(), {cancelled.pk: 2})
        methods = set(NoticeDelivery.objects.filter(sequence=1).values_list("method", flat=True))
        self.assertEqual(methods, {NoticeMethod.CANCEL})
        self.assertEqual(pending_meetings(), [])

    def test_a_copy_resent_after_the_smtp_server_took_it_has_the_same_message_id(self):
        noticed = meeting(self, MeetingState.NOTICED)
        with override_settings(EMAIL_BACKEND="tests.jobs.backends.CrashingBackend"):
            crash_after(0, 2, accepted=True)  # the server takes it, then the worker dies before the commit
            self.assertEqual(deliver_notices(noticed.pk), 1)
        self.assertEqual(deliver_pending_notices(), {noticed.pk: 1})
        ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
        self.assertEqual(len(ids), 4)  # at least once at the SMTP boundary: the accepted-but-rolled-back copies
        deliveries = NoticeDelivery.objects.filter(meeting=noticed).order_by("pk")
        self.assertEqual(set(ids), {message_id(delivery) for delivery in deliveries})
        self.assertTrue(all(delivery.sent_at for delivery in deliveries))
        self.assertRegex(ids[0], r"^<notice-\d+-request-0@xianjie\.localhost>$")
