"""Bad input on the casework screens: case intake, every case action in each state, every assignment action."""

from django.urls import reverse

from mechanism.models import Area, AreaLevel
from mechanism.services import assignments as work
from mechanism.services import triage
from tests.casework import make_case
from tests.factories import AreaFactory

from .harness import FuzzTestCase, error_texts, rolled_back

# Showing a full ID number writes only to the access log: a valid reveal changes no state and shows no error.
REVEAL = ("reveal",)


class CaseworkFuzzTests(FuzzTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        if not Area.objects.filter(code="140105").exists():
            AreaFactory(code="140105", name="小店区", level=AreaLevel.COUNTY, parent=cls.taiyuan_area)

    def case(self, **kw):
        return make_case(self.province, by=self.secretariat, **kw)

    def referred(self):
        case = self.case()
        triage.accept_case(case, by=self.secretariat)
        [assignment] = triage.refer_case(case, [self.zgh], by=self.secretariat)
        return case, assignment

    def case_page(self, case):
        return reverse("casework:case", args=[case.pk])

    def test_fuzzed_case_intake_never_fails_or_half_saves(self):
        self.login(self.secretariat)
        url = reverse("casework:report")
        form = self.page_form(url)
        form.payload.update(person_name=["王五"], phone=["13800000000"], needs=["medical"], source=["hotline"])
        form.payload["area"] = [str(self.taiyuan_area.pk)]
        form.payload.update(consent_given=["on"], consent_by=["王五本人"], consent_method=["signed_form"])
        with rolled_back():
            response = self.client.post(url, form.payload, HTTP_ACCEPT_LANGUAGE="en")
            self.assertEqual(response.status_code, 302, error_texts(response))
        self.fuzz(url, form.payload, "case intake", max_examples=40)

    def test_fuzzed_actions_on_a_new_case(self):
        self.login(self.secretariat)
        self.fuzz_page(self.case_page(self.case()), "case (new)", quiet_forms=REVEAL)

    def test_fuzzed_actions_on_an_accepted_case_including_referral(self):
        case = self.case()
        triage.accept_case(case, by=self.secretariat)
        self.login(self.secretariat)
        self.fuzz_page(self.case_page(case), "case (triaged)", per_form=12, quiet_forms=REVEAL)

    def test_fuzzed_actions_on_a_referred_case(self):
        case, _ = self.referred()
        self.login(self.secretariat)
        self.fuzz_page(self.case_page(case), "case (referred)", quiet_forms=REVEAL)

    def test_fuzzed_actions_on_a_resolved_case_including_close(self):
        case, _ = self.referred()
        case.refresh_from_db()
        triage.resolve_case(case, "已解决", by=self.secretariat)
        self.login(self.secretariat)
        self.fuzz_page(self.case_page(case), "case (resolved)", quiet_forms=REVEAL)

    def test_fuzzed_assignment_sign_and_return(self):
        _, assignment = self.referred()
        self.login(self.other_liaison)
        self.fuzz_page(reverse("casework:assignment", args=[assignment.pk]), "assignment (assigned)")

    def test_fuzzed_assignment_follow_up_and_complete(self):
        _, assignment = self.referred()
        work.acknowledge_assignment(assignment, by=self.other_liaison)
        self.login(self.other_liaison)
        self.fuzz_page(reverse("casework:assignment", args=[assignment.pk]), "assignment (acknowledged)", per_form=12)

    def test_fuzzed_filing_and_case_filters(self):
        self.login(self.secretariat)
        self.fuzz_page(reverse("casework:filing"), "case filing")
