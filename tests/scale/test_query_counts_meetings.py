"""The meetings screens (calendar, list, topics, series) and the meeting panels of the admin home take as many
queries with 2 meetings, minutes, series and topic proposals as with 7 (and the other province's besides)."""

import time_machine
from django.urls import reverse

from .worlds import NOW, QueryCountCase

HOME = reverse("wagtailadmin_home")
AHEAD = 5  # the home panel lists the first five meetings ahead (meetings/admin/panels.py SHOWN)


@time_machine.travel(NOW, tick=False)
class MeetingsQueryCountTests(QueryCountCase):
    kinds = ("meetings", "minutes", "series", "topics")
    subject = "meetings"
    covers = frozenset(
        {
            "wagtailadmin_home",
            "meetings_admin:calendar",
            "meetings_admin:list",
            "meetings_admin:topics",
            "meeting-series:index",
            "meeting-series:index_results",
        }
    )

    def test_home_of_the_secretariat(self):
        self.check("secretariat", HOME, ["meetings"], cap=AHEAD)

    def test_home_of_the_liaison_with_notices_to_answer(self):
        self.check("liaison", HOME, ["meetings"], cap=AHEAD)

    def test_calendar_of_the_secretariat(self):
        self.check("secretariat", reverse("meetings_admin:calendar"), ["meetings"])

    def test_calendar_of_the_liaison(self):
        self.check("liaison", reverse("meetings_admin:calendar"), ["meetings"])

    def test_calendar_of_the_superuser(self):
        self.check("superuser", reverse("meetings_admin:calendar"), ["meetings"])

    def test_list_of_the_secretariat(self):
        self.check("secretariat", reverse("meetings_admin:list"), ["meetings", "minutes"])

    def test_list_of_the_liaison(self):
        self.check("liaison", reverse("meetings_admin:list"), ["meetings", "minutes"])

    def test_list_of_the_superuser(self):
        self.check("superuser", reverse("meetings_admin:list"), ["meetings", "minutes"])

    def test_topics_of_the_secretariat(self):
        self.check("secretariat", reverse("meetings_admin:topics"), ["topics"])

    def test_topics_of_the_liaison(self):
        self.check("liaison", reverse("meetings_admin:topics"), ["topics"])

    def test_series_of_the_secretariat(self):
        self.check("secretariat", reverse("meeting-series:index"), ["series"])

    def test_series_results_of_the_secretariat(self):
        self.check("secretariat", reverse("meeting-series:index_results"), ["series"])

    def test_series_of_the_superuser(self):
        self.check("superuser", reverse("meeting-series:index"), ["series"])
