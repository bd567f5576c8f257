"""The permission matrix of the mechanism back office: every generic admin view reads rows per user.

Denied means Wagtail's redirect to the dashboard (PermissionDenied), a 403 or a 404; what matters
is that nothing of the hidden row reaches the page, and that no POST changes it.
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry, ReferenceIndex

from mechanism.models import ConvenerTerm, Mechanism, Membership, MemberUnit, Role
from tests.base import CastTestCase
from tests.factories import ConvenerTermFactory, MembershipFactory, MemberUnitFactory, UserFactory, jan1

OBJECT_VIEWS = ("inspect", "edit", "delete", "history", "usage")
LISTING_FORMATS = ("index", "index_results", "csv", "xlsx")
# For each listed model: a row only the province sees, a row only Taiyuan sees.
LISTINGS = {
    "mechanism": ("140000", "140100"),
    "memberunit": ("山西省总工会", "太原市妇女联合会"),
    "membership": ("other_liaison", "ty_liaison"),
    "convenerterm": ("共青团山西省委员会", "太原市妇女联合会"),
}


class AdminAccessTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ty_liaison = cls.member("ty_liaison", cls.ty_fl, Role.LIAISON)
        cls.ty_term = ConvenerTermFactory(unit=cls.ty_fl, starts_at=jan1(2026))
        # A unit with no past: deleting it would succeed, so a refused delete proves the refusal.
        cls.fresh = MemberUnitFactory(mechanism=cls.province, code="fl", name="山西省妇女联合会")
        cls.readers = {"other_liaison": cls.other_liaison, "supervisor": cls.supervisor}

    def province_objects(self):
        return {
            "area": self.shanxi,
            "mechanism": self.province,
            "memberunit": self.zgh,
            "membership": self.other_liaison.memberships.get(),
            "convenerterm": self.zgh_term,
        }

    def url(self, model, view, obj=None):
        return reverse(f"{model}:{view}", args=[obj.pk] if obj is not None else [])

    def assertDenied(self, response, hidden=None):
        self.assertIn(response.status_code, (302, 403, 404))
        if response.status_code == 302:
            self.assertEqual(response.url, reverse("wagtailadmin_home"))
        if hidden is not None:
            self.assertNotIn(hidden, response.content.decode())

    def listing(self, client, model, fmt):
        """The text of an index page, or the cells of an export joined by newlines."""
        if fmt in ("index", "index_results"):
            response = client.get(self.url(model, fmt))
            self.assertEqual(response.status_code, 200)
            return response.content.decode()
        return "\n".join("\t".join(row) for row in self.export_rows(client, model, fmt))

    def export_rows(self, client, model, fmt="csv"):
        """The rows of an export (header first), each a list of cell strings."""
        response = client.get(self.url(model, "index"), {"export": fmt})
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "csv":
            return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]

    def log_entries(self, obj, action):
        content_type = ContentType.objects.get_for_model(obj)
        return ModelLogEntry.objects.filter(content_type=content_type, object_id=str(obj.pk), action=action)

    def unit_form(self, unit=None, **changes):
        unit = unit or self.zgh
        data = {
            "mechanism": unit.mechanism_id,
            "name": unit.name,
            "short_name": unit.short_name,
            "code": unit.code,
            "kind": unit.kind,
            "joined_on": unit.joined_on.isoformat(),
            "left_on": unit.left_on.isoformat() if unit.left_on else "",
        }
        data.update(changes)
        return data


class OutsiderTest(AdminAccessTestCase):
    def test_outsider_cannot_open_any_view_of_province_objects(self):
        client = self.login(self.outsider)
        for model, obj in self.province_objects().items():
            for view in OBJECT_VIEWS:
                with self.subTest(model=model, view=view):
                    self.assertDenied(client.get(self.url(model, view, obj)), hidden=str(obj))

    def test_outsider_posts_change_nothing(self):
        client = self.login(self.outsider)
        for model, obj in self.province_objects().items():
            with self.subTest(model=model):
                self.assertDenied(client.post(self.url(model, "delete", obj)))
                self.assertTrue(type(obj).objects.filter(pk=obj.pk).exists())
        self.assertDenied(client.post(self.url("memberunit", "edit", self.zgh), self.unit_form(name="改名")))
        self.zgh.refresh_from_db()
        self.assertEqual(self.zgh.name, "山西省总工会")

    def test_areas_are_for_the_superuser_only(self):
        for username in ("secretariat", "other_liaison", "supervisor", "outsider"):
            client = self.login(get_user_model().objects.get(username=username))
            for view in OBJECT_VIEWS:
                with self.subTest(user=username, view=view):
                    self.assertDenied(client.get(self.url("area", view, self.shanxi)), hidden="140000")
            for fmt in ("index", "index_results"):
                with self.subTest(user=username, view=fmt):
                    self.assertDenied(client.get(self.url("area", fmt)), hidden="140000")
        admin = self.login(self.admin)
        for fmt in LISTING_FORMATS:
            with self.subTest(user="admin", listing=fmt):
                text = self.listing(admin, "area", fmt)
                self.assertIn("140000", text)
                self.assertIn("140100", text)


class ListingTest(AdminAccessTestCase):
    def assertListing(self, user, mine, hidden):
        client = self.login(user)
        for fmt in LISTING_FORMATS:
            for model, rows in LISTINGS.items():
                with self.subTest(user=user.username, model=model, listing=fmt):
                    text = self.listing(client, model, fmt)
                    self.assertIn(rows[mine], text)
                    self.assertNotIn(rows[hidden], text)

    def test_outsider_sees_only_taiyuan_rows(self):
        self.assertListing(self.outsider, mine=1, hidden=0)

    def test_secretariat_sees_only_province_rows(self):
        self.assertListing(self.secretariat, mine=0, hidden=1)

    def test_no_listing_shows_another_province_unit(self):
        client = self.login(self.outsider)
        for fmt in LISTING_FORMATS:
            for model in ("memberunit", "convenerterm"):
                with self.subTest(model=model, listing=fmt):
                    text = self.listing(client, model, fmt)
                    for name in ("山西省民政厅", "山西省总工会", "共青团山西省委员会", "山西省妇女联合会"):
                        self.assertNotIn(name, text)

    def test_people_are_scoped_by_unit_and_mechanism(self):
        province = {"secretariat", "convener_liaison", "other_liaison", "supervisor"}
        cases = [
            (self.other_liaison, {"other_liaison"}),
            (self.convener_liaison, {"convener_liaison"}),
            (self.supervisor, province),
            (self.secretariat, province),
            (self.outsider, {"outsider", "ty_liaison"}),
        ]
        for user, expected in cases:
            client = self.login(user)
            for fmt in ("csv", "xlsx"):
                with self.subTest(user=user.username, export=fmt):
                    rows = self.export_rows(client, "membership", fmt)[1:]
                    self.assertEqual({row[0] for row in rows}, expected)

    def test_liaison_cannot_inspect_a_membership_of_another_unit(self):
        membership = self.convener_liaison.memberships.get()
        response = self.login(self.other_liaison).get(self.url("membership", "inspect", membership))
        self.assertDenied(response, hidden="convener_liaison")


class ReadOnlyRolesTest(AdminAccessTestCase):
    def test_readers_read_their_mechanism(self):
        for name, user in self.readers.items():
            client = self.login(user)
            with self.subTest(user=name, view="index"):
                response = client.get(self.url("memberunit", "index"))
                self.assertContains(response, "共青团山西省委员会")
                self.assertNotContains(response, "太原市民政局")
            with self.subTest(user=name, view="inspect"):
                self.assertContains(client.get(self.url("memberunit", "inspect", self.tsw)), "共青团山西省委员会")

    def test_readers_cannot_open_edit_or_add(self):
        for name, user in self.readers.items():
            client = self.login(user)
            for model, obj in self.province_objects().items():
                with self.subTest(user=name, model=model):
                    self.assertDenied(client.get(self.url(model, "edit", obj)))
                    self.assertDenied(client.get(self.url(model, "delete", obj)))
                    self.assertDenied(client.get(self.url(model, "add")))

    def test_readers_posts_change_nothing(self):
        for name, user in self.readers.items():
            client = self.login(user)
            with self.subTest(user=name, action="edit"):
                self.assertDenied(client.post(self.url("memberunit", "edit", self.zgh), self.unit_form(name="改名")))
                self.zgh.refresh_from_db()
                self.assertEqual(self.zgh.name, "山西省总工会")
            with self.subTest(user=name, action="delete"):
                self.assertDenied(client.post(self.url("memberunit", "delete", self.fresh)))
                self.assertTrue(MemberUnit.objects.filter(pk=self.fresh.pk).exists())
                membership = self.other_liaison.memberships.get()
                self.assertDenied(client.post(self.url("membership", "delete", membership)))
                self.assertTrue(Membership.objects.filter(pk=membership.pk).exists())
            with self.subTest(user=name, action="add"):
                self.assertDenied(client.post(self.url("memberunit", "add"), self.unit_form(self.fresh, code="new")))
                self.assertFalse(MemberUnit.objects.filter(code="new").exists())

    def test_secretariat_elsewhere_only_reads_where_it_is_liaison(self):
        MembershipFactory(user=self.outsider, unit=self.zgh, role=Role.LIAISON)
        client = self.login(self.outsider)
        self.assertContains(client.get(self.url("memberunit", "inspect", self.zgh)), "山西省总工会")
        self.assertDenied(client.post(self.url("memberunit", "edit", self.zgh), self.unit_form(name="改名")))
        self.assertDenied(client.post(self.url("memberunit", "delete", self.fresh)))
        self.zgh.refresh_from_db()
        self.assertEqual(self.zgh.name, "山西省总工会")
        self.assertTrue(MemberUnit.objects.filter(pk=self.fresh.pk).exists())
        mechanisms = client.get(self.url("memberunit", "add")).context["form"].fields["mechanism"].queryset
        self.assertEqual(list(mechanisms), [self.taiyuan])

    def test_supervisor_reads_history_and_outsider_does_not(self):
        self.login(self.secretariat).post(
            self.url("memberunit", "edit", self.zgh), self.unit_form(short_name="省总工会")
        )
        for view in ("history", "history_results"):
            with self.subTest(view=view):
                response = self.login(self.supervisor).get(self.url("memberunit", view, self.zgh))
                self.assertContains(response, "secretariat")
                self.assertDenied(self.login(self.outsider).get(self.url("memberunit", view, self.zgh)), "secretariat")


class SecretariatTest(AdminAccessTestCase):
    def test_secretariat_edits_its_unit_and_the_edit_is_logged(self):
        response = self.login(self.secretariat).post(
            self.url("memberunit", "edit", self.zgh), self.unit_form(short_name="省总工会")
        )
        self.assertRedirects(response, self.url("memberunit", "index"))
        self.zgh.refresh_from_db()
        self.assertEqual(self.zgh.short_name, "省总工会")
        self.assertTrue(self.log_entries(self.zgh, "wagtail.edit").filter(user=self.secretariat).exists())

    def test_add_unit_offers_and_accepts_only_its_mechanism(self):
        client = self.login(self.secretariat)
        form = client.get(self.url("memberunit", "add")).context["form"]
        self.assertEqual(list(form.fields["mechanism"].queryset), [self.province])
        for mechanism, created in ((self.taiyuan, False), (self.province, True)):
            with self.subTest(mechanism=mechanism.name):
                data = self.unit_form(self.fresh, mechanism=mechanism.pk, code="new", name="新单位")
                response = client.post(self.url("memberunit", "add"), data)
                self.assertEqual(MemberUnit.objects.filter(code="new", mechanism=mechanism).exists(), created)
                if not created:
                    self.assertEqual(response.status_code, 200)
                    self.assertIn("mechanism", response.context["form"].errors)

    def test_cannot_put_a_person_into_a_taiyuan_unit(self):
        newcomer = UserFactory(username="newcomer")
        client = self.login(self.secretariat)
        for unit, created in ((self.ty_fl, False), (self.fresh, True)):
            with self.subTest(unit=unit.name):
                data = {"user": newcomer.pk, "unit": unit.pk, "role": Role.LIAISON}
                response = client.post(self.url("membership", "add"), data)
                self.assertEqual(Membership.objects.filter(user=newcomer, unit=unit).exists(), created)
                if not created:
                    self.assertIn("unit", response.context["form"].errors)

    def test_cannot_move_its_unit_into_taiyuan(self):
        response = self.login(self.secretariat).post(
            self.url("memberunit", "edit", self.zgh), self.unit_form(mechanism=self.taiyuan.pk)
        )
        self.assertIn("mechanism", response.context["form"].errors)
        self.zgh.refresh_from_db()
        self.assertEqual(self.zgh.mechanism, self.province)

    def test_cannot_edit_or_delete_taiyuan_rows(self):
        client = self.login(self.secretariat)
        self.assertDenied(
            client.post(self.url("memberunit", "edit", self.ty_fl), self.unit_form(self.ty_fl, name="改名"))
        )
        self.assertDenied(client.post(self.url("convenerterm", "delete", self.ty_term)))
        self.ty_fl.refresh_from_db()
        self.assertEqual(self.ty_fl.name, "太原市妇女联合会")
        self.assertTrue(ConvenerTerm.objects.filter(pk=self.ty_term.pk).exists())


class DeleteTest(AdminAccessTestCase):
    """Wagtail refuses a delete itself when its reference index knows a protecting row (rows saved
    after the admin URLs loaded); rows written by import_mechanism are not indexed. Both must refuse."""

    def index_references(self, indexed):
        reverse("memberunit:index")  # loading the admin URLs registers the models with the index
        ReferenceIndex.objects.all().delete()
        if indexed:
            for model in (Mechanism, MemberUnit, Membership, ConvenerTerm):
                for obj in model.objects.all():
                    ReferenceIndex.create_or_update_for_object(obj)

    def post_delete(self, user, model, obj):
        client = self.client_class()
        client.force_login(user)
        response = client.post(self.url(model, "delete", obj))
        errors = [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]
        return response, errors

    def assertRefused(self, user, model, obj):
        response, errors = self.post_delete(user, model, obj)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(errors), 1)
        self.assertTrue(type(obj).objects.filter(pk=obj.pk).exists())
        self.assertFalse(self.log_entries(obj, "wagtail.delete").exists())
        return errors[0]

    def test_deleting_a_unit_with_history_is_refused_with_a_message(self):
        only_term = MemberUnitFactory(mechanism=self.province, code="hsh", name="山西省红十字会")
        ConvenerTermFactory(unit=only_term, starts_at=jan1(2024), ends_at=jan1(2025))
        for indexed in (False, True):
            self.index_references(indexed)
            for unit in (self.zgh, self.mz, only_term):  # term and people, people only, term only
                with self.subTest(unit=unit.name, indexed=indexed):
                    message = self.assertRefused(self.secretariat, "memberunit", unit)
                    if not indexed:  # the unit's own refusal says why
                        self.assertIn(unit.name, message)

    def test_deleting_a_referenced_mechanism_or_area_is_refused(self):
        for indexed in (False, True):
            self.index_references(indexed)
            for user, model, obj in ((self.admin, "mechanism", self.province), (self.admin, "area", self.shanxi)):
                with self.subTest(model=model, indexed=indexed):
                    self.assertRefused(user, model, obj)

    def test_only_the_superuser_may_delete_a_mechanism(self):
        response = self.login(self.secretariat).post(self.url("mechanism", "delete", self.province))
        self.assertIn(response.status_code, (302, 404))
        self.assertTrue(Mechanism.objects.filter(pk=self.province.pk).exists())

    def test_deleting_a_fresh_unit_works(self):
        response, errors = self.post_delete(self.secretariat, "memberunit", self.fresh)
        self.assertRedirects(response, self.url("memberunit", "index"))
        self.assertEqual(errors, [])
        self.assertFalse(MemberUnit.objects.filter(pk=self.fresh.pk).exists())
        self.assertTrue(self.log_entries(self.fresh, "wagtail.delete").exists())


class MenuTest(AdminAccessTestCase):
    def test_areas_menu_item_only_for_the_superuser(self):
        for user, shown in ((self.other_liaison, False), (self.secretariat, False), (self.admin, True)):
            with self.subTest(user=user.username):
                response = self.login(user).get(reverse("wagtailadmin_home"))
                self.assertContains(response, "/admin/memberunit/")
                self.assertEqual("/admin/area/" in response.content.decode(), shown)

    def test_anonymous_visitor_is_sent_to_login(self):
        for model in ("area", *LISTINGS):
            for view in ("index", "index_results"):
                with self.subTest(model=model, view=view):
                    url = self.url(model, view)
                    self.assertRedirects(
                        self.client.get(url),
                        f"{reverse('wagtailadmin_login')}?next={url}",
                        fetch_redirect_response=False,
                    )
