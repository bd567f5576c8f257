"""Bad input on the admin's model screens (Wagtail viewsets): add and edit of every main model, channel checks."""

import datetime

from mechanism.models import HolidayOverride, Membership
from tests.factories import BrandProjectFactory, HelpChannelFactory

from .harness import FuzzTestCase

SKIP = ("logout", "/delete/", "/unpublish", "/lock", "/unlock")


class ModelScreenFuzzTests(FuzzTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.channel = HelpChannelFactory(unit=cls.zgh)
        cls.project = BrandProjectFactory(unit=cls.zgh)
        cls.holiday = HolidayOverride.objects.create(date=datetime.date(2026, 10, 8), is_working_day=False, name="国庆")

    def fuzz_edit_and_add(self, user, prefix, obj, subject, per_form=10):
        """The edit page's own values, mutated, posted to the edit URL and to the add URL."""
        self.login(user)
        form = self.page_form(f"/admin/{prefix}/edit/{obj.pk}/", f"/admin/{prefix}/edit/")
        self.fuzz(form.action, form.payload, f"{subject}: edit", max_examples=per_form)
        self.fuzz(f"/admin/{prefix}/new/", form.payload, f"{subject}: add", max_examples=per_form)

    def test_mechanism(self):
        self.fuzz_edit_and_add(self.admin, "mechanism", self.province, "mechanism")

    def test_member_unit(self):
        self.fuzz_edit_and_add(self.secretariat, "memberunit", self.zgh, "member unit")

    def test_membership(self):
        membership = Membership.objects.get(user=self.other_liaison)
        self.fuzz_edit_and_add(self.secretariat, "membership", membership, "membership")

    def test_convener_term(self):
        self.fuzz_edit_and_add(self.secretariat, "convenerterm", self.tsw_term, "convener term")

    def test_holiday_override(self):
        self.fuzz_edit_and_add(self.admin, "holidayoverride", self.holiday, "holiday override")

    def test_help_channel(self):
        self.fuzz_edit_and_add(self.secretariat, "helpchannel", self.channel, "help channel")

    def test_brand_project(self):
        self.fuzz_edit_and_add(self.secretariat, "brandproject", self.project, "brand project")

    def test_help_channel_verify(self):
        self.login(self.secretariat)
        self.fuzz_page("/admin/helpchannel/verify/", "help channel verify many", skip=SKIP)
