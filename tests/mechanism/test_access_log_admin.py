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
