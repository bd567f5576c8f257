"""The overdue ladder: each stage once, run twice, and after a crash between the claim and the send."""

import datetime
from unittest import mock

from django.core import mail

from mechanism import ladder
from mechanism.services import assignments as work
from mechanism.services import triage
from tests.base import CastTestCase
from tests.casework import make_case

MONDAY = datetime.date(2026, 3, 2)  # an ordinary working week, no holiday near


class LadderTest(CastTestCase):
    def setUp(self):
        self.other_liaison.email = "zgh@example.org"
        self.other_liaison.save()
        self.secretariat.email = "mz@example.org"
        self.secretariat.save()
        case = make_case(self.province, by=self.secretariat)
        triage.accept_case(case, by=self.secretariat)
        self.captured = []
        with self.captureOnCommitCallbacks(execute=True):
            [self.assignment] = triage.refer_case(case, [self.zgh], by=self.secretariat, today=MONDAY)
        self.assignment.assigned_at = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
        self.assignment.save(update_fields=["assigned_at"])
        self.reference = case.reference

    def subjects(self):
        return [message.subject for message in mail.outbox]

    def test_new_assignment_mail_names_the_reference_not_the_person(self):
        [message] = mail.outbox
        self.assertEqual(message.to, ["zgh@example.org"])
        self.assertEqual(message.subject, f"新的交办事项 {self.reference}")  # Chinese, whoever triggered it
        self.assertNotIn("张三", message.subject + message.body)
        self.assertNotIn("13800000000", message.body)
        self.assertIn(f"/admin/casework/assignment/{self.assignment.pk}/", message.body)

    def test_each_stage_once_even_when_run_twice(self):
        mail.outbox.clear()
        days = [
            (datetime.date(2026, 3, 4), ["ack"]),  # 2 working days without acknowledgement
            (datetime.date(2026, 3, 12), ["due_soon"]),  # due 2026-03-16: two working days before
            (datetime.date(2026, 3, 16), ["due_today"]),
            (datetime.date(2026, 3, 17), ["overdue"]),
        ]
        for day, expected in days:
            with self.subTest(day=day):
                before = len(mail.outbox)
                ladder.run_ladder(today=day)
                ladder.run_ladder(today=day)
                self.assertEqual(len(mail.outbox) - before, len(expected), self.subjects())
        self.assertEqual(len(mail.outbox), 4)
        self.assertIn("mz@example.org", mail.outbox[-1].to)  # overdue goes to the secretariat too

    def test_acknowledged_assignment_gets_no_acknowledgement_reminder(self):
        work.acknowledge_assignment(self.assignment, by=self.other_liaison)
        mail.outbox.clear()
        ladder.run_ladder(today=datetime.date(2026, 3, 5))
        self.assertEqual(mail.outbox, [])

    def test_crash_between_claim_and_send_then_retry_sends_once(self):
        mail.outbox.clear()
        crash = mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError("worker killed"))
        with crash, self.assertRaises(ConnectionError):
            ladder.run_ladder(today=datetime.date(2026, 3, 17))
        self.assertEqual(mail.outbox, [])
        self.assignment.refresh_from_db()
        self.assertIsNone(self.assignment.overdue_at)  # the claim rolled back with the failed send
        ladder.run_ladder(today=datetime.date(2026, 3, 17))
        ladder.run_ladder(today=datetime.date(2026, 3, 17))
        overdue = [subject for subject in self.subjects() if self.reference in subject]
        self.assertEqual(len(overdue), 2)  # the acknowledgement reminder and the overdue notice, once each

    def test_finished_assignment_is_left_alone(self):
        work.complete_assignment(self.assignment, "已办结", by=self.other_liaison)
        mail.outbox.clear()
        self.assertEqual(ladder.run_ladder(today=datetime.date(2026, 3, 30)), 0)


class ScheduleTest(CastTestCase):
    def test_the_ladder_is_scheduled_daily_at_0830_shanghai(self):
        from django_q.models import Schedule

        schedule = Schedule.objects.get(func="mechanism.tasks.daily_overdue_ladder")
        self.assertEqual((schedule.schedule_type, schedule.cron), (Schedule.CRON, "30 8 * * *"))
        local = schedule.next_run.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
        self.assertEqual((local.hour, local.minute), (8, 30))
