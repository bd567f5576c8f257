"""Who reaches the minutes screens: the outsider gets 404 everywhere, a liaison not asked to review gets 404
until publication, the anonymous visitor is sent to log in, and a reader who may not act gets a message."""

import time_machine
from django.urls import reverse

from mechanism.models import Role
from meetings.admin.minutes_actions import ACTIONS
from meetings.models import Decision, MinutesState
from meetings.services import publish_minutes

from .test_admin_meeting import NOW
from .test_admin_minutes import MinutesAdminCase

S = MinutesState


@time_machine.travel(NOW, tick=False)
class MinutesAccessTests(MinutesAdminCase):
    def urls(self, minutes):
        return [self.minutes_url(name, minutes) for name in ("minutes", "compare")]

    def action_urls(self, minutes):
        return [self.minutes_url(name, minutes) for name in [*ACTIONS, "start"]]

    def test_outsider_gets_404_on_every_screen_and_action(self):
        minutes = self.minutes()
        decision = self.action_item(minutes)
        self.login(self.outsider)
        for url in self.urls(minutes):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)
        data = {"state": minutes.state, "revision": 1, "item": self.item(minutes).pk, "decision": decision.pk,
                "text": "改", "opening": "改", "reason": "改", "deadline": "2026-03-06"}  # fmt: skip
        for url in self.action_urls(minutes):
            with self.subTest(url):
                self.assertEqual(self.client.post(url, data).status_code, 404)
        minutes.refresh_from_db()
        decision.refresh_from_db()
        self.assertEqual((minutes.state, minutes.opening, decision.text), (S.DRAFTED, "", "三月底前完成走访"))

    def test_liaison_not_asked_to_review_sees_the_minutes_only_once_published(self):
        mz_liaison = self.member("mz_liaison", self.mz, Role.LIAISON)  # mz did not attend: not asked
        minutes = self.in_review(self.minutes())
        self.login(mz_liaison)
        for url in self.urls(minutes):
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(self.minutes_url("agree", minutes), {"unit": self.mz.pk}).status_code, 404)
        meeting = self.client.get(self.url("meeting", minutes.meeting))
        self.assertNotContains(meeting, self.minutes_url("minutes", minutes))
        minutes = self.approved(minutes)
        publish_minutes(minutes, by=self.secretariat)
        response = self.screen(mz_liaison, minutes)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["can"]["edit"])
        self.assertNotContains(response, "data-review-forms")
        self.assertContains(self.client.get(self.url("meeting", minutes.meeting)), self.minutes_url("minutes", minutes))

    def test_reviewing_liaison_and_supervisor_read_before_publication(self):
        minutes = self.in_review(self.minutes())
        for user in (self.other_liaison, self.supervisor, self.convener_liaison, self.admin):
            with self.subTest(user.username):
                self.assertEqual(self.screen(user, minutes).status_code, 200)

    def test_anonymous_is_sent_to_log_in(self):
        minutes = self.minutes()
        self.client.logout()
        for url in [*self.urls(minutes), *self.action_urls(minutes)]:
            with self.subTest(url):
                method = self.client.get if url in self.urls(minutes) else self.client.post
                response = method(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("wagtailadmin_login")))

    def test_reader_who_may_not_draft_gets_a_message_and_nothing_changes(self):
        minutes = self.in_review(self.minutes())
        decision = Decision.objects.create(item=self.item(minutes), text="原文")
        item = self.item(minutes)
        attempts = [
            ("opening", {"opening": "改"}),
            ("summary", {"item": item.pk, "summary": "改"}),
            ("add_decision", {"item": item.pk, "kind": "decision", "text": "新"}),
            ("edit_decision", {"decision": decision.pk, "text": "改"}),
            ("remove_decision", {"decision": decision.pk}),
            ("send", {"deadline": "2026-03-06"}),
            ("revise", {"reason": "改"}),
            ("publish", {}),
            ("correct", {"reason": "改"}),
        ]
        for name, data in attempts:
            with self.subTest(name):
                response = self.act(self.other_liaison, name, minutes, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("Only the secretariat and the liaisons of the convening unit", self.said(response))
        response = self.act(self.other_liaison, "approve", minutes)
        self.assertIn("Only the convener approves the minutes.", self.said(response))
        minutes.refresh_from_db()
        item.refresh_from_db()
        self.assertEqual((minutes.state, minutes.revision, minutes.opening, item.summary), (S.IN_REVIEW, 1, "", ""))
        self.assertEqual(list(Decision.objects.values_list("text", flat=True)), ["原文"])

    def test_get_on_an_action_url_is_not_allowed(self):
        minutes = self.minutes()
        response = self.login(self.secretariat).get(self.minutes_url("opening", minutes))
        self.assertEqual(response.status_code, 405)

    def test_minutes_screen_of_a_meeting_without_minutes_is_404(self):
        meeting = self.held()
        self.login(self.secretariat)
        self.assertEqual(self.client.get(reverse("meetings_admin:minutes", args=[meeting.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("meetings_admin:minutes", args=[999999])).status_code, 404)
