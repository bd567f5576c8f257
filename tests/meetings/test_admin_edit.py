"""A draft's time and place are changed on its screen; a noticed meeting only through reschedule."""

import time_machine

from meetings.models import MeetingState

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
