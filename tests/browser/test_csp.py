"""The content security policy in a real browser: the admin's main screens and the public pages run under it.

Every page is opened as the demo secretariat (the public ones anonymously too), the page editor as a
superuser; a listener installed before any script records each `securitypolicyviolation`, and the console's
errors are kept: both must stay empty.
"""

import re

from django.contrib.auth import get_user_model

from mechanism.models import Case, HelpChannel, Mechanism
from meetings.models import Meeting, MeetingState, Minutes
from rotation.models import AnnualSummary, Handover
from xianjie.models import MechanismHomePage

from .base import BrowserTestCase

LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""

PUBLIC = ["/", "/help/", "/help/?by=unit", "/help/request/"]
DRAFTAIL_STYLE = re.compile(
    r"^(/admin/pages/\d+/edit/: )?style-src-elem inline http://[^ ]+/static/wagtailadmin/js/vendor\.js:\d+$"
    r"|^console: Applying inline style violates the following Content Security Policy directive 'style-src"
)


class ContentSecurityPolicyJourneyTest(BrowserTestCase):
    def admin_screens(self):
        province = Mechanism.objects.get(area__code="140000")
        meeting = Meeting.objects.filter(mechanism=province, state=MeetingState.DRAFT).first()
        minutes = Minutes.objects.filter(meeting__mechanism=province).first()
        summary = AnnualSummary.objects.filter(mechanism=province).first()
        return [
            "/admin/",
            "/admin/casework/",
            "/admin/casework/cases/",
            f"/admin/casework/case/{Case.objects.filter(mechanism=province).first().pk}/",
            "/admin/meetings/",
            "/admin/meetings/new/",
            f"/admin/meetings/{meeting.pk}/",
            f"/admin/meetings/{minutes.meeting_id}/minutes/",
            f"/admin/handovers/{Handover.objects.filter(mechanism=province).first().pk}/",
            "/admin/summaries/",
            f"/admin/summaries/{summary.pk}/",
            f"/admin/summaries/{summary.pk}/edit/",
            "/admin/helpchannel/",
            f"/admin/helpchannel/edit/{HelpChannel.objects.filter(unit__mechanism=province).first().pk}/",
            "/admin/lockouts/",
            *PUBLIC,
        ]

    def open_and_collect(self, page, paths):
        problems = []
        # A missing resource is reported by its URL (the console's message names none); no favicon is served.
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not message.text.startswith("Failed to load resource")
                and problems.append(f"console: {message.text}")
            ),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and not response.url.endswith("/favicon.ico")
                and problems.append(f"{response.status}: {response.url}")
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"error: {error}"))
        page.add_init_script(LISTENER)
        for path in paths:
            response = page.goto(path)
            self.assertLess(response.status, 400, path)
            self.assertIn("script-src 'self'", response.headers.get("content-security-policy", ""), path)
            page.wait_for_load_state("networkidle")
            problems += [f"{path}: {found}" for found in page.evaluate("window.__cspViolations")]
        return problems

    maxDiff = None

    def test_the_admin_main_screens_run_without_a_policy_violation(self):
        page = self.login("secretariat")
        self.assertEqual(self.open_and_collect(page, self.admin_screens()), [])

    def test_the_public_pages_run_without_a_policy_violation_for_a_visitor(self):
        page = self.new_page()
        self.assertEqual(self.open_and_collect(page, PUBLIC), [])

    def test_the_page_editor_its_rich_text_and_its_page_chooser_run_without_a_script_violation(self):
        get_user_model().objects.create_superuser("root", "root@example.org", "xianjie-demo")
        home = MechanismHomePage.objects.get(mechanism__area__code="140000")
        page = self.login("root")
        problems = self.open_and_collect(page, [f"/admin/pages/{home.pk}/edit/"])
        editor = page.locator(".Draftail-Editor [contenteditable=true]").first
        editor.click()
        page.keyboard.press("End")
        page.keyboard.type(" 链接")
        page.keyboard.press("Shift+Home")
        page.keyboard.press("Control+k")  # Draftail's link: Wagtail's page chooser in a modal
        modal = page.locator(".modal.in")
        choice = modal.get_by_role("link", name=home.title, exact=True)
        choice.wait_for()
        choice.click()  # the modal's own script takes the choice back to the editor
        modal.wait_for(state="hidden")
        self.assertEqual(page.locator(".Draftail-Editor .TooltipEntity").count(), 1)
        problems += page.evaluate("window.__cspViolations")
        # Draftail renders <style> elements (empty-block placeholders keyed by the random block key, nested list
        # counters) with no nonce: blocked by style-src, cosmetic only. Anything else must stay empty.
        drafts = [found for found in problems if DRAFTAIL_STYLE.search(found)]
        self.assertEqual([found for found in problems if found not in drafts], [])
