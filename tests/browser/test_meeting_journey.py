"""A meeting from draft to assignments in a real browser (journey 3 of issue 9): the secretariat builds the agenda and
sends the notice, a liaison answers by the link in the e-mail, attendance is recorded, the minutes are drafted,
reviewed (the liaisons agree) and approved by the convener's liaison, and the decision's assignment reaches the
responsible unit's dashboard."""

import datetime
import re
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar

from mechanism.models import Assignment, MemberUnit
from mechanism.workdays import add_working_days
from meetings.models import (
    Answer,
    AnswerKind,
    Attendance,
    Decision,
    DecisionKind,
    Meeting,
    MeetingState,
    Minutes,
    MinutesState,
)

from .base import BrowserTestCase

PLACE = "省民政厅三楼会议室"
DECISION = "省妇联牵头走访困境妇女家庭"


class MeetingJourneyTest(BrowserTestCase):
    def button(self, page, action, details=False):
        """The submit button of the form posting to `action`, its <details> opened first when asked."""
        if details:
            page.locator(f"details:has(form[action='{action}']) > summary").first.click()
        return page.locator(f"form[action='{action}'] button[type=submit]").first

    def create_and_notice(self, page):
        day = timezone.localdate() + datetime.timedelta(days=21)
        self.visit(page, "/admin/meetings/new/")
        page.fill("input[name=date]", day.isoformat())
        page.fill("input[name=start_time]", "09:30")
        page.fill("input[name=end_time]", "11:30")
        page.fill("input[name=place]", PLACE)
        self.submit(page, page.locator("main form button[type=submit]").last)
        meeting = Meeting.objects.get(place=PLACE)
        self.assertIn(f"/admin/meetings/{meeting.pk}/", page.url)
        base = f"/admin/meetings/{meeting.pk}"
        self.submit(page, self.button(page, f"{base}/build/"))
        self.assertGreater(meeting.agenda_items.filter(removed_at=None).count(), 0)
        mail.outbox.clear()
        self.submit(page, self.button(page, f"{base}/notice/"))
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.NOTICED)
        return meeting

    def answer_by_link(self, meeting, unit):
        """The liaison opens the link of the e-mail the notice sent them (no login) and answers."""
        address = f"liaison_{unit.code}@demo.xianjie.localhost"
        message = next(m for m in mail.outbox if address in m.to)
        link = re.search(r"https?://\S+/meetings/answer/[^/\s]+/", message.body).group(0)
        page = self.new_page()
        self.visit(page, urlsplit(link).path)
        page.check(f"input[name=kind][value={AnswerKind.ATTEND}]")
        self.submit(page, page.locator("main form button[type=submit]"))
        self.assertIn("saved=1", page.url)
        self.assertEqual(Answer.objects.get(meeting=meeting, unit=unit).kind, AnswerKind.ATTEND)

    def record_attendance(self, page, meeting, units):
        action = f"/admin/meetings/{meeting.pk}/attendance/"
        for unit in units:
            self.button(page, action, details=True)
            form = page.locator(f"form[action='{action}']")
            form.locator("select[name=unit]").select_option(str(unit.pk))
            form.locator("input[name=person]").fill(f"{unit.short_name}代表")
            self.submit(page, form.locator("button[type=submit]"))
        self.assertEqual(Attendance.objects.filter(meeting=meeting).count(), len(units))

    def draft_and_send_minutes(self, page, meeting, responsible):
        base = f"/admin/meetings/{meeting.pk}/minutes"
        self.submit(page, self.button(page, f"{base}/start/"))
        if f"{base}/" not in page.url:
            self.visit(page, f"{base}/")
        self.button(page, f"{base}/add_decision/", details=True)
        form = page.locator(f"form[action='{base}/add_decision/']").first
        form.locator("select[name=kind]").select_option(DecisionKind.ACTION.value)
        form.locator("textarea[name=text]").fill(DECISION)
        form.locator(f"input[name=units][value='{responsible.pk}']").check()
        form.locator("input[name=due_on]").fill(add_working_days(timezone.localdate(), 25).day.isoformat())
        self.submit(page, form.locator("button[type=submit]"))
        self.assertTrue(
            Decision.objects.filter(item__minutes__meeting=meeting, text=DECISION).exists(),
            page.locator(".error-message, [role=alert], .messages").all_inner_texts(),
        )
        self.button(page, f"{base}/send/", details=True)
        deadline = add_working_days(timezone.localdate(), 5).day
        page.locator(f"form[action='{base}/send/'] input[name=deadline]").fill(deadline.isoformat())
        self.submit(page, self.button(page, f"{base}/send/"))
        self.assertEqual(Minutes.objects.get(meeting=meeting).state, MinutesState.IN_REVIEW)

    def test_journey_3_agenda_notice_answer_attendance_minutes_assignments(self):
        page = self.login("secretariat")
        meeting = self.create_and_notice(page)
        message = mail.outbox[0]
        self.assertIn(meeting.name, message.subject)
        ics = next(part for part in message.message().walk() if part.get_content_type() == "text/calendar")
        event = Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
        self.assertEqual(str(event["UID"]), meeting.ical_uid)

        units = {unit.code: unit for unit in MemberUnit.objects.filter(mechanism=meeting.mechanism)}
        convener = meeting.mechanism.convener_on(timezone.now())
        present = [units["zgh"], convener]
        self.answer_by_link(meeting, units["zgh"])

        base = f"/admin/meetings/{meeting.pk}"
        self.visit(page, f"{base}/")
        row = page.locator("section[aria-labelledby=meeting-notice] tbody tr", has_text=units["zgh"].name)
        with translation.override("zh-hans"):
            self.assertIn(str(AnswerKind.ATTEND.label), row.inner_text())
        self.submit(page, self.button(page, f"{base}/hold/"))
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.HELD)
        self.record_attendance(page, meeting, present)
        self.draft_and_send_minutes(page, meeting, units["fl"])

        minutes_url = f"{base}/minutes/"
        for unit in present:  # each unit present agrees, its liaison in the browser
            liaison = self.login(f"liaison_{unit.code}")
            self.visit(liaison, minutes_url)
            self.submit(liaison, self.button(liaison, f"{base}/minutes/agree/"))
        self.submit(liaison, self.button(liaison, f"{base}/minutes/approve/"))  # the convener's liaison approves
        minutes = Minutes.objects.get(meeting=meeting)
        self.assertEqual(minutes.state, MinutesState.APPROVED)
        assignment = Assignment.objects.get(decision__item__minutes=minutes, unit=units["fl"])

        responsible = self.login("liaison_fl")
        link = responsible.locator(f"a[href='/admin/casework/assignment/{assignment.pk}/']")
        self.assertEqual(link.count(), 1)
        self.assertIn(DECISION, link.inner_text())
        self.assert_every_page_accessible()
