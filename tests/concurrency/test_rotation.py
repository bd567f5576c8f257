"""The handover and the annual summary: two sessions act on the same one; one act is done, the other is told."""

import datetime

import time_machine
from django.urls import reverse

from rotation.models import AnnualSummary, Handover, SummaryState
from rotation.summaries.services import start_summary, submit_summary, update_narrative
from tests.casework import make_case
from tests.factories import SHANGHAI
from tests.rotation.test_handover_lifecycle import NOW, HandoverTestCase

from .base import TwoSessionsCase, page_stamp

SUMMARY_NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)


@time_machine.travel(NOW)  # ticking: each save gives a later `updated_at`, as in real life
class HandoverActs(TwoSessionsCase):
    # The helpers that fill the handover's checklist, on committed rows.
    make_handover, approve_summary, verify_channels, verify_contacts, link_meeting, ready_handover = (
        HandoverTestCase.make_handover,
        HandoverTestCase.approve_summary,
        HandoverTestCase.verify_channels,
        HandoverTestCase.verify_contacts,
        HandoverTestCase.link_meeting,
        HandoverTestCase.ready_handover,
    )

    def two_pages(self, handover, *acts):
        detail = reverse("rotation_handovers:detail", args=[handover.pk])
        posts = []
        for user, name in acts:
            client = self.session(user)
            url = reverse(f"rotation_handovers:{name}", args=[handover.pk])
            stamp = page_stamp(client.get(detail), url)
            posts.append(lambda client=client, url=url, stamp=stamp: client.post(url, stamp))
        return posts

    def list_or_sign(self):
        handover = self.ready_handover()
        handover.refresh_from_db()
        listed_at = handover.open_items_listed_at
        acts = self.two_pages(handover, (self.secretariat, "open_items"), (self.convener_liaison, "sign_outgoing"))
        return handover, listed_at, acts

    def check_list_or_sign(self, handover, listed_at, winner):
        handover.refresh_from_db()
        if winner == 0:
            self.assertGreater(handover.open_items_listed_at, listed_at)
            self.assertIsNone(handover.outgoing_signed_at)
        else:  # signed; the open items are listed again by the signature itself, at its moment
            self.assertIsNotNone(handover.outgoing_signed_at)
            self.assertEqual(handover.open_items_listed_at, handover.outgoing_signed_at)

    def test_signing_from_the_page_before_the_list_changed_is_refused(self):
        handover, listed_at, (relist, sign) = self.list_or_sign()
        self.check_list_or_sign(handover, listed_at, self.sequential(relist, sign))
        self.counted("handover: open items / sign")

    def test_listing_and_signing_at_once_one_is_done(self):
        handover, listed_at, posts = self.list_or_sign()
        self.check_list_or_sign(handover, listed_at, self.race(*posts))
        self.counted("handover: open items / sign")

    def test_two_signatures_of_the_outgoing_convener_at_once_sign_once(self):
        handover = self.ready_handover()
        posts = self.two_pages(
            handover, (self.convener_liaison, "sign_outgoing"), (self.convener_liaison, "sign_outgoing")
        )
        self.race(*posts)
        handover.refresh_from_db()
        self.assertIsNotNone(handover.outgoing_signed_at)
        self.assertEqual(Handover.objects.filter(pk=handover.pk, outgoing_signed_at__isnull=False).count(), 1)
        self.counted("handover: sign")


@time_machine.travel(SUMMARY_NOW)
class SummaryActs(TwoSessionsCase):
    def setUp(self):
        super().setUp()
        make_case(self.province, source="member_unit", source_unit=self.zgh, needs=["housing"])
        self.summary = start_summary(self.province, 2026, now=SUMMARY_NOW)

    def narratives(self):
        edit = reverse("rotation_summaries:edit", args=[self.summary.pk])
        texts = [
            {"achievements": "全年转办个案四十件。", "problems": "回访不及时。", "plans": "建立回访台账。"},
            {"achievements": "新增两家慈善组织。", "problems": "", "plans": "扩大覆盖面。"},
        ]
        posts = []
        for user, data in zip((self.secretariat, self.convener_liaison), texts, strict=True):
            client = self.session(user)
            stamp = page_stamp(client.get(edit), edit)
            posts.append(lambda client=client, stamp=stamp, data=data: client.post(edit, {**stamp, **data}))
        return texts, posts

    def check_narrative(self, texts, winner):
        summary = AnnualSummary.objects.get(pk=self.summary.pk)
        kept = {name: getattr(summary, name) for name in ("achievements", "problems", "plans")}
        self.assertEqual(kept, texts[winner])  # all three sections of one editor, none of the other's

    def test_a_second_narrative_from_the_old_page_is_refused(self):
        texts, (first, second) = self.narratives()
        self.check_narrative(texts, self.sequential(first, second))
        self.counted("summary: edit the narrative")

    def test_two_narratives_at_once_one_is_saved(self):
        texts, posts = self.narratives()
        self.check_narrative(texts, self.race(*posts))
        self.counted("summary: edit the narrative")

    def approve_or_return(self):
        update_narrative(self.summary, self.secretariat, "全年转办个案四十件。", "", "")
        submit_summary(self.summary, self.secretariat)
        detail = reverse("rotation_summaries:detail", args=[self.summary.pk])
        posts = []
        for user, name, data in ((self.convener_liaison, "approve", {}),
                                 (self.secretariat, "return", {"reason": "数字需要核对"})):  # fmt: skip
            client = self.session(user)
            url = reverse(f"rotation_summaries:{name}", args=[self.summary.pk])
            stamp = page_stamp(client.get(detail), url)
            posts.append(lambda client=client, url=url, stamp=stamp, data=data: client.post(url, {**stamp, **data}))
        return posts

    def check_approve_or_return(self, winner):
        summary = AnnualSummary.objects.get(pk=self.summary.pk)
        if winner == 0:
            self.assertEqual(summary.state, SummaryState.SUBMITTED)
            self.assertIsNotNone(summary.convener_approved_at)
        else:
            self.assertEqual(summary.state, SummaryState.DRAFTING)
            self.assertIsNone(summary.convener_approved_at)

    def test_returning_after_an_approval_from_the_old_page_is_refused(self):
        approve, send_back = self.approve_or_return()
        self.check_approve_or_return(self.sequential(approve, send_back))
        self.counted("summary: approve / return")

    def test_an_approval_and_a_return_at_once_one_is_done(self):
        self.check_approve_or_return(self.race(*self.approve_or_return()))
        self.counted("summary: approve / return")
