"""The secretariat prepares a meeting in a real browser: a draft, the agenda built, the notice sent."""

import datetime

from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting, MeetingState

from .base import BrowserTestCase


class MeetingJourneyTest(BrowserTestCase):
    def test_secretariat_builds_an_agenda_and_sends_the_notice_with_its_invitation(self):
        page = self.new_page(viewport={"width": 1280, "height": 1000})
        page.goto("/admin/login/")
        page.fill("input[name=username]", "secretariat")
        page.fill("input[name=password]", "xianjie-demo")
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")

        day = timezone.localdate() + datetime.timedelta(days=21)
        page.goto("/admin/meetings/new/")
        page.fill("input[name=date]", day.isoformat())
        page.fill("input[name=start_time]", "09:30")
        page.fill("input[name=end_time]", "11:30")
        page.fill("input[name=place]", "省民政厅三楼会议室")
        with page.expect_navigation():
            page.get_by_role("button", name="创建会议草稿").click()
        meeting = Meeting.objects.get(place="省民政厅三楼会议室")
        self.assertIn(f"/admin/meetings/{meeting.pk}/", page.url)

        with page.expect_navigation():
            page.get_by_role("button", name="生成议程").click()
        self.assertGreater(meeting.agenda_items.filter(removed_at=None).count(), 0)
        self.assertIn("落实情况", page.inner_text("main"))

        mail.outbox.clear()
        with page.expect_navigation():
            page.get_by_role("button", name="发送会议通知").click()
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.NOTICED)
        self.assertTrue(mail.outbox)
        message = mail.outbox[0]
        self.assertIn(meeting.name, message.subject)
        ics = next(part for part in message.message().walk() if part.get_content_type() == "text/calendar")
        calendar = Calendar.from_ical(ics.get_payload(decode=True))
        event = calendar.walk("VEVENT")[0]
        self.assertEqual(str(calendar["METHOD"]), "REQUEST")
        self.assertEqual(str(event["UID"]), meeting.ical_uid)
        self.assertEqual(str(event["LOCATION"]).split("\n")[0].strip(), "省民政厅三楼会议室")
