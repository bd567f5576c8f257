"""Corrections on the meeting screen: a draft's time and place (a noticed meeting only through reschedule), and an
attendance recorded by mistake."""

import time_machine
from django.urls import reverse

from meetings.models import MeetingState
from meetings.services import record_attendance

from .test_admin_meeting import NOW, MeetingAdminCase


@time_machine.travel(NOW, tick=False)
class EditDraftTests(MeetingAdminCase):
    CHANGE = {"date": "2026-03-26", "start_time": "14:30", "end_time": "16:30", "place": "省总工会二楼会议室"}

    def test_the_secretariat_changes_a_drafts_time_and_place(self):
        meeting = self.make()
        self.post(self.secretariat, "edit", meeting, self.CHANGE)
        meeting.refresh_from_db()
        self.assertEqual(meeting.place, "省总工会二楼会议室")
        self.assertEqual(meeting.starts_at.astimezone(NOW.tzinfo).strftime("%Y-%m-%d %H:%M"), "2026-03-26 14:30")
        self.assertEqual((meeting.state, meeting.sequence), (MeetingState.DRAFT, 0))

    def test_the_edit_form_is_offered_on_a_draft_only(self):
        draft, noticed = self.make(), self.noticed()
        self.login(self.secretariat)
        self.assertContains(self.client.get(self.url("meeting", draft)), f"/admin/meetings/{draft.pk}/edit/")
        self.assertNotContains(self.client.get(self.url("meeting", noticed)), f"/admin/meetings/{noticed.pk}/edit/")

    def test_a_noticed_meeting_and_other_users_change_nothing(self):
        noticed = self.noticed()
        self.post(self.secretariat, "edit", noticed, self.CHANGE)
        draft = self.make()
        self.post(self.other_liaison, "edit", draft, self.CHANGE)
        for meeting in (noticed, draft):
            meeting.refresh_from_db()
            self.assertEqual(meeting.place, "省民政厅三楼会议室")

    def test_bad_times_are_refused(self):
        draft = self.make()
        response = self.post(self.secretariat, "edit", draft, {**self.CHANGE, "end_time": "09:00"})
        self.assertEqual(response.status_code, 200)
        draft.refresh_from_db()
        self.assertEqual(draft.place, "省民政厅三楼会议室")


@time_machine.travel(NOW, tick=False)
class RemoveAttendanceTests(MeetingAdminCase):
    def setUp(self):
        self.meeting = self.noticed()
        self.present = record_attendance(self.meeting, self.zgh, "李主席", by=self.secretariat)

    def url_for(self, attendance):
        return reverse("meetings_admin:remove_attendance", args=[self.meeting.pk, attendance.pk])

    def test_the_secretariat_takes_back_an_attendance_recorded_by_mistake(self):
        self.login(self.secretariat)
        self.assertContains(self.client.get(self.url("meeting", self.meeting)), self.url_for(self.present))
        self.post(self.secretariat, "remove_attendance", self.meeting, None, self.present.pk)
        self.assertFalse(self.meeting.attendance.exists())

    def test_others_cannot_and_the_outsider_gets_404(self):
        self.post(self.other_liaison, "remove_attendance", self.meeting, None, self.present.pk)
        self.assertTrue(self.meeting.attendance.filter(pk=self.present.pk).exists())
        self.login(self.outsider)
        response = self.client.post(self.url_for(self.present), {"state": "noticed"})
        self.assertEqual(response.status_code, 404)
        self.assertTrue(self.meeting.attendance.filter(pk=self.present.pk).exists())
