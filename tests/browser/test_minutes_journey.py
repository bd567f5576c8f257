"""Minutes in a real browser, on the demo data: the last units answer, the secretariat revises the minutes, this year's
convener approves them, the decisions become assignments; a liaison finds its action item on its dashboard
and downloads the approved minutes as a .docx in the official layout."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from mechanism.models import Assignment
from meetings.models import Decision, Minutes, MinutesState, ReviewResponse
from meetings.services import agree_to_minutes, pending_reviewers
from tests.docx_checks import all_text, assert_official_layout, open_docx

from .base import BrowserTestCase

User = get_user_model()


class MinutesJourneyTest(BrowserTestCase):
    def test_secretariat_revises_the_convener_approves_and_the_action_items_reach_the_units(self):
        minutes = Minutes.objects.get(state=MinutesState.IN_REVIEW)
        url = f"/admin/meetings/{minutes.meeting_id}/minutes/"
        # The units still asked answer: the first in the browser, the others through the service.
        first, *others = pending_reviewers(minutes)
        page = self.login(f"liaison_{first.code}")
        page.goto(url)
        with page.expect_navigation():
            page.get_by_role("button", name="同意", exact=True).click()
        self.assertTrue(ReviewResponse.objects.filter(unit=first, agreed=True).exists())
        for unit in others:
            agree_to_minutes(minutes, unit, by=User.objects.get(username=f"liaison_{unit.code}"))

        page = self.login("secretariat")
        page.goto(url)
        page.locator("summary", has_text="修订").first.click()
        page.fill("#id_revise_reason", "采纳省总工会的意见")
        with page.expect_navigation():
            page.get_by_role("button", name="开始新的修订稿").click()
        minutes.refresh_from_db()
        self.assertEqual((minutes.state, minutes.revision), (MinutesState.REVISED, 2))
        page.goto(url)  # without the success message, which axe catches mid-fade
        self.assertEqual(self.axe_serious(page), [])

        convener = minutes.meeting.mechanism.convener_on(timezone.now())
        page = self.login(f"liaison_{convener.code}")
        page.goto(url)
        with page.expect_navigation():
            page.get_by_role("button", name="审定会议纪要").click()
        minutes.refresh_from_db()
        self.assertEqual(minutes.state, MinutesState.APPROVED)
        created = Assignment.objects.filter(decision__item__minutes=minutes)
        self.assertTrue(created.exists())
        self.assertEqual(created.count(), Decision.objects.filter(item__minutes=minutes).exclude(units=None).count())

        action = created.filter(case=None).select_related("unit").first()
        page = self.login(f"liaison_{action.unit.code}")
        page.goto("/admin/casework/")
        self.assertIn(action.task.splitlines()[0], page.inner_text("main"))

        page.goto(url)
        with page.expect_download() as download:
            page.click(f"a[href='/admin/documents/minutes/{minutes.meeting_id}/']")
        document = open_docx(Path(download.value.path()).read_bytes())
        title = f"{minutes.meeting.name}纪要"
        assert_official_layout(self, document, title)
        text = all_text(document)
        for decision in Decision.objects.filter(item__minutes=minutes):
            self.assertIn(decision.text, text)
        self.assertNotIn("草稿", text)
