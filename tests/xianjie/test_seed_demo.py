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

from mechanism.models import Area, ConvenerTerm, Mechanism, Membership, MemberUnit, Role

ROOT = Path(__file__).resolve().parents[2]
MID_2026 = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MODELS = (get_user_model(), Membership, Area, Mechanism, MemberUnit, ConvenerTerm, ModelLogEntry)


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
