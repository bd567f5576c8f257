"""Answer links: signed per meeting, unit and liaison; refused when forged, ended, cancelled or revoked."""

import datetime

import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from mechanism.models import Membership, Role
from meetings.answers import SALT, TokenRefused, answer_url, make_token, read_token, record_answer
from meetings.models import Answer, AnswerKind, MeetingState

from .factories import MEETING_START, MeetingFactory
from .test_ics import MeetingTestCase, set_state

BEFORE = MEETING_START - datetime.timedelta(days=5)
AFTER = MEETING_START + datetime.timedelta(hours=2, minutes=1)


@time_machine.travel(BEFORE, tick=False)
class AnswerTokenTests(MeetingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.membership = Membership.objects.get(user=cls.other_liaison, unit=cls.zgh, role=Role.LIAISON)
        cls.token = make_token(cls.meeting, cls.membership)

    def url(self, token=None):
        return reverse("meeting_answers:answer", args=[token or self.token])

    def test_answer_url_is_absolute_and_routes_to_the_answer_page(self):
        link = answer_url(self.meeting, self.membership)
        self.assertEqual(link, "http://127.0.0.1:8000" + self.url())
        self.assertEqual(link.split("/")[3:5], ["meetings", "answer"])

    def test_valid_token_reads_back_meeting_unit_and_user(self):
        grant = read_token(self.token)
        self.assertEqual((grant.meeting, grant.unit, grant.user), (self.meeting, self.zgh, self.other_liaison))

    def test_valid_token_shows_the_meeting_and_a_form_without_login(self):
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "meetings/answer.html")
        content = response.content.decode()
        self.assertIn("省民政厅三楼会议室", content)
        self.assertIn("09:30", content)
        self.assertIn(self.zgh.name, content)
        self.assertIn("上季度落实情况", content)
        self.assertIn(self.case.reference, content)
        self.assertNotIn("王小五", content)
        self.assertIn('name="kind"', content)
        self.assertIn("no-cache", response["Cache-Control"])

    def test_posting_records_the_answer_and_logs_it(self):
        response = self.client.post(self.url(), {"kind": AnswerKind.DEPUTY, "attendee": "赵副处长"})
        self.assertRedirects(response, self.url() + "?saved=1")
        answer = Answer.objects.get(meeting=self.meeting, unit=self.zgh)
        self.assertEqual((answer.kind, answer.attendee, answer.answered_by), ("deputy", "赵副处长", self.other_liaison))
        entry = ModelLogEntry.objects.get(action="xianjie.meeting.answer")
        self.assertEqual((entry.object_id, entry.user), (str(self.meeting.pk), self.other_liaison))
        self.assertEqual(entry.data["kind"], "deputy")

    def test_reused_token_replaces_the_unit_answer_and_logs_both(self):
        self.client.post(self.url(), {"kind": AnswerKind.ATTEND, "attendee": "钱处长"})
        self.client.post(self.url(), {"kind": AnswerKind.DECLINE, "reason": "同日有省委会议"})
        answer = Answer.objects.get(meeting=self.meeting, unit=self.zgh)
        self.assertEqual((answer.kind, answer.attendee, answer.reason), ("decline", "", "同日有省委会议"))
        self.assertEqual(Answer.objects.count(), 1)
        self.assertEqual(ModelLogEntry.objects.filter(action="xianjie.meeting.answer").count(), 2)
        response = self.client.get(self.url())
        self.assertContains(response, "同日有省委会议")

    def test_bad_input_shows_the_form_again_and_saves_nothing(self):
        for data in ({"kind": AnswerKind.DEPUTY}, {"kind": AnswerKind.DECLINE}, {"kind": "maybe"}, {}):
            with translation.override("en"):
                response = self.client.post(self.url(), data, HTTP_ACCEPT_LANGUAGE="en")
            self.assertEqual(response.status_code, 400, data)
            self.assertTemplateUsed(response, "meetings/answer.html")
            self.assertTrue(response.context["form"].errors, data)
        self.assertFalse(Answer.objects.exists())

    def test_post_without_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(self.url(), {"kind": AnswerKind.ATTEND})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Answer.objects.exists())

    def test_forged_token_gets_404_page_not_500(self):
        forged = self.token[:-3] + ("abc" if not self.token.endswith("abc") else "xyz")
        unsalted = signing.dumps({"m": self.meeting.pk, "u": self.zgh.pk, "p": self.other_liaison.pk})
        for token in (forged, unsalted, "nonsense", signing.dumps({"m": "x"}, salt=SALT)):
            response = self.client.get(self.url(token))
            self.assertEqual(response.status_code, 404, token)
            self.assertTemplateUsed(response, "meetings/answer_refused.html")
            self.assertEqual(self.client.post(self.url(token), {"kind": "attend"}).status_code, 404)
        self.assertFalse(Answer.objects.exists())

    def test_token_of_one_meeting_answers_only_that_meeting(self):
        other = MeetingFactory(mechanism=self.province, invited_units=[self.zgh])
        set_state(other, MeetingState.NOTICED)
        self.client.post(self.url(), {"kind": AnswerKind.ATTEND})
        self.assertEqual(list(Answer.objects.values_list("meeting", flat=True)), [self.meeting.pk])
        self.assertNotEqual(make_token(other, self.membership), self.token)
        self.assertEqual(read_token(make_token(other, self.membership)).meeting, other)

    def test_token_expires_when_the_meeting_ends(self):
        with time_machine.travel(AFTER, tick=False):
            with self.assertRaises(TokenRefused) as refused:
                read_token(self.token)
            self.assertEqual(refused.exception.status, 410)
            response = self.client.post(self.url(), {"kind": AnswerKind.ATTEND})
            self.assertEqual(response.status_code, 410)
            self.assertTemplateUsed(response, "meetings/answer_refused.html")
        self.assertFalse(Answer.objects.exists())

    def test_token_of_a_cancelled_meeting_is_refused(self):
        set_state(self.meeting, MeetingState.CANCELLED, sequence=1)
        self.assertEqual(self.client.get(self.url()).status_code, 410)
        self.assertEqual(self.client.post(self.url(), {"kind": AnswerKind.ATTEND}).status_code, 410)
        self.assertFalse(Answer.objects.exists())

    def test_token_of_a_former_liaison_is_refused(self):
        self.membership.delete()
        self.assertEqual(self.client.get(self.url()).status_code, 410)

    def test_token_of_a_unit_no_longer_invited_is_refused(self):
        self.meeting.invited_units.remove(self.zgh)
        self.assertEqual(self.client.get(self.url()).status_code, 410)


@time_machine.travel(BEFORE, tick=False)
class RecordAnswerTests(MeetingTestCase):
    def test_attend_defaults_to_the_answering_person(self):
        answer = record_answer(self.meeting, self.tsw, AnswerKind.ATTEND, by=self.convener_liaison)
        self.assertEqual(answer.attendee, "李四")

    def test_deputy_needs_a_name_and_decline_a_reason(self):
        with self.assertRaises(ValidationError) as error:
            record_answer(self.meeting, self.zgh, AnswerKind.DEPUTY, attendee="  ", by=self.other_liaison)
        self.assertIn("attendee", error.exception.message_dict)
        with self.assertRaises(ValidationError) as error:
            record_answer(self.meeting, self.zgh, AnswerKind.DECLINE, by=self.other_liaison)
        self.assertIn("reason", error.exception.message_dict)
        self.assertFalse(Answer.objects.exists())
        self.assertFalse(ModelLogEntry.objects.filter(action="xianjie.meeting.answer").exists())

    def test_no_answer_after_the_meeting(self):
        with time_machine.travel(AFTER, tick=False), self.assertRaises(ValidationError):
            record_answer(self.meeting, self.zgh, AnswerKind.ATTEND, by=self.other_liaison)
