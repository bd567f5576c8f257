"""Bad input on the rotation screens: swap and defer on the forecast, the handover actions (stale stamps posted
garbled), the summary narrative (12k-character sections refused with a message, nothing saved) and the summary
submit/return/approve; each valid starting payload is accepted too."""

import datetime

import time_machine
from django.contrib.messages import constants
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from rotation.handovers import services as handovers
from rotation.models import AnnualSummary, RotationEvent
from rotation.summaries.services import start_summary, submit_summary, update_narrative
from tests.casework import make_case
from tests.factories import MemberUnitFactory
from tests.rotation.test_handover_lifecycle import NOW as HANDOVER_NOW
from tests.rotation.test_handover_lifecycle import HandoverTestCase

from .harness import FUZZ_SETTINGS, FuzzTestCase, database_state, error_texts, rolled_back
from .strategies import ALPHABET, Post
from .sweep import sweep

EVENTS_NOW = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)
SUMMARY_NOW = datetime.datetime(2026, 12, 10, 2, 0, tzinfo=datetime.UTC)
SKIP = ("logout",)
# 12,000 characters that stay 12,000 once stripped: any printable text, CJK, emoji, right-to-left.
twelve_k = st.text(ALPHABET.filter(lambda c: c.isprintable() and not c.isspace()), min_size=1, max_size=3).map(
    lambda piece: piece * (12_000 // len(piece))
)


class AcceptedMixin:
    def accepted(self, url, payload, said=None):
        """A valid payload, posted once in a rolled-back savepoint: a success message, no error, a change."""
        with rolled_back():
            before = database_state()
            response = self.client.post(url, payload, follow=True, HTTP_ACCEPT_LANGUAGE="en")
            self.assertEqual(error_texts(response), [])
            messages = [m for m in response.context["messages"] if m.level == constants.SUCCESS]
            self.assertTrue(messages, f"no success message for {url}")
            if said:
                self.assertIn(said, " ".join(str(m) for m in messages))
            self.assertNotEqual(before, database_state())


@time_machine.travel(EVENTS_NOW, tick=False)
class RotationEventFuzzTests(AcceptedMixin, FuzzTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Joined in 2026: waits in the current round with mz, so mz may be deferred.
        MemberUnitFactory(
            mechanism=cls.province, code="fl", name="山西省妇女联合会", joined_on=datetime.date(2026, 6, 1)
        )

    def forecast(self):
        self.login(self.secretariat)
        return reverse("rotation_admin:forecast", args=[self.province.pk])

    def swap(self):
        return {"swap-first": [str(self.zgh.pk)], "swap-second": [str(self.tsw.pk)], "swap-year": ["2028"],
                "swap-reason": ["工作调整"], "swap-decision": ["2026年第2次联席会议决定"]}  # fmt: skip

    def defer(self):
        return {"defer-unit": [str(self.mz.pk)], "defer-year": ["2027"], "defer-reason": ["机构改革"],
                "defer-decision": ["省民政厅函〔2026〕5号"]}  # fmt: skip

    def test_valid_swap_and_defer_are_accepted(self):
        page = self.forecast()
        for action, payload in (("swap", self.swap()), ("defer", self.defer())):
            form = self.page_form(page, f"/{action}/")
            self.accepted(form.action, {**form.payload, **payload})
        self.assertFalse(RotationEvent.objects.exists())  # each rolled back

    def test_fuzzed_swap_and_defer(self):
        page = self.forecast()
        for action, payload in (("swap", self.swap()), ("defer", self.defer())):
            form = self.page_form(page, f"/{action}/")
            self.fuzz(form.action, {**form.payload, **payload}, f"rotation: {action}", max_examples=12)
            sweep(self, form.action, {**form.payload, **payload}, f"rotation: {action}")


@time_machine.travel(HANDOVER_NOW, tick=False)
class HandoverFuzzTests(AcceptedMixin, HandoverTestCase, FuzzTestCase):
    def detail(self, handover):
        return reverse("rotation_handovers:detail", args=[handover.pk])

    def prepared(self):
        """Checklist data ready, the handover meeting not yet recorded as held."""
        handover = self.make_handover()
        self.approve_summary()
        self.verify_channels()
        self.verify_contacts()
        self.link_meeting(handover)
        handovers.start_preparing(handover)
        handover.refresh_from_db()
        return handover

    def test_valid_handover_actions_are_accepted(self):
        handover = self.prepared()
        self.login(self.convener_liaison)
        form = self.page_form(self.detail(handover), "/meeting_held/")
        self.accepted(form.action, form.payload, "recorded as held")
        form = self.page_form(self.detail(handover), f"/contacts/{self.tsw.pk}/")
        self.accepted(form.action, form.payload, "are verified")
        handovers.record_meeting_held(handover, by=self.convener_liaison, now=HANDOVER_NOW)
        handovers.list_open_items(handover, by=self.secretariat, now=HANDOVER_NOW)
        handovers.sign_outgoing(handover, by=self.convener_liaison, now=HANDOVER_NOW)
        self.login(self.mz_liaison())
        form = self.page_form(self.detail(handover), "/sign_incoming/")
        self.accepted(form.action, form.payload, "Signed as the incoming convener")

    def mz_liaison(self):
        return self.member("mz_liaison", self.mz, "liaison")

    def test_fuzzed_handover_actions_before_and_after_the_meeting(self):
        handover = self.prepared()
        self.login(self.convener_liaison)
        self.fuzz_page(self.detail(handover), "handover (preparing)", per_form=8, skip=SKIP)
        handovers.record_meeting_held(handover, by=self.convener_liaison, now=HANDOVER_NOW)
        self.login(self.secretariat)
        self.fuzz_page(self.detail(handover), "handover (held)", per_form=8, skip=SKIP)

    def test_fuzzed_signatures(self):
        handover = self.ready_handover()
        self.login(self.convener_liaison)
        form = self.page_form(self.detail(handover), "/sign_outgoing/")
        self.fuzz(form.action, form.payload, "handover: sign_outgoing", max_examples=10)
        sweep(self, form.action, form.payload, "handover: sign_outgoing")
        handovers.sign_outgoing(handover, by=self.convener_liaison, now=HANDOVER_NOW)
        self.login(self.mz_liaison())
        form = self.page_form(self.detail(handover), "/sign_incoming/")
        self.fuzz(form.action, form.payload, "handover: sign_incoming", max_examples=10)
        sweep(self, form.action, form.payload, "handover: sign_incoming")


@time_machine.travel(SUMMARY_NOW, tick=False)
class SummaryFuzzTests(AcceptedMixin, FuzzTestCase):
    def setUp(self):
        make_case(self.province, source="member_unit", source_unit=self.zgh, needs=["housing"])
        self.summary = start_summary(self.province, 2026, now=SUMMARY_NOW)

    def url(self, name):
        return reverse(f"rotation_summaries:{name}", args=[self.summary.pk])

    def narrative_form(self):
        self.login(self.convener_liaison)
        form = self.page_form(self.url("edit"), "/edit/")
        form.payload.update(achievements=["全年受理求助"], problems=["人手不足"], plans=["扩大覆盖"])
        return form

    def test_valid_narrative_is_accepted(self):
        form = self.narrative_form()
        self.accepted(form.action, form.payload, "The narrative is saved.")

    def test_fuzzed_narrative(self):
        form = self.narrative_form()
        self.fuzz(form.action, form.payload, "summary: narrative", max_examples=15)
        sweep(self, form.action, form.payload, "summary: narrative")

    def test_a_12k_section_is_refused_with_a_message_and_nothing_saved(self):
        form = self.narrative_form()
        counts = {"inputs": 0}

        @settings(FUZZ_SETTINGS, max_examples=10)
        @given(section=st.sampled_from(["achievements", "problems", "plans"]), text=twelve_k)
        def run(section, text):
            with rolled_back():
                counts["inputs"] += 1
                errors = self.check_one(
                    form.action, Post("long", data={**form.payload, section: [text]}), language="en"
                )
                self.assertTrue(any("5000" in error for error in errors), errors)
                self.assertEqual(AnnualSummary.objects.get(pk=self.summary.pk).achievements, "")

        run()
        self.add_figures("summary: narrative 12k", counts["inputs"])

    def add_figures(self, subject, inputs):
        from tests import guarantees

        guarantees.add("fuzz", "inputs", inputs, subject=subject)
        guarantees.add("fuzz", "5xx", 0, subject=subject)
        guarantees.add("fuzz", "half-saved", 0, subject=subject)

    def test_submit_return_and_approve_are_accepted_and_fuzzed(self):
        update_narrative(self.summary, self.secretariat, "成效", "问题", "计划")
        self.summary.refresh_from_db()
        self.login(self.convener_liaison)
        form = self.page_form(self.url("detail"), "/submit/")
        self.accepted(form.action, form.payload, "submitted")
        self.fuzz(form.action, form.payload, "summary: submit", max_examples=10)
        sweep(self, form.action, form.payload, "summary: submit")
        submit_summary(self.summary, self.convener_liaison)
        self.login(self.secretariat)
        for action in ("approve", "return"):
            form = self.page_form(self.url("detail"), f"/{action}/")
            if action == "return":
                form.payload["reason"] = ["请补充数据"]
            self.accepted(form.action, form.payload)
            self.fuzz(form.action, form.payload, f"summary: {action}", max_examples=10)
            sweep(self, form.action, form.payload, f"summary: {action}")

    def test_a_return_reason_with_a_nul_byte_is_refused_not_a_500(self):
        """Regression: on PostgreSQL the reason went into the audit log's JSON and failed (\\u0000)."""
        update_narrative(self.summary, self.secretariat, "成效", "问题", "计划")
        submit_summary(self.summary, self.convener_liaison)
        self.summary.refresh_from_db()
        self.login(self.secretariat)
        form = self.page_form(self.url("detail"), "/return/")
        form.payload["reason"] = ["请补充\x00数据"]
        with self.settings(LANGUAGE_CODE="en"):
            errors = self.check_one(form.action, Post("nul", data=form.payload, field="reason"), language="en")
        self.assertEqual(errors, ["Null characters are not allowed."])
        self.assertEqual(AnnualSummary.objects.get(pk=self.summary.pk).state, "submitted")
