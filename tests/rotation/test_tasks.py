"""The 1 December job, the daily dispatcher and its schedule: the coming handover, the summary request, the
January meeting drafted on a working day; once, whatever the number of runs."""

import datetime
import importlib
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.core import mail
from django.test import override_settings
from wagtail.models import ModelLogEntry

from mechanism.models import HolidayOverride
from meetings.models import Meeting, MeetingKind, MeetingState
from rotation import tasks
from rotation.models import AnnualSummary, Handover, HandoverState
from rotation.plans import mechanism_forecast
from tests.base import CastTestCase
from tests.factories import ConvenerTermFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE_URL = "https://xianjie.example.gov.cn"


def at(year, month, day, hour=8):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


DEC1 = at(2026, 12, 1)


def counts():
    return {
        "mails": len(mail.outbox),
        "handovers": Handover.objects.count(),
        "summaries": AnnualSummary.objects.count(),
        "meetings": Meeting.objects.count(),
        "log": ModelLogEntry.objects.count(),
    }


@override_settings(WAGTAILADMIN_BASE_URL=BASE_URL)
class DecemberFirstTests(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # 8 January 2027 is a Friday; a (test) day off moves the meeting past the weekend to Monday the 11th.
        HolidayOverride.objects.create(date=datetime.date(2027, 1, 8), is_working_day=False, name="调休")

    def run_job(self, now=DEC1):
        with time_machine.travel(now, tick=False):
            return tasks.december_first(now=now)

    def test_creates_the_handover_to_the_forecast_unit_in_preparation(self):
        self.assertEqual(self.run_job(), 1)
        [handover] = Handover.objects.all()
        _names, turns = mechanism_forecast(self.province, 1, today=DEC1.date())
        self.assertEqual((turns[0].year, turns[0].unit), (2027, "mz"))
        self.assertEqual(
            (handover.mechanism, handover.year, handover.outgoing_unit, handover.incoming_unit, handover.state),
            (self.province, 2027, self.tsw, self.mz, HandoverState.PREPARING),
        )
        self.assertEqual(handover.summary_requested_at, DEC1)

    def test_starts_this_years_summary_and_links_it(self):
        self.run_job()
        handover = Handover.objects.get()
        self.assertEqual((handover.summary.year, handover.summary.convener_unit), (2026, self.tsw))
        self.assertEqual(handover.summary.period_end, datetime.date(2026, 12, 31))

    def test_asks_the_outgoing_conveners_liaisons_once_with_a_link(self):
        self.run_job()
        [message] = mail.outbox
        handover = Handover.objects.get()
        self.assertEqual(message.to, ["convener_liaison@example.org"])
        self.assertIn(self.province.name, message.subject)
        self.assertIn("2027", message.subject)
        self.assertIn(f"{BASE_URL}/admin/handovers/{handover.pk}/", message.body)
        self.assertIn(self.tsw.name, message.body)
        self.assertIn(self.mz.name, message.body)
        self.assertIn("2027-01-11 09:30", message.body)  # the drafted meeting
        for personal in ("convener_liaison", "secretariat", "@example.org"):
            self.assertNotIn(personal, message.subject + message.body)
        entry = ModelLogEntry.objects.get(action="xianjie.handover.remind")
        self.assertEqual(entry.data["kind"], "summary_request")

    def test_drafts_the_annual_meeting_on_the_first_working_day_from_8_january(self):
        self.run_job()
        handover = Handover.objects.select_related("meeting").get()
        meeting = handover.meeting
        self.assertEqual(
            (meeting.kind, meeting.state, meeting.mechanism), (MeetingKind.ANNUAL, MeetingState.DRAFT, self.province)
        )
        starts, ends = meeting.starts_at.astimezone(SHANGHAI), meeting.ends_at.astimezone(SHANGHAI)
        self.assertEqual(starts.date(), datetime.date(2027, 1, 11))  # not the 8th (day off) nor the weekend
        self.assertEqual((starts.time(), ends.time()), (datetime.time(9, 30), datetime.time(11, 30)))
        self.assertIn("2026", meeting.title)
        self.assertIsNone(meeting.created_by)

    def test_meeting_day_is_in_the_second_or_third_week_of_january(self):
        self.assertEqual(tasks.handover_meeting_day(2027), datetime.date(2027, 1, 11))  # with the day off above
        self.assertEqual(tasks.handover_meeting_day(2028), datetime.date(2028, 1, 10))  # the 8th is a Saturday
        self.assertEqual(tasks.handover_meeting_day(2026), datetime.date(2026, 1, 8))  # a Thursday
        HolidayOverride.objects.bulk_create(
            HolidayOverride(date=datetime.date(2029, 1, day), name="假") for day in range(8, 22)
        )
        self.assertIsNone(tasks.handover_meeting_day(2029))

    def test_a_second_run_changes_nothing_and_sends_nothing(self):
        self.run_job()
        before = counts()
        handover = Handover.objects.get()
        self.assertEqual(self.run_job(at(2026, 12, 2)), 1)
        self.assertEqual(counts(), before)
        handover.refresh_from_db()
        self.assertEqual((handover.state, handover.summary_requested_at), (HandoverState.PREPARING, DEC1))

    def test_a_mechanism_without_a_term_is_skipped(self):
        self.run_job()
        self.assertFalse(Handover.objects.filter(mechanism=self.taiyuan).exists())
        self.assertFalse(AnnualSummary.objects.filter(mechanism=self.taiyuan).exists())

    def test_a_mechanism_whose_forecast_fails_is_skipped_and_the_others_go_on(self):
        ConvenerTermFactory(unit=self.ty_fl, starts_at=at(2026, 1, 1, 0))
        self.taiyuan.units.update(left_on=datetime.date(2026, 6, 1))  # nobody is eligible in 2027
        with self.assertLogs("rotation.tasks", "WARNING") as logs:
            self.assertEqual(self.run_job(), 1)
        self.assertIn(str(self.taiyuan.pk), logs.output[0])
        self.assertNotIn(self.ty_fl.name, "".join(logs.output))
        self.assertEqual(list(Handover.objects.values_list("mechanism", flat=True)), [self.province.pk])
        self.assertEqual(len(mail.outbox), 1)

    def test_a_failed_send_keeps_no_claim_and_the_next_run_sends_once(self):
        with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError("smtp down")):
            self.assertEqual(self.run_job(), 0)
        handover = Handover.objects.get()
        self.assertEqual(mail.outbox, [])
        self.assertIsNone(handover.summary_requested_at)
        self.assertEqual(handover.state, HandoverState.PLANNED)  # not moved on before the request went out
        self.assertFalse(ModelLogEntry.objects.filter(action="xianjie.handover.remind").exists())
        self.assertEqual(self.run_job(at(2026, 12, 2)), 1)
        self.assertEqual(self.run_job(at(2026, 12, 3)), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(Meeting.objects.count(), 1)
        handover.refresh_from_db()
        self.assertEqual(handover.state, HandoverState.PREPARING)

    def test_a_deleted_drafted_meeting_is_not_drafted_again(self):
        self.run_job()
        handover = Handover.objects.select_related("meeting").get()
        self.assertEqual(handover.meeting_drafted_at, DEC1)
        handover.meeting.delete()  # the secretariat drafts the meeting by hand, or holds none
        for day in (2, 3, 15):
            self.run_job(at(2026, 12, day))
        handover.refresh_from_db()
        self.assertEqual((handover.meeting, handover.meeting_drafted_at), (None, DEC1))
        self.assertFalse(Meeting.objects.exists())

    def test_an_unexpected_error_in_one_mechanism_is_logged_and_the_others_go_on(self):
        ConvenerTermFactory(unit=self.ty_fl, starts_at=at(2026, 1, 1, 0))
        real = tasks.prepare_handover

        def prepare(mechanism, year, now):
            if mechanism.pk == self.province.pk:
                raise RuntimeError("a bug")
            return real(mechanism, year, now)

        with (
            mock.patch.object(tasks, "prepare_handover", side_effect=prepare),
            self.assertLogs("rotation.tasks") as logs,
        ):
            self.assertEqual(self.run_job(), 1)
        self.assertEqual(list(Handover.objects.values_list("mechanism", flat=True)), [self.taiyuan.pk])
        [record] = [record for record in logs.records if record.levelname == "ERROR"]
        self.assertIn(str(self.province.pk), record.getMessage())
        self.assertIs(record.exc_info[0], RuntimeError)
        self.assertNotIn(self.province.name, record.getMessage())

    def test_an_existing_handover_is_completed_not_duplicated(self):
        from rotation.handovers.services import create_handover

        made = create_handover(self.province, 2027, by=self.secretariat, now=at(2026, 11, 20))
        self.run_job()
        handover = Handover.objects.get()
        self.assertEqual(handover.pk, made.pk)
        self.assertIsNotNone(handover.meeting_id)
        self.assertEqual(len(mail.outbox), 1)


class DailyDispatchTests(CastTestCase):
    JOBS = ("december_first", "december_reminder", "january_reminder", "january_escalation")

    def called_on(self, moment):
        mocks = {name: mock.patch.object(tasks, name, return_value=0) for name in self.JOBS}
        started = {name: patcher.start() for name, patcher in mocks.items()}
        try:
            with time_machine.travel(moment, tick=False):
                tasks.daily()
        finally:
            for patcher in mocks.values():
                patcher.stop()
        return {name for name, job in started.items() if job.called}

    def test_each_job_runs_in_its_window(self):
        expected = [
            (at(2026, 11, 30), set()),
            (at(2026, 12, 1), {"december_first"}),
            (at(2026, 12, 14), {"december_first"}),
            (at(2026, 12, 15), {"december_first", "december_reminder"}),
            (at(2026, 12, 31), {"december_first", "december_reminder"}),
            (at(2027, 1, 1), set()),
            (at(2027, 1, 9), set()),
            (at(2027, 1, 10), {"january_reminder"}),
            (at(2027, 1, 30), {"january_reminder"}),
            (at(2027, 1, 31), {"january_escalation"}),
            (at(2027, 2, 28), {"january_escalation"}),
            (at(2028, 2, 29), {"january_escalation"}),
            (at(2027, 3, 1), set()),
        ]
        for moment, jobs in expected:
            with self.subTest(moment.date()):
                self.assertEqual(self.called_on(moment), jobs)

    def test_the_day_is_shanghais(self):
        # 30 November 16:30 UTC is already 1 December 00:30 in Shanghai.
        moment = datetime.datetime(2026, 11, 30, 16, 30, tzinfo=datetime.UTC)
        self.assertEqual(self.called_on(moment), {"december_first"})

    def test_30_november_does_nothing_and_3_december_catches_up(self):
        with time_machine.travel(at(2026, 11, 30), tick=False):
            self.assertEqual(tasks.daily(), {})
        self.assertFalse(Handover.objects.exists())
        self.assertEqual(mail.outbox, [])
        with time_machine.travel(at(2026, 12, 3), tick=False):
            self.assertEqual(tasks.daily(), {"december_first": 1})
            before = counts()
            tasks.daily()
        self.assertEqual(counts(), before)
        self.assertEqual(Handover.objects.get().state, HandoverState.PREPARING)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_held_handover_meeting_moves_the_handover_on_once(self):
        with time_machine.travel(DEC1, tick=False):
            tasks.daily()
        handover = Handover.objects.get()
        with time_machine.travel(at(2027, 1, 20), tick=False):
            self.assertNotIn("meetings_held", tasks.daily())  # the meeting is not held yet
            Meeting.objects.filter(pk=handover.meeting_id).update(state=MeetingState.HELD)
            self.assertEqual(tasks.daily()["meetings_held"], 1)
            before = counts()
            self.assertNotIn("meetings_held", tasks.daily())
        self.assertEqual(counts(), before)
        handover.refresh_from_db()
        self.assertEqual(handover.state, HandoverState.MEETING_HELD)
        actions = ModelLogEntry.objects.filter(object_id=str(handover.pk), action="xianjie.handover.meeting_held")
        self.assertEqual(actions.count(), 1)


class ScheduleTests(CastTestCase):
    migration = "rotation.migrations.0003_handover_schedule"

    def schedules(self):
        from django_q.models import Schedule

        return Schedule.objects.filter(func="rotation.tasks.daily")

    def test_the_jobs_run_every_day_at_0800_shanghai(self):
        from django_q.models import Schedule

        [schedule] = self.schedules()
        self.assertEqual(schedule.name, "xianjie: handover jobs (daily 08:00)")
        self.assertEqual((schedule.schedule_type, schedule.cron, schedule.repeats), (Schedule.CRON, "0 8 * * *", -1))
        local = schedule.next_run.astimezone(SHANGHAI)
        self.assertEqual((local.hour, local.minute), (8, 0))

    def test_migration_is_idempotent_and_reversible(self):
        module = importlib.import_module(self.migration)
        module.add_schedule(apps, None)
        self.assertEqual(self.schedules().count(), 1)
        module.remove_schedule(apps, None)
        self.assertEqual(self.schedules().count(), 0)
        module.add_schedule(apps, None)
        self.assertEqual(self.schedules().count(), 1)
