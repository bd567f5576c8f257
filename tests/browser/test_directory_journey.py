"""The public help directory and home page in a real browser, on a 360 px phone."""

import re

from .base import PHONE, BrowserTestCase


class DirectoryJourneyTest(BrowserTestCase):
    def section(self, page, heading):
        return page.locator("section.directory-section", has=page.get_by_role("heading", name=heading, exact=True))

    def test_journey_5_visitor_on_a_360px_phone_finds_the_12349_hotline(self):
        page = self.new_page()
        self.visit(page, "/")
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"])
        self.visit(page, "/help/")
        link = self.section(page, "基本生活").locator("a[href='tel:12349']")
        self.assertEqual(link.count(), 1)
        self.assertTrue(link.is_visible())
        self.assertEqual(link.inner_text().strip(), "12349")
        # Readable on the phone: nothing wider than the screen.
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"])
        # Narrowed to what the visitor needs: the filters are links.
        with page.expect_navigation():
            page.locator("nav.filter").get_by_role("link", name="心理支持", exact=True).click()
        self.audit(page)
        self.assertGreater(page.locator("a[href='tel:12338']").count(), 0)
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"])
        self.assert_every_page_accessible()

    def test_filters_are_plain_links_that_work_without_javascript(self):
        page = self.new_page(javascript=False)
        page.goto("/help/")
        self.assertEqual(page.locator("a[href='tel:12351']").count() > 0, True)
        with page.expect_navigation():
            page.locator("nav.filter").get_by_role("link", name="妇女", exact=True).click()
        self.assertIn("group=women", page.url)
        self.assertGreater(page.locator("a[href='tel:12338']").count(), 0)
        self.assertEqual(page.locator("a[href='tel:12351']").count(), 0)  # the workers' hotline serves workers
        with page.expect_navigation():
            page.locator("nav.filter").get_by_role("link", name="心理支持", exact=True).click()
        self.assertIn("group=women", page.url)
        self.assertIn("need=psychological", page.url)
        self.assertGreater(page.locator("a[href='tel:12338']").count(), 0)
        self.assertEqual(self.section(page, "基本生活").count(), 0)  # only the chosen need is listed
        with page.expect_navigation():
            page.get_by_role("link", name="清除全部筛选").click()
        self.assertGreater(page.locator("a[href='tel:12351']").count(), 0)

    def test_home_page_names_this_years_convener_and_the_units(self):
        page = self.new_page()
        page.goto("/")
        self.assertEqual(page.inner_text(".convener").strip(), "共青团山西省委员会")  # the demo's current term
        text = page.inner_text("main")
        self.assertIn("山西省民政厅", text)
        self.assertIn("山西省残疾人联合会", text)
        self.assertEqual(page.locator("html").get_attribute("lang"), "zh-Hans")

    def test_printing_the_directory_by_unit_gives_one_a4_page_per_unit(self):
        page = self.new_page(viewport={"width": 1000, "height": 1400})
        page.goto("/help/?by=unit")
        units = page.locator("section.directory-section").count()
        self.assertGreaterEqual(units, 7)
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        self.assertEqual(pages, units)
