"""What the speed-ups of the admin home and the case filters keep: Wagtail's page panels for those with page
permissions only, and the filters' options and selection rendered as before."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from tests.mechanism.test_casework_views import CaseworkTestCase


class HomePagePanelsTest(CaseworkTestCase):
    def home(self, user):
        response = self.login(user).get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        return {panel.name for panel in response.context["panels"] if getattr(panel, "name", None)}

    def test_page_panels_only_for_superusers_and_page_editors(self):
        page_panels = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation", "recent_edits",
                       "locked_pages"}  # fmt: skip
        self.assertTrue(page_panels <= self.home(self.admin))
        liaison = self.home(self.other_liaison)
        self.assertFalse(page_panels & liaison)
        self.assertIn("casework_unit_dashboard", liaison)
        secretariat = self.home(self.secretariat)
        self.assertFalse(page_panels & secretariat)
        self.assertIn("casework_secretariat", secretariat)
        self.assertNotIn("casework_unit_dashboard", secretariat)
        editors = Group.objects.create(name="editors")
        GroupPagePermission.objects.create(
            group=editors, page=Page.get_first_root_node(), permission=Permission.objects.get(codename="change_page")
        )
        self.other_liaison.groups.add(editors)
        self.assertTrue(page_panels <= self.home(type(self.other_liaison).objects.get(pk=self.other_liaison.pk)))


class FilterOptionsTest(CaseworkTestCase):
    def test_the_filters_offer_the_visible_areas_and_units_and_keep_the_selection(self):
        url = reverse("casework:cases") + f"?unit={self.zgh.pk}&area={self.shanxi.pk}"
        html = self.login(self.secretariat).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        self.assertIn(f'<option value="{self.zgh.pk}" selected>{self.zgh.name}</option>', html)
        self.assertIn(
            f'<option value="{self.shanxi.pk}" selected>{self.shanxi.name} ({self.shanxi.code})</option>', html
        )
        self.assertIn(f'<option value="{self.tsw.pk}">{self.tsw.name}</option>', html)
        self.assertIn('<option value="">Any unit</option>', html)
        self.assertIn("w-field--select", html)
        outsider = self.login(self.outsider).get(reverse("casework:cases")).content.decode()
        self.assertNotIn(f">{self.zgh.name}</option>", outsider)
        self.assertIn(f'<option value="{self.ty_fl.pk}">{self.ty_fl.name}</option>', outsider)
