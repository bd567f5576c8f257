"""What the review found: failed notices are sent again, a liaison sees only its own units' people,
the invitation is only for those invited, and odd input never answers with a 500."""

from unittest import mock

import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from icalendar import Calendar

from mechanism.models import Membership
from meetings.answers import make_token
from meetings.models import Answer, MeetingState, NoticeDelivery
from meetings.notices.ics import invitation
from meetings.services import add_item, send_notice

from .test_admin_meeting import NOW, MeetingAdminCase


@time_machine.travel(NOW, tick=False)
class MeetingPrivacyTests(MeetingAdminCase):
    def test_a_notice_whose_mails_failed_is_sent_when_noticed_again(self):
        meeting = self.make()
        add_item(meeting, "议题一", "topic", 30, by=self.secretariat)
        failing = mock.patch.object(EmailMultiAlternatives, "send", side_effect=OSError("smtp down"))
        with failing, self.captureOnCommitCallbacks(execute=True):
            send_notice(meeting, by=self.secretariat)
        self.assertEqual(len(mail.outbox), 0)
        self.assertFalse(NoticeDelivery.objects.filter(meeting=meeting, sent_at__isnull=False).exists())
        meeting.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(send_notice(meeting, by=self.secretariat))
        sent_to = sorted(address for message in mail.outbox for address in message.to)
        self.assertEqual(sent_to, sorted([self.convener_liaison.email, self.other_liaison.email]))
        self.assertFalse(NoticeDelivery.objects.filter(meeting=meeting, sent_at__isnull=True).exists())

    def test_a_liaison_sees_only_its_own_units_rows_of_the_notice_status(self):
        meeting = self.noticed()
        url = reverse("meetings_admin:meeting", args=[meeting.pk])
        self.login(self.other_liaison)
        page = self.client.get(url).content.decode()
        self.assertIn(self.other_liaison.email, page)
        self.assertNotIn(self.convener_liaison.email, page)
        self.login(self.secretariat)
        page = self.client.get(url).content.decode()
        self.assertIn(self.other_liaison.email, page)
        self.assertIn(self.convener_liaison.email, page)

    def test_the_invitation_is_for_the_invited_and_those_who_convene(self):
        meeting = self.make(invited_units=[self.mz, self.tsw])
        url = reverse("meeting_invitation", args=[meeting.pk])
        self.login(self.convener_liaison)
        self.assertEqual(self.client.get(url).status_code, 200)  # the convener's liaison, even for a draft
        self.login(self.other_liaison)
        self.assertEqual(self.client.get(url).status_code, 404)  # zgh is not invited
        self.login(self.supervisor)
        self.assertEqual(self.client.get(url).status_code, 404)  # reads the meeting, is not on its list

    def test_odd_ids_and_months_are_never_a_500(self):
        meeting = self.noticed()
        self.login(self.secretariat)
        for name in ("remove", "move"):
            with self.subTest(name=name):
                url = reverse(f"meetings_admin:{name}", args=[meeting.pk, 0])
                self.assertEqual(self.client.post(url, {"state": "noticed", "reason": "x"}).status_code, 404)
        for month in ("9999-12", "1-1", "2026-13", "x"):
            with self.subTest(month=month):
                response = self.client.get(reverse("meetings_admin:calendar"), {"month": month})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["month"].strftime("%Y-%m"), "2026-03")

    def test_an_answer_posted_after_the_meeting_closed_gets_the_form_back(self):
        meeting = self.noticed()
        membership = Membership.objects.get(user=self.convener_liaison)
        url = reverse("meeting_answers:answer", args=[make_token(meeting, membership)])
        closing = ["", "会议已结束，不能再回执。"]
        with mock.patch("meetings.answers.answers_closed", side_effect=lambda *a, **k: closing.pop(0)):
            response = self.client.post(url, {"kind": "attend", "attendee": "张三"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "会议已结束", status_code=400)
        self.assertFalse(Answer.objects.filter(meeting=meeting).exists())

    def test_a_case_item_typed_by_hand_is_not_named_in_the_invitation(self):
        meeting = self.noticed()
        add_item(meeting, "王某某家庭医疗救助", "case", 20, by=self.secretariat)
        calendar = Calendar.from_ical(invitation(meeting, [], "REQUEST"))
        description = str(calendar.walk("VEVENT")[0]["DESCRIPTION"])
        self.assertNotIn("王某某", description)
        self.assertEqual(meeting.state, MeetingState.NOTICED)
