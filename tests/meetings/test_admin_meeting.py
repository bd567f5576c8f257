"""The meeting screen: header, actions by state, agenda, notice status, attendance; who may act; bad input."""

import datetime

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from meetings.models import AgendaItem, Attendance, Meeting, MeetingKind, MeetingState
from meetings.services import add_item, create_meeting, send_notice
from tests.base import CastTestCase
from tests.factories import SHANGHAI

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # tsw holds the convener term
MARCH_MEETING = datetime.datetime(2026, 3, 24, 9, 30, tzinfo=SHANGHAI)
HOUR = datetime.timedelta(hours=1)


class MeetingAdminCase(CastTestCase):
    """Meetings made through the services, and the POST of one action from the meeting screen."""

    def make(self, starts_at=MARCH_MEETING, **kw):
        kw.setdefault("kind", MeetingKind.REGULAR)
        kw.setdefault("ends_at", starts_at + 2 * HOUR)
        kw.setdefault("place", "省民政厅三楼会议室")
        return create_meeting(self.province, starts_at=starts_at, by=self.secretariat, **kw)

    def noticed(self, **kw):
        meeting = self.make(**kw)
        add_item(meeting, "议题一", "topic", 30, by=self.secretariat)
        with self.captureOnCommitCallbacks(execute=True):
            send_notice(meeting, by=self.secretariat)
        meeting.refresh_from_db()
        return meeting

    def url(self, name, meeting, *args):
        return reverse(f"meetings_admin:{name}", args=[meeting.pk, *args])

    def post(self, user, name, meeting, data=None, *args):
        self.login(user)
        data = {"state": meeting.state, "updated_at": meeting.updated_at.isoformat(), **(data or {})}
        with translation.override("en"), self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url(name, meeting, *args), data, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    def message_texts(self, response):
        return [str(m) for m in response.context["messages"]]


@time_machine.travel(NOW, tick=False)
class MeetingScreenTests(MeetingAdminCase):
    def test_secretariat_sees_header_convener_quorum_and_actions(self):
        meeting = self.make(chair="张主任", title="一季度")
        response = self.login(self.secretariat).get(self.url("meeting", meeting), HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(meeting.name))
        self.assertContains(response, "共青团山西省委员会")  # the convener on the date, from the terms
        self.assertContains(response, "张主任")
        self.assertContains(response, "2026-03-24 09:30–11:30")
        self.assertContains(response, 'data-quorum="not-reached"')
        self.assertContains(response, self.url("notice", meeting))
        self.assertContains(response, self.url("cancel", meeting))
        self.assertContains(response, self.url("build", meeting))
        self.assertContains(response, reverse("meeting_invitation", args=[meeting.pk]))
        self.assertNotContains(response, self.url("hold", meeting))  # a draft is not held

    def test_noticed_meeting_offers_reschedule_hold_and_shows_notice_status(self):
        meeting = self.noticed()
        response = self.login(self.secretariat).get(self.url("meeting", meeting), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, self.url("reschedule", meeting))
        self.assertContains(response, self.url("hold", meeting))
        self.assertContains(response, self.url("attendance", meeting))
        rows = response.context["recipients"]
        self.assertEqual({r.user for r in rows}, {self.convener_liaison, self.other_liaison})
        self.assertTrue(all(r.sent_at and r.current for r in rows))
        self.assertContains(response, "other_liaison@example.org")

    def test_agenda_total_against_length_warns_when_over(self):
        meeting = self.make()
        add_item(meeting, "长议题", "topic", 100, by=self.secretariat)
        add_item(meeting, "再一个", "topic", 30, by=self.secretariat)
        response = self.login(self.secretariat).get(self.url("meeting", meeting), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, 'data-agenda-total="130" data-agenda-length="120"')
        self.assertTrue(response.context["agenda_over"])
        self.assertContains(response, "longer than the meeting")

    def test_supervisor_reads_without_actions(self):
        meeting = self.noticed()
        response = self.login(self.supervisor).get(self.url("meeting", meeting))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["may_act"])
        for name in ("notice", "cancel", "reschedule", "hold", "build", "add_item", "attendance"):
            self.assertNotContains(response, self.url(name, meeting))


@time_machine.travel(NOW, tick=False)
class MeetingActionTests(MeetingAdminCase):
    def test_secretariat_sends_notice(self):
        meeting = self.make()
        add_item(meeting, "议题一", "topic", 30, by=self.secretariat)
        response = self.post(self.secretariat, "notice", meeting)
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.NOTICED)
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("being sent", " ".join(self.message_texts(response)))

    def test_notice_with_empty_agenda_is_refused_with_a_message(self):
        meeting = self.make()
        response = self.post(self.secretariat, "notice", meeting)
        self.assertEqual(response.status_code, 200)
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.DRAFT)
        self.assertIn("The agenda is empty", " ".join(self.message_texts(response)))

    def test_convener_liaison_may_act(self):
        meeting = self.make()
        self.post(self.convener_liaison, "build", meeting)
        self.assertTrue(AgendaItem.objects.filter(meeting=meeting, kind="follow_up").exists())
        meeting.refresh_from_db()
        self.post(self.convener_liaison, "cancel", meeting, {"reason": "与上级会议冲突"})
        meeting.refresh_from_db()
        self.assertEqual((meeting.state, meeting.cancel_reason), (MeetingState.CANCELLED, "与上级会议冲突"))

    def test_other_liaison_is_refused_and_nothing_changes(self):
        meeting = self.noticed()
        before = (meeting.state, meeting.sequence, meeting.starts_at)
        attempts = [
            ("notice", {}),
            ("reschedule", {"date": "2026-03-25", "start_time": "09:30", "end_time": "11:30"}),
            ("cancel", {"reason": "想取消"}),
            ("hold", {}),
            ("build", {}),
            ("add_item", {"title": "私加", "kind": "topic", "minutes": 10}),
            ("attendance", {"unit": self.zgh.pk, "person": "李四"}),
        ]
        for name, data in attempts:
            with self.subTest(name):
                response = self.post(self.other_liaison, name, meeting, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("Only the secretariat", " ".join(self.message_texts(response)))
        item = meeting.agenda_items.get()
        for name, data in [("remove", {"reason": "不要"}), ("move", {"direction": "down"})]:
            with self.subTest(name):
                response = self.post(self.other_liaison, name, meeting, data, item.pk)
                self.assertIn("Only the secretariat", " ".join(self.message_texts(response)))
        meeting.refresh_from_db()
        self.assertEqual((meeting.state, meeting.sequence, meeting.starts_at), before)
        self.assertEqual(meeting.agenda_items.filter(removed_at=None).count(), 1)
        self.assertFalse(Attendance.objects.exists())

    def test_supervisor_post_is_refused(self):
        meeting = self.noticed()
        response = self.post(self.supervisor, "hold", meeting)
        self.assertIn("Only the secretariat", " ".join(self.message_texts(response)))
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.NOTICED)

    def test_reschedule_raises_the_sequence_and_resends(self):
        meeting = self.noticed()
        mail.outbox.clear()
        self.post(self.secretariat, "reschedule", meeting, {
            "date": "2026-03-26", "start_time": "14:30", "end_time": "16:30", "place": "视频会议",
        })  # fmt: skip
        meeting.refresh_from_db()
        self.assertEqual(meeting.starts_at, datetime.datetime(2026, 3, 26, 14, 30, tzinfo=SHANGHAI))
        self.assertEqual((meeting.sequence, meeting.place), (1, "视频会议"))
        self.assertEqual(len(mail.outbox), 2)

    def test_hold_and_attendance_and_quorum(self):
        meeting = self.noticed()
        for unit, person in [(self.mz, "王五"), (self.tsw, "赵六")]:
            self.post(self.secretariat, "attendance", meeting, {"unit": unit.pk, "person": person})
        self.post(self.secretariat, "attendance", meeting, {
            "unit": self.zgh.pk, "person": "钱七", "arrived_late": "on", "note": "路上堵车",
        })  # fmt: skip
        self.assertTrue(Attendance.objects.get(person="钱七").arrived_late)
        response = self.post(self.secretariat, "hold", meeting)
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.HELD)
        self.assertContains(response, 'data-quorum="reached"')
        self.assertContains(response, "3 of 3 active member units present; 2 needed.")

    def test_agenda_add_move_and_remove_with_reason(self):
        meeting = self.make()
        self.post(self.secretariat, "add_item", meeting, {"title": "甲", "kind": "topic", "minutes": 20})
        self.post(self.secretariat, "add_item", meeting, {
            "title": "乙", "kind": "unit_report", "minutes": 15, "presenter": self.zgh.pk,
        })  # fmt: skip
        first, second = meeting.agenda_items.order_by("order")
        self.assertEqual(second.presenter, self.zgh)
        self.post(self.secretariat, "move", meeting, {"direction": "down"}, first.pk)
        self.assertEqual(list(meeting.agenda_items.order_by("order").values_list("title", flat=True)), ["乙", "甲"])
        response = self.post(self.secretariat, "remove", meeting, {"reason": "下次再议"}, first.pk)
        first.refresh_from_db()
        self.assertEqual(first.removed_reason, "下次再议")
        self.assertContains(response, f'data-removed="{first.pk}"')
        self.assertContains(response, "下次再议")
        self.assertEqual(response.context["agenda_total"], 15)

    def test_stale_page_is_refused(self):
        meeting = self.noticed()
        self.login(self.secretariat)
        response = self.client.post(self.url("cancel", meeting), {"state": "draft", "reason": "旧页面"}, follow=True)
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.NOTICED)
        self.assertEqual(len(list(response.context["messages"])), 1)


@time_machine.travel(NOW, tick=False)
class BadInputTests(MeetingAdminCase):
    def assert_refused(self, response, meeting, before):
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.message_texts(response))
        meeting.refresh_from_db()
        self.assertEqual((meeting.state, meeting.sequence, meeting.starts_at, meeting.ends_at), before)

    def snapshot(self, meeting):
        return (meeting.state, meeting.sequence, meeting.starts_at, meeting.ends_at)

    def test_reschedule_without_times(self):
        meeting = self.noticed()
        response = self.post(self.secretariat, "reschedule", meeting, {"date": "", "start_time": "", "end_time": ""})
        self.assert_refused(response, meeting, self.snapshot(meeting))
        self.assertTrue(response.context["forms"]["reschedule"].errors)

    def test_reschedule_end_before_start(self):
        meeting = self.noticed()
        response = self.post(self.secretariat, "reschedule", meeting, {
            "date": "2026-03-26", "start_time": "14:30", "end_time": "09:00",
        })  # fmt: skip
        self.assert_refused(response, meeting, self.snapshot(meeting))
        self.assertIn("会议结束时间必须晚于开始时间", str(response.context["forms"]["reschedule"].errors))

    def test_reschedule_outside_any_convener_term(self):
        meeting = self.noticed()
        response = self.post(self.secretariat, "reschedule", meeting, {
            "date": "2024-03-26", "start_time": "09:30", "end_time": "11:30",
        })  # fmt: skip
        self.assert_refused(response, meeting, self.snapshot(meeting))

    def test_cancel_without_reason(self):
        meeting = self.noticed()
        response = self.post(self.secretariat, "cancel", meeting, {"reason": "  "})
        self.assert_refused(response, meeting, self.snapshot(meeting))

    def test_remove_without_reason(self):
        meeting = self.make()
        item = add_item(meeting, "议题一", "topic", 30, by=self.secretariat)
        meeting.refresh_from_db()
        response = self.post(self.secretariat, "remove", meeting, {"reason": ""}, item.pk)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.message_texts(response))
        self.assertEqual(response.context["bound_item"], item.pk)  # the item's remove form opens with the error
        item.refresh_from_db()
        self.assertFalse(item.is_removed)

    def test_add_item_without_title_or_minutes(self):
        meeting = self.make()
        response = self.post(self.secretariat, "add_item", meeting, {"title": "", "kind": "topic", "minutes": 0})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(meeting.agenda_items.exists())

    def test_attendance_without_person(self):
        meeting = self.noticed()
        response = self.post(self.secretariat, "attendance", meeting, {"unit": self.mz.pk, "person": ""})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Attendance.objects.exists())

    def test_action_on_a_cancelled_meeting_is_refused(self):
        meeting = self.make()
        self.post(self.secretariat, "cancel", meeting, {"reason": "取消"})
        meeting.refresh_from_db()
        response = self.post(self.secretariat, "hold", meeting)
        self.assertEqual(response.status_code, 200)
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.CANCELLED)


@time_machine.travel(NOW, tick=False)
class NewMeetingTests(MeetingAdminCase):
    def form(self, **kw):
        data = {
            "mechanism": self.province.pk, "kind": "regular", "title": "", "date": "2026-04-14",
            "start_time": "09:30", "end_time": "11:30", "place": "三楼会议室", "video_link": "", "chair": "",
            "invited_units": [self.mz.pk, self.tsw.pk], "guests": "",
        }  # fmt: skip
        data.update(kw)
        return data

    def test_form_defaults_to_all_active_units(self):
        response = self.login(self.secretariat).get(reverse("meetings_admin:new"))
        self.assertEqual(response.status_code, 200)
        initial = set(response.context["form"].initial["invited_units"])
        self.assertEqual(initial, {self.mz.pk, self.zgh.pk, self.tsw.pk})
        self.assertNotIn(self.ty_mz, response.context["form"].fields["invited_units"].queryset)

    def test_secretariat_creates_a_draft(self):
        self.login(self.secretariat)
        response = self.client.post(reverse("meetings_admin:new"), self.form())
        meeting = Meeting.objects.get()
        self.assertRedirects(response, reverse("meetings_admin:meeting", args=[meeting.pk]))
        self.assertEqual(meeting.starts_at, datetime.datetime(2026, 4, 14, 9, 30, tzinfo=SHANGHAI))
        self.assertEqual(set(meeting.invited_units.all()), {self.mz, self.tsw})
        self.assertEqual(meeting.convener, self.tsw)

    def test_convener_liaison_creates(self):
        self.login(self.convener_liaison)
        self.client.post(reverse("meetings_admin:new"), self.form())
        self.assertEqual(Meeting.objects.get().created_by, self.convener_liaison)

    def test_end_before_start_is_refused(self):
        self.login(self.secretariat)
        response = self.client.post(reverse("meetings_admin:new"), self.form(end_time="08:00"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Meeting.objects.exists())
        self.assertTrue(response.context["form"].errors["end_time"])

    def test_date_outside_convener_terms_is_refused(self):
        self.login(self.secretariat)
        response = self.client.post(reverse("meetings_admin:new"), self.form(date="2024-04-16"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Meeting.objects.exists())
        self.assertTrue(response.context["form"].errors["date"])

    def test_units_of_another_mechanism_are_refused(self):
        self.login(self.secretariat)
        response = self.client.post(reverse("meetings_admin:new"), self.form(invited_units=[self.ty_mz.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Meeting.objects.exists())

    def test_others_may_not_create(self):
        for user in (self.other_liaison, self.supervisor):
            with self.subTest(user.username):
                self.login(user)
                response = self.client.post(reverse("meetings_admin:new"), self.form())
                self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)
        self.assertFalse(Meeting.objects.exists())
