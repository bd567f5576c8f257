"""seed_demo loads the Shanxi and Taiyuan demo through the importer, idempotently, and never in production."""

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from wagtail.models import ModelLogEntry

from mechanism.models import (
    Area,
    BrandProject,
    ConvenerTerm,
    HelpChannel,
    Mechanism,
    Membership,
    MemberUnit,
    Need,
    Role,
)

ROOT = Path(__file__).resolve().parents[2]
MID_2026 = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MODELS = (
    get_user_model(),
    Membership,
    Area,
    Mechanism,
    MemberUnit,
    ConvenerTerm,
    HelpChannel,
    BrandProject,
    ModelLogEntry,
)
UNIT_DOMAINS = {
    "mz": "mzt.shanxi.gov.cn",
    "zgh": "sxzgh.org.cn",
    "tsw": "sxgqt.org.cn",
    "fl": "sxwomen.org.cn",
    "cl": "sxdpf.org.cn",
    "hsh": "sxredcross.org.cn",
    "sgw": "sxgqt.org.cn",
}


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@time_machine.travel(MID_2026, tick=False)
class SeedDemoTest(TestCase):
    def test_twice_gives_the_same_row_counts(self):
        seed()
        first = counts()
        seed()
        self.assertEqual(counts(), first)
        self.assertEqual(first["Mechanism"], 2)
        self.assertEqual(MemberUnit.objects.filter(mechanism__area__code="140000").count(), 7)

    def test_province_units_in_plan_order_and_this_years_convener(self):
        seed()
        province = Mechanism.objects.get(area__code="140000")
        self.assertEqual(province.name, "山西省政府救助与慈善帮扶工作衔接机制")
        self.assertEqual(province.lead_unit.code, "mz")
        terms = list(province.convener_terms.order_by("starts_at").values_list("unit__code", "starts_at__year"))
        self.assertEqual(terms, [("mz", 2024), ("zgh", 2025), ("tsw", 2026)])
        self.assertEqual(province.convener_on(MID_2026).name, "共青团山西省委员会")
        taiyuan = Mechanism.objects.get(area__code="140100")
        self.assertEqual(taiyuan.parent, province)
        self.assertGreaterEqual(taiyuan.units.count(), 3)

    def test_demo_people_and_their_roles(self):
        output = seed()
        for username in ["admin", "secretariat", "supervisor", "ty_secretariat", "liaison_zgh", "liaison_sgw"]:
            self.assertIn(username, output)
        self.assertIn("xianjie-demo", output)
        self.assertTrue(get_user_model().objects.get(username="admin").is_superuser)
        self.assertTrue(
            Membership.objects.filter(
                user__username="secretariat",
                unit__code="mz",
                unit__mechanism__area__code="140000",
                role=Role.SECRETARIAT,
            ).exists()
        )
        self.assertTrue(
            Membership.objects.filter(
                user__username="ty_secretariat", unit__mechanism__area__code="140100", role=Role.SECRETARIAT
            ).exists()
        )
        self.assertEqual(Membership.objects.filter(user__username__startswith="liaison_", role=Role.LIAISON).count(), 7)

    def test_demo_login_reaches_the_chinese_admin(self):
        seed()
        self.assertTrue(self.client.login(username="liaison_zgh", password="xianjie-demo"))
        response = self.client.get("/admin/", headers={"accept-language": "zh-hans"})
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        # The sidebar menu is JSON inside a script tag, so its labels are \u-escaped there.
        menu_label = json.dumps("成员单位")[1:-1]
        self.assertTrue(menu_label in body and "Member units" not in body, "the admin menu is not in Chinese")

    def test_province_units_publish_their_hotlines_emails_and_projects(self):
        seed()
        province = HelpChannel.objects.filter(unit__mechanism__area__code="140000")
        civil = province.get(value="12349")
        self.assertEqual((civil.unit.short_name, civil.open_24_hours, civil.is_public), ("省民政厅", True, True))
        self.assertIn(Need.BASIC_LIVING, civil.needs)
        for code, number in [("zgh", "12351"), ("tsw", "12355"), ("fl", "12338"), ("cl", "12385")]:
            self.assertTrue(province.filter(unit__code=code, kind="hotline", value=number).exists(), number)
        self.assertTrue(province.get(unit__code="hsh", kind="hotline").value.startswith("+86351"))
        for code, domain in UNIT_DOMAINS.items():
            with self.subTest(unit=code):
                emails = province.filter(unit__code=code, kind="email", is_public=True)
                self.assertTrue(emails.exists() and all(e.value.endswith("@" + domain) for e in emails))
                self.assertIn(
                    BrandProject.objects.filter(unit__code=code, unit__mechanism__area__code="140000").count(), (1, 2)
                )
        self.assertTrue(province.filter(unit__code="mz", kind="window").exists())
        self.assertEqual({c.kind for c in province}, {"hotline", "email", "web_form", "wechat", "window"})

    def test_exactly_one_stale_and_some_internal_channels(self):
        seed()
        stale = HelpChannel.objects.stale()
        self.assertEqual(len(stale), 1)
        self.assertEqual((stale[0].last_verified_on - MID_2026.date()).days, -200)
        self.assertTrue(HelpChannel.objects.filter(is_public=False).exists())
        self.assertTrue(all(channel.last_verified_on <= MID_2026.date() for channel in HelpChannel.objects.all()))

    def test_taiyuan_channels_serve_taiyuan(self):
        seed()
        taiyuan = HelpChannel.objects.filter(unit__mechanism__area__code="140100")
        self.assertEqual({channel.unit.code for channel in taiyuan}, {"mz", "fl"})
        for channel in taiyuan:
            self.assertEqual(list(channel.areas.values_list("code", flat=True)), ["140100"])

    def test_the_demo_stays_fresh_when_seeded_again_later(self):
        seed()
        channels, projects = HelpChannel.objects.count(), BrandProject.objects.count()
        # Later in the same year (the convener terms follow the year): without fresh dates most would be stale.
        autumn = MID_2026 + datetime.timedelta(days=150)
        self.assertGreater(HelpChannel.objects.stale(autumn.date()).count(), 1)
        with time_machine.travel(autumn, tick=False):
            seed()
        self.assertEqual(HelpChannel.objects.stale(autumn.date()).count(), 1)
        self.assertEqual((HelpChannel.objects.count(), BrandProject.objects.count()), (channels, projects))
        civil = HelpChannel.objects.get(value="12349")
        self.assertEqual((autumn.date() - civil.last_verified_on).days, 21)

    @override_settings(XIANJIE_DEMO_ALLOWED=False)
    def test_refuses_when_demo_is_not_allowed(self):
        with self.assertRaises(CommandError):
            seed()
        self.assertEqual(Mechanism.objects.count(), 0)
        self.assertEqual(get_user_model().objects.count(), 0)


class SeedDemoProductionTest(TestCase):
    def test_refuses_under_production_settings(self):
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="xianjie.settings.production",
            SECRET_KEY="s" * 50,
            DATABASE_URL="sqlite:////nonexistent/never-used.sqlite3",
        )
        result = subprocess.run(
            [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("seed_demo", result.stderr)
