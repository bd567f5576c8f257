from django.urls import reverse

from tests.base import CastTestCase


class AdminSmokeTest(CastTestCase):
    def test_secretariat_lists_units(self):
        response = self.login(self.secretariat).get(reverse("memberunit:index"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "山西省总工会")
        self.assertNotContains(response, "太原市妇女联合会")
