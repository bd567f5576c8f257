"""The back office in a real browser: a member of the secretariat logs in and reaches the casework."""

from .base import BrowserTestCase


class AdminLoginJourneyTest(BrowserTestCase):
    def test_secretariat_logs_in_through_the_form_and_sees_the_triage_panel(self):
        page = self.new_page(viewport={"width": 1280, "height": 900})
        page.goto("/admin/login/")
        page.fill("input[name=username]", "secretariat")
        page.fill("input[name=password]", "xianjie-demo")
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        body = page.inner_text("main")
        self.assertIn("已上报，待分办: 8", body)

    def test_wrong_password_keeps_the_visitor_on_the_login_form(self):
        page = self.new_page(viewport={"width": 1280, "height": 900})
        page.goto("/admin/login/")
        page.fill("input[name=username]", "secretariat")
        page.fill("input[name=password]", "wrong")
        with page.expect_navigation():
            page.click("button[type=submit]")
        self.assertIn("/admin/login/", page.url)
        self.assertTrue(page.locator("input[name=password]").is_visible())
        self.assertNotIn("已上报，待分办", page.inner_text("body"))
