"""A person asks for help online on a phone, in a real browser, and gets a reference number; the secretariat
triages it and refers it to two units, and the referral letter downloads (journey 1 of issue 9)."""

import datetime
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.utils import timezone

from mechanism.documents.builder import chinese_date
from mechanism.models import Case, CaseSource, CaseState, MemberUnit
from tests.docx_checks import all_text, open_docx

from .base import BrowserTestCase

TASK = "请为其办理临时救助，并协助两个孩子申请助学金。"


class HelpRequestJourneyTest(BrowserTestCase):
    def send_request(self, page, area="140100"):
        self.visit(page, "/help/request/")
        page.fill("input[name=name]", "李秀英")
        page.fill("input[name=phone]", "139 3511 2233")
        page.select_option("select[name=area]", area)
        page.check("input[name=needs][value=medical]")
        page.fill("textarea[name=situation]", "丈夫住院，两个孩子上学，家中无固定收入。")
        page.check("input[name=consent]")
        page.click("button[type=submit]")
        page.wait_for_url("**/help/request/sent/")
        self.audit(page)

    def test_journey_1_triage_refer_letter(self):
        """A request sent from the public form on a phone is accepted by the secretariat, referred to two units
        with a due date and a task, and the referral letter of each downloads with the reference, the unit, the
        task and the due date."""
        visitor = self.new_page()
        self.send_request(visitor, area="140000")
        reference = visitor.inner_text(".request-reference").strip()
        case = Case.objects.get(reference=reference, mechanism__area__code="140000")
        self.assertEqual((case.source, case.state), (CaseSource.ONLINE_FORM, CaseState.REPORTED))

        page = self.login("secretariat")
        self.visit(page, "/admin/casework/?state=reported")
        with page.expect_navigation():
            page.get_by_role("link", name=reference, exact=True).click()
        self.audit(page)
        self.assertIn(f"/admin/casework/case/{case.pk}/", page.url)

        self.submit(page, self.action_form(page, "accept").locator("button[type=submit]"))
        case.refresh_from_db()
        self.assertEqual(case.state, CaseState.ACCEPTED)

        units = [MemberUnit.objects.get(mechanism=case.mechanism, code=code) for code in ("zgh", "fl")]
        due = timezone.localdate() + datetime.timedelta(days=12)
        form = self.action_form(page, "refer")
        for unit in units:
            form.locator(f"input[name=units][value='{unit.pk}']").check()
        form.locator("input[name=due_on]").fill(due.isoformat())
        form.locator("textarea[name=task]").fill(TASK)
        self.submit(page, form.locator("button[type=submit]"))
        case.refresh_from_db()
        self.assertEqual(case.state, CaseState.REFERRED)
        assignments = list(case.assignments.order_by("pk"))
        self.assertEqual({a.unit_id for a in assignments}, {unit.pk for unit in units})
        self.assertEqual({a.due_on for a in assignments}, {due})

        for assignment in assignments:
            with page.expect_download() as download:
                page.click(f"a[href='/admin/documents/referral/{assignment.pk}/']")
            self.assertTrue(download.value.suggested_filename.endswith(".docx"))
            text = all_text(open_docx(Path(download.value.path()).read_bytes()))
            self.assertIn(reference, text)
            self.assertIn(assignment.unit.name, text)
            self.assertIn(TASK, text)
            self.assertIn(chinese_date(due), text)
        self.assert_every_page_accessible()

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
        self.assert_every_page_accessible()

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
