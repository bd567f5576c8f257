"""The summary's life: drafted by the convener's liaison or the secretariat, submitted, approved by both sides
(either alone is not enough), returned with its approvals cleared; refusals change nothing and log nothing."""

import datetime

import time_machine
from django.utils import translation
from wagtail.models import ModelLogEntry

from mechanism.services.errors import ActionRefused, StaleObject
from rotation.models import AnnualSummary, SummaryState
from rotation.summaries import access
from rotation.summaries.services import (
    NARRATIVE_MAX,
    approve_summary,
    refresh_figures,
    return_summary,
    start_summary,
    submit_summary,
    update_narrative,
)
from tests.base import CastTestCase
from tests.casework import make_case
from tests.factories import SHANGHAI, ConvenerTermFactory, MembershipFactory, jan1

NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)


def actions(summary):
    return list(
        ModelLogEntry.objects.filter(object_id=str(summary.pk), action__startswith="xianjie.summary.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


@time_machine.travel(NOW)  # the clock ticks: `updated_at` differs from one save to the next, as in life
class SummaryLifecycleTests(CastTestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))  # the refusals' words are asserted
        self.summary = start_summary(self.province, 2026, by=self.secretariat, now=NOW)

    def write(self, user=None, text="成效", **kw):
        return update_narrative(self.summary, user or self.convener_liaison, text, "问题", "计划", **kw)

    def submitted(self):
        self.write()
        return submit_summary(self.summary, self.convener_liaison)

    def test_started_once_with_its_figures_counted_and_logged(self):
        self.assertEqual(self.summary.state, SummaryState.DRAFTING)
        self.assertEqual(self.summary.period_start, datetime.date(2026, 1, 1))
        self.assertEqual(self.summary.convener_unit, self.tsw)
        self.assertEqual(self.summary.figures["cases"]["received"]["count"], 0)
        self.assertEqual(self.summary.figures_at, NOW)
        self.assertEqual(start_summary(self.province, 2026, now=NOW).pk, self.summary.pk)
        self.assertEqual(AnnualSummary.objects.count(), 1)
        self.assertEqual(actions(self.summary), ["xianjie.summary.create"])

    def test_a_term_signed_mid_january_still_covers_the_whole_calendar_year(self):
        """The days from 1 January to the signature are in that year's summary: no day is in no summary."""
        self.tsw_term.ends_at = datetime.datetime(2027, 1, 15, 10, tzinfo=SHANGHAI)
        self.tsw_term.save()
        ConvenerTermFactory(unit=self.mz, starts_at=self.tsw_term.ends_at)
        with time_machine.travel(datetime.datetime(2027, 1, 8, 9, tzinfo=SHANGHAI)):
            make_case(self.province, needs=["housing"])  # before the signature, under the old convener
        summary = start_summary(self.province, 2027, now=datetime.datetime(2027, 12, 1, tzinfo=SHANGHAI))
        self.assertEqual(
            (summary.period_start, summary.period_end), (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
        )
        self.assertEqual(summary.convener_unit, self.mz)
        self.assertEqual(summary.figures["cases"]["received"]["count"], 1)
        self.assertEqual(self.summary.period_end + datetime.timedelta(days=1), summary.period_start)

    def test_submitting_counts_the_figures_again_as_of_the_submission(self):
        self.write()
        make_case(self.province, needs=["medical"])  # after the summary was started
        self.assertEqual(AnnualSummary.objects.get().figures["cases"]["received"]["count"], 0)
        submitted_at = NOW + datetime.timedelta(days=5)
        submit_summary(self.summary, self.convener_liaison, now=submitted_at)
        fresh = AnnualSummary.objects.get()
        self.assertEqual((fresh.state, fresh.figures_at), (SummaryState.SUBMITTED, submitted_at))
        self.assertEqual(fresh.figures["cases"]["received"]["count"], 1)
        self.assertEqual(fresh.figures["period"]["as_of"], "2026-12-15")
        self.assertEqual(actions(fresh)[-1], "xianjie.summary.submit")

    def test_a_refused_submission_counts_nothing(self):
        make_case(self.province, needs=["medical"])
        before = AnnualSummary.objects.get()
        with self.assertRaises(ActionRefused):
            submit_summary(self.summary, self.convener_liaison, now=NOW + datetime.timedelta(days=1))
        fresh = AnnualSummary.objects.get()
        self.assertEqual((fresh.figures, fresh.figures_at, fresh.updated_at), (before.figures, NOW, before.updated_at))

    def test_a_submission_from_an_old_page_is_refused(self):
        seen = self.summary.updated_at
        self.write()
        with self.assertRaises(StaleObject):
            submit_summary(self.summary, self.convener_liaison, seen_updated_at=seen)
        self.assertEqual(AnnualSummary.objects.get().state, SummaryState.DRAFTING)

    def test_the_secretariat_and_the_convener_both_approve(self):
        self.submitted()
        approve_summary(self.summary, self.secretariat, now=NOW)
        self.assertEqual(self.summary.state, SummaryState.SUBMITTED)
        self.assertEqual(self.summary.secretariat_approved_by, self.secretariat)
        self.assertIsNone(self.summary.approved_at)
        approve_summary(self.summary, self.convener_liaison, now=NOW)
        self.assertEqual(self.summary.state, SummaryState.APPROVED)
        self.assertEqual((self.summary.convener_approved_by, self.summary.approved_at), (self.convener_liaison, NOW))
        self.assertEqual(actions(self.summary)[-2:], ["xianjie.summary.approve", "xianjie.summary.approve"])

    def test_approving_twice_by_one_side_is_refused_politely(self):
        self.submitted()
        approve_summary(self.summary, self.convener_liaison, now=NOW)
        with self.assertRaisesMessage(ActionRefused, "already approved"):
            approve_summary(self.summary, self.convener_liaison, now=NOW)
        self.assertEqual(self.summary.state, SummaryState.SUBMITTED)

    def test_a_user_who_is_both_counts_as_the_secretariat_only(self):
        MembershipFactory(user=self.secretariat, unit=self.tsw, role="liaison")
        self.submitted()
        approve_summary(self.summary, self.secretariat, now=NOW)
        self.assertIsNotNone(self.summary.secretariat_approved_at)
        self.assertIsNone(self.summary.convener_approved_at)
        with self.assertRaises(ActionRefused):
            approve_summary(self.summary, self.secretariat, now=NOW)
        self.assertEqual(self.summary.state, SummaryState.SUBMITTED)

    def test_others_may_not_approve_edit_or_submit(self):
        self.submitted()
        for user in (self.other_liaison, self.supervisor, self.outsider):
            with self.subTest(user.username):
                with self.assertRaises(ActionRefused):
                    approve_summary(self.summary, user, now=NOW)
                with self.assertRaises(ActionRefused):
                    return_summary(self.summary, user, "不同意")
                self.assertFalse(access.may_approve(user, self.summary, NOW))
        self.assertIsNone(self.summary.secretariat_approved_at)
        AnnualSummary.objects.filter(pk=self.summary.pk).update(state=SummaryState.DRAFTING)
        self.summary.refresh_from_db()
        for user in (self.other_liaison, self.supervisor, self.outsider):
            with self.subTest(user.username), self.assertRaises(ActionRefused):
                self.write(user, text="外人改写")
        self.assertEqual(AnnualSummary.objects.get().achievements, "成效")

    def test_the_convener_is_the_unit_holding_the_term_now(self):
        """After the January signing the old convener's liaison no longer edits; the new one does."""
        self.tsw_term.ends_at = datetime.datetime(2027, 1, 15, 10, tzinfo=SHANGHAI)
        self.tsw_term.save()
        ConvenerTermFactory(unit=self.zgh, starts_at=self.tsw_term.ends_at)
        later = datetime.datetime(2027, 1, 20, tzinfo=SHANGHAI)
        self.assertTrue(access.may_edit(self.convener_liaison, self.summary, NOW))
        self.assertFalse(access.may_edit(self.convener_liaison, self.summary, later))
        self.assertTrue(access.may_edit(self.other_liaison, self.summary, later))

    def test_submitting_needs_a_narrative(self):
        with self.assertRaisesMessage(ActionRefused, "before submitting"):
            submit_summary(self.summary, self.convener_liaison)
        self.assertEqual(self.summary.state, SummaryState.DRAFTING)
        self.assertEqual(actions(self.summary), ["xianjie.summary.create"])

    def test_edit_and_refresh_are_refused_after_submitting(self):
        self.submitted()
        with self.assertRaisesMessage(ActionRefused, "submitted"):
            self.write(text="改")
        with self.assertRaises(ActionRefused):
            refresh_figures(self.summary, self.secretariat)
        self.assertEqual(AnnualSummary.objects.get().achievements, "成效")

    def test_returning_clears_the_approvals_and_needs_a_reason(self):
        self.submitted()
        approve_summary(self.summary, self.secretariat, now=NOW)
        with self.assertRaisesMessage(ActionRefused, "why"):
            return_summary(self.summary, self.convener_liaison, "  ")
        return_summary(self.summary, self.convener_liaison, "数据需核对")
        fresh = AnnualSummary.objects.get()
        self.assertEqual(fresh.state, SummaryState.DRAFTING)
        self.assertIsNone(fresh.secretariat_approved_at)
        self.assertIsNone(fresh.secretariat_approved_by)
        entry = ModelLogEntry.objects.filter(action="xianjie.summary.return").get()
        self.assertEqual(entry.data["reason"], "数据需核对")

    def test_a_narrative_too_long_is_refused_and_nothing_changes(self):
        self.write(text="原文")
        before = AnnualSummary.objects.get().updated_at
        with self.assertRaisesMessage(ActionRefused, str(NARRATIVE_MAX)):
            self.write(text="长" * (NARRATIVE_MAX + 1))
        fresh = AnnualSummary.objects.get()
        self.assertEqual((fresh.achievements, fresh.updated_at), ("原文", before))
        self.write(text="长" * NARRATIVE_MAX)
        self.assertEqual(len(AnnualSummary.objects.get().achievements), NARRATIVE_MAX)

    def test_an_edit_from_an_old_page_is_refused(self):
        seen = self.summary.updated_at
        self.write(text="第一版")
        with self.assertRaises(StaleObject):
            self.write(self.secretariat, text="旧页面", seen_updated_at=seen)
        self.assertEqual(AnnualSummary.objects.get().achievements, "第一版")

    def test_refreshing_recounts_while_drafting(self):
        later = NOW + datetime.timedelta(days=3)
        refresh_figures(self.summary, self.convener_liaison, now=later)
        self.assertEqual(self.summary.figures_at, later)
        self.assertEqual(self.summary.figures["period"]["as_of"], "2026-12-13")
        self.assertEqual(actions(self.summary)[-1], "xianjie.summary.refresh")

    def test_an_approved_summary_cannot_be_returned(self):
        self.submitted()
        approve_summary(self.summary, self.secretariat, now=NOW)
        approve_summary(self.summary, self.convener_liaison, now=NOW)
        self.assertFalse(access.may_return(self.secretariat, self.summary, NOW))
        with self.assertRaises(ActionRefused):
            return_summary(self.summary, self.secretariat, "晚了")
        self.assertEqual(AnnualSummary.objects.get().state, SummaryState.APPROVED)


class SummaryVisibilityTests(CastTestCase):
    def test_readers_of_the_mechanism_see_it_outsiders_do_not(self):
        summary = start_summary(self.province, 2026, now=NOW)
        for user in (self.secretariat, self.supervisor, self.convener_liaison, self.other_liaison, self.admin):
            self.assertEqual(list(access.visible_summaries(user)), [summary], user.username)
        self.assertEqual(list(access.visible_summaries(self.outsider)), [])
        self.assertFalse(access.may_edit(self.supervisor, summary, NOW))
        self.assertTrue(access.may_edit(self.secretariat, summary, NOW))
        self.assertEqual(jan1(2026), self.tsw_term.starts_at)
