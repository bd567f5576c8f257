"""The minutes screen: start from the meeting, header and quorum, drafting the text, sending for review,
publishing and correcting; bad input answered with a message and nothing saved."""

import datetime

import time_machine
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from meetings.models import Decision, DecisionKind, ItemMinutes, Minutes, MinutesState
from meetings.services import (
    add_decision,
    add_item,
    agree_to_minutes,
    approve_minutes,
    hold_meeting,
    pending_reviewers,
    record_attendance,
    send_minutes_for_review,
    send_notice,
    start_minutes,
)
from tests.factories import MemberUnitFactory

from .test_admin_meeting import NOW, MeetingAdminCase

S = MinutesState
DEADLINE = datetime.date(2026, 3, 6)
DUE = datetime.date(2026, 4, 10)
KINDS = ("notice", "agenda", "signin", "minutes")


class MinutesAdminCase(MeetingAdminCase):
    """A held meeting (zgh and tsw present: quorum of 2 of 3 reached) with minutes, and the POST of one action."""

    def held(self, titles=("议题一",), present=None):
        meeting = self.make()
        for title in titles:
            add_item(meeting, title, "topic", 10, by=self.secretariat)
        with self.captureOnCommitCallbacks(execute=True):
            send_notice(meeting, by=self.secretariat)
        for unit, person in present if present is not None else [(self.zgh, "钱七"), (self.tsw, "赵六")]:
            record_attendance(meeting, unit, person, by=self.secretariat)
        hold_meeting(meeting, by=self.secretariat)
        meeting.refresh_from_db()
        return meeting

    def minutes(self, meeting=None, **kw):
        return start_minutes(meeting or self.held(**kw), by=self.secretariat)

    def item(self, minutes, number=0):
        return ItemMinutes.objects.filter(minutes=minutes).order_by("agenda_item__order", "pk")[number]

    def action_item(self, minutes, text="三月底前完成走访", units=None, number=0):
        units = units if units is not None else [self.zgh]
        return add_decision(self.item(minutes, number), DecisionKind.ACTION, text, units=units, due_on=DUE,
                            by=self.secretariat)  # fmt: skip

    def in_review(self, minutes):
        with self.captureOnCommitCallbacks(execute=True):
            send_minutes_for_review(minutes, DEADLINE, by=self.secretariat)
        minutes.refresh_from_db()
        return minutes

    def close_round(self, minutes):
        """Every unit still asked answers (agrees), so the round may be revised or approved."""
        liaisons = {self.zgh.pk: self.other_liaison, self.tsw.pk: self.convener_liaison}
        for unit in pending_reviewers(minutes):
            agree_to_minutes(minutes, unit, by=liaisons[unit.pk])
        minutes.refresh_from_db()
        return minutes

    def approved(self, minutes):
        if minutes.state != S.IN_REVIEW:
            self.in_review(minutes)
        for user, unit in [(self.other_liaison, self.zgh), (self.convener_liaison, self.tsw)]:
            agree_to_minutes(minutes, unit, by=user)
        with self.captureOnCommitCallbacks(execute=True):
            approve_minutes(minutes, by=self.convener_liaison)
        minutes.refresh_from_db()
        return minutes

    def minutes_url(self, name, minutes):
        suffix = "minutes" if name == "minutes" else f"minutes_{name}"
        return reverse(f"meetings_admin:{suffix}", args=[minutes.meeting_id])

    def act(self, user, name, minutes, data=None):
        """POST an action of the minutes screen with the state and revision the page showed."""
        self.login(user)
        data = {"state": minutes.state, "revision": minutes.revision, "updated_at": minutes.updated_at.isoformat(),
                **(data or {})}  # fmt: skip
        with translation.override("en"), self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.minutes_url(name, minutes), data, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    def screen(self, user, minutes):
        return self.login(user).get(self.minutes_url("minutes", minutes), HTTP_ACCEPT_LANGUAGE="en")

    def said(self, response):
        return " ".join(self.message_texts(response))


@time_machine.travel(NOW, tick=False)
class MinutesScreenTests(MinutesAdminCase):
    def test_meeting_screen_offers_to_start_the_minutes(self):
        meeting = self.held()
        response = self.login(self.secretariat).get(self.url("meeting", meeting), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, reverse("meetings_admin:minutes_start", args=[meeting.pk]))
        response = self.post(self.secretariat, "minutes_start", meeting)
        minutes = Minutes.objects.get(meeting=meeting)
        self.assertEqual(response.redirect_chain[-1][0], self.minutes_url("minutes", minutes))
        self.assertEqual(minutes.items.count(), 1)
        response = self.login(self.secretariat).get(self.url("meeting", meeting))
        self.assertContains(response, 'data-minutes-state="drafted"')
        self.assertContains(response, self.minutes_url("minutes", minutes))

    def test_document_links_on_the_meeting_and_minutes_screens(self):
        meeting = self.held()
        try:
            download = {kind: reverse("xianjie_documents:download", args=[kind, meeting.pk]) for kind in KINDS}
        except NoReverseMatch:
            self.skipTest("the documents app (xianjie_documents) is not wired")
        response = self.login(self.secretariat).get(self.url("meeting", meeting))
        for kind in ("notice", "agenda", "signin"):
            self.assertContains(response, f'href="{download[kind]}" data-document="{kind}"')
        self.assertNotContains(response, 'data-document="minutes"')
        minutes = self.minutes(meeting)
        for url in (self.url("meeting", meeting), self.minutes_url("minutes", minutes)):
            response = self.login(self.secretariat).get(url)
            self.assertContains(response, f'href="{download["minutes"]}" data-document="minutes"')

    def test_draft_meeting_has_no_minutes_panel_and_liaison_cannot_start(self):
        meeting = self.make()
        response = self.login(self.secretariat).get(self.url("meeting", meeting))
        self.assertNotContains(response, reverse("meetings_admin:minutes_start", args=[meeting.pk]))
        held = self.held()
        response = self.post(self.other_liaison, "minutes_start", held)
        self.assertIn("Only the secretariat", self.said(response))
        self.assertFalse(Minutes.objects.exists())

    def test_secretariat_sees_header_quorum_items_and_forms(self):
        minutes = self.minutes(titles=("议题一", "议题二"))
        self.action_item(minutes)
        response = self.screen(self.secretariat, minutes)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(minutes.meeting.name))
        self.assertContains(response, 'data-minutes-state="drafted"')
        self.assertContains(response, 'data-revision="1"')
        self.assertContains(response, 'data-quorum="reached"')
        self.assertContains(response, "2 of 3 active member units present; 2 needed.")
        self.assertContains(response, "钱七")
        self.assertNotContains(response, "data-below-quorum")
        self.assertContains(response, "议题二")
        self.assertContains(response, "三月底前完成走访")
        for name in ("opening", "summary", "add_decision", "edit_decision", "remove_decision", "send"):
            self.assertContains(response, self.minutes_url(name, minutes))
        self.assertNotContains(response, self.minutes_url("approve", minutes))  # the secretariat does not approve
        self.assertContains(response, 'type="date"')

    def test_below_quorum_is_said(self):
        minutes = self.minutes(present=[(self.zgh, "钱七")])
        response = self.screen(self.secretariat, minutes)
        self.assertContains(response, 'data-quorum="not-reached"')
        self.assertContains(response, "the minutes will say so")

    def test_unit_choices_are_the_active_units_of_the_mechanism(self):
        MemberUnitFactory(mechanism=self.province, code="gone", name="已退出单位", left_on=datetime.date(2026, 2, 1))
        minutes = self.minutes()
        response = self.screen(self.secretariat, minutes)
        choices = dict(response.context["rows"][0].add_form.fields["units"].widget.choices)
        self.assertEqual(set(choices.values()), {"山西省民政厅", "山西省总工会", "共青团山西省委员会"})
        self.assertNotContains(response, "已退出单位")
        self.assertNotContains(response, "太原市民政局")


@time_machine.travel(NOW, tick=False)
class MinutesDraftingTests(MinutesAdminCase):
    def test_secretariat_edits_opening_summary_and_decisions(self):
        minutes = self.minutes()
        item = self.item(minutes)
        self.act(self.secretariat, "opening", minutes, {"opening": "3月24日召开联席会议。"})
        self.act(self.secretariat, "summary", minutes, {"item": item.pk, "summary": "会议听取了汇报。"})
        response = self.act(self.secretariat, "add_decision", minutes, {
            "item": item.pk, "kind": "action", "text": "开展走访", "units": [self.zgh.pk, self.tsw.pk],
            "due_on": "2026-04-10", "expected_result": "走访报告",
        })  # fmt: skip
        self.assertIn("Added to", self.said(response))
        minutes.refresh_from_db()
        item.refresh_from_db()
        self.assertEqual((minutes.opening, item.summary), ("3月24日召开联席会议。", "会议听取了汇报。"))
        decision = Decision.objects.get()
        self.assertEqual((decision.kind, decision.due_on, decision.expected_result), ("action", DUE, "走访报告"))
        self.assertEqual(set(decision.units.all()), {self.zgh, self.tsw})
        self.act(self.secretariat, "edit_decision", minutes, {
            "decision": decision.pk, "text": "开展入户走访", "units": [self.zgh.pk], "due_on": "2026-04-17",
        })  # fmt: skip
        decision.refresh_from_db()
        self.assertEqual((decision.text, decision.due_on), ("开展入户走访", datetime.date(2026, 4, 17)))
        self.assertEqual(list(decision.units.all()), [self.zgh])
        response = self.act(self.secretariat, "remove_decision", minutes, {"decision": decision.pk})
        self.assertIn("Decision removed.", self.said(response))
        self.assertFalse(Decision.objects.exists())

    def test_convener_liaison_drafts_and_sends_for_review(self):
        minutes = self.minutes()
        response = self.act(self.convener_liaison, "send", minutes, {"deadline": "2026-03-06"})
        self.assertIn("sent for review", self.said(response))
        minutes.refresh_from_db()
        self.assertEqual((minutes.state, minutes.comment_deadline), (S.IN_REVIEW, DEADLINE))
        self.assertContains(response, 'data-answer="pending"', count=2)
        self.assertNotContains(response, self.minutes_url("add_decision", minutes))  # no editing in review

    def test_publish_then_correct(self):
        minutes = self.approved(self.minutes())
        response = self.act(self.secretariat, "publish", minutes)
        self.assertIn("published", self.said(response))
        minutes.refresh_from_db()
        self.assertEqual(minutes.state, S.PUBLISHED)
        response = self.act(self.secretariat, "correct", minutes, {"reason": "单位名称有误"})
        self.assertIn("Correction started as revision 2.", self.said(response))
        minutes.refresh_from_db()
        self.assertEqual((minutes.state, minutes.revision), (S.REVISED, 2))
        revision = minutes.revisions.get(number=2)
        self.assertEqual((revision.reason, revision.is_correction), ("单位名称有误", True))
        self.assertContains(response, 'data-revision-row="2"')


@time_machine.travel(NOW, tick=False)
class MinutesBadInputTests(MinutesAdminCase):
    def assert_nothing_added(self, response, text):
        self.assertEqual(response.status_code, 200)
        self.assertIn("Nothing was saved", self.said(response))
        self.assertIn(text, response.content.decode())
        self.assertFalse(Decision.objects.exists())

    def add(self, minutes, **data):
        data = {"item": self.item(minutes).pk, "kind": "action", "text": "开展走访", "units": [self.zgh.pk],
                "due_on": "2026-04-10", **data}  # fmt: skip
        return self.act(self.secretariat, "add_decision", minutes, data)

    def test_empty_decision_text(self):
        minutes = self.minutes()
        self.assert_nothing_added(self.add(minutes, text="   "), "Write the text of the decision.")

    def test_unit_that_has_left(self):
        gone = MemberUnitFactory(mechanism=self.province, code="gone", name="已退出单位",
                                 left_on=datetime.date(2026, 2, 1))  # fmt: skip
        minutes = self.minutes()
        self.assert_nothing_added(self.add(minutes, units=[gone.pk]), "no longer belongs to the mechanism")

    def test_unit_of_another_mechanism(self):
        minutes = self.minutes()
        response = self.add(minutes, units=[self.ty_fl.pk])
        self.assertIn("Nothing was saved", self.said(response))
        self.assertFalse(Decision.objects.exists())

    def test_due_date_in_the_past(self):
        minutes = self.minutes()
        self.assert_nothing_added(self.add(minutes, due_on="2026-03-01"), "This date is in the past.")

    def test_action_item_without_units_is_refused_by_the_service(self):
        minutes = self.minutes()
        response = self.add(minutes, units=[])
        self.assertIn("An action item needs at least one responsible unit.", self.said(response))
        self.assertFalse(Decision.objects.exists())

    def test_deadline_in_the_past(self):
        minutes = self.minutes()
        response = self.act(self.secretariat, "send", minutes, {"deadline": "2026-03-01"})
        self.assertIn("Nothing was saved", self.said(response))
        self.assertContains(response, "This date is in the past.")
        minutes.refresh_from_db()
        self.assertEqual(minutes.state, S.DRAFTED)

    def test_editing_approved_minutes_is_refused(self):
        minutes = self.minutes()
        decision = self.action_item(minutes)
        self.approved(minutes)
        self.assertTrue(Decision.objects.get().is_applied)
        response = self.act(self.secretariat, "opening", minutes, {"opening": "改一改"})
        self.assertIn("start a correction", self.said(response))
        response = self.act(self.secretariat, "edit_decision", minutes, {
            "decision": decision.pk, "text": "改", "units": [self.zgh.pk], "due_on": "2026-04-10",
        })  # fmt: skip
        self.assertEqual(response.status_code, 200)
        minutes.refresh_from_db()
        decision.refresh_from_db()
        self.assertEqual((minutes.opening, decision.text), ("", "三月底前完成走访"))

    def test_correction_needs_a_reason(self):
        minutes = self.approved(self.minutes())
        response = self.act(self.secretariat, "correct", minutes, {"reason": "  "})
        self.assertIn("Nothing was saved", self.said(response))
        minutes.refresh_from_db()
        self.assertEqual((minutes.state, minutes.revision), (S.APPROVED, 1))

    def test_stale_page_is_refused(self):
        minutes = self.in_review(self.minutes())
        self.act(self.secretariat, "revise", self.close_round(minutes), {"reason": "吸收意见"})
        minutes_as_shown = Minutes.objects.get(pk=minutes.pk)
        minutes_as_shown.revision = 1  # the page showed revision 1, before the revision
        response = self.act(self.secretariat, "opening", minutes_as_shown, {"opening": "旧页面"})
        self.assertIn("Someone else changed this", self.said(response))
        minutes.refresh_from_db()
        self.assertEqual((minutes.revision, minutes.opening), (2, ""))

    def test_odd_ids_are_404(self):
        minutes = self.minutes()
        other = self.minutes(self.held())  # another meeting's minutes
        odd = ["abc", "", "²", "1²", "٣", "9" * 40, self.item(other).pk, "99999"]
        for data in [{"item": value} for value in odd]:
            with self.subTest(data):
                response = self.act(self.secretariat, "summary", minutes, {"summary": "x", **data})
                self.assertEqual(response.status_code, 404)
        response = self.act(self.secretariat, "remove_decision", minutes, {"decision": "-1"})
        self.assertEqual(response.status_code, 404)
