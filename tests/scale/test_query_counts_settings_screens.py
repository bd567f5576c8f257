"""The settings screens (each ModelViewSet index and its results, the channel check, the filing form, the login
lock-outs, the users) take as many queries with 2 rows of each kind as with 7 (and the other province's besides)."""

import time_machine
from django.urls import reverse

from .worlds import NOW, QueryCountCase

OWN = "山西省政府救助与慈善帮扶工作衔接机制"

# (viewset, kind of its rows, the roles that read it): the superuser reads every one.
VIEWSETS = {
    "mechanism": ("mechanisms", ("superuser",)),
    "memberunit": ("units", ("secretariat", "superuser")),
    "membership": ("memberships", ("secretariat", "superuser")),
    "convenerterm": ("terms", ("secretariat", "superuser")),
    "helpchannel": ("channels", ("secretariat", "liaison", "superuser")),
    "brandproject": ("projects", ("secretariat", "liaison", "superuser")),
    "holidayoverride": ("holidays", ("superuser",)),  # nationwide: every side's rows are everyone's
    "personaldataaccess": ("access_log", ("supervisor", "superuser")),
    "area": ("areas", ("superuser",)),
}


@time_machine.travel(NOW, tick=False)
class SettingsScreensQueryCountTests(QueryCountCase):
    kinds = tuple(kind for kind, _roles in VIEWSETS.values()) + ("lockouts",)
    subject = "settings screens"
    covers = frozenset(
        {f"{viewset}:{view}" for viewset in VIEWSETS for view in ("index", "index_results")}
        | {
            "helpchannel:verify_many",
            "casework:filing",
            "xianjie_security:lockouts",
            "wagtailusers_users:index",
            "wagtailusers_users:index_results",
        }
    )

    def check_viewset(self, viewset):
        kind, roles = VIEWSETS[viewset]
        for role in roles:
            for view in ("index", "index_results"):
                with self.subTest(role=role, view=view):
                    self.check(role, reverse(f"{viewset}:{view}"), [kind])

    def test_mechanisms(self):
        self.check_viewset("mechanism")

    def test_member_units(self):
        self.check_viewset("memberunit")

    def test_memberships(self):
        self.check_viewset("membership")

    def test_convener_terms(self):
        self.check_viewset("convenerterm")

    def test_help_channels(self):
        self.check_viewset("helpchannel")

    def test_brand_projects(self):
        self.check_viewset("brandproject")

    def test_holidays(self):
        self.check_viewset("holidayoverride")

    def test_access_log(self):
        self.check_viewset("personaldataaccess")

    def test_areas(self):
        self.check_viewset("area")

    def test_channel_check_of_the_secretariat(self):
        self.check("secretariat", reverse("helpchannel:verify_many"), ["channels"])

    def test_filing_form_of_the_superuser(self):
        """The form offers every mechanism the user reads."""
        self.check("superuser", reverse("casework:filing"), ["mechanisms"])

    def test_filing_form_of_the_secretariat(self):
        self.check("secretariat", reverse("casework:filing"), ["mechanisms"], pick=lambda texts: [OWN])

    def test_lockouts_of_the_secretariat(self):
        self.check("secretariat", reverse("xianjie_security:lockouts"), ["lockouts"])

    def test_lockouts_of_the_superuser(self):
        self.check("superuser", reverse("xianjie_security:lockouts"), ["lockouts"])

    def test_users_of_the_superuser(self):
        for view in ("index", "index_results"):
            with self.subTest(view=view):
                self.check("superuser", reverse(f"wagtailusers_users:{view}"), ["memberships"])
