"""Meeting series in the back office: the secretariat keeps its own; nobody else changes them."""

import datetime

from django.urls import reverse

from meetings.models import MeetingSeries
from tests.base import CastTestCase


class MeetingSeriesAdminTest(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.quarterly = MeetingSeries.objects.create(
            mechanism=cls.province,
            name="季度例会",
            every_months=3,
            first_month=1,
            week_of_month=2,
            weekday=2,
            starts_at=datetime.time(9, 30),
            ends_at=datetime.time(11, 30),
        )

    def form(self, **changes):
        data = {
            "mechanism": self.province.pk,
            "name": "双月例会",
            "every_months": 2,
            "first_month": 1,
            "week_of_month": -1,
            "weekday": 4,
            "starts_at": "14:30",
            "ends_at": "16:30",
            "place": "省民政厅会议室",
            "active": "on",
        }
        data.update(changes)
        return data

    def test_secretariat_adds_a_series_for_its_mechanism(self):
        response = self.login(self.secretariat).post(reverse("meeting-series:add"), self.form())
        self.assertEqual(response.status_code, 302)
        added = MeetingSeries.objects.get(name="双月例会")
        self.assertEqual((added.mechanism, added.week_of_month, added.weekday), (self.province, -1, 4))

    def test_bad_input_is_refused_and_nothing_saved(self):
        client = self.login(self.secretariat)
        for changes in (
            {"ends_at": "14:00"},
            {"week_of_month": 0},
            {"every_months": 13},
            {"mechanism": self.taiyuan.pk},
        ):
            with self.subTest(changes=changes):
                response = client.post(reverse("meeting-series:add"), self.form(**changes))
                self.assertEqual(response.status_code, 200)
                self.assertFalse(MeetingSeries.objects.filter(name="双月例会").exists())

    def test_outsider_sees_and_changes_nothing_of_another_mechanism(self):
        client = self.login(self.outsider)
        listing = client.get(reverse("meeting-series:index"))
        self.assertNotContains(listing, "季度例会")
        for view in ("edit", "delete", "inspect", "history"):
            with self.subTest(view=view):
                response = client.get(reverse(f"meeting-series:{view}", args=[self.quarterly.pk]))
                self.assertIn(response.status_code, (302, 403, 404))
                self.assertNotContains(response, "季度例会", status_code=response.status_code)
        client.post(reverse("meeting-series:edit", args=[self.quarterly.pk]), self.form(name="改"))
        self.quarterly.refresh_from_db()
        self.assertEqual(self.quarterly.name, "季度例会")

    def test_liaison_and_supervisor_read_but_do_not_change(self):
        for user in (self.convener_liaison, self.supervisor):
            with self.subTest(user=user.username):
                client = self.login(user)
                self.assertContains(client.get(reverse("meeting-series:index")), "季度例会")
                client.post(reverse("meeting-series:edit", args=[self.quarterly.pk]), self.form(name="改"))
                self.quarterly.refresh_from_db()
                self.assertEqual(self.quarterly.name, "季度例会")

    def test_anonymous_visitor_is_sent_to_login(self):
        response = self.client.get(reverse("meeting-series:index"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])
