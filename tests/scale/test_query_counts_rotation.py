"""The rotation screens (the plan of each mechanism, a mechanism's forecast, the handovers and the annual
summaries) take as many queries with 2 mechanisms, units, handovers and summaries as with 7."""

import time_machine
from django.urls import reverse

from .worlds import NOW, QueryCountCase

OWN = "山西省政府救助与慈善帮扶工作衔接机制"


def own_mechanism(texts):
    """A member sees its own mechanism only, however many others there are."""
    return [OWN]


@time_machine.travel(NOW, tick=False)
class RotationQueryCountTests(QueryCountCase):
    kinds = ("mechanisms", "units", "handovers", "summaries")
    subject = "rotation"
    covers = frozenset(
        {"rotation_admin:index", "rotation_admin:forecast", "rotation_handovers:index", "rotation_summaries:index"}
    )

    def test_plan_of_the_superuser(self):
        self.check("superuser", reverse("rotation_admin:index"), ["mechanisms"])

    def test_plan_of_the_secretariat(self):
        self.check("secretariat", reverse("rotation_admin:index"), ["mechanisms"], pick=own_mechanism)

    def test_forecast_of_the_secretariat(self):
        url = reverse("rotation_admin:forecast", args=[self.world.own.mechanism.pk])
        self.check("secretariat", url, ["units"])

    def test_handovers_of_the_secretariat(self):
        self.check("secretariat", reverse("rotation_handovers:index"), ["handovers"])

    def test_handovers_of_the_liaison(self):
        self.check("liaison", reverse("rotation_handovers:index"), ["handovers"])

    def test_handovers_of_the_superuser(self):
        self.check("superuser", reverse("rotation_handovers:index"), ["handovers"])

    def test_summaries_of_the_secretariat(self):
        self.check("secretariat", reverse("rotation_summaries:index"), ["summaries"])

    def test_summaries_of_the_supervisor(self):
        self.check("supervisor", reverse("rotation_summaries:index"), ["summaries"])

    def test_summaries_of_the_superuser(self):
        self.check("superuser", reverse("rotation_summaries:index"), ["summaries"])
