"""The public help directory at /help/: grouping, links, filters, JSON-LD, queries, bad input."""

import datetime
import json
import re
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mechanism.models import AreaLevel, ChannelKind, HelpChannel, Need, ServedGroup
from tests.base import CastTestCase
from tests.factories import AreaFactory, MemberUnitFactory

MID_2026 = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
EN = {"accept-language": "en"}


def make_channel(unit, areas=(), **fields):
    """A public hotline serving everyone, verified on 2026-05-01, unless told otherwise."""
    fields.setdefault("kind", ChannelKind.HOTLINE)
    fields.setdefault("value", "12349")
    fields.setdefault("groups", [ServedGroup.EVERYONE])
    fields.setdefault("needs", [Need.BASIC_LIVING])
    fields.setdefault("last_verified_on", datetime.date(2026, 5, 1))
    channel = HelpChannel.objects.create(unit=unit, **fields)
    if areas:
        channel.areas.set(areas)
    return channel


def section(html, key):
    """The HTML of one directory section (id="need-basic_living", id="unit-3")."""
    match = re.search(rf'<section class="directory-section" id="{key}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def tel(number):
    return f'href="tel:{number}"'


@time_machine.travel(MID_2026, tick=False)
class ChannelWorld(CastTestCase):
    """The cast with channels: province-wide 12349 (mz), an e-mail (mz), 12351 for workers (zgh),
    12355 for minors (tsw), 12338 for women in Taiyuan (ty_fl), 12385 for Datong only (zgh),
    a hidden landline (zgh) and 12345 of a unit that left."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.datong = AreaFactory(code="140200", name="大同市", level=AreaLevel.CITY, parent=cls.shanxi)
        cls.xiaodian = AreaFactory(code="140105", name="小店区", level=AreaLevel.COUNTY, parent=cls.taiyuan_area)
        cls.hotline = make_channel(
            cls.mz,
            description="民政服务热线",
            needs=[Need.BASIC_LIVING, Need.HOUSING],
            open_24_hours=True,
            display_order=1,
        )
        cls.email = make_channel(
            cls.mz,
            kind=ChannelKind.EMAIL,
            value="jiuzhu@mzt.shanxi.gov.cn",
            description="社会救助来信",
            days=[1, 2, 3, 4, 5],
            opens_at=datetime.time(8, 30),
            closes_at=datetime.time(17, 30),
            hours_note="法定节假日除外",
            display_order=2,
        )
        cls.workers = make_channel(
            cls.zgh, value="12351", groups=[ServedGroup.WORKERS], needs=[Need.EMPLOYMENT, Need.BASIC_LIVING]
        )
        cls.youth = make_channel(cls.tsw, value="12355", groups=[ServedGroup.MINORS], needs=[Need.PSYCHOLOGICAL])
        cls.women = make_channel(cls.ty_fl, value="12338", groups=[ServedGroup.WOMEN])
        cls.datong_only = make_channel(cls.zgh, value="12385", areas=[cls.datong], needs=[Need.DISABILITY])
        cls.hidden = make_channel(cls.zgh, value="+863517777777", is_public=False)
        cls.gone = MemberUnitFactory(
            mechanism=cls.province, code="old", name="已退出的单位", left_on=datetime.date(2025, 12, 31)
        )
        make_channel(cls.gone, value="12345")

    def setUp(self):
        cache.clear()

    def get(self, url="/help/", **headers):
        response = self.client.get(url, headers=headers or None)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()


class DirectoryTest(ChannelWorld):
    def test_12349_under_basic_living_with_a_tel_link(self):
        html = self.get()
        basic = section(html, "need-basic_living")
        self.assertIn("<h2", basic)
        self.assertIn("基本生活", basic)
        self.assertIn(f"{tel(12349)}>12349</a>", basic)
        self.assertIn(tel(12349), section(html, "need-housing"))
        self.assertNotIn(tel(12349), section(html, "need-psychological"))

    def test_email_is_a_mailto_link(self):
        html = self.get()
        self.assertIn('href="mailto:jiuzhu@mzt.shanxi.gov.cn">jiuzhu@mzt.shanxi.gov.cn</a>', html)

    def test_hours_in_words_and_last_verified_date(self):
        html = self.get(**EN)
        self.assertIn("Open 24 hours", html)
        self.assertIn("Mon to Fri 08:30–17:30, 法定节假日除外", html)
        self.assertIn('<time datetime="2026-05-01">2026-05-01</time>', html)
        self.assertIn("Last verified", html)

    def test_non_public_channel_and_unit_that_left_are_hidden(self):
        html = self.get()
        self.assertNotIn("7777777", html)
        self.assertNotIn("12345", html)
        self.assertNotIn("已退出的单位", html)

    def test_by_unit_groups_each_units_channels(self):
        html = self.get("/help/?by=unit")
        mz = section(html, f"unit-{self.mz.pk}")
        self.assertIn("山西省民政厅</h2>", mz)
        self.assertIn(tel(12349), mz)
        self.assertIn("mailto:jiuzhu@mzt.shanxi.gov.cn", mz)
        self.assertNotIn(tel(12351), mz)
        self.assertIn(tel(12351), section(html, f"unit-{self.zgh.pk}"))
        self.assertEqual(section(html, "need-basic_living"), "")
        # Units in directory order: the province's (lead first), then Taiyuan's.
        order = [html.index(f'id="unit-{unit.pk}"') for unit in (self.mz, self.zgh, self.tsw, self.ty_fl)]
        self.assertEqual(order, sorted(order))

    def test_the_grouping_link_keeps_the_filters(self):
        html = self.get("/help/?need=basic_living&area=140100")
        self.assertIn('href="?area=140100&amp;need=basic_living&amp;by=unit"', html)

    def test_json_ld_has_a_government_organization_with_contact_points(self):
        html = self.get()
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        data = json.loads(script)
        self.assertEqual(data["@context"], "https://schema.org")
        mz = next(item for item in data["@graph"] if item["name"] == "山西省民政厅")
        self.assertEqual(mz["@type"], "GovernmentOrganization")
        points = {point.get("telephone") or point.get("email"): point for point in mz["contactPoint"]}
        self.assertEqual(points["12349"]["@type"], "ContactPoint")
        self.assertEqual(points["12349"]["contactType"], "民政服务热线")
        self.assertEqual(points["12349"]["areaServed"], [{"@type": "AdministrativeArea", "name": "山西省"}])
        self.assertEqual(points["12349"]["hoursAvailable"]["opens"], "00:00")
        email_hours = points["jiuzhu@mzt.shanxi.gov.cn"]["hoursAvailable"]
        self.assertEqual(email_hours["dayOfWeek"][0], "https://schema.org/Monday")
        self.assertEqual((email_hours["opens"], email_hours["closes"]), ("08:30", "17:30"))
        self.assertNotIn("7777777", script)

    def test_page_is_accessible_in_its_markup(self):
        html = self.get()
        self.assertIn('<html lang="zh-Hans">', html)
        self.assertIn('<a class="skip-link" href="#main">', html)
        self.assertIn('<main id="main"', html)
        self.assertIn('<meta name="viewport" content="width=device-width, initial-scale=1">', html)
        self.assertEqual(html.count("<h1"), 1)
        self.assertRegex(html, r'<nav class="filter" aria-labelledby="filter-need">\s*<h3 id="filter-need">')

    def test_stylesheets_for_phones_and_print(self):
        html = self.get()
        self.assertIn('public/print.css" media="print"', html)
        with open(finders.find("public/print.css"), encoding="utf-8") as sheet:
            print_css = sheet.read()
        self.assertIn("size: A4", print_css)
        self.assertRegex(print_css, r"\.directory-section\s*\{[^}]*break-after: page")
        with open(finders.find("public/site.css"), encoding="utf-8") as sheet:
            site_css = sheet.read()
        self.assertIn(":focus-visible", site_css)
        self.assertIn("overflow-wrap: anywhere", site_css)


class DirectoryFilterTest(ChannelWorld):
    def numbers(self, query):
        html = self.get(f"/help/{query}")
        return {number for number in ("12349", "12351", "12355", "12338", "12385") if tel(number) in html}

    def test_area_filter_follows_the_area_rule(self):
        # Taiyuan: the province-wide channels and Taiyuan's own, not the one kept for Datong.
        self.assertEqual(self.numbers("?area=140100"), {"12349", "12351", "12355", "12338"})
        # A district of Taiyuan lies within both Taiyuan and Shanxi.
        self.assertEqual(self.numbers("?area=140105"), {"12349", "12351", "12355", "12338"})
        self.assertEqual(self.numbers("?area=140200"), {"12349", "12351", "12355", "12385"})
        self.assertEqual(self.numbers("?area=140000"), {"12349", "12351", "12355"})
        self.assertEqual(self.numbers(""), {"12349", "12351", "12355", "12338", "12385"})

    def test_group_filter_keeps_channels_for_everyone(self):
        self.assertEqual(self.numbers("?group=workers"), {"12349", "12351", "12385"})
        self.assertEqual(self.numbers("?group=minors"), {"12349", "12355", "12385"})

    def test_need_filter_shows_only_that_need(self):
        self.assertEqual(self.numbers("?need=psychological"), {"12355"})
        html = self.get("/help/?need=basic_living")
        self.assertIn('id="need-basic_living"', html)
        self.assertNotIn('id="need-housing"', html)

    def test_filter_combinations(self):
        self.assertEqual(self.numbers("?area=140100&group=women&need=basic_living"), {"12349", "12338"})
        self.assertEqual(self.numbers("?area=140200&group=workers&need=basic_living"), {"12349", "12351"})
        self.assertEqual(self.numbers("?area=140000&group=women"), {"12349"})
        self.assertEqual(self.numbers("?area=140200&need=disability&by=unit"), {"12385"})
        self.assertEqual(self.numbers("?area=140100&need=disability"), set())

    def test_active_filters_are_shown_and_can_be_cleared(self):
        html = self.get("/help/?area=140100&need=basic_living", **EN)
        self.assertIn('<a class="active-filter" href="?need=basic_living">太原市', html)
        self.assertIn('<a class="active-filter" href="?area=140100">Basic living', html)
        self.assertIn('<a href="?">Clear all filters</a>', html)
        self.assertIn('href="?area=140100&amp;need=basic_living" aria-current="true"', html)

    def test_empty_result_says_so(self):
        html = self.get("/help/?area=140100&need=disability", **EN)
        self.assertIn("No help channel matches these filters.", html)

    def test_bad_filter_values_answer_200_with_a_message(self):
        for query in (
            "?need=flying",
            "?area=999999",
            "?area=abc",
            "?group=%3Cscript%3E",
            "?by=colour",
            "?area=14010%00",
            "?need=" + "x" * 5000,
            "?area=140100&area=nonsense",
        ):
            with self.subTest(query=query):
                html = self.get(f"/help/{query}", **EN)
                self.assertIn('class="notice" role="status"', html)
                self.assertIn(tel(12338), html)  # unfiltered: Taiyuan's channel is there too
                self.assertNotIn("<script>", html)

    def test_query_count_does_not_grow_with_rows(self):
        def count():
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.get("/help/?by=unit")
            return len(queries)

        small = count()
        for number in range(12):
            unit = MemberUnitFactory(mechanism=self.province if number % 2 else self.taiyuan)
            make_channel(unit, value=f"+8635170000{number:02d}", areas=[self.taiyuan_area, self.xiaodian])
        large = count()
        self.assertEqual(small, large)
        self.assertLessEqual(small, 6)
