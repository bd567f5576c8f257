"""The mechanism home pages: the site root, units, this year's convener from ConvenerTerm, projects,
the directory below a city's page, the editor's screen and the demo page tree."""

import datetime
import io
import re

import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from mechanism.models import BrandProject, ConvenerTerm
from tests.factories import MemberUnitFactory, jan1
from tests.xianjie.test_directory import MID_2026, ChannelWorld, make_channel, tel
from xianjie.models import MechanismHomePage
from xianjie.public.pages import install_home_pages

SLUGS = {"140000": "shanxi", "140100": "taiyuan"}


def section(html, heading_id):
    match = re.search(rf'<section aria-labelledby="{heading_id}">.*?</section>', html, re.S)
    return match.group(0) if match else ""


class HomePageWorld(ChannelWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pages = install_home_pages(slugs=SLUGS, intros={"140000": "<p>机制介绍：让困难群众知道到哪里求助。</p>"})
        cls.project = BrandProject.objects.create(
            unit=cls.zgh, name="金秋助学", summary="资助困难职工子女上学", url="https://example.org/jinqiu"
        )
        BrandProject.objects.create(unit=cls.gone, name="已退出单位的项目")


class HomePageTest(HomePageWorld):
    def test_province_page_is_the_site_root_and_the_welcome_page_is_gone(self):
        site = Site.objects.get(is_default_site=True)
        self.assertEqual(site.root_page.specific, self.pages["140000"])
        self.assertEqual(self.pages["140000"].url, "/")
        self.assertEqual(self.pages["140100"].url, "/taiyuan/")
        self.assertEqual(self.pages["140100"].get_parent().specific, self.pages["140000"])
        self.assertFalse(Page.objects.filter(depth=2).exclude(pk=self.pages["140000"].pk).exists())

    def test_installing_twice_changes_nothing(self):
        before = Page.objects.count()
        again = install_home_pages(slugs=SLUGS)
        self.assertEqual(Page.objects.count(), before)
        self.assertEqual(again["140000"].pk, self.pages["140000"].pk)

    def test_root_shows_intro_units_convener_and_projects(self):
        html = self.get("/")
        self.assertIn("<h1>山西省政府救助与慈善帮扶工作衔接机制</h1>", html)
        self.assertIn("机制介绍：让困难群众知道到哪里求助。", html)
        units = section(html, "units-heading")
        for name in ("山西省民政厅", "山西省总工会", "共青团山西省委员会"):
            self.assertIn(name, units)
        self.assertNotIn("已退出的单位", html)
        self.assertNotIn("太原市民政局", units)
        self.assertIn('<p class="convener">共青团山西省委员会</p>', section(html, "convener-heading"))
        projects = section(html, "projects-heading")
        self.assertIn('<a href="https://example.org/jinqiu" rel="noopener">金秋助学</a>', projects)
        self.assertIn("山西省总工会", projects)
        self.assertNotIn("已退出单位的项目", html)
        self.assertIn('href="/help/"', html)
        self.assertIn('href="/taiyuan/"', html)

    def test_convener_follows_the_terms_not_the_page(self):
        self.assertIn('<p class="convener">共青团山西省委员会</p>', self.get("/"))
        ConvenerTerm.objects.filter(pk=self.tsw_term.pk).update(ends_at=jan1(2026) + datetime.timedelta(days=100))
        ConvenerTerm.objects.create(
            mechanism=self.province, unit=self.mz, starts_at=jan1(2026) + datetime.timedelta(days=100)
        )
        self.assertIn('<p class="convener">山西省民政厅</p>', self.get("/"))

    def test_last_years_convener_in_last_year(self):
        with time_machine.travel(datetime.datetime(2025, 7, 1, 12, 0, tzinfo=MID_2026.tzinfo), tick=False):
            cache.clear()
            self.assertIn('<p class="convener">山西省总工会</p>', self.get("/"))

    def test_city_page_has_its_own_directory_with_the_provincial_channels(self):
        html = self.get("/taiyuan/")
        self.assertIn("太原市民政局", section(html, "units-heading"))
        self.assertIn('href="/taiyuan/help/"', html)
        directory = self.get("/taiyuan/help/")
        self.assertIn(tel(12338), directory)
        self.assertIn(tel(12349), directory)
        self.assertNotIn(tel(12385), directory)  # kept for Datong
        self.assertNotIn(tel(12338), self.get("/taiyuan/help/?need=psychological"))
        self.assertIn('href="/help/channels.json?area=140100"', directory)
        self.assertIn(
            'href="/help/channels.csv?area=140100&amp;need=psychological"',
            self.get("/taiyuan/help/?need=psychological"),
        )
        self.assertIn(
            '"help-channels-140100-', self.client.get("/help/channels.csv?area=140100")["Content-Disposition"]
        )

    def test_city_directory_refuses_areas_outside_the_city(self):
        html = self.get("/taiyuan/help/?area=140200")
        self.assertIn('class="notice"', html)
        self.assertNotIn(tel(12385), html)

    def test_query_count_does_not_grow_with_units_and_projects(self):
        def count():
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.get("/")
            return len(queries)

        small = count()
        for _number in range(8):
            unit = MemberUnitFactory(mechanism=self.province)
            BrandProject.objects.create(unit=unit, name="项目")
            make_channel(unit)
        self.assertEqual(count(), small)

    def test_editor_can_edit_the_intro_in_the_admin(self):
        self.login(self.admin)
        response = self.client.get(f"/admin/pages/{self.pages['140000'].pk}/edit/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="intro"')
        self.assertContains(response, 'name="mechanism"')


@time_machine.travel(MID_2026, tick=False)
class DemoPagesTest(TestCase):
    def test_seed_demo_puts_the_shanxi_home_page_at_the_root_twice_without_duplicates(self):
        cache.clear()
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
        self.assertEqual(MechanismHomePage.objects.count(), 2)
        home = self.client.get("/")
        self.assertContains(home, "山西省政府救助与慈善帮扶工作衔接机制")
        self.assertContains(home, '<p class="convener">')
        self.assertEqual(self.client.get("/taiyuan/").status_code, 200)
        self.assertContains(self.client.get("/help/"), 'href="tel:12349"')
