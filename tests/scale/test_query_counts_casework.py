"""The casework screens and the admin home of each role take as many queries with 2 cases of each state as with 7
(and the other province's cases besides)."""

import time_machine
from django.urls import reverse

from .worlds import NOW, QueryCountCase, assignment_links, case_links

HOME = reverse("wagtailadmin_home")


def waiting(texts):
    """The secretariat panel of the home: as many reported cases as the world has steps (six texts a step)."""
    return [f"waiting for triage</a>: <strong>{len(texts) // 6}</strong>"]


@time_machine.travel(NOW, tick=False)
class CaseworkQueryCountTests(QueryCountCase):
    kinds = ("cases",)
    subject = "casework and home"
    covers = frozenset({"wagtailadmin_home", "casework:queue", "casework:cases", "casework:supervision"})

    def test_home_of_the_superuser(self):
        self.check("superuser", HOME, ["cases"], pick=lambda texts: ['id="casework-secretariat-section"'])

    def test_home_of_the_secretariat(self):
        self.check("secretariat", HOME, ["cases"], pick=waiting)

    def test_home_of_the_supervisor(self):
        self.check("supervisor", HOME, ["cases"], pick=waiting)

    def test_home_of_the_liaison(self):
        self.check("liaison", HOME, ["cases"], pick=assignment_links(2, 3))

    def test_queue_of_the_secretariat(self):
        self.check("secretariat", reverse("casework:queue"), ["cases"], pick=case_links(0, 1))

    def test_queue_of_the_supervisor(self):
        self.check("supervisor", reverse("casework:queue"), ["cases"], pick=case_links(0, 1))

    def test_cases_of_the_secretariat(self):
        self.check("secretariat", reverse("casework:cases"), ["cases"], pick=case_links(0, 1, 2, 3))

    def test_cases_of_the_liaison(self):
        self.check("liaison", reverse("casework:cases"), ["cases"], pick=case_links(2, 3))

    def test_cases_of_the_superuser(self):
        self.check("superuser", reverse("casework:cases"), ["cases"], pick=case_links(0, 1, 2, 3))

    def test_cases_filtered(self):
        self.check("secretariat", reverse("casework:cases") + "?overdue=on", ["cases"], pick=case_links(3))

    def test_supervision_of_the_secretariat(self):
        self.check("secretariat", reverse("casework:supervision"), ["cases"], pick=assignment_links(3))

    def test_supervision_of_the_supervisor(self):
        self.check("supervisor", reverse("casework:supervision"), ["cases"], pick=assignment_links(3))
