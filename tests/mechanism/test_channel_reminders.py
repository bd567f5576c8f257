"""Stale help channels: stale from day 180 after the last check, and one reminder per channel and week."""

import datetime
import importlib
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.core import mail
from django.test import override_settings

from mechanism import tasks
from mechanism.channel_reminders import remind_stale_channels, week_of
from mechanism.models import ChannelKind, ChannelReminder, HelpChannel
from mechanism.services.channels import verify_channel
from tests.base import CastTestCase
from tests.factories import HelpChannelFactory, MemberUnitFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_CHECK = datetime.date(2026, 1, 5)
DAY_179 = datetime.date(2026, 7, 3)  # LAST_CHECK + 179 days
DAY_180 = datetime.date(2026, 7, 4)  # LAST_CHECK + 180 days
MONDAY = datetime.date(2026, 7, 6)  # the first reminder Monday after the channels went stale
WEDNESDAY = datetime.date(2026, 7, 8)
NEXT_MONDAY = datetime.date(2026, 7, 13)
BASE_URL = "https://xianjie.example.gov.cn"


class StaleTest(CastTestCase):
    def test_stale_from_day_180_and_not_before(self):
        channel = HelpChannelFactory(unit=self.zgh, last_verified_on=LAST_CHECK)
        self.assertEqual((DAY_179 - LAST_CHECK).days, 179)
        for moment, stale in (
            (datetime.datetime(2026, 7, 3, 23, 59, 59, tzinfo=SHANGHAI), False),  # day 179, last second
            (datetime.datetime(2026, 7, 4, 0, 0, 1, tzinfo=SHANGHAI), True),  # day 180, just after midnight
        ):
            with self.subTest(moment=moment), time_machine.travel(moment, tick=False):
                self.assertEqual(channel.is_stale(), stale)
                self.assertEqual(HelpChannel.objects.stale().filter(pk=channel.pk).exists(), stale)

    def test_explicit_dates(self):
        channel = HelpChannelFactory(unit=self.zgh, last_verified_on=LAST_CHECK)
        self.assertFalse(channel.is_stale(DAY_179))
        self.assertTrue(channel.is_stale(DAY_180))
        self.assertEqual(list(HelpChannel.objects.stale(DAY_179)), [])
        self.assertEqual(list(HelpChannel.objects.stale(DAY_180)), [channel])

    def test_never_verified_is_stale(self):
        channel = HelpChannelFactory(unit=self.zgh, last_verified_on=None)
        self.assertTrue(channel.is_stale(LAST_CHECK))
        self.assertEqual(list(HelpChannel.objects.stale(LAST_CHECK)), [channel])

    def test_verifying_makes_a_stale_channel_current(self):
        channel = HelpChannelFactory(unit=self.zgh, last_verified_on=LAST_CHECK)
        verify_channel(channel, by=self.other_liaison, today=MONDAY)
        channel.refresh_from_db()
        self.assertEqual(channel.last_verified_on, MONDAY)
        self.assertFalse(channel.is_stale(MONDAY))


@override_settings(WAGTAILADMIN_BASE_URL=BASE_URL)
class ReminderTest(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.zgh_line = HelpChannelFactory(unit=cls.zgh, value="12351", last_verified_by=cls.other_liaison)
        cls.zgh_mail = HelpChannelFactory(
            unit=cls.zgh, kind=ChannelKind.EMAIL, value="bangfu@sxzgh.org.cn", last_verified_on=None
        )
        cls.zgh_fresh = HelpChannelFactory(
            unit=cls.zgh, value="+863517654321", last_verified_on=datetime.date(2026, 6, 1)
        )
        cls.tsw_line = HelpChannelFactory(unit=cls.tsw, value="12355")
        cls.mz_line = HelpChannelFactory(unit=cls.mz, value="12349", is_public=False)
        cls.ty_line = HelpChannelFactory(unit=cls.ty_fl, value="12338")
        gone = MemberUnitFactory(mechanism=cls.province, code="gone", left_on=datetime.date(2026, 1, 1))
        cls.gone_line = HelpChannelFactory(unit=gone, value="12385")

    def mails_to(self, address):
        return [message for message in mail.outbox if address in message.to]

    def test_one_mail_per_unit_to_its_liaisons_listing_its_stale_channels(self):
        self.assertEqual(remind_stale_channels(today=MONDAY), 4)
        recipients = sorted(tuple(message.to) for message in mail.outbox)
        self.assertEqual(
            recipients,
            [
                ("convener_liaison@example.org",),  # tsw
                ("other_liaison@example.org",),  # zgh
                ("outsider@example.org",),  # Taiyuan's fl has no liaison: its secretariat
                ("secretariat@example.org",),  # mz has no liaison: the province secretariat
            ],
        )
        [message] = self.mails_to("other_liaison@example.org")
        self.assertIn(self.zgh.short_name, message.subject)
        self.assertIn("2", message.subject)
        self.assertIn("12351", message.body)
        self.assertIn("bangfu@sxzgh.org.cn", message.body)
        self.assertIn("2026-01-05", message.body)
        self.assertIn("热线电话", message.body)  # the kind, in Chinese whoever runs the job
        self.assertNotIn("0351-7654321", message.body)  # verified on 2026-06-01: not stale
        self.assertNotIn("12355", message.body)  # another unit's channel
        self.assertIn(f"{BASE_URL}/admin/helpchannel/?unit={self.zgh.pk}&stale=true", message.body)

    def test_mail_carries_no_personal_data(self):
        remind_stale_channels(today=MONDAY)
        [message] = self.mails_to("other_liaison@example.org")
        for personal in ("other_liaison", "secretariat", "@example.org"):
            self.assertNotIn(personal, message.subject + message.body)

    def test_units_that_left_are_not_reminded(self):
        remind_stale_channels(today=MONDAY)
        self.assertNotIn("12385", "".join(message.body for message in mail.outbox))
        self.assertFalse(ChannelReminder.objects.filter(channel=self.gone_line).exists())

    def test_run_twice_in_the_same_week_sends_once(self):
        remind_stale_channels(today=MONDAY)
        self.assertEqual(len(mail.outbox), 4)
        self.assertEqual(remind_stale_channels(today=MONDAY), 0)
        self.assertEqual(remind_stale_channels(today=WEDNESDAY), 0)
        self.assertEqual(len(mail.outbox), 4)
        week = ChannelReminder.objects.filter(week=MONDAY)
        self.assertEqual(week.count(), 5)  # zgh_line, zgh_mail, tsw_line, mz_line, ty_line
        self.assertFalse(week.filter(sent_at__isnull=True).exists())

    def test_next_week_reminds_again(self):
        remind_stale_channels(today=MONDAY)
        mail.outbox.clear()
        self.assertEqual(remind_stale_channels(today=NEXT_MONDAY), 4)
        self.assertEqual(len(self.mails_to("other_liaison@example.org")), 1)
        self.assertEqual(ChannelReminder.objects.filter(channel=self.zgh_line).count(), 2)

    def test_verified_channels_get_no_reminder(self):
        verify_channel(self.zgh_line, by=self.other_liaison, today=MONDAY)
        verify_channel(self.zgh_mail, by=self.secretariat, today=MONDAY)
        remind_stale_channels(today=MONDAY)
        self.assertEqual(self.mails_to("other_liaison@example.org"), [])
        self.assertEqual(len(mail.outbox), 3)

    def test_a_channel_claimed_by_another_run_is_not_listed_again(self):
        ChannelReminder.objects.create(
            channel=self.zgh_line, week=MONDAY, sent_at=datetime.datetime(2026, 7, 6, 1, tzinfo=datetime.UTC)
        )
        remind_stale_channels(today=WEDNESDAY)
        [message] = self.mails_to("other_liaison@example.org")
        self.assertIn("bangfu@sxzgh.org.cn", message.body)
        self.assertNotIn("12351", message.body)

    def test_the_claim_alone_stops_a_run_that_read_its_list_before_the_first_run_committed(self):
        remind_stale_channels(today=MONDAY)
        # A concurrent run that looked for stale channels before the first run's claims were visible:
        everything_stale = lambda today: HelpChannel.objects.current(today).stale(today)  # noqa: E731
        with mock.patch("mechanism.channel_reminders.due_channels", everything_stale):
            self.assertEqual(remind_stale_channels(today=MONDAY), 0)
        self.assertEqual(len(mail.outbox), 4)

    def test_failed_send_rolls_back_the_claims_and_a_rerun_sends_once(self):
        with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError("smtp down")):
            self.assertEqual(remind_stale_channels(today=MONDAY), 0)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(ChannelReminder.objects.exists())
        self.assertEqual(remind_stale_channels(today=WEDNESDAY), 4)
        self.assertEqual(remind_stale_channels(today=WEDNESDAY), 0)
        self.assertEqual(len(mail.outbox), 4)

    def test_liaison_without_address_falls_back_to_the_secretariat(self):
        self.other_liaison.email = ""
        self.other_liaison.save()
        remind_stale_channels(today=MONDAY)
        to_secretariat = self.mails_to("secretariat@example.org")
        self.assertEqual(len(to_secretariat), 2)  # mz's own and zgh's
        self.assertTrue(any("bangfu@sxzgh.org.cn" in message.body for message in to_secretariat))

    def test_inactive_liaison_is_not_written_to(self):
        self.convener_liaison.is_active = False
        self.convener_liaison.save()
        remind_stale_channels(today=MONDAY)
        self.assertEqual(self.mails_to("convener_liaison@example.org"), [])
        self.assertTrue(any("12355" in message.body for message in self.mails_to("secretariat@example.org")))

    def test_week_is_the_monday(self):
        self.assertEqual(week_of(WEDNESDAY), MONDAY)
        self.assertEqual(week_of(MONDAY), MONDAY)
        self.assertEqual(week_of(datetime.date(2026, 7, 12)), MONDAY)  # Sunday
        self.assertEqual(week_of(datetime.date(2027, 1, 1)), datetime.date(2026, 12, 28))  # across the year

    def test_task_runs_for_today_in_shanghai(self):
        # 2026-07-06 00:30 in Shanghai is still Sunday in UTC: the week must be Shanghai's.
        with time_machine.travel(datetime.datetime(2026, 7, 6, 0, 30, tzinfo=SHANGHAI), tick=False):
            self.assertEqual(tasks.weekly_channel_reminders(), 4)
        self.assertEqual(set(ChannelReminder.objects.values_list("week", flat=True)), {MONDAY})


class ScheduleTest(CastTestCase):
    migration = "mechanism.migrations.0005_weekly_channel_reminder_schedule"

    def schedules(self):
        from django_q.models import Schedule

        return Schedule.objects.filter(func="mechanism.tasks.weekly_channel_reminders")

    def test_reminders_are_scheduled_on_mondays_at_0900_shanghai(self):
        from django_q.models import Schedule

        [schedule] = self.schedules()
        self.assertEqual((schedule.schedule_type, schedule.cron, schedule.repeats), (Schedule.CRON, "0 9 * * 1", -1))
        local = schedule.next_run.astimezone(SHANGHAI)
        self.assertEqual((local.isoweekday(), local.hour, local.minute), (1, 9, 0))

    def test_migration_is_idempotent_and_reversible(self):
        module = importlib.import_module(self.migration)
        module.add_schedule(apps, None)
        self.assertEqual(self.schedules().count(), 1)
        module.remove_schedule(apps, None)
        self.assertEqual(self.schedules().count(), 0)
        module.add_schedule(apps, None)
        self.assertEqual(self.schedules().count(), 1)
