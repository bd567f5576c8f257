"""A person asks for help online on a phone, in a real browser, and gets a reference number."""

import re
from urllib.parse import urlsplit

from mechanism.models import Case, CaseSource, CaseState

from .base import BrowserTestCase


class HelpRequestJourneyTest(BrowserTestCase):
    def send_request(self, page):
        page.goto("/help/request/")
        page.fill("input[name=name]", "李秀英")
        page.fill("input[name=phone]", "139 3511 2233")
        page.select_option("select[name=area]", "140100")
        page.check("input[name=needs][value=medical]")
        page.fill("textarea[name=situation]", "丈夫住院，两个孩子上学，家中无固定收入。")
        page.check("input[name=consent]")
        page.click("button[type=submit]")
        page.wait_for_url("**/help/request/sent/")

    def test_a_request_sent_from_a_phone_shows_its_reference_and_lands_in_the_triage_queue(self):
        before = Case.objects.count()
        page = self.new_page()
        self.send_request(page)
        reference = page.inner_text(".request-reference").strip()
        self.assertRegex(reference, r"^XJ-\d{4}-\d{6}$")
        case = Case.objects.get(reference=reference, mechanism__area__code="140100")
        self.assertEqual(Case.objects.count(), before + 1)
        self.assertEqual(
            (case.source, case.state, case.needs), (CaseSource.ONLINE_FORM, CaseState.REPORTED, ["medical"])
        )
        # Neither the phone nor the reference in the address (its path and query: the port is random).
        sent = urlsplit(page.url)
        self.assertNotIn("139", f"{sent.path}?{sent.query}")
        self.assertNotIn(reference, page.url)

    def test_a_request_without_consent_is_answered_with_the_form_and_a_message(self):
        before = Case.objects.count()
        page = self.new_page(javascript=False)
        page.goto("/help/request/")
        page.fill("input[name=name]", "李秀英")
        page.fill("input[name=phone]", "139 3511 2233")
        page.check("input[name=needs][value=medical]")
        with page.expect_navigation():
            page.click("button[type=submit]")
        self.assertIn("/help/request/", page.url)
        self.assertEqual(page.input_value("input[name=name]"), "李秀英")
        self.assertTrue(re.search(r"同意", page.inner_text("main")))
        self.assertEqual(Case.objects.count(), before)

    def test_the_request_form_has_no_serious_accessibility_violation(self):
        page = self.new_page()
        page.goto("/help/request/")
        self.assertEqual(self.axe_serious(page), [])
