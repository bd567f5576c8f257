"""The back office of help channels and brand projects: who reads, who edits, one-click verification.

A liaison keeps its own unit's channels, the secretariat all of its mechanism, the supervisor reads,
another mechanism sees nothing. Denied means a redirect to the dashboard, a 403, 404 or 405, and no change.
"""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from mechanism.models import AreaLevel, BrandProject, ChannelKind, HelpChannel, Role
from mechanism.services.channels import verify_channel
from mechanism.services.errors import ActionRefused
from tests.base import CastTestCase
from tests.factories import AreaFactory, BrandProjectFactory, HelpChannelFactory, MembershipFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_CHECK = datetime.date(2026, 1, 5)  # when the cast's channels were last verified
SPRING_DAY = datetime.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)  # all channels current
AUTUMN_DAY = datetime.datetime(2026, 9, 1, 10, tzinfo=SHANGHAI)  # 239 days after LAST_CHECK: stale
OBJECT_VIEWS = ("inspect", "edit", "delete", "history", "usage")


class ChannelAdminTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.zgh_line = HelpChannelFactory(unit=cls.zgh, value="12351", description="职工服务热线")
        cls.tsw_line = HelpChannelFactory(unit=cls.tsw, value="12355", description="青少年服务台")
        cls.ty_line = HelpChannelFactory(unit=cls.ty_fl, value="12338", description="妇女维权热线")
        cls.zgh_project = BrandProjectFactory(unit=cls.zgh, name="金秋助学")
        cls.tsw_project = BrandProjectFactory(unit=cls.tsw, name="希望工程")
        cls.ty_project = BrandProjectFactory(unit=cls.ty_fl, name="春蕾计划")

    def url(self, view, obj=None, model="helpchannel"):
        return reverse(f"{model}:{view}", args=[obj.pk] if obj is not None else [])

    def assertDenied(self, response, hidden=None):
        self.assertIn(response.status_code, (302, 403, 404, 405))
        if response.status_code == 302:
            self.assertEqual(response.url, reverse("wagtailadmin_home"))
        if hidden is not None:
            self.assertNotIn(hidden, response.content.decode())

    def form(self, channel=None, **changes):
        """POST data for the channel form: by default the channel as it is (or a new 12349 hotline)."""
        data = {
            "unit": channel.unit_id if channel else self.zgh.pk,
            "kind": channel.kind if channel else ChannelKind.HOTLINE,
            "value": channel.value if channel else "12349",
            "description": channel.description if channel else "新热线",
            "open_24_hours": "on",
            "days": [],
            "opens_at": "",
            "closes_at": "",
            "hours_note": "",
            "areas": [],
            "groups": ["everyone"],
            "needs": ["basic_living"],
            "is_public": "on",
            "display_order": "0",
        }
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    def log_entries(self, obj, action):
        content_type = ContentType.objects.get_for_model(obj)
        return ModelLogEntry.objects.filter(content_type=content_type, object_id=str(obj.pk), action=action)

    def csv_rows(self, client, model="helpchannel"):
        response = client.get(self.url("index", model=model), {"export": "csv"})
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content)
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))

    def assertUnchanged(self, channel):
        fresh = HelpChannel.objects.get(pk=channel.pk)
        self.assertEqual(
            (fresh.value, fresh.description, fresh.last_verified_on, fresh.last_verified_by_id),
            (channel.value, channel.description, channel.last_verified_on, channel.last_verified_by_id),
        )


class LiaisonTest(ChannelAdminTestCase):
    def test_liaison_lists_its_mechanisms_channels_but_is_offered_edit_and_verify_only_on_its_own(self):
        response = self.login(self.other_liaison).get(self.url("index"))
        page = response.content.decode()
        self.assertIn("12351", page)
        self.assertIn("12355", page)
        self.assertNotIn("12338", page)
        self.assertIn(self.url("edit", self.zgh_line), page)
        self.assertIn(self.url("verify", self.zgh_line), page)
        self.assertNotIn(self.url("edit", self.tsw_line), page)
        self.assertNotIn(self.url("delete", self.tsw_line), page)
        self.assertNotIn(self.url("verify", self.tsw_line), page)

    def test_liaison_cannot_edit_delete_or_verify_another_units_channel(self):
        client = self.login(self.other_liaison)
        for view in ("edit", "delete"):
            with self.subTest(view=view):
                self.assertDenied(client.get(self.url(view, self.tsw_line)), hidden="青少年服务台")
        with time_machine.travel(AUTUMN_DAY, tick=False):
            self.assertDenied(client.post(self.url("edit", self.tsw_line), self.form(self.tsw_line, value="12349")))
            self.assertDenied(client.post(self.url("delete", self.tsw_line)))
            self.assertEqual(client.post(self.url("verify", self.tsw_line)).status_code, 404)
        self.assertUnchanged(self.tsw_line)
        for action in ("wagtail.edit", "wagtail.delete", "xianjie.channel.verify"):
            self.assertFalse(self.log_entries(self.tsw_line, action).exists(), action)

    def test_crafted_create_for_another_unit_is_refused(self):
        client = self.login(self.other_liaison)
        form = client.get(self.url("add")).context["form"]
        self.assertEqual(list(form.fields["unit"].queryset), [self.zgh])
        response = client.post(self.url("add"), self.form(unit=self.tsw.pk, description="冒名热线"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("unit", response.context["form"].errors)
        self.assertFalse(HelpChannel.objects.filter(description="冒名热线").exists())

    def test_liaison_cannot_move_its_channel_to_another_unit(self):
        response = self.login(self.other_liaison).post(
            self.url("edit", self.zgh_line), self.form(self.zgh_line, unit=self.tsw.pk)
        )
        self.assertIn("unit", response.context["form"].errors)
        self.assertEqual(HelpChannel.objects.get(pk=self.zgh_line.pk).unit, self.zgh)

    @time_machine.travel(SPRING_DAY, tick=False)
    def test_new_channel_counts_as_verified_today_by_its_creator_and_is_logged(self):
        response = self.login(self.other_liaison).post(
            self.url("add"), self.form(value="0351-1234567", description="工会法律援助", days=None)
        )
        self.assertRedirects(response, self.url("index"))
        channel = HelpChannel.objects.get(description="工会法律援助")
        self.assertEqual(channel.unit, self.zgh)
        self.assertEqual(channel.value, "+863511234567")
        self.assertEqual(channel.display_value, "0351-1234567")
        self.assertEqual(channel.groups, ["everyone"])
        self.assertEqual(channel.needs, ["basic_living"])
        self.assertEqual((channel.last_verified_on, channel.last_verified_by), (SPRING_DAY.date(), self.other_liaison))
        self.assertTrue(self.log_entries(channel, "wagtail.create").filter(user=self.other_liaison).exists())

    def test_liaison_edits_its_own_channel_with_hours_and_the_edit_is_logged(self):
        data = self.form(
            self.zgh_line,
            open_24_hours=None,
            days=["1", "2", "3", "4", "5"],
            opens_at="08:30",
            closes_at="17:30",
            hours_note="法定节假日除外",
        )
        response = self.login(self.other_liaison).post(self.url("edit", self.zgh_line), data)
        self.assertRedirects(response, self.url("index"))
        channel = HelpChannel.objects.get(pk=self.zgh_line.pk)
        self.assertEqual(channel.days, [1, 2, 3, 4, 5])
        self.assertEqual(channel.opens_at, datetime.time(8, 30))
        self.assertFalse(channel.open_24_hours)
        self.assertTrue(self.log_entries(channel, "wagtail.edit").filter(user=self.other_liaison).exists())

    def test_edit_form_ticks_the_stored_days(self):
        HelpChannel.objects.filter(pk=self.zgh_line.pk).update(open_24_hours=False, days=[6, 7])
        page = self.login(self.other_liaison).get(self.url("edit", self.zgh_line)).content.decode()
        self.assertRegex(page, r'<input type="checkbox" name="days" value="6"[^>]*checked')
        self.assertNotRegex(page, r'<input type="checkbox" name="days" value="1"[^>]*checked')


class VerifyTest(ChannelAdminTestCase):
    @time_machine.travel(AUTUMN_DAY, tick=False)
    def test_one_click_verify_from_the_list(self):
        client = self.login(self.other_liaison)
        index = self.url("index") + "?kind=hotline"
        response = client.post(self.url("verify", self.zgh_line), {"next": index})
        self.assertRedirects(response, index, fetch_redirect_response=False)
        channel = HelpChannel.objects.get(pk=self.zgh_line.pk)
        self.assertEqual((channel.last_verified_on, channel.last_verified_by), (AUTUMN_DAY.date(), self.other_liaison))
        self.assertFalse(channel.is_stale())
        [entry] = self.log_entries(channel, "xianjie.channel.verify")
        self.assertEqual(entry.user, self.other_liaison)
        self.assertEqual(entry.data, {"verified_on": "2026-09-01"})

    def test_verify_ignores_an_outside_next_address(self):
        response = self.login(self.other_liaison).post(
            self.url("verify", self.zgh_line), {"next": "https://evil.example/"}
        )
        self.assertRedirects(response, self.url("index"), fetch_redirect_response=False)

    def test_verify_is_a_post_only(self):
        self.assertEqual(self.login(self.other_liaison).get(self.url("verify", self.zgh_line)).status_code, 405)
        self.assertUnchanged(self.zgh_line)

    def test_verify_needs_the_csrf_token(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.other_liaison)
        self.assertEqual(client.post(self.url("verify", self.zgh_line)).status_code, 403)
        self.assertUnchanged(self.zgh_line)

    def test_list_form_carries_the_csrf_token(self):
        page = self.login(self.other_liaison).get(self.url("index")).content.decode()
        self.assertRegex(page, r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{32,}"')

    def test_service_refuses_a_channel_the_user_does_not_keep(self):
        for user in (self.other_liaison, self.supervisor, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(ActionRefused):
                verify_channel(self.tsw_line, by=user)
        self.assertUnchanged(self.tsw_line)

    @time_machine.travel(AUTUMN_DAY, tick=False)
    def test_verify_several_offers_only_own_channels_and_ticks_the_stale_ones(self):
        other = HelpChannelFactory(unit=self.zgh, value="+8613800000000", last_verified_on=datetime.date(2026, 8, 1))
        client = self.login(self.other_liaison)
        form = client.get(self.url("verify_many")).context["form"]
        self.assertEqual(set(form.fields["channels"].queryset), {self.zgh_line, other})
        self.assertEqual(form.fields["channels"].initial, [self.zgh_line.pk])
        response = client.post(self.url("verify_many"), {"channels": [self.zgh_line.pk, self.tsw_line.pk]})
        self.assertEqual(response.status_code, 200)
        self.assertIn("channels", response.context["form"].errors)
        self.assertUnchanged(self.tsw_line)
        self.assertUnchanged(self.zgh_line)
        response = client.post(self.url("verify_many"), {"channels": [self.zgh_line.pk, other.pk]})
        self.assertRedirects(response, self.url("index"), fetch_redirect_response=False)
        self.assertEqual(
            set(HelpChannel.objects.filter(last_verified_on=AUTUMN_DAY.date()).values_list("pk", flat=True)),
            {self.zgh_line.pk, other.pk},
        )
        self.assertEqual(self.log_entries(other, "xianjie.channel.verify").count(), 1)

    @time_machine.travel(AUTUMN_DAY, tick=False)
    def test_history_shows_the_verification(self):
        self.login(self.other_liaison).post(self.url("verify", self.zgh_line))
        with translation.override("en"):
            response = self.login(self.supervisor).get(self.url("history", self.zgh_line), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "other_liaison")
        self.assertDenied(self.login(self.outsider).get(self.url("history", self.zgh_line)), hidden="other_liaison")


class SecretariatTest(ChannelAdminTestCase):
    def test_secretariat_edits_every_channel_of_its_mechanism(self):
        client = self.login(self.secretariat)
        for channel in (self.zgh_line, self.tsw_line):
            with self.subTest(unit=channel.unit.code):
                response = client.post(self.url("edit", channel), self.form(channel, description="已更新"))
                self.assertRedirects(response, self.url("index"))
                self.assertEqual(HelpChannel.objects.get(pk=channel.pk).description, "已更新")
                self.assertTrue(self.log_entries(channel, "wagtail.edit").filter(user=self.secretariat).exists())
        form = client.get(self.url("add")).context["form"]
        self.assertEqual(set(form.fields["unit"].queryset), {self.mz, self.zgh, self.tsw})

    def test_secretariat_verifies_any_channel_of_its_mechanism_but_not_taiyuans(self):
        client = self.login(self.secretariat)
        with time_machine.travel(AUTUMN_DAY, tick=False):
            client.post(self.url("verify", self.tsw_line))
            self.assertEqual(client.post(self.url("verify", self.ty_line)).status_code, 404)
        self.assertEqual(HelpChannel.objects.get(pk=self.tsw_line.pk).last_verified_by, self.secretariat)
        self.assertUnchanged(self.ty_line)

    def test_secretariat_cannot_touch_taiyuan_channels(self):
        client = self.login(self.secretariat)
        self.assertDenied(client.post(self.url("edit", self.ty_line), self.form(self.ty_line, description="改")))
        self.assertDenied(client.post(self.url("delete", self.ty_line)))
        self.assertUnchanged(self.ty_line)

    def test_bad_input_is_a_field_error_and_nothing_is_saved(self):
        client = self.login(self.secretariat)
        cases = [
            ("value", {"value": "12399"}),
            ("value", {"value": "1234567"}),
            ("value", {"kind": ChannelKind.EMAIL, "value": "jiuzhu@"}),
            ("value", {"kind": ChannelKind.WEB_FORM, "value": "mzt.shanxi.gov.cn"}),
            ("days", {"open_24_hours": None, "opens_at": "08:30", "closes_at": "17:30"}),
            ("closes_at", {"open_24_hours": None, "days": ["1"], "opens_at": "17:30", "closes_at": "08:30"}),
            ("days", {"days": ["8"]}),
            ("needs", {"needs": ["money"]}),
        ]
        before = HelpChannel.objects.count()
        for field, changes in cases:
            with self.subTest(changes=changes):
                response = client.post(self.url("add"), self.form(description="坏数据", **changes))
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
        self.assertEqual(HelpChannel.objects.count(), before)
        response = client.post(self.url("edit", self.zgh_line), self.form(self.zgh_line, value="12399"))
        self.assertIn("value", response.context["form"].errors)
        self.assertUnchanged(self.zgh_line)

    def test_delete_is_logged(self):
        response = self.login(self.secretariat).post(self.url("delete", self.tsw_line))
        self.assertRedirects(response, self.url("index"))
        self.assertFalse(HelpChannel.objects.filter(pk=self.tsw_line.pk).exists())
        self.assertTrue(self.log_entries(self.tsw_line, "wagtail.delete").exists())

    def test_areas_must_lie_within_the_units_mechanism(self):
        county = AreaFactory(code="140105", name="小店区", level=AreaLevel.COUNTY, parent=self.taiyuan_area)
        beijing = AreaFactory(code="110000", name="北京市", level=AreaLevel.PROVINCE)
        # The Taiyuan secretariat also keeps zgh's channels: both mechanisms' areas are offered.
        MembershipFactory(user=self.outsider, unit=self.zgh, role=Role.LIAISON)
        client = self.login(self.outsider)
        offered = set(client.get(self.url("add")).context["form"].fields["areas"].queryset)
        self.assertEqual(offered, {self.shanxi, self.taiyuan_area, county})
        data = self.form(unit=self.ty_fl.pk, description="太原热线", areas=[self.shanxi.pk])
        response = client.post(self.url("add"), data)
        self.assertIn("areas", response.context["form"].errors)
        response = client.post(self.url("add"), {**data, "areas": [beijing.pk]})
        self.assertIn("areas", response.context["form"].errors)
        self.assertFalse(HelpChannel.objects.filter(description="太原热线").exists())
        response = client.post(self.url("add"), {**data, "areas": [self.taiyuan_area.pk, county.pk]})
        self.assertRedirects(response, self.url("index"))
        channel = HelpChannel.objects.get(description="太原热线")
        self.assertEqual(set(channel.areas.all()), {self.taiyuan_area, county})


class OutsiderAndReaderTest(ChannelAdminTestCase):
    def test_outsider_sees_none_of_shanxis_channels(self):
        client = self.login(self.outsider)
        for view in ("index", "index_results"):
            with self.subTest(view=view):
                page = client.get(self.url(view)).content.decode()
                self.assertIn("12338", page)
                self.assertNotIn("12351", page)
                self.assertNotIn("12355", page)
        exported = "\n".join(",".join(row) for row in self.csv_rows(client))
        self.assertIn("太原市妇女联合会", exported)
        self.assertNotIn("山西省总工会", exported)
        for view in OBJECT_VIEWS:
            with self.subTest(view=view):
                self.assertDenied(client.get(self.url(view, self.zgh_line)), hidden="职工服务热线")
        with time_machine.travel(AUTUMN_DAY, tick=False):
            self.assertDenied(client.post(self.url("edit", self.zgh_line), self.form(self.zgh_line, description="改")))
            self.assertDenied(client.post(self.url("delete", self.zgh_line)))
            self.assertEqual(client.post(self.url("verify", self.zgh_line)).status_code, 404)
        self.assertUnchanged(self.zgh_line)

    def test_supervisor_reads_but_changes_nothing(self):
        client = self.login(self.supervisor)
        page = client.get(self.url("index")).content.decode()
        self.assertIn("12351", page)
        self.assertNotIn(self.url("edit", self.zgh_line), page)
        self.assertNotIn(self.url("verify", self.zgh_line), page)
        self.assertNotIn(self.url("verify_many"), page)
        self.assertContains(client.get(self.url("inspect", self.zgh_line)), "职工服务热线")
        for view in ("edit", "delete"):
            self.assertDenied(client.get(self.url(view, self.zgh_line)))
        self.assertDenied(client.get(self.url("add")))
        self.assertDenied(client.get(self.url("verify_many")))
        with time_machine.travel(AUTUMN_DAY, tick=False):
            self.assertDenied(client.post(self.url("edit", self.zgh_line), self.form(self.zgh_line, description="改")))
            self.assertDenied(client.post(self.url("delete", self.zgh_line)))
            self.assertDenied(client.post(self.url("add"), self.form(description="监督新增")))
            self.assertEqual(client.post(self.url("verify", self.zgh_line)).status_code, 404)
        self.assertUnchanged(self.zgh_line)
        self.assertFalse(HelpChannel.objects.filter(description="监督新增").exists())

    def test_anonymous_visitor_is_sent_to_login(self):
        for url in (self.url("index"), self.url("verify_many")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(
                    response, f"{reverse('wagtailadmin_login')}?next={url}", fetch_redirect_response=False
                )
        self.client.post(self.url("verify", self.zgh_line))
        self.assertUnchanged(self.zgh_line)

    def test_menu_shows_channels_to_liaisons(self):
        page = self.login(self.other_liaison).get(reverse("wagtailadmin_home")).content.decode()
        self.assertIn(self.url("index"), page)
        self.assertIn(self.url("index", model="brandproject"), page)


class ListTest(ChannelAdminTestCase):
    @time_machine.travel(AUTUMN_DAY, tick=False)
    def test_stale_channels_are_flagged_and_filtered(self):
        HelpChannel.objects.filter(pk=self.tsw_line.pk).update(last_verified_on=datetime.date(2026, 8, 1))
        UserProfile.get_for_user(self.secretariat).__class__.objects.filter(user=self.secretariat).update(
            preferred_language="en"
        )
        client = self.login(self.secretariat)
        page = client.get(self.url("index")).content.decode()
        self.assertEqual(page.count("w-status--primary"), 1)  # the one stale row's tag
        self.assertRegex(page, r'w-status--primary">\s*Stale\s*<')
        stale = client.get(self.url("index"), {"stale": "true"}).context["object_list"]
        self.assertEqual(list(stale), [self.zgh_line])
        current = client.get(self.url("index"), {"stale": "false"}).context["object_list"]
        self.assertEqual(list(current), [self.tsw_line])

    def test_filters_by_unit_kind_and_public(self):
        HelpChannelFactory(unit=self.tsw, kind=ChannelKind.EMAIL, value="help@sxgqt.org.cn", is_public=False)
        client = self.login(self.secretariat)
        cases = [
            ({"unit": self.zgh.pk}, {"12351"}),
            ({"kind": ChannelKind.EMAIL}, {"help@sxgqt.org.cn"}),
            ({"is_public": "false"}, {"help@sxgqt.org.cn"}),
            ({"unit": self.tsw.pk, "kind": ChannelKind.HOTLINE}, {"12355"}),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                rows = client.get(self.url("index"), query).context["object_list"]
                self.assertEqual({row.display_value for row in rows}, expected)

    def test_search_by_description_and_unit(self):
        client = self.login(self.secretariat)
        for term, expected in (("青少年", {"12355"}), ("总工会", {"12351"})):
            with self.subTest(term=term):
                rows = client.get(self.url("index_results"), {"q": term}).context["object_list"]
                self.assertEqual({row.display_value for row in rows}, expected)

    def test_export_shows_numbers_as_people_write_them(self):
        HelpChannelFactory(unit=self.zgh, value="+863511234567", description="座机")
        rows = self.csv_rows(self.login(self.other_liaison))
        body = {(row[0], row[2]) for row in rows[1:]}
        self.assertIn(("山西省总工会", "0351-1234567"), body)
        self.assertIn(("共青团山西省委员会", "12355"), body)
        self.assertNotIn("12338", "\n".join(",".join(row) for row in rows))
        self.assertEqual(len(rows[0]), 8)

    def test_list_query_count_does_not_grow_with_rows(self):
        client = self.login(self.secretariat)
        client.get(self.url("index"))  # warm caches (content types, site)

        def count_queries():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(self.url("index"))
            self.assertEqual(response.status_code, 200)
            return len(queries), len(response.context["object_list"])

        HelpChannel.objects.all().delete()
        for unit in (self.mz, self.zgh, self.tsw):
            HelpChannelFactory(unit=unit)
        few, rows = count_queries()
        self.assertEqual(rows, 3)
        for index in range(9):
            HelpChannelFactory(unit=(self.mz, self.zgh, self.tsw)[index % 3], last_verified_by=self.secretariat)
        many, rows = count_queries()
        self.assertEqual(rows, 12)
        self.assertEqual(few, many)


class BrandProjectTest(ChannelAdminTestCase):
    def project_form(self, project, **changes):
        data = {
            "unit": project.unit_id,
            "name": project.name,
            "summary": project.summary,
            "url": "",
            "display_order": 0,
        }
        data.update(changes)
        return data

    def test_liaison_edits_its_units_projects_only(self):
        client = self.login(self.other_liaison)
        response = client.post(
            self.url("edit", self.zgh_project, model="brandproject"),
            self.project_form(self.zgh_project, name="金秋助学2026"),
        )
        self.assertRedirects(response, self.url("index", model="brandproject"))
        self.assertEqual(BrandProject.objects.get(pk=self.zgh_project.pk).name, "金秋助学2026")
        self.assertTrue(self.log_entries(self.zgh_project, "wagtail.edit").exists())
        self.assertDenied(
            client.post(
                self.url("edit", self.tsw_project, model="brandproject"), self.project_form(self.tsw_project, name="改")
            )
        )
        self.assertDenied(client.post(self.url("delete", self.tsw_project, model="brandproject")))
        self.assertEqual(BrandProject.objects.get(pk=self.tsw_project.pk).name, "希望工程")
        response = client.post(
            self.url("add", model="brandproject"), self.project_form(self.tsw_project, name="冒名项目")
        )
        self.assertIn("unit", response.context["form"].errors)
        self.assertFalse(BrandProject.objects.filter(name="冒名项目").exists())

    def test_outsider_and_supervisor(self):
        page = self.login(self.outsider).get(self.url("index", model="brandproject")).content.decode()
        self.assertIn("春蕾计划", page)
        self.assertNotIn("希望工程", page)
        self.assertDenied(self.login(self.outsider).get(self.url("edit", self.tsw_project, model="brandproject")))
        supervisor = self.login(self.supervisor)
        self.assertContains(supervisor.get(self.url("index", model="brandproject")), "希望工程")
        self.assertDenied(supervisor.get(self.url("edit", self.tsw_project, model="brandproject")))
        self.assertDenied(supervisor.post(self.url("delete", self.tsw_project, model="brandproject")))
        self.assertTrue(BrandProject.objects.filter(pk=self.tsw_project.pk).exists())
