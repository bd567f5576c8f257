"""The personal-data access log: supervisors and the secretariat read their mechanism's; nobody edits it."""

from django.urls import reverse

from mechanism.services.assistance import reveal_personal_field
from tests.base import CastTestCase
from tests.casework import make_case


class AccessLogAdminTest(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        case = make_case(cls.province)
        reveal_personal_field(case, "phone", "联系本人核实住址", by=cls.secretariat)

    def test_supervisor_reads_the_log(self):
        response = self.login(self.supervisor).get(reverse("personaldataaccess:index"))
        self.assertContains(response, "联系本人核实住址")
        export = self.login(self.supervisor).get(reverse("personaldataaccess:index") + "?export=csv")
        self.assertIn("联系本人核实住址", b"".join(export.streaming_content).decode("utf-8"))

    def test_liaison_and_outsider_see_nothing_of_it(self):
        for user in (self.other_liaison, self.outsider):
            with self.subTest(user=user.username):
                response = self.login(user).get(reverse("personaldataaccess:index"))
                self.assertNotIn("联系本人核实住址", response.content.decode())

    def test_nobody_edits_or_deletes_an_entry(self):
        from mechanism.models import PersonalDataAccess

        entry = PersonalDataAccess.objects.get()
        for user in (self.secretariat, self.supervisor):
            for view in ("edit", "delete"):
                with self.subTest(user=user.username, view=view):
                    response = self.login(user).post(
                        reverse(f"personaldataaccess:{view}", args=[entry.pk]), {"reason": "x"}
                    )
                    self.assertIn(response.status_code, (302, 404))
        entry.refresh_from_db()
        self.assertEqual(entry.reason, "联系本人核实住址")


class AccessLogIsReadOnlyForEveryoneTest(CastTestCase):
    """Nobody, the superuser included, adds, edits or deletes an entry through any admin URL."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        case = make_case(cls.province)
        reveal_personal_field(case, "phone", "核实联系方式", by=cls.secretariat)

    def test_no_one_edits_deletes_or_adds_an_entry_even_the_superuser(self):
        from mechanism.models import PersonalDataAccess

        entry = PersonalDataAccess.objects.get()
        before = list(PersonalDataAccess.objects.values())
        for user in (self.admin, self.secretariat, self.supervisor, self.outsider):
            client = self.login(user)
            for url in (
                reverse("personaldataaccess:edit", args=[entry.pk]),
                reverse("personaldataaccess:delete", args=[entry.pk]),
                reverse("personaldataaccess:add"),
            ):
                with self.subTest(user=user.username, url=url):
                    for response in (client.get(url), client.post(url, {"reason": "改写", "field": "phone"})):
                        self.assertIn(response.status_code, (302, 403, 404, 405))
                        self.assertNotIn("/personaldataaccess/edit/", response.get("Location", ""))
        self.assertEqual(list(PersonalDataAccess.objects.values()), before)

    def test_another_mechanisms_supervisor_reads_nothing_of_ours(self):
        other_supervisor = self.member("ty_supervisor", self.ty_mz, "supervisor")
        response = self.login(other_supervisor).get(reverse("personaldataaccess:index"))
        self.assertNotIn("核实联系方式", response.content.decode())
        response = self.login(self.supervisor).get(reverse("personaldataaccess:index"))
        self.assertContains(response, "核实联系方式")
