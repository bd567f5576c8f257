"""Notice e-mails: one per liaison and sequence, zh-hans, both bodies, the .ics attached; never twice."""

import datetime

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.utils import translation
from django_q.tasks import async_task
from icalendar import Calendar

from mechanism.models import Role
from meetings.models import Answer, AnswerKind, Meeting, MeetingState, NoticeDelivery, NoticeMethod
from meetings.notices.sending import deliver_notices, notice_status

from .factories import MEETING_START
from .test_ics import PERSON_ID, PERSON_PHONE, MeetingTestCase, set_state

FAILURES = {"left": 0}


class FlakyBackend(EmailBackend):
    """Fails as many sends as FAILURES["left"] says, then delivers to mail.outbox."""

    def send_messages(self, messages):
        if FAILURES["left"] > 0:
            FAILURES["left"] -= 1
            raise ConnectionError("smtp down")
        return super().send_messages(messages)


def attachment(message):
    """(filename, .ics bytes, content type with its method) of the one attachment."""
    (part,) = message.attachments
    mimetype = f"{part.get_content_type()}; method={part.get_param('method')}; charset={part.get_content_charset()}"
    return part.get_filename(), part.get_payload(decode=True), mimetype


class DeliverTests(MeetingTestCase):
    def test_each_liaison_gets_one_mail_in_chinese_with_the_agenda_and_answer_link(self):
        self.assertEqual(deliver_notices(self.meeting.pk), 2)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), sorted([self.convener_liaison.email, self.other_liaison.email])
        )
        message = next(m for m in mail.outbox if m.to == [self.other_liaison.email])
        with translation.override("zh-hans"):
            self.assertIn(str(self.meeting.name), message.subject)
        self.assertIn("2026年3月10日", message.subject)
        html, html_type = message.alternatives[0]
        self.assertEqual(html_type, "text/html")
        for body in (message.body, html):
            self.assertIn("09:30", body)
            self.assertIn("11:30", body)
            self.assertIn("省民政厅三楼会议室", body)
            self.assertIn(self.tsw.name, body)  # the convener on 2026-03-10
            self.assertIn("上季度落实情况", body)
            self.assertIn("共青团工作专题报告", body)
            self.assertIn(self.case.reference, body)
            self.assertIn(self.tsw.short_name, body)  # presenter
            self.assertIn("http://127.0.0.1:8000/meetings/answer/", body)
            for personal in ("王小五", PERSON_PHONE, PERSON_ID):
                self.assertNotIn(personal, body)

    def test_the_ics_is_attached_as_a_calendar_request(self):
        deliver_notices(self.meeting.pk)
        name, content, mimetype = attachment(mail.outbox[0])
        self.assertEqual(name, "invite.ics")
        self.assertEqual(mimetype, "text/calendar; method=REQUEST; charset=utf-8")
        (part,) = [p for p in mail.outbox[0].message().walk() if p.get_content_type() == "text/calendar"]
        self.assertEqual(part["Content-Type"], 'text/calendar; charset="utf-8"; method="REQUEST"')
        calendar = Calendar.from_ical(content)
        self.assertEqual(calendar["METHOD"], "REQUEST")
        self.assertEqual(calendar.walk("VEVENT")[0]["UID"], self.meeting.ical_uid)

    @override_settings(LANGUAGE_CODE="en")
    def test_subjects_name_the_meeting_and_its_date(self):
        deliver_notices(self.meeting.pk)
        number = self.meeting.number
        self.assertEqual(mail.outbox[0].subject, f"Meeting notice: Joint meeting no. {number} of 2026 (March 10, 2026)")
        set_state(self.meeting, MeetingState.CANCELLED, sequence=1)
        deliver_notices(self.meeting.pk)
        self.assertEqual(
            mail.outbox[2].subject, f"Meeting cancelled: Joint meeting no. {number} of 2026 (March 10, 2026)"
        )

    def test_running_the_job_twice_sends_nothing_new(self):
        deliver_notices(self.meeting.pk)
        self.assertEqual(deliver_notices(self.meeting.pk), 0)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(NoticeDelivery.objects.filter(meeting=self.meeting, sent_at__isnull=False).count(), 2)

    def test_the_queued_job_path_runs(self):
        async_task("meetings.notices.sending.deliver_notices", self.meeting.pk)
        self.assertEqual(len(mail.outbox), 2)

    def test_a_raised_sequence_sends_again_with_the_same_uid(self):
        deliver_notices(self.meeting.pk)
        Meeting.objects.filter(pk=self.meeting.pk).update(
            starts_at=MEETING_START + datetime.timedelta(days=2),
            ends_at=MEETING_START + datetime.timedelta(days=2, hours=2),
            sequence=1,
        )
        self.assertEqual(deliver_notices(self.meeting.pk), 2)
        first, second = (
            Calendar.from_ical(attachment(mail.outbox[0])[1]),
            Calendar.from_ical(attachment(mail.outbox[2])[1]),
        )
        before, after = first.walk("VEVENT")[0], second.walk("VEVENT")[0]
        self.assertEqual(before["UID"], after["UID"])
        self.assertEqual((before["SEQUENCE"], after["SEQUENCE"]), (0, 1))
        self.assertIn("2026年3月12日", mail.outbox[2].subject)

    def test_cancellation_sends_cancel_with_a_higher_sequence(self):
        deliver_notices(self.meeting.pk)
        Meeting.objects.filter(pk=self.meeting.pk).update(
            state=MeetingState.CANCELLED, sequence=1, cancel_reason="召集单位另有紧急任务"
        )
        self.assertEqual(deliver_notices(self.meeting.pk), 2)
        cancel = mail.outbox[2]
        self.assertIn("2026年3月10日", cancel.subject)
        self.assertNotEqual(cancel.subject, mail.outbox[0].subject)
        self.assertIn("召集单位另有紧急任务", cancel.body)
        self.assertNotIn("/meetings/answer/", cancel.body)
        name, content, mimetype = attachment(cancel)
        self.assertEqual(mimetype, "text/calendar; method=CANCEL; charset=utf-8")
        calendar = Calendar.from_ical(content)
        event = calendar.walk("VEVENT")[0]
        self.assertEqual(calendar["METHOD"], "CANCEL")
        self.assertEqual((event["UID"], event["SEQUENCE"], event["STATUS"]), (self.meeting.ical_uid, 1, "CANCELLED"))
        self.assertEqual(deliver_notices(self.meeting.pk), 0)

    def test_draft_held_and_never_noticed_cancelled_meetings_send_nothing(self):
        for state in (MeetingState.DRAFT, MeetingState.HELD, MeetingState.CANCELLED):
            set_state(self.meeting, state)
            self.assertEqual(deliver_notices(self.meeting.pk), 0)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(NoticeDelivery.objects.exists())

    def test_a_liaison_of_two_units_gets_one_mail_with_both_answer_links(self):
        self.other_liaison.memberships.create(unit=self.tsw, role=Role.LIAISON)
        self.assertEqual(deliver_notices(self.meeting.pk), 2)
        message = next(m for m in mail.outbox if m.to == [self.other_liaison.email])
        self.assertEqual(message.body.count("/meetings/answer/"), 2)


class FailureTests(MeetingTestCase):
    def setUp(self):
        FAILURES["left"] = 0

    @override_settings(EMAIL_BACKEND="tests.meetings.test_notices.FlakyBackend")
    def test_a_failed_send_is_retried_once(self):
        FAILURES["left"] = 1
        self.assertEqual(deliver_notices(self.meeting.pk), 2)
        self.assertEqual(len(mail.outbox), 2)
        self.assertFalse(NoticeDelivery.objects.filter(sent_at__isnull=True).exists())

    @override_settings(EMAIL_BACKEND="tests.meetings.test_notices.FlakyBackend")
    def test_a_send_failing_twice_gives_the_claim_back_for_the_next_run(self):
        FAILURES["left"] = 2
        self.assertEqual(deliver_notices(self.meeting.pk), 1)
        self.assertEqual(NoticeDelivery.objects.filter(sent_at__isnull=True).count(), 1)
        self.assertEqual(deliver_notices(self.meeting.pk), 1)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(deliver_notices(self.meeting.pk), 0)


class NoticeStatusTests(MeetingTestCase):
    def test_status_lists_each_recipient_with_the_last_notice_and_the_unit_answer(self):
        before = notice_status(self.meeting)
        self.assertEqual([(r.sent_at, r.method, r.current) for r in before], [(None, None, False)] * 2)
        deliver_notices(self.meeting.pk)
        Answer.objects.create(
            meeting=self.meeting, unit=self.zgh, kind=AnswerKind.DECLINE, reason="外出", answered_at=MEETING_START
        )
        Meeting.objects.filter(pk=self.meeting.pk).update(sequence=1)
        self.meeting.refresh_from_db()
        rows = {r.user: r for r in notice_status(self.meeting)}
        self.assertEqual(set(rows), {self.convener_liaison, self.other_liaison})
        row = rows[self.other_liaison]
        self.assertEqual((row.unit, row.email, row.method, row.sequence), (self.zgh, row.user.email, "REQUEST", 0))
        self.assertIsNotNone(row.sent_at)
        self.assertFalse(row.current)  # sequence 1 not sent yet
        self.assertEqual(row.answer.reason, "外出")
        self.assertIsNone(rows[self.convener_liaison].answer)
        self.assertEqual(row.method, NoticeMethod.REQUEST)


class MissingMeetingTests(MeetingTestCase):
    def test_a_job_for_a_deleted_meeting_sends_nothing(self):
        self.assertEqual(deliver_notices(self.meeting.pk + 1000), 0)
        self.assertEqual(mail.outbox, [])
