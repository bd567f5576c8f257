"""The rotation screens: readers of the mechanism see the forecast and the recorded events; others get 404."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rotation.services import record_defer, record_swap
from tests.base import CastTestCase

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
class ForecastScreenTests(CastTestCase):
    def url(self, mechanism=None):
        return reverse("rotation_admin:forecast", args=[(mechanism or self.province).pk])

    def test_readers_see_ten_years_and_the_recorded_events(self):
        record_swap(self.province, self.zgh, self.tsw, 2029, "工作调整", "2026年第2次联席会议决定", by=self.secretariat)
        for user in (self.secretariat, self.supervisor, self.other_liaison):
            with self.subTest(user.username):
                response = self.login(user).get(self.url())
                self.assertEqual(response.status_code, 200)
                rows = response.context["rows"]
                self.assertEqual(len(rows), 10)
                self.assertEqual(rows[0][:2], (2027, "山西省民政厅"))
                self.assertContains(response, "2026年第2次联席会议决定")
                self.assertContains(response, "工作调整")

    def test_outsider_gets_404_and_anonymous_the_login_page(self):
        self.assertEqual(self.login(self.outsider).get(self.url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("rotation_admin:forecast", args=[999999])).status_code, 404)
        self.client.logout()
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("wagtailadmin_login"), response["Location"])

    def test_the_index_lists_only_the_users_mechanisms(self):
        response = self.login(self.outsider).get(reverse("rotation_admin:index"))
        self.assertContains(response, self.url(self.taiyuan))
        self.assertNotContains(response, self.url(self.province))

    def test_no_eligible_unit_is_said_not_crashed(self):
        self.province.units.update(left_on=datetime.date(2026, 6, 1))
        response = self.login(self.secretariat).get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["rows"], [])
        self.assertIn("2027", response.context["error"])

    def test_queries_do_not_grow_with_the_events(self):
        client = self.login(self.secretariat)
        client.get(self.url())  # warm the per-process caches (site, locale)
        with CaptureQueriesContext(connection) as few:
            client.get(self.url())
        record_swap(self.province, self.zgh, self.tsw, 2029, "理由", "决定", by=self.secretariat)
        record_defer(self.province, self.tsw, 2029, "理由", "决定", by=self.secretariat)
        record_swap(self.province, self.mz, self.tsw, 2031, "理由", "决定", by=self.secretariat)
        with CaptureQueriesContext(connection) as more:
            client.get(self.url())
        self.assertEqual(len(more), len(few))
