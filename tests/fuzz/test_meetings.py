"""Bad input on the meeting screens: new meeting, agenda builder and actions, minutes, series, topics."""

from django.urls import reverse

from tests.meetings.factories import AgendaItemFactory, MeetingFactory, MeetingSeriesFactory, held_meeting

from .harness import FuzzTestCase

SKIP = ("logout",)


class MeetingFuzzTests(FuzzTestCase):
    def test_new_meeting(self):
        self.login(self.secretariat)
        self.fuzz_page(reverse("meetings_admin:new"), "meeting create", per_form=25, skip=SKIP)

    def test_draft_meeting_agenda_builder_and_notice(self):
        meeting = MeetingFactory(mechanism=self.province, invited_units=[self.mz, self.zgh, self.tsw])
        AgendaItemFactory(meeting=meeting, order=1, title="议题一")
        AgendaItemFactory(meeting=meeting, order=2, title="议题二")
        self.login(self.secretariat)
        self.fuzz_page(reverse("meetings_admin:meeting", args=[meeting.pk]), "meeting (draft)", skip=SKIP)

    def test_held_meeting_attendance_and_minutes(self):
        meeting = held_meeting(self.province, self.secretariat, attendees=[self.mz, self.zgh])
        self.login(self.secretariat)
        self.fuzz_page(reverse("meetings_admin:meeting", args=[meeting.pk]), "meeting (held)", skip=SKIP)
        start = self.page_form(reverse("meetings_admin:meeting", args=[meeting.pk]), "/minutes/start/")
        self.assertEqual(self.client.post(start.action, start.payload).status_code, 302)
        self.fuzz_page(reverse("meetings_admin:minutes", args=[meeting.pk]), "minutes (draft)", skip=SKIP)

    def test_series(self):
        series = MeetingSeriesFactory(mechanism=self.province)
        self.login(self.secretariat)
        form = self.page_form(reverse("meeting-series:edit", args=[series.pk]), "/edit/")
        self.fuzz(form.action, form.payload, "meeting series: edit", max_examples=15)
        self.fuzz(reverse("meeting-series:add"), form.payload, "meeting series: add", max_examples=15)

    def test_topics(self):
        self.login(self.other_liaison)
        self.fuzz_page(reverse("meetings_admin:topics"), "topic proposal", skip=SKIP)
