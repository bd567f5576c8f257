"""The mail sweep (meetings.tasks.deliver_pending_notices, every 5 minutes) sends what a lost or failed notice or
minutes task left, within its bounds; a copy re-sent after the SMTP server took it carries the same Message-ID; a
recipient refused for good is given up, and no address reaches the logs."""

import datetime

import time_machine
from django.core import mail
from django.test import override_settings
from django_q.models import Schedule

from meetings.delivery import GIVE_UP_AFTER
from meetings.minutes_mail import MailNotSent, pending_minutes_mail, send_publication_mail, send_review_mail
from meetings.models import MailDelivery, Meeting, MeetingState, Minutes, MinutesRevision, NoticeDelivery, NoticeMethod
from meetings.notices.sending import deliver_notices, message_id, pending_meetings
from meetings.tasks import deliver_pending_notices
from tests.base import CastTestCase
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

from .backends import REFUSALS, REFUSED, crash_after
from .work import MARCH_2, minutes_published, minutes_review

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

    def test_no_invitation_goes_out_once_the_meeting_has_begun(self):
        begun = meeting(self, MeetingState.NOTICED, starts_at=MARCH_2 - datetime.timedelta(hours=1))
        ended = meeting(self, MeetingState.NOTICED, starts_at=MARCH_2 - 3 * DAY)
        cancelled = meeting(self, MeetingState.NOTICED, starts_at=MARCH_2 - 3 * DAY)
        deliver_notices(cancelled.pk)  # invited in time; cancelled afterwards, its cancellation's task lost
        Meeting.objects.filter(pk=cancelled.pk).update(state=MeetingState.CANCELLED, sequence=1)
        mail.outbox.clear()
        self.assertEqual(pending_meetings(), [cancelled.pk])
        self.assertEqual(deliver_pending_notices(), {cancelled.pk: 2})
        self.assertFalse(NoticeDelivery.objects.filter(meeting__in=[begun, ended]).exists())
        self.assertEqual(
            {message.to[0] for message in mail.outbox}, {"other_liaison@example.org", "convener_liaison@example.org"}
        )

    def test_the_sweep_completes_a_half_sent_review_round(self):
        [(round_pk,)] = minutes_review(self)  # its mail task left to the test
        with override_settings(EMAIL_BACKEND="tests.jobs.backends.CrashingBackend"):
            crash_after(1, 1)  # the first liaison's copy goes out, the second one's fails
            with self.assertRaises(MailNotSent):
                send_review_mail(round_pk)
        self.assertEqual(len(mail.outbox), 2)
        self.assertIsNone(MinutesRevision.objects.get(pk=round_pk).review_mailed_at)
        self.assertEqual(deliver_pending_notices(), {f"minutes-review:{round_pk}": 1})
        self.assertEqual(sorted(message.to[0] for message in mail.outbox), self.liaison_addresses())
        self.assertIsNotNone(MinutesRevision.objects.get(pk=round_pk).review_mailed_at)
        self.assertEqual(deliver_pending_notices(), {})
        self.assertEqual(len(mail.outbox), 3)

    def test_the_sweep_completes_a_half_sent_publication(self):
        [(minutes_pk,)] = minutes_published(self)  # its round's review mail and the publication mail left unsent
        with override_settings(EMAIL_BACKEND="tests.jobs.backends.CrashingBackend"):
            crash_after(2, 1)
            with self.assertRaises(MailNotSent):
                send_publication_mail(minutes_pk)
        self.assertEqual(len(mail.outbox), 2)
        mail.outbox.clear()
        # The superseded round's review request is not sent late: only the publication's last copy.
        self.assertEqual(deliver_pending_notices(), {f"minutes-published:{minutes_pk}": 1})
        self.assertEqual(len(mail.outbox), 1)
        self.assertRegex(mail.outbox[0].subject, "^Minutes published: |^会议纪要")
        minutes = Minutes.objects.get(pk=minutes_pk)
        self.assertIsNotNone(minutes.publication_mailed_at)
        key = f"minutes-published:{minutes_pk}:{minutes.published_at.isoformat()}"
        self.assertEqual(MailDelivery.objects.filter(key=key, sent_at__isnull=False).count(), 3)
        self.assertEqual(deliver_pending_notices(), {})

    def test_the_sweep_sends_nothing_when_every_batch_went_out(self):
        [(round_pk,)] = minutes_review(self)
        send_review_mail(round_pk)
        noticed = meeting(self, MeetingState.NOTICED)
        deliver_notices(noticed.pk)
        mail.outbox.clear()
        self.assertEqual(pending_minutes_mail(), [[], []])
        self.assertEqual(deliver_pending_notices(), {})
        self.assertEqual(mail.outbox, [])

    def test_a_round_older_than_two_weeks_is_not_swept(self):
        [(round_pk,)] = minutes_review(self)
        self.assertEqual(pending_minutes_mail(), [[round_pk], []])
        with time_machine.travel(MARCH_2 + 15 * DAY, tick=False):
            self.assertEqual(pending_minutes_mail(), [[], []])

    def liaison_addresses(self):
        return sorted(["convener_liaison@example.org", "other_liaison@example.org", "mz_liaison@example.org"])


@time_machine.travel(MARCH_2, tick=False)
@override_settings(EMAIL_BACKEND="tests.jobs.backends.RefusingBackend")
class RefusedRecipientTests(CastTestCase):
    def setUp(self):
        REFUSED.clear()
        REFUSALS.clear()
        self.addCleanup(REFUSED.clear)
        REFUSED.add(self.other_liaison.email)

    def assert_no_address_logged(self, logs):
        text = "\n".join(logs.output)
        self.assertIn("SMTPRecipientsRefused", text)
        self.assertNotIn(self.other_liaison.email, text)
        self.assertNotIn("no such user", text)

    def test_a_refused_invitation_is_logged_without_the_address_and_given_up(self):
        noticed = meeting(self, MeetingState.NOTICED)
        with self.assertLogs(level="DEBUG") as logs:
            self.assertEqual(deliver_notices(noticed.pk), 1)
            for _run in range(GIVE_UP_AFTER - 1):
                self.assertEqual(deliver_pending_notices(), {noticed.pk: 0})
        self.assert_no_address_logged(logs)
        self.assertEqual(len(REFUSALS), GIVE_UP_AFTER)  # once per run: a refusal is not tried again at once
        refused = NoticeDelivery.objects.get(meeting=noticed, user=self.other_liaison)
        self.assertEqual((refused.sent_at, refused.refusals, refused.last_error), (None, 3, "SMTPRecipientsRefused"))
        self.assertEqual(pending_meetings(), [])
        self.assertEqual(deliver_pending_notices(), {})
        self.assertEqual(len(REFUSALS), GIVE_UP_AFTER)
        self.assertEqual([message.to[0] for message in mail.outbox], [self.convener_liaison.email])

    def test_a_corrected_address_is_tried_again(self):
        noticed = meeting(self, MeetingState.NOTICED)
        for _run in range(GIVE_UP_AFTER):
            deliver_notices(noticed.pk)
        self.other_liaison.email = "other.liaison@example.org"
        self.other_liaison.save()
        self.assertEqual(pending_meetings(), [noticed.pk])
        self.assertEqual(deliver_pending_notices(), {noticed.pk: 1})
        self.assertEqual(mail.outbox[-1].to, ["other.liaison@example.org"])

    def test_a_refused_review_copy_does_not_hold_back_the_others_and_is_given_up(self):
        [(round_pk,)] = minutes_review(self)
        with self.assertLogs(level="DEBUG") as logs:
            with self.assertRaises(MailNotSent) as raised:
                send_review_mail(round_pk)
            for _run in range(GIVE_UP_AFTER - 1):
                self.assertEqual(deliver_pending_notices(), {})  # the batch fails again, the failure only logged
        self.assert_no_address_logged(logs)
        self.assertNotIn(self.other_liaison.email, str(raised.exception))  # what django-q2 keeps as the result
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(len(REFUSALS), GIVE_UP_AFTER)
        self.assertEqual(deliver_pending_notices(), {f"minutes-review:{round_pk}": 0})  # given up: batch complete
        self.assertIsNotNone(MinutesRevision.objects.get(pk=round_pk).review_mailed_at)
        self.assertEqual(len(REFUSALS), GIVE_UP_AFTER)
