"""The 15 December and 10 January reminders and the 31 January escalation: once each, naming what the
checklist still lacks, to the right people; nothing for a signed or completed handover."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import translation
from wagtail.models import ModelLogEntry

from rotation import tasks
from rotation.handovers.checklist import LABELS, missing_items
from rotation.handovers.services import create_handover, start_preparing
from rotation.models import Handover, HandoverState
from tests.base import CastTestCase

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE_URL = "https://xianjie.example.gov.cn"


def at(year, month, day, hour=8):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


DEC15, JAN10, JAN31 = at(2026, 12, 15), at(2027, 1, 10), at(2027, 1, 31)


def label(key):
    with translation.override(settings.LANGUAGE_CODE):
        return str(LABELS[key])


@override_settings(WAGTAILADMIN_BASE_URL=BASE_URL)
class ReminderTests(CastTestCase):
    def setUp(self):
        self.handover = create_handover(self.province, 2027, now=at(2026, 12, 1))
        start_preparing(self.handover, now=at(2026, 12, 1))
        # The open items are listed: the reminders must not ask for them.
        Handover.objects.filter(pk=self.handover.pk).update(open_items_listed_at=at(2026, 12, 10))
        self.handover.refresh_from_db()

    def job(self, job, now):
        with time_machine.travel(now, tick=False):
            return job(now=now)

    def assert_names_what_is_missing(self, message, now):
        with translation.override(settings.LANGUAGE_CODE):
            expected = missing_items(self.handover, now)
        self.assertIn(label("summary"), expected)
        self.assertIn(label("meeting"), expected)
        for item in expected:
            self.assertIn(f"- {item}", message.body)
        self.assertNotIn(label("open_items"), message.body)

    def test_15_december_reminds_the_outgoing_convener_and_the_secretariat_once(self):
        self.assertEqual(self.job(tasks.december_reminder, DEC15), 1)
        [message] = mail.outbox
        self.assertEqual(message.to, ["convener_liaison@example.org", "secretariat@example.org"])
        self.assertIn("2027", message.subject)
        self.assertIn(self.province.name, message.subject)
        self.assertIn(f"{BASE_URL}/admin/handovers/{self.handover.pk}/", message.body)
        self.assert_names_what_is_missing(message, DEC15)
        self.assertEqual(self.job(tasks.december_reminder, DEC15), 0)
        self.assertEqual(self.job(tasks.december_reminder, at(2026, 12, 20)), 0)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(ModelLogEntry.objects.filter(action="xianjie.handover.remind").count(), 1)

    def test_10_january_reminds_once_more(self):
        self.job(tasks.december_reminder, DEC15)
        self.assertEqual(self.job(tasks.january_reminder, JAN10), 1)
        self.assertEqual(self.job(tasks.january_reminder, at(2027, 1, 11)), 0)
        self.assertEqual(len(mail.outbox), 2)
        self.assert_names_what_is_missing(mail.outbox[1], JAN10)
        self.handover.refresh_from_db()
        self.assertEqual((self.handover.december_reminder_at, self.handover.january_reminder_at), (DEC15, JAN10))

    def test_a_handover_signed_by_the_outgoing_convener_gets_no_reminder(self):
        Handover.objects.filter(pk=self.handover.pk).update(state=HandoverState.SIGNED_OUTGOING)
        self.assertEqual(self.job(tasks.december_reminder, DEC15), 0)
        self.assertEqual(self.job(tasks.january_reminder, JAN10), 0)
        self.assertEqual(mail.outbox, [])

    def test_another_years_handover_is_not_reminded(self):
        Handover.objects.filter(pk=self.handover.pk).update(year=2026)
        self.assertEqual(self.job(tasks.december_reminder, DEC15), 0)
        self.assertEqual(mail.outbox, [])

    def test_31_january_escalates_to_the_secretariat_and_the_supervisor_once(self):
        self.assertEqual(self.job(tasks.january_escalation, JAN31), 1)
        [message] = mail.outbox
        self.assertEqual(message.to, ["secretariat@example.org", "supervisor@example.org"])
        self.assertIn("2027", message.subject)
        self.assertIn(f"{BASE_URL}/admin/handovers/{self.handover.pk}/", message.body)
        self.assertIn(label("summary"), message.body)
        entry = ModelLogEntry.objects.get(action="xianjie.handover.escalate")
        self.assertEqual(
            (entry.object_id, entry.data["year"], entry.data["recipients"]), (str(self.handover.pk), 2027, 2)
        )
        self.assertEqual(self.job(tasks.january_escalation, at(2027, 2, 3)), 0)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(ModelLogEntry.objects.filter(action="xianjie.handover.escalate").count(), 1)

    def test_a_signed_but_not_completed_handover_is_escalated_too(self):
        Handover.objects.filter(pk=self.handover.pk).update(state=HandoverState.SIGNED_OUTGOING)
        self.assertEqual(self.job(tasks.january_escalation, JAN31), 1)
        self.assertNotIn(label("summary"), mail.outbox[0].body)  # the checklist was complete when signed

    def test_a_completed_handover_is_not_escalated(self):
        Handover.objects.filter(pk=self.handover.pk).update(state=HandoverState.COMPLETED)
        self.assertEqual(self.job(tasks.january_escalation, JAN31), 0)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(ModelLogEntry.objects.filter(action="xianjie.handover.escalate").exists())

    def test_a_failed_escalation_keeps_no_claim_and_the_next_run_sends_once(self):
        with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError("smtp down")):
            self.assertEqual(self.job(tasks.january_escalation, JAN31), 0)
        self.handover.refresh_from_db()
        self.assertIsNone(self.handover.escalated_at)
        self.assertFalse(ModelLogEntry.objects.filter(action="xianjie.handover.escalate").exists())
        self.assertEqual(self.job(tasks.january_escalation, at(2027, 2, 1)), 1)
        self.assertEqual(self.job(tasks.january_escalation, at(2027, 2, 2)), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_an_unexpected_error_for_one_handover_is_logged_and_the_others_are_reminded(self):
        from tests.factories import ConvenerTermFactory

        ConvenerTermFactory(unit=self.ty_fl, starts_at=at(2026, 1, 1, 0))
        other = create_handover(self.taiyuan, 2027, now=at(2026, 12, 1))
        real = tasks.reminder

        def remind(handover, missing):
            if handover.pk == self.handover.pk:
                raise KeyError("a bug")
            return real(handover, missing)

        with (
            mock.patch.object(tasks, "reminder", side_effect=remind),
            self.assertLogs("rotation.tasks", "ERROR") as logs,
        ):
            self.assertEqual(self.job(tasks.december_reminder, DEC15), 1)
        self.assertIn(str(self.handover.pk), logs.output[0])
        self.handover.refresh_from_db()
        other.refresh_from_db()
        self.assertIsNone(self.handover.december_reminder_at)  # the claim rolled back: tomorrow tries again
        self.assertEqual(other.december_reminder_at, DEC15)
        self.assertEqual(len(mail.outbox), 1)

    def test_the_unsigned_states_are_defined_once(self):
        from rotation import services

        self.assertIs(tasks.NOT_SIGNED, services.NOT_SIGNED)
        self.assertEqual(
            set(services.NOT_SIGNED), {HandoverState.PLANNED, HandoverState.PREPARING, HandoverState.MEETING_HELD}
        )

    def test_daily_sends_each_mail_once_through_the_winter(self):
        days = [DEC15, at(2026, 12, 16), JAN10, at(2027, 1, 20), JAN31, at(2027, 2, 15)]
        for moment in days + days:
            with time_machine.travel(moment, tick=False):
                tasks.daily()
        subjects = [message.subject for message in mail.outbox]
        self.assertEqual(len(subjects), 3 + 1)  # summary request (1 Dec catch-up) and the three scheduled mails
        self.assertEqual(sum(1 for message in mail.outbox if "supervisor@example.org" in message.to), 1)
